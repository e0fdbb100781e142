"""Build the model from a parsed YAML tree, recording every problem that keeps it from fitting."""

from __future__ import annotations

import re
from collections.abc import Collection
from collections.abc import Sequence as Sequence_
from typing import NamedTuple

from essmap import geo
from essmap.errors import Problem
from essmap.i18n import _
from essmap.identifiers import FIELDS as IDENTIFIER_FIELDS
from essmap.identifiers import problem as identifier_problem
from essmap.model import Source, Structure
from essmap.schema import (
    DATE_PATTERN,
    ENTRY_FIELD_BY_NAME,
    FILE_FIELD_BY_NAME,
    MULTILINE_FIELDS,
    SOURCE_FIELDS,
    FieldSpec,
    normal_url,
    url_problem,
)
from essmap.yamltree import STR_TAG, Alias, Mapping, Node, Scalar, Sequence

_DATE = re.compile(DATE_PATTERN)


class Built(NamedTuple):
    """What a catalogue file holds once built: catalogue.py makes the Catalogue of it."""

    structures: tuple[Structure, ...]
    licence: str | None
    updated: str | None


class Builder:
    """Turns a parsed tree into the model, recording every problem on the way."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def error(self, node: Node | None, message: str) -> None:
        line, column = (node.line, node.column) if node else (1, 1)
        self.problems.append(Problem(self.path, line, column, message))

    def catalogue(self, root: Node | None, built: Sequence_[Structure | None] = ()) -> Built | None:
        """The file's structures (those `built` while parsing, then any left in `root`) and fields."""
        if root is None:
            self.error(None, _("the file is empty; a catalogue is a mapping with a `structures:` list"))
            return None
        fields = self.mapping(root, FILE_FIELD_BY_NAME, _("the catalogue"))
        if fields is None:
            return None
        entries = fields.get("structures")
        if entries is None:
            self.error(root, _("missing `structures:`, the list of support structures"))
            return None
        if not isinstance(entries, Sequence):
            self.error(entries, _("`structures` must be a list of entries"))
            return None
        structures = tuple(s for s in [*built, *map(self.structure, entries.items)] if s is not None)
        licence = (
            self.value(fields["licence"], FILE_FIELD_BY_NAME["licence"]) if "licence" in fields else None
        )
        updated = (
            self.value(fields["updated"], FILE_FIELD_BY_NAME["updated"]) if "updated" in fields else None
        )
        return Built(structures, licence, updated)

    def mapping(self, node: Node, specs: Collection[str], what: str) -> dict[str, Node] | None:
        """The mapping's fields by name; unknown and repeated keys are problems."""
        if not self.check_node(node):
            return None
        if not isinstance(node, Mapping):
            self.error(
                node,
                _("{what} must be a mapping of fields, not {what2}").format(what=what, what2=_describe(node)),
            )
            return None
        fields: dict[str, Node] = {}
        for key, value in node.pairs:
            if not isinstance(key, Scalar):
                self.error(key, _("a key must be a plain name"))
                continue
            if key.value in fields:
                self.error(
                    key,
                    _("duplicate key `{value}` (first at line {line})").format(
                        value=key.value, line=fields[key.value].line
                    ),
                )
                continue
            if key.value not in specs:
                self.error(
                    key, _unknown(_("unknown field `{name}`").format(name=key.value), key.value, specs)
                )
                continue
            fields[key.value] = value
        return fields

    def structure(self, node: Node) -> Structure | None:
        fields = self.mapping(node, ENTRY_FIELD_BY_NAME, _("an entry"))
        if fields is None:
            return None
        before = len(self.problems)
        values = {}
        for name, spec in ENTRY_FIELD_BY_NAME.items():
            if name in fields:
                values[name] = self.value(fields[name], spec)
            elif spec.required:
                self.error(node, _("missing required field `{name}`").format(name=name))
        if len(self.problems) > before:
            return None
        if not values.get("national") and not values.get("regions"):
            self.error(node, _("give `national: true` or the `regions:` where it works"))
            return None
        siren, siret = values.get("siren"), values.get("siret")
        if siren and siret and not siret.startswith(siren):
            self.error(
                fields["siret"],
                _(
                    "SIRET {siret} is not an establishment of SIREN {siren} (its first 9 digits differ)"
                ).format(siret=siret, siren=siren),
            )
            return None
        values["coverage"] = geo.coverage(
            values.get("national", False), values.get("regions", ()), values.get("departments", ())
        )
        values["line"] = node.line
        return Structure(**values)

    def check_node(self, node: Node) -> bool:
        if isinstance(node, Alias):
            self.error(node, alias_message(node))
            return False
        if node.anchor:
            self.error(node, anchor_message(node))
        if node.tag and node.tag not in ("!", STR_TAG) and isinstance(node, Scalar):
            self.error(node, _("YAML tags ({tag}) are not allowed in a catalogue").format(tag=node.tag))
            return False
        if (
            node.tag
            and not isinstance(node, Scalar)
            and node.tag
            not in (
                "tag:yaml.org,2002:seq",
                "tag:yaml.org,2002:map",
            )
        ):
            self.error(node, _("YAML tags ({tag}) are not allowed in a catalogue").format(tag=node.tag))
            return False
        return True

    def value(self, node: Node, spec: FieldSpec):
        kind = spec.type
        if kind in ("texts", "ids", "terms", "departments", "sources", "entries"):
            if not self.check_node(node):
                return ()
            if not isinstance(node, Sequence):
                self.error(
                    node,
                    _("`{name}` must be a list, not {what}").format(name=spec.name, what=_describe(node)),
                )
                return ()
            item_type = {"texts": "text", "ids": "id", "terms": "term"}.get(kind, kind)
            if not node.items and spec.required:
                self.error(node, _("`{name}` needs at least one value").format(name=spec.name))
            items = [self.item(child, spec, item_type) for child in node.items]
            # a value given twice counts once (validate warns about the slip)
            return tuple(dict.fromkeys(i for i in items if i is not None))
        return self.item(node, spec, kind)

    def item(self, node: Node, spec: FieldSpec, kind: str):
        if kind == "sources":
            return self.source(node)
        if not self.check_node(node):
            return None
        if not isinstance(node, Scalar):
            self.error(
                node,
                _("`{name}` must be a single value, not {what}").format(name=spec.name, what=_describe(node)),
            )
            return None
        if kind == "bool":
            if node.yaml_type != "bool":
                self.error(
                    node,
                    _("`{name}` must be true or false, not {value}").format(
                        name=spec.name, value=repr(node.value)
                    ),
                )
                return None
            return node.value.lower() in ("true", "yes", "on", "y")
        if node.yaml_type != "str" and not (kind in ("day", "date") and node.yaml_type == "timestamp"):
            self.error(node, _retyped(node))
            return None
        value = node.value
        if kind in ("id", "text", "url"):
            problem = _text_problem(value, kind, spec.name)
            if problem:
                self.error(node, problem)
                return None
            if kind == "url":
                return normal_url(value)
        if kind in IDENTIFIER_FIELDS:
            problem = identifier_problem(kind, value)
            if problem:
                self.error(node, problem)
                return None
        if kind == "term" and spec.vocabulary is not None:
            if value not in spec.vocabulary:
                self.error(
                    node,
                    _unknown(
                        _("unknown {what} {value}").format(what=_(spec.vocabulary.name), value=repr(value)),
                        value,
                        spec.vocabulary.ids,
                    ),
                )
                return None
        elif kind == "departments":
            if value not in geo.DEPARTMENT_BY_CODE:
                self.error(
                    node,
                    _unknown(
                        _("unknown department code {value}").format(value=repr(value)),
                        value,
                        geo.DEPARTMENT_BY_CODE,
                    ),
                )
                return None
        elif kind == "day" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            self.error(
                node,
                _("`{name}` must be a date written YYYY-MM-DD, not {value}").format(
                    name=spec.name, value=repr(value)
                ),
            )
            return None
        elif kind == "date" and not _DATE.match(value):
            self.error(
                node,
                _("`{name}` must be YYYY, YYYY-MM or YYYY-MM-DD, not {value}").format(
                    name=spec.name, value=repr(value)
                ),
            )
            return None
        return value

    def source(self, node: Node) -> Source | None:
        if not isinstance(node, Mapping):
            if self.check_node(node):
                self.error(
                    node,
                    _("a source must be a mapping with `url:` and `date:`, not {what}").format(
                        what=_describe(node)
                    ),
                )
            return None
        fields = self.mapping(node, SOURCE_FIELDS, _("a source"))
        if fields is None:
            return None
        if "url" not in fields:
            self.error(node, _("a source needs a `url:`"))
            return None
        url = self.item(fields["url"], ENTRY_FIELD_BY_NAME["website"], "text")
        date = None
        if "date" in fields:
            date_node = fields["date"]
            if not self.check_node(date_node) or not isinstance(date_node, Scalar):
                self.error(date_node, _("a source's `date` must be YYYY, YYYY-MM or YYYY-MM-DD"))
            elif not _DATE.match(date_node.value):
                self.error(
                    date_node,
                    _("a source's `date` must be YYYY, YYYY-MM or YYYY-MM-DD, not {value}").format(
                        value=repr(date_node.value)
                    ),
                )
            else:
                date = date_node.value
        return Source(url, date) if url is not None else None


