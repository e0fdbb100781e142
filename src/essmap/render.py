"""Output: an enum of formats mapped to small renderers that never trust catalogue text.

Tables and panels are Rich renderables built from `Text` (never markup) over text
made printable; JSON and CSV are strings with unsafe characters escaped.
"""

from __future__ import annotations

import csv
import io
import json
from enum import Enum

from essmap import geo
from essmap.model import KINDS, OFFERS, OLD_SOURCE_YEAR, STAGES, STATUSES, THEMES, Structure
from essmap.safe import json_safe, one_line, printable
from essmap.schema import ENTRY_FIELDS


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def where(structure: Structure) -> str:
    """Where a structure works, in words."""
    if structure.national:
        return "France entière"
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
    return record


def to_json(structures: list[Structure]) -> str:
    """A JSON list, one object per line (fast C encoder, readable diffs)."""
    lines = ",\n".join(json.dumps(as_record(s), ensure_ascii=False) for s in structures)
    return json_safe(f"[\n{lines}\n]\n" if structures else "[]\n")


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


def to_csv(structures: list[Structure]) -> str:
    """One row per structure, a header row, lists joined with '; '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([spec.name for spec in ENTRY_FIELDS])
    for structure in structures:
        record = as_record(structure)
        writer.writerow([_cell(record[spec.name]) for spec in ENTRY_FIELDS])
    return buffer.getvalue()


def to_text(structures: list[Structure]) -> str:
    """Plain aligned columns, one line per structure: the table's form for a pipe or a file."""
    rows = [("ID", "NOM", "TYPE", "ÉTAPES", "TERRITOIRE", "VILLE")]
    for s in structures:
        rows.append((s.id, s.name, KINDS.label(s.kind), ",".join(s.stages), where(s), s.city or ""))
    rows = [tuple(one_line(cell) for cell in row) for row in rows]
    widths = [min(max(len(row[i]) for row in rows), TEXT_COLUMN_CAP) for i in range(len(rows[0]))]
    return "".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() + "\n" for row in rows
    )


TEXT_COLUMN_CAP = 40

# ---- terminal -----------------------------------------------------------------------------


def _text(value: str, style: str = ""):
    from rich.text import Text

    return Text(printable(value), style=style)


def table(structures: list[Structure], scores: dict[str, float] | None = None):
    """A Rich table of structures: name and id, kind, stages, where (city)."""
    from rich.table import Table

    grid = Table(show_lines=False, header_style="bold", expand=False)
    grid.add_column("Structure", overflow="fold", min_width=24)
    grid.add_column("Type", overflow="fold")
    grid.add_column("Étapes", overflow="fold")
    grid.add_column("Territoire (ville)", overflow="fold")
    for structure in structures:
        name = _text(structure.name, "bold")
        name.append("\n")
        name.append_text(_text(structure.id, "dim"))
        grid.add_row(
            name,
            _text(KINDS.label(structure.kind)),
            _text(labels(STAGES, structure.stages)),
            _text(where(structure) + (f" ({structure.city})" if structure.city else "")),
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
        if relations.replaced_by:
            notice += " ; remplacée par " + ", ".join(s.name for s in relations.replaced_by)
        row("Statut", _text(notice, "bold red"))
    row("Identifiant", structure.id)
    row("Autres noms", ", ".join(structure.aliases))
    row("Type", KINDS.label(structure.kind))
    row("Étapes", labels(STAGES, structure.stages))
    row("Thèmes", labels(THEMES, structure.themes))
    row("Offre", labels(OFFERS, structure.offers))
    row("Territoire", where(structure))
    row("Ville", structure.city or "")
    row("Site web", structure.website or "")
    row("Courriel", structure.email or "")
    row("Téléphone", structure.phone or "")
    row("Description", structure.description)
    row("Portée par", _names(relations.carried_by))
    row("Porte", _names(relations.carries))
    row("Membre de", _names(relations.member_of))
    row("Membres", _names(relations.members))
    row("Références inconnues", ", ".join(relations.missing))
    row("Attention", structure.caveat or "")
    if structure.has_old_sources:
        row("Ancienneté", f"toutes les sources datées sont antérieures à {OLD_SOURCE_YEAR}")
    sources = Text()
    for index, source in enumerate(structure.sources):
        if index:
            sources.append("\n")
        sources.append_text(_text(source.url))
        if source.date:
            sources.append_text(_text(f" ({source.date})", "dim"))
    row("Sources", sources)
    row("Vérifiée le", structure.updated)
    return Panel(grid, title=_text(structure.name, "bold"), title_align="left", expand=False)


def _names(structures) -> str:
    return ", ".join(s.name for s in structures)
