"""`essmap validate`: every rule about a catalogue's content, and the reporters.

The loader (catalogue.py) already reports what does not fit the model: YAML syntax,
shape, types, vocabulary values, duplicate keys, anchors, aliases and tags. The rules
here judge the content: ids, references, places, addresses, dates, text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from collections.abc import Sequence as Sequence_
from dataclasses import dataclass, replace
from pathlib import Path

from essmap import geo
from essmap.build import alias_message, anchor_message
from essmap.catalogue import load_checked
from essmap.errors import Problem
from essmap.i18n import _
from essmap.identifiers import FIELDS as IDENTIFIER_FIELDS
from essmap.model import ACTIVE_SINCE, shows_active
from essmap.safe import has_unsafe
from essmap.schema import ID_PATTERN, url_problem
from essmap.text import key
from essmap.yamltree import Alias, Mapping, Node, Scalar, Sequence

NEAR_DUPLICATE_RATIO = 92.0
_ID = re.compile(ID_PATTERN)
_MARKUP = re.compile(r"\[/?[a-zA-Z#@][\w .#=,:-]*\]|\[/\]")
REFERENCE_FIELDS = ("carried_by", "member_of", "replaced_by")
_COMMENT_AFTER = re.compile(r"[ \t]*#")


@dataclass(slots=True)
class Entry:
    """One entry of the file as written: its node and its fields' nodes."""

    node: Mapping
    fields: dict[str, Node]

    def text(self, name: str) -> str | None:
        node = self.fields.get(name)
        return node.value if isinstance(node, Scalar) else None

    def scalars(self, name: str) -> list[Scalar]:
        node = self.fields.get(name)
        if isinstance(node, Scalar):
            return [node]
        if isinstance(node, Sequence):
            return [item for item in node.items if isinstance(item, Scalar)]
        return []

    def sources(self) -> Iterator[dict[str, Node]]:
        node = self.fields.get("sources")
        if isinstance(node, Sequence):
            for item in node.items:
                if isinstance(item, Mapping):
                    yield {k.value: v for k, v in item.pairs if isinstance(k, Scalar)}


def _all_nodes(node: Node | None, skip: Node | None = None) -> Iterator[Node]:
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if current is skip:
            continue
        yield current
        if isinstance(current, Sequence):
            stack.extend(current.items)
        elif isinstance(current, Mapping):
            for pair in current.pairs:
                stack.extend(pair)


class Checker:
    """Runs every content rule over one file, entry by entry as it is parsed.

    Each entry is checked as soon as it is complete and then dropped, so that memory
    stays bounded by one entry; what rules across entries need (ids, references,
    websites, names) is kept in small tables and judged by `finish()`.
    """

    def __init__(self, path: str, today: dt.date, lines: Sequence_[str] = (), max_age: int | None = None):
        self.path = path
        self.today = today
        self.max_age = max_age  # days; None: staleness is not checked (it is a report, not an error)
        self.lines = lines  # the file's text, to see comments the parser drops
        self.problems: list[Problem] = []
        self.ids: dict[str, Scalar] = {}
        self.websites: dict[str, Scalar] = {}
        self.identifiers: dict[str, dict[str, Scalar]] = {}  # field -> value -> where first given
        self.references: list[tuple[str | None, str, Scalar]] = []
        self.names: list[tuple[str, Scalar]] = []  # folded name, node, in file order
        self.former_ids: dict[str, Scalar] = {}
        self.statuses: dict[str, str] = {}
        self.successors: list[Scalar] = []  # the ids that replaced_by names

    def report(self, node: Node, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(self.path, node.line, node.column, message, severity))

    def entry(self, node: Node) -> None:
        """Check one item of the `structures:` list."""
        self.check_nodes(node)
        if isinstance(node, Mapping):
            entry = Entry(node, {k.value: v for k, v in node.pairs if isinstance(k, Scalar)})
            for rule in ENTRY_RULES:
                rule(self, entry)

    def finish(self, root: Node | None, entries: Node | None = None) -> list[Problem]:
        """Check what lies outside the entries, then the rules across entries."""
        self.check_nodes(root, skip=entries)
        for item in entries.items if isinstance(entries, Sequence) else ():
            self.check_nodes(item)  # the items that were not streamed: scalars and aliases
        if isinstance(root, Mapping):
            for key_node, value in root.pairs:
                if isinstance(key_node, Scalar) and key_node.value == "updated":
                    self.check_date(value, _("the catalogue's `updated`"))
        check_references(self)
        check_near_duplicates(self)
        return self.problems

    def check_nodes(self, node: Node | None, skip: Node | None = None) -> None:
        """Anchors, aliases and unsafe or markup-like text, in every node."""
        for current in _all_nodes(node, skip):
            if isinstance(current, Alias):
                self.report(current, alias_message(current))
                continue
            if current.anchor:
                self.report(current, anchor_message(current))
            if isinstance(current, Scalar):
                if has_unsafe(current.value):
                    self.report(current, _("control or bidirectional character in text; remove it"))
                markup = _MARKUP.search(current.value)
                if markup:
                    self.report(
                        current,
                        _("text looks like Rich markup ({group})").format(group=markup.group()),
                        "warning",
                    )
                if current.plain:
                    self.check_comment_after(current)

    def check_comment_after(self, node: Scalar) -> None:
        """A ` #` in unquoted text starts a YAML comment: what follows is silently dropped."""
        line, column = node.end
        if 0 < line <= len(self.lines) and _COMMENT_AFTER.match(self.lines[line - 1], column - 1):
            self.report(
                node,
                _(
                    "the text stops at ` #`: YAML reads the rest of the line as a comment; quote the whole text (essmap fmt does)"
                ),
                "warning",
            )

    def check_date(self, node: Node | None, what: str) -> dt.date | None:
        if not isinstance(node, Scalar):
            return None
        day = _parse_date(node.value)
        if day is None:
            self.report(
                node, _("{what} {value} is not a real date").format(what=what, value=repr(node.value))
            )
        elif day > self.today:
            self.report(node, _("{what} {value} lies in the future").format(what=what, value=node.value))
        return day