def alias_message(node: Alias) -> str:
    return _("YAML aliases (*{name}) are not allowed in a catalogue; write the value out").format(
        name=node.name
    )


def anchor_message(node: Node) -> str:
    return _("YAML anchors (&{name}) are not allowed in a catalogue").format(name=node.anchor)


def _describe(node: Node) -> str:
    if isinstance(node, Sequence):
        return _("a list")
    if isinstance(node, Mapping):
        return _("a mapping")
    if isinstance(node, Alias):
        return _("an alias")
    if isinstance(node, Scalar) and node.plain and node.yaml_type == "null":
        return _("an empty value")
    return _("the value {value}").format(value=repr(getattr(node, "value", "")))


def _retyped(node: Scalar) -> str:
    if node.yaml_type == "null":
        return _("empty value; remove the field or give it a value")
    what = _YAML_TYPES.get(node.yaml_type, node.yaml_type)
    return _("YAML reads {value} as {what}, not text; write it in quotes: '{value}'").format(
        value=node.value, what=_(what)
    )


_YAML_TYPES = {"int": "a number", "float": "a number", "bool": "true or false", "timestamp": "a date"}


def _unknown(message: str, value: str, choices) -> str:
    from essmap.suggest import closest

    suggestions = closest(value, list(choices))
    return message + (
        _("; did you mean {suggestion}?").format(suggestion=repr(suggestions[0])) if suggestions else ""
    )


_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_LINE_BREAK = re.compile(r"[\n\r\x0b\x0c\x85\u2028\u2029]")


def _text_problem(value: str, kind: str, field: str) -> str | None:
    """What makes a value unfit to load: an id that is not a slug, an address that is not one, a
    line break in a one-line field, a control character anywhere."""
    from essmap.safe import has_unsafe

    if kind == "id" and not _ID.fullmatch(value):
        return _("id {value} is not a slug (lower-case letters, digits, hyphens)").format(value=repr(value))
    if kind == "url":
        return url_problem(value)
    if field not in MULTILINE_FIELDS and _LINE_BREAK.search(value):
        return _("`{field}` holds one line: remove the line break").format(field=field)
    if has_unsafe(value):
        return _("control or bidirectional character in text; remove it")
    return None
