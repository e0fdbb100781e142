"""Output: an enum of formats mapped to small renderers that never trust catalogue text.

Tables and panels are Rich renderables built from `Text` (never markup) over text
made printable; JSON and CSV are strings with unsafe characters escaped.
"""

from __future__ import annotations

import csv
import io
import json
import re
from enum import Enum
from typing import TYPE_CHECKING

from essmap import geo
from essmap.i18n import _
from essmap.model import KINDS, OFFERS, OLD_SOURCE_YEAR, STAGES, STATUSES, THEMES, Structure
from essmap.safe import json_safe, neutral_cell, one_line, printable
from essmap.schema import ENTRY_FIELDS

if TYPE_CHECKING:
    from rich.console import RenderableType

    from essmap.coverage import Coverage
    from essmap.orient import Orientation, Recommendation
    from essmap.query import Relations

    Output = str | RenderableType  # text for stdout, or a Rich renderable for a terminal


class Format(str, Enum):
    """Every output format; `RENDERERS` maps each to its renderer."""

    table = "table"  # a Rich table on a terminal, aligned plain text to a pipe ("text" is the same)
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    markdown = "markdown"

    @classmethod
    def parse(cls, value: str) -> Format:
        """The format a person typed ("text" for table; a typo gets a suggestion)."""
        from essmap.model import Term, Vocabulary

        names = [f.value for f in cls] + ["text"]
        chosen = Vocabulary("format", tuple(Term(n, n) for n in names)).resolve(value)
        return cls.table if chosen == "text" else cls(chosen)


# Every field of the format, and after the sourced offers the offers the kind implies (derived).
FIELDS = tuple(
    name
    for spec in ENTRY_FIELDS
    for name in ((spec.name, "offers_derived") if spec.name == "offers" else (spec.name,))
)


def parse_fields(text: str | None, known: tuple[str, ...] = FIELDS) -> tuple[str, ...]:
    """The columns asked for with --fields ('id,name,website'); UsageError on an unknown one."""
    if not text:
        return known
    wanted = tuple(dict.fromkeys(f.strip() for f in text.split(",") if f.strip()))
    unknown = [f for f in wanted if f not in known]
    if unknown or not wanted:
        from essmap.errors import UsageError
        from essmap.suggest import closest

        message = _("no field given")
        if unknown:
            hint = closest(unknown[0], known, limit=1)
            message = _("unknown field {name}").format(name=repr(unknown[0])) + (
                _("; did you mean {suggestion}?").format(suggestion=repr(hint[0])) if hint else ""
            )
        raise UsageError(message + _("; fields: {fields}").format(fields=", ".join(known)))
    return wanted


def where(structure: Structure) -> str:
    """Where a structure works, in words."""
    if structure.national:
        return _("All of France")
    parts = []
    for region in structure.regions:
        own = [d for d in structure.departments if geo.DEPARTMENT_BY_CODE[d].region == region]
        if not own or set(own) == geo.DEPARTMENTS_OF_REGION[region]:
            parts.append(geo.region_name(region))
        elif len(own) <= 2:
            parts.extend(geo.department_label(d) for d in own)
        else:
            parts.append(f"{geo.region_name(region)} ({', '.join(own)})")
    return ", ".join(parts)


def labels(vocabulary, ids) -> str:
    return ", ".join(vocabulary.label(i) for i in ids)


# ---- data formats -------------------------------------------------------------------------


def as_record(structure: Structure) -> dict:
    """The structure as the catalogue writes it: every field, ids rather than labels."""
    record = {}
    for spec in ENTRY_FIELDS:
        value = getattr(structure, spec.name)
        if spec.type == "sources":
            value = [{"url": s.url, "date": s.date} for s in value]
        elif isinstance(value, tuple):
            value = list(value)
        record[spec.name] = value
        if spec.name == "offers":
            record["offers_derived"] = list(structure.derived_offers)
    return record