def check_id(checker: Checker, entry: Entry) -> None:
    for node in entry.scalars("id"):
        if not _ID.match(node.value):
            checker.report(
                node,
                _("id {value} is not a slug (lower-case letters, digits, hyphens)").format(
                    value=repr(node.value)
                ),
            )
        if node.value in checker.ids:
            checker.report(
                node,
                _("id {value} is already used at line {line}").format(
                    value=repr(node.value), line=checker.ids[node.value].line
                ),
            )
        else:
            checker.ids[node.value] = node


def collect_references(checker: Checker, entry: Entry) -> None:
    own = entry.text("id")
    for field in REFERENCE_FIELDS:
        checker.references += [(own, field, node) for node in entry.scalars(field)]
    for node in entry.scalars("former_ids"):
        if node.value in checker.former_ids:
            other = checker.former_ids[node.value]
            checker.report(
                node,
                _("former id {value} is already kept at line {line}").format(
                    value=repr(node.value), line=other.line
                ),
            )
        else:
            checker.former_ids[node.value] = node


def check_lifecycle(checker: Checker, entry: Entry) -> None:
    """Each status is backed by a page; a merged or closed body points to what replaced it."""
    status = entry.text("status") or "active"
    own = entry.text("id")
    if own:
        checker.statuses[own] = status
    status_node = entry.fields.get("status", entry.node)
    if status in ("merged", "closed"):
        if "status_source" not in entry.fields:
            checker.report(
                status_node,
                _("a {status} structure needs `status_source`: the page that says so").format(status=status),
            )
        if status == "merged" and "replaced_by" not in entry.fields:
            checker.report(
                status_node, _("a merged structure needs `replaced_by`: the ids of its successors")
            )
    elif "replaced_by" in entry.fields:
        checker.report(
            entry.fields["replaced_by"],
            _("`replaced_by` is set but the status is {status}").format(status=status),
        )
    for field in ("status_date", "status_source"):
        if field in entry.fields and status not in ("merged", "closed"):
            checker.report(
                entry.fields[field],
                _("`{field}` is only for a merged or closed structure").format(field=field),
            )
    source = entry.fields.get("status_source")
    if isinstance(source, Scalar):
        urls = {url.value for s in entry.sources() if isinstance(url := s.get("url"), Scalar)}
        if source.value not in urls:
            checker.report(source, _("`status_source` must also be listed in `sources`"))
    checker.successors += entry.scalars("replaced_by")
    if status == "active" and "sources" in entry.fields and not _shows_active(entry):
        checker.report(
            status_node,
            _(
                "no source from {active_since} on, nor the structure's own site, shows it active: add such a page or set `status: unverified`"
            ).format(active_since=ACTIVE_SINCE),
            "warning",
        )


def _shows_active(entry: Entry) -> bool:
    def text(node) -> str | None:
        return node.value if isinstance(node, Scalar) else None

    pairs = ((text(source.get("url")), text(source.get("date"))) for source in entry.sources())
    return shows_active(pairs, entry.text("website"))


def check_references(checker: Checker) -> None:
    for own, field, node in checker.references:
        if node.value == own:
            checker.report(
                node, _("`{field}` points to the entry itself ({own})").format(field=field, own=repr(own))
            )
        elif node.value not in checker.ids:
            if node.value in checker.former_ids:
                current = checker.former_ids[node.value]
                checker.report(
                    node,
                    _(
                        "`{field}` names {value}, a former id: use the entry's current id (line {line})"
                    ).format(field=field, value=repr(node.value), line=current.line),
                )
                continue
            message = _("`{field}` names id {value}, which no entry has").format(
                field=field, value=repr(node.value)
            )
            checker.report(node, _with_suggestion(message, node.value, checker.ids))
    for former, node in checker.former_ids.items():
        if former in checker.ids:
            checker.report(
                node,
                _("former id {former} is the id of the entry at line {line}").format(
                    former=repr(former), line=checker.ids[former].line
                ),
            )
    for node in checker.successors:
        successor = checker.statuses.get(node.value)
        if successor in ("merged", "closed"):
            checker.report(
                node,
                _("successor {value} is itself {successor}: point to the live one").format(
                    value=repr(node.value), successor=successor
                ),
            )


def check_places(checker: Checker, entry: Entry) -> None:
    regions = {n.value for n in entry.scalars("regions")}
    national = entry.text("national")
    if national and national.lower() == "true" and (regions or "departments" in entry.fields):
        checker.report(entry.fields["national"], _("a national structure lists no regions or departments"))
    for node in entry.scalars("departments"):
        department = geo.DEPARTMENT_BY_CODE.get(node.value)
        if department and department.region not in regions:
            checker.report(
                node,
                _(
                    "department {value} ({name}) is outside the listed regions; add `{region}` to `regions`"
                ).format(value=node.value, name=department.name, region=department.region),
            )


def check_addresses(checker: Checker, entry: Entry) -> None:
    urls = entry.scalars("website") + entry.scalars("status_source")
    urls += [url for s in entry.sources() if isinstance(url := s.get("url"), Scalar)]
    for node in urls:
        problem = url_problem(node.value)
        if problem:
            checker.report(node, problem)

    for node in entry.scalars("website"):
        site = node.value.rstrip("/").lower()
        if site in checker.websites:
            checker.report(
                node,
                _("website also given at line {line}").format(line=checker.websites[site].line),
                "warning",
            )
        else:
            checker.websites[site] = node


def check_identifiers(checker: Checker, entry: Entry) -> None:
    """An official identifier names one structure: the same one on two entries is an error."""
    for field in IDENTIFIER_FIELDS:
        for node in entry.scalars(field):
            seen = checker.identifiers.setdefault(field, {})
            if node.value in seen:
                checker.report(
                    node,
                    _("{field} {value} is already given at line {line}").format(
                        field=field.upper(), value=node.value, line=seen[node.value].line
                    ),
                )
            else:
                seen[node.value] = node


def _parse_date(text: str) -> dt.date | None:
    parts = text.split("-")
    try:
        numbers = [int(p) for p in parts]
        return dt.date(
            numbers[0], numbers[1] if len(numbers) > 1 else 1, numbers[2] if len(numbers) > 2 else 1
        )
    except (ValueError, IndexError):
        return None


def check_dates(checker: Checker, entry: Entry) -> None:
    updated = checker.check_date(entry.fields.get("updated"), _("`updated`"))
    if updated and checker.max_age is not None and (checker.today - updated).days > checker.max_age:
        checker.report(
            entry.fields["updated"],
            _("not checked for more than {max_age} days (since {updated})").format(
                max_age=checker.max_age, updated=updated
            ),
            "warning",
        )
    for source in entry.sources():
        checker.check_date(source.get("date"), _("source date"))


def collect_name(checker: Checker, entry: Entry) -> None:
    node = entry.fields.get("name")
    if isinstance(node, Scalar) and key(node.value):
        checker.names.append((key(node.value), node))


NEIGHBOURS = 8  # names compared with each, in each of the two orders
FUZZY_MIN_LENGTH = 10  # shorter names one letter apart are usually different ("Pollen", "Pollens")