def records(structures: list[Structure], fields: tuple[str, ...] = FIELDS) -> list[dict]:
    return [{name: record[name] for name in fields} for record in map(as_record, structures)]


def to_json(rows: list[dict]) -> str:
    """A JSON list, one object per line (fast C encoder, readable diffs)."""
    lines = ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows)
    return json_safe(f"[\n{lines}\n]\n" if rows else "[]\n")


def to_jsonl(rows: list[dict]) -> str:
    return "".join(json_safe(json.dumps(row, ensure_ascii=False)) + "\n" for row in rows)


# Every ASCII punctuation character, which CommonMark lets a backslash make literal: no HTML, link,
# image, emphasis, code, entity or table syntax can come out of catalogue text.
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def to_markdown(rows: list[dict], columns: tuple[str, ...]) -> str:
    """A Markdown table whose cells are literal text: every punctuation character is escaped,
    so that catalogue text can neither break the table nor become HTML, a link or markup."""

    def cell(value) -> str:
        return _MARKDOWN_SPECIAL.sub(r"\\\1", _cell(value))

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(row[c]) for c in columns) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def data(rows: list[dict], columns: tuple[str, ...], output: Format) -> str:
    """Rows in one of the data formats (json, jsonl, csv, markdown)."""
    if output is Format.json:
        return to_json(rows)
    if output is Format.jsonl:
        return to_jsonl(rows)
    if output is Format.markdown:
        return to_markdown(rows, columns)
    return to_csv(rows, columns)


def to_json_one(structure: Structure) -> str:
    return json_safe(json.dumps(as_record(structure), ensure_ascii=False, indent=2)) + "\n"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(_cell(v["url"] if isinstance(v, dict) else v) for v in value)
    return one_line(str(value))