def check_near_duplicates(checker: Checker) -> None:
    """Entries whose names are nearly the same, in O(n log n): the sorted-neighbourhood method.

    The names are sorted twice, as written and read backwards, and each is compared with its
    next few neighbours in each order: two names that differ by a typo sit side by side in at
    least one of the orders, whether the typo is near their end or near their start. Each later
    entry is reported once, against the earliest entry it nearly repeats.
    """
    from rapidfuzz.fuzz import ratio

    names = checker.names
    earliest: dict[int, int] = {}
    for order in (
        sorted(range(len(names)), key=lambda i: names[i][0]),
        sorted(range(len(names)), key=lambda i: names[i][0][::-1]),
    ):
        for rank, i in enumerate(order):
            for j in order[rank + 1 : rank + 1 + NEIGHBOURS]:
                first, later = min(i, j), max(i, j)
                if earliest.get(later, later) <= first:
                    continue
                a, b = names[i][0], names[j][0]
                if a == b or (
                    min(len(a), len(b)) >= FUZZY_MIN_LENGTH and ratio(a, b, score_cutoff=NEAR_DUPLICATE_RATIO)
                ):
                    earliest[later] = first
    for later, first in sorted(earliest.items()):
        node, other = names[later][1], names[first][1]
        checker.report(
            node,
            _("name {value} is nearly the same as {value2} at line {line}").format(
                value=repr(node.value), value2=repr(other.value), line=other.line
            ),
            "warning",
        )


TEXT_FIELDS = ("name", "aliases", "city", "description", "caveat")


def check_formulas(checker: Checker, entry: Entry) -> None:
    """Text a spreadsheet would run as a formula once exported to CSV (OWASP's CSV injection)."""
    from essmap.safe import FORMULA_STARTS

    for name in TEXT_FIELDS:
        for node in entry.scalars(name):
            if node.value.startswith(FORMULA_STARTS):
                checker.report(
                    node,
                    _(
                        "`{name}` begins with {value}: a spreadsheet would run it as a formula (CSV output neutralises it with a leading quote)"
                    ).format(name=name, value=repr(node.value[0])),
                    "warning",
                )


def check_repeats(checker: Checker, entry: Entry) -> None:
    """A value given twice in one list: shown once, but a sign of a slip."""
    for name, node in entry.fields.items():
        if isinstance(node, Sequence):
            seen: set[str] = set()
            for item in node.items:
                if isinstance(item, Scalar):
                    if item.value in seen:
                        checker.report(
                            item,
                            _("{value} is given twice in `{name}`").format(value=repr(item.value), name=name),
                            "warning",
                        )
                    seen.add(item.value)


ENTRY_RULES: tuple[Callable[[Checker, Entry], None], ...] = (
    check_id,
    check_formulas,
    check_repeats,
    collect_references,
    check_lifecycle,
    check_places,
    check_addresses,
    check_identifiers,
    check_dates,
    collect_name,
)


def _entry_list(root: Node) -> Node | None:
    """The `structures:` list node, whose streamed entries were checked one by one."""
    if isinstance(root, Mapping):
        for key_node, value in root.pairs:
            if (
                isinstance(key_node, Scalar)
                and key_node.value == "structures"
                and isinstance(value, Sequence)
            ):
                return value
    return None


def _with_suggestion(message: str, value: str, choices) -> str:
    from essmap.suggest import closest

    found = closest(value, list(choices), limit=1, cutoff=80)
    return message + (_("; did you mean {suggestion}?").format(suggestion=repr(found[0])) if found else "")


def validate(
    path: Path, today: dt.date | None = None, strict: bool = False, max_age: int | None = None
) -> list[Problem]:
    """Every problem of the file at `path`, sorted by position.

    Staleness (`updated` older than `max_age` days) is checked only when asked: the calendar alone
    must never turn a check red."""
    try:
        lines = Path(path).read_bytes().decode("utf-8-sig", "replace").splitlines()
    except OSError:
        lines = []
    checker = Checker(str(path), today or dt.date.today(), lines, max_age)
    _, problems, root = load_checked(path, inspect=checker.entry)
    if root is not None:
        problems = problems + checker.finish(root, _entry_list(root))
    if strict:
        problems = [replace(p, severity="error") for p in problems]
    return sorted(dict.fromkeys(problems), key=lambda p: (p.line, p.column))


def format_text(problem: Problem) -> str:
    from essmap.safe import one_line

    return one_line(str(problem))


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(problem: Problem) -> str:
    """A GitHub Actions annotation; catalogue text cannot forge another command."""
    from essmap.safe import one_line

    level = "error" if problem.severity == "error" else "warning"
    return (
        f"::{level} file={_escape_property(problem.path)},line={max(problem.line, 1)},"
        f"col={max(problem.column, 1)}::{_escape_data(one_line(problem.message))}"
    )


def summary(problems: list[Problem], paths: list[Path]) -> str:
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    files = ", ".join(str(p) for p in paths)
    from essmap.i18n import ngettext

    verdict = _("ok") if not errors else _("failed")
    return _("{verdict}: {errors}, {warnings} in {files}").format(
        verdict=verdict,
        errors=ngettext("{count} error", "{count} errors", errors).format(count=errors),
        warnings=ngettext("{count} warning", "{count} warnings", warnings).format(count=warnings),
        files=files,
    )