def to_csv(rows: list[dict], columns: tuple[str, ...]) -> str:
    """A header row, then one row per record, lists joined with '; '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutral_cell(_cell(row[c])) for c in columns])
    return buffer.getvalue()


CAVEAT_MARK = "(!)"


def _markers(s: Structure) -> str:
    """What a person must know before calling: not verified, or a caveat (`show` says which)."""
    marks = "" if s.is_active else f" [{STATUSES.label(s.status).lower()}]"
    return marks + (f" {CAVEAT_MARK}" if s.caveat else "")


def _caveat_note(s: Structure, width: int = 90) -> str:
    """The caveat, shortened to one line."""
    text = one_line(s.caveat or "")
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def to_text(structures: list[Structure], reasons: dict[str, list[str]] | None = None) -> str:
    """Plain aligned columns, one line per structure: the table's form for a pipe or a file.

    With `reasons`, each structure is followed by an indented line saying why it is listed.
    """
    rows: list[tuple[str, ...]] = [
        (_("ID"), _("NAME"), _("KIND"), _("STAGES"), _("AREA"), _("TOWN"), _("SOURCES"), _("WEBSITE"))
    ]
    for s in structures:
        rows.append(
            (
                s.id,
                s.name + _markers(s),
                KINDS.label(s.kind),
                ",".join(s.stages),
                where(s),
                s.city or "",
                s.newest_source_year,
                s.website or "",
            )
        )
    rows = [tuple(one_line(cell) for cell in row) for row in rows]
    lines = []
    for number, line in enumerate(_aligned(rows)):
        lines.append(line)
        if number and structures[number - 1].caveat:
            lines.append("    " + _("caution: {caveat}").format(caveat=_caveat_note(structures[number - 1])))
        if reasons is not None and number:
            lines.append(
                "    "
                + _("why: {reasons}").format(reasons=one_line(" ; ".join(reasons[structures[number - 1].id])))
            )
    return "".join(line + "\n" for line in lines)


TEXT_COLUMN_CAP = 32


def _aligned(rows: list[tuple[str, ...]]) -> list[str]:
    """Rows of cells as plain aligned lines, each column sized by `_column_width`."""
    widths = [_column_width([row[i] for row in rows]) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]


def _column_width(cells: list[str]) -> int:
    """A plain-text column as wide as three cells in four (never over TEXT_COLUMN_CAP): the
    longer ones run over, rather than widening every line of the listing."""
    lengths = sorted(len(c) for c in cells)
    return min(lengths[max(0, (len(lengths) * 3 + 3) // 4 - 1)], TEXT_COLUMN_CAP)


# ---- terminal -----------------------------------------------------------------------------


def _text(value: str, style: str = ""):
    from rich.text import Text

    return Text(printable(value), style=style)


def _link(url: str):
    """A website, clickable on terminals that support links (addresses are checked at load:
    http or https only, nothing that could break out of the link)."""
    from rich.style import Style
    from rich.text import Text

    return Text(printable(url), style=Style(dim=True, link=url))


FULL_WIDTH = 120  # from here on, every column; below, the less needed ones go first
NARROW_WIDTH = 80


def table(structures: list[Structure], reasons: dict[str, list[str]] | None = None, width: int = FULL_WIDTH):
    """A Rich table of structures that fits `width` (60 columns and up) without cropping: text
    wraps at word boundaries; below 120 columns the town goes, below 80 the id line and the
    stages column. Each structure says whether it is unverified or carries a caveat, and the
    year of its newest source."""
    from rich.table import Table

    full, narrow = width >= FULL_WIDTH, width < NARROW_WIDTH
    grid = Table(show_lines=False, header_style="bold", expand=False)
    grid.add_column(_("Structure"), overflow="fold", ratio=3)
    grid.add_column(_("Kind"), overflow="fold", ratio=2)
    if not narrow:
        grid.add_column(_("Stages"), overflow="fold", ratio=1)
    grid.add_column(_("Area (town)") if full else _("Area"), overflow="fold", ratio=2)
    if reasons is not None:
        grid.add_column(_("Why"), overflow="fold", ratio=3)
    for structure in structures:
        name = _text(structure.name, "bold")
        if not structure.is_active:
            name.append_text(_text(f" [{STATUSES.label(structure.status).lower()}]", "yellow"))
        if structure.caveat:
            name.append_text(_text(f" {CAVEAT_MARK}", "yellow"))
        if not narrow:
            name.append("\n")
            name.append_text(_text(structure.id, "dim"))
        if structure.website:
            name.append("\n")
            name.append_text(_link(structure.website))
        if structure.newest_source_year:
            name.append("\n")
            name.append_text(
                _text(_("sources up to {year}").format(year=structure.newest_source_year), "dim")
            )
        if structure.caveat:
            name.append("\n")
            name.append_text(
                _text(_("caution: {caveat}").format(caveat=_caveat_note(structure, 60)), "yellow")
            )
        area = where(structure) + (f" ({structure.city})" if full and structure.city else "")
        grid.add_row(
            name,
            _text(KINDS.label(structure.kind)),
            *([] if narrow else [_text(labels(STAGES, structure.stages))]),
            _text(area),
            *([_text(" ; ".join(reasons[structure.id]))] if reasons is not None else []),
        )
    return grid


def panel(structure: Structure, relations):
    """A Rich panel with every field of one structure, links by name both ways."""
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")

    def row(label: str, value) -> None:
        if value:
            grid.add_row(label, value if isinstance(value, Text) else _text(value))

    if not structure.is_active:
        notice = f"{STATUSES.label(structure.status)}"
        if structure.status_date:
            notice += f" ({structure.status_date})"
        if relations.replaced_by:
            notice += _("; replaced by {names}").format(
                names=", ".join(f"{s.name} [{s.id}]" for s in relations.replaced_by)
            )
        if structure.status_source:
            notice += _("; source: {url}").format(url=structure.status_source)
        row(_("Status"), _text(notice, "bold red" if not structure.is_listed else "bold yellow"))
    row(_("Id"), structure.id)
    row(_("Former ids"), _capped(structure.former_ids))
    row(_("Other names"), _capped(structure.aliases))
    row(
        _("Kind"),
        KINDS.label(structure.kind)
        + (_(" (thematic: does not welcome every project)") if structure.thematic else ""),
    )
    row(_("Stages"), labels(STAGES, structure.stages))
    row(_("Themes"), labels(THEMES, structure.themes))
    row(_("Offer"), labels(OFFERS, structure.offers))
    row(_("Offer by its kind"), labels(OFFERS, structure.derived_offers))
    row(_("Area"), where(structure))
    row(_("Town"), structure.city or "")
    row(_("Website"), structure.website or "")
    row(_("Email"), structure.email or "")
    row(_("Phone"), structure.phone or "")
    row("SIREN", structure.siren or "")
    row("SIRET", structure.siret or "")
    row(_("Association number (RNA)"), structure.rna or "")
    row(_("Description"), structure.description)
    row(_("Carried by"), _names(relations.carried_by))
    row(_("Carries"), _names(relations.carries))
    row(_("Member of"), _names(relations.member_of))
    row(_("Members"), _names(relations.members))
    row(_("Unknown references"), _capped(relations.missing))
    row(_("Caveat"), structure.caveat or "")
    if structure.has_old_sources:
        row(_("Age"), _("every dated source is older than {year}").format(year=OLD_SOURCE_YEAR))
    sources = Text()
    for index, source in enumerate(structure.sources[:SHOW_AT_MOST]):
        if index:
            sources.append("\n")
        sources.append_text(_text(source.url))
        if source.date:
            sources.append_text(_text(f" ({source.date})", "dim"))
    if len(structure.sources) > SHOW_AT_MOST:
        sources.append_text(
            _text("\n" + _("… and {count} more").format(count=len(structure.sources) - SHOW_AT_MOST), "dim")
        )
    row(_("Sources"), sources)
    row(_("Checked on"), structure.updated)
    return Panel(grid, title=_text(structure.name, "bold"), title_align="left", expand=False)


SHOW_AT_MOST = 20  # items of one list in `show`; the rest are counted


def _capped(items) -> str:
    """Items joined, the first SHOW_AT_MOST of them, then how many more."""
    items = list(items)
    shown = ", ".join(items[:SHOW_AT_MOST])
    more = " " + _("… and {count} more").format(count=len(items) - SHOW_AT_MOST)
    return shown + (more if len(items) > SHOW_AT_MOST else "")


def _names(structures) -> str:
    return _capped(s.name for s in structures)


# ---- coverage and chains ------------------------------------------------------------------

EMPTY_MARK = "0!"


def coverage_rows(result, with_national: bool = True) -> list[dict]:
    """One record per place (and one for the national structures), counts by stage id."""
    rows = [
        {
            "place": row.place.id,
            "label": row.place.label,
            **row.counts,
            **{f"{s}_own": n for s, n in row.own.items()},
        }
        for row in result.rows
    ]
    if with_national:
        rows.append(
            {
                "place": "national",
                "label": _("National structures (serve everywhere)"),
                **result.national,
                **{f"{s}_own": 0 for s in result.stages},
            }
        )
    return rows


def coverage_columns(result) -> tuple[str, ...]:
    return ("place", "label", *result.stages, *(f"{s}_own" for s in result.stages))


def coverage_table(result, colour: bool):
    """A Rich table of counts per place and stage; empty cells stand out."""
    from rich.table import Table

    grid = Table(header_style="bold")
    grid.add_column(_("Region") if result.by == "region" else _("Department"))
    for stage in result.stages:
        grid.add_column(STAGES.label(stage), justify="right")
    for row in result.rows:
        grid.add_row(
            _text(row.place.label),
            *(
                _text(str(n), "bold white on red")
                if n == 0 and colour
                else _text(EMPTY_MARK if n == 0 else f"{n} ({row.own.get(s, 0)})")
                for s, n in row.counts.items()
            ),
        )
    grid.add_row(_text(_("+ national"), "dim"), *(_text(f"+{n}", "dim") for n in result.national.values()))
    return grid


def coverage_text(result) -> str:
    """Plain columns for a pipe; an empty cell reads `0!`."""
    head = (_("PLACE"), _("LABEL"), *(s.upper() for s in result.stages))
    rows = [head] + [
        (
            row.place.id,
            row.place.label,
            *(EMPTY_MARK if n == 0 else f"{n} ({row.own.get(s, 0)})" for s, n in row.counts.items()),
        )
        for row in result.rows
    ]
    rows.append(("national", _("+ national"), *(f"+{n}" for n in result.national.values())))
    rows = [tuple(one_line(c) for c in row) for row in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    return "".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() + "\n" for r in rows)


def coverage_summary(result) -> str:
    parts = [
        _("{count} for {stage}").format(count=n, stage=STAGES.label(s).lower())
        for s, n in result.empty_departments.items()
    ]
    summary = _("Departments with no regional or local structure: {parts} (out of 101).").format(
        parts=", ".join(parts)
    )
    own = [
        _("{count} for {stage}").format(count=len(codes), stage=STAGES.label(s).lower())
        + (f" ({', '.join(codes[:12])}{' …' if len(codes) > 12 else ''})" if codes else "")
        for s, codes in result.without_own.items()
    ]
    summary += "\n" + _(
        "Departments with no structure of their own (only regional ones cover them): {parts}. "
        "In brackets in the table: structures based in the place itself."
    ).format(parts="; ".join(own))
    return summary + (f"\n{result.hint}" if result.hint else "")


def chain_tree(chain):
    """A Rich tree: the heads of the chain, then stage by stage, each with its links."""
    from rich.text import Text
    from rich.tree import Tree

    def label(link) -> Text:
        text = _text(link.structure.name, "bold")
        text.append_text(_text(f" ({KINDS.label(link.structure.kind)}, {link.structure.id})", "dim"))
        if link.carried_by:
            text.append_text(
                _text(_("; carried by {names}").format(names=", ".join(s.name for s in link.carried_by)))
            )
        if link.member_of:
            text.append_text(
                _text(_("; member of {names}").format(names=", ".join(s.name for s in link.member_of)))
            )
        return text

    tree = Tree(_text(_("Chain of support: {place}").format(place=chain.place.label), "bold"))
    heads = tree.add(_text(_("Heads of the network (CRESS, regional collectives)"), "bold"))
    for link in chain.heads:
        heads.add(label(link))
    if not chain.heads:
        heads.add(_text(_("none in the catalogue"), "italic"))
    for stage, links in chain.stages.items():
        branch = tree.add(_text(f"{STAGES.label(stage)} ({len(links)})", "bold"))
        for link in links:
            branch.add(label(link))
        if not links:
            branch.add(_text(_("no regional or local structure in the catalogue"), "italic"))
    return tree


# ---- orientation --------------------------------------------------------------------------


def orientation_record(orientation: Orientation) -> dict:
    """The orientation as plain data for --format json."""

    def item(recommendation: Recommendation) -> dict:
        s = recommendation.structure
        return {
            "id": s.id,
            "name": s.name,
            "kind": s.kind,
            "scope": recommendation.scope,
            "website": s.website,
            "city": s.city,
            "reasons": list(recommendation.reasons),
        }

    return {
        "stage": orientation.stage,
        "place": {
            "kind": orientation.place.kind,
            "id": orientation.place.id,
            "label": orientation.place.label,
            "departments": sorted(orientation.place.departments),
        },
        "needs": list(orientation.needs),
        "steps": [
            {
                "kind": step.kind,
                "title": step.title,
                "need": step.need,
                "message": step.message,
                "recommendations": [item(r) for r in step.recommendations],
                "alternatives": [item(r) for r in step.alternatives],
            }
            for step in orientation.steps
        ],
    }


def orientation_text(orientation: Orientation, width: int | None = None) -> str:
    """The path as numbered steps, each recommendation with its reasons; with `width` (a
    terminal's), long lines wrap at word boundaries under their own indentation."""
    needs = ", ".join(OFFERS.label(n) for n in orientation.needs) or _("none given")
    lines = [
        _("Orientation: {stage}, {place}; needs: {needs}").format(
            stage=STAGES.label(orientation.stage), place=orientation.place.label, needs=needs
        ),
        "",
    ]
    for number, step in enumerate(orientation.steps, 1):
        lines.append(f"{number}. {step.title}")
        if step.message:
            lines.append(f"   ! {step.message}")
        for r in step.recommendations:
            lines += _recommendation_lines(r)
        if step.alternatives:
            lines.append("   " + _("Nearest alternatives:"))
            for r in step.alternatives:
                lines += _recommendation_lines(r)
        lines.append("")
    return "".join(_wrapped(one_line(line), width) + "\n" for line in lines)


def _wrapped(line: str, width: int | None) -> str:
    import textwrap

    if width is None or len(line) <= width:
        return line
    indent = " " * (len(line) - len(line.lstrip(" -!")) + (2 if line.lstrip().startswith(("-", "!")) else 0))
    return textwrap.fill(
        line, width=width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )


def _recommendation_lines(r: Recommendation) -> list[str]:
    s = r.structure
    head = f"   - {s.name}{_markers(s)} ({KINDS.label(s.kind)}) [{s.id}]"
    if s.website:
        head += f" {s.website}"
    if s.newest_source_year:
        head += " " + _("(sources up to {year})").format(year=s.newest_source_year)
    lines = [head, "     " + _("why: {reasons}").format(reasons=" ; ".join(r.reasons))]
    if s.caveat:
        lines.append("     " + _("caution: {caveat}").format(caveat=_caveat_note(s)))
    return lines


def orientation_rows(orientation: Orientation) -> list[dict]:
    """One record per recommended structure, step by step (for csv, jsonl, markdown)."""
    rows = []
    for number, step in enumerate(orientation.steps, 1):
        for kind, found in (("recommendation", step.recommendations), ("alternative", step.alternatives)):
            for r in found:
                rows.append(
                    {
                        "step": number,
                        "title": step.title,
                        "need": step.need or "",
                        "role": kind,
                        "id": r.structure.id,
                        "name": r.structure.name,
                        "scope": r.scope,
                        "website": r.structure.website or "",
                        "reasons": " ; ".join(r.reasons),
                    }
                )
    return rows


ORIENTATION_COLUMNS = ("step", "title", "need", "role", "id", "name", "scope", "website", "reasons")


# ---- one renderer per format --------------------------------------------------------------


class Renderer:
    """How one format shows each answer of the tool: a list of structures (find), one
    structure (show), coverage, stale entries and an orientation. The data formats differ
    only in how they write rows; the table renderer draws for a terminal or a pipe."""

    def __init__(self, terminal: bool = False, width: int = FULL_WIDTH):
        self.terminal = terminal  # standard output is a terminal (Rich) rather than a pipe
        self.width = width  # the terminal's columns

    def rows(self, rows: list[dict], columns: tuple[str, ...]) -> str:
        raise NotImplementedError

    def structures(
        self,
        structures: list[Structure],
        columns: tuple[str, ...] = FIELDS,
        reasons: dict[str, list[str]] | None = None,
    ) -> Output:
        rows = records(structures, columns)
        if reasons is not None:
            columns = (*columns, "reasons")
            for row, structure in zip(rows, structures):
                row["reasons"] = reasons[structure.id]
        return self.rows(rows, columns)

    def structure(self, structure: Structure, relations: Relations) -> Output:
        return self.structures([structure])

    def coverage(self, result: Coverage, columns: tuple[str, ...]) -> Output:
        return self.rows(coverage_rows(result), columns)

    def stale(self, rows: list[dict], columns: tuple[str, ...]) -> Output:
        return self.rows(rows, columns)

    def orientation(self, orientation: Orientation) -> Output:
        return self.rows(orientation_rows(orientation), ORIENTATION_COLUMNS)


class JsonRenderer(Renderer):
    def rows(self, rows: list[dict], columns: tuple[str, ...]) -> str:
        return to_json(rows)

    def structure(self, structure: Structure, relations: Relations) -> Output:
        return to_json_one(structure)

    def orientation(self, orientation: Orientation) -> Output:
        return json_safe(json.dumps(orientation_record(orientation), ensure_ascii=False, indent=2)) + "\n"


class JsonlRenderer(Renderer):
    def rows(self, rows: list[dict], columns: tuple[str, ...]) -> str:
        return to_jsonl(rows)


class CsvRenderer(Renderer):
    def rows(self, rows: list[dict], columns: tuple[str, ...]) -> str:
        return to_csv(rows, columns)


class MarkdownRenderer(Renderer):
    def rows(self, rows: list[dict], columns: tuple[str, ...]) -> str:
        return to_markdown(rows, columns)


class TableRenderer(Renderer):
    def rows(self, rows: list[dict], columns: tuple[str, ...]) -> str:
        """Plain aligned columns of any rows."""
        cells = [tuple(columns)] + [tuple(_cell(row[c]) for c in columns) for row in rows]
        return "".join(line + "\n" for line in _aligned(cells))

    def structures(self, structures, columns=FIELDS, reasons=None) -> Output:
        if not structures:
            return ""
        if columns != FIELDS:  # --fields: those columns, aligned
            return super().structures(structures, columns, reasons)
        return table(structures, reasons, self.width) if self.terminal else to_text(structures, reasons)

    def structure(self, structure: Structure, relations: Relations) -> Output:
        return panel(structure, relations)

    def coverage(self, result: Coverage, columns: tuple[str, ...]) -> Output:
        return coverage_table(result, colour=True) if self.terminal else coverage_text(result)

    def stale(self, rows: list[dict], columns: tuple[str, ...]) -> Output:
        return "".join(f"{row['region']}  {row['id']}  {row['updated']}\n" for row in rows)

    def orientation(self, orientation: Orientation) -> Output:
        return orientation_text(orientation, self.width if self.terminal else None)


RENDERERS: dict[Format, type[Renderer]] = {
    Format.table: TableRenderer,
    Format.json: JsonRenderer,
    Format.jsonl: JsonlRenderer,
    Format.csv: CsvRenderer,
    Format.markdown: MarkdownRenderer,
}


def renderer(output: Format, terminal: bool = False, width: int = FULL_WIDTH) -> Renderer:
    return RENDERERS[output](terminal, width)


# ---- the online check ------------------------------------------------------------------------


def check_report_text(report) -> str:
    """`essmap check --online`'s report as plain aligned lines: what disagrees with the
    catalogue, then the identifiers suggested, then what could not be checked. Text from the
    registry and the web is made one printable line."""
    from essmap.online import CHECKS, PROBLEMS
    from essmap.safe import one_line

    parts: list[str] = []
    if report.findings:
        rows: list[tuple[str, ...]] = [(_("Id"), _("Check"), _("What"), _("Detail"))]
        rows += [
            (f.id, _(CHECKS[f.check]), _(PROBLEMS[f.problem]), one_line(f.detail)) for f in report.findings
        ]
        parts += _aligned(rows)
    if report.suggestions:
        parts += ["", _("Identifiers to confirm (a maintainer checks and cites the registry page):")]
        rows = [(_("Id"), "SIREN", "SIRET", _("Name in the registry"), _("Town"), _("Score"))]
        rows += [
            (c.id, c.siren, c.siret, one_line(c.registry_name), one_line(c.town), str(c.score))
            for c in report.suggestions
        ]
        parts += _aligned(rows)
    if report.not_checked:
        parts += ["", _("Not checked:")]
        parts += _aligned(
            [(n["id"], _(CHECKS[n["check"]]), one_line(n["reason"])) for n in report.not_checked]
        )
    return "".join(line + "\n" for line in parts)
