"""The catalogue format, defined once: the fields of an entry and of the file.

The loader checks entries against these specs, `essmap validate` reports against
them, and the shipped JSON Schema is generated from them (`json_schema()`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from essmap import geo
from essmap.i18n import _
from essmap.model import KINDS, OFFERS, STAGES, STATUSES, THEMES, Vocabulary

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
DAY_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
URL_PATTERN = r"^[hH][tT][tT][pP][sS]?://[^\s\"<>`\\]+$"
# the shapes; the checksums are checked by essmap (see identifiers.py)
IDENTIFIER_PATTERNS = {"siren": r"^\d{9}$", "siret": r"^\d{14}$", "rna": r"^W[0-9][0-9A-Z][0-9]{7}$"}
MULTILINE_FIELDS = ("description", "caveat")  # every other text holds one line
_NOT_IN_ADDRESS = re.compile(r"[\s\"<>`\\\x00-\x1f\x7f]")  # a ' is allowed (RFC 3986)


def url_problem(text: str) -> str | None:
    """Why `text` is not a web address essmap accepts (http or https in any case, a host, and no
    whitespace, control character, double quote, angle bracket, backquote or backslash), or None."""
    from urllib.parse import urlsplit

    if _NOT_IN_ADDRESS.search(text):
        return _(
            "{value} is not an address: it holds a space, a double quote, an angle bracket or a control character"
        ).format(value=repr(text))
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        host = None
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not host:
        return _("{value} is not an http(s) address").format(value=repr(text))
    return None


def normal_url(text: str) -> str:
    """The address with its scheme in lower case ("HTTPS://x.org" -> "https://x.org")."""
    scheme, rest = text.split(":", 1)
    return scheme.lower() + ":" + rest


# Field types: text, texts, id, ids, term, terms, bool, day, date, url, sources.


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    type: str
    doc: str
    required: bool = False
    vocabulary: Vocabulary | None = None


DEPARTMENT_CODES = tuple(d.code for d in geo.DEPARTMENTS)


ENTRY_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("id", "id", "Stable slug; what `show` and references use.", required=True),
    FieldSpec("name", "text", "Usual name.", required=True),
    FieldSpec("aliases", "texts", "Other names, acronyms, former names."),
    FieldSpec("kind", "term", "What sort of structure it is.", required=True, vocabulary=KINDS),
    FieldSpec("stages", "terms", "Stages of an ESS enterprise it serves.", required=True, vocabulary=STAGES),
    FieldSpec("themes", "terms", "Fields of activity it focuses on.", vocabulary=THEMES),
    FieldSpec("offers", "terms", "What it provides.", vocabulary=OFFERS),
    FieldSpec("national", "bool", "True for a structure that serves all of France."),
    FieldSpec("regions", "terms", "Regions (2016 map) where it works.", vocabulary=geo.REGION_VOCABULARY),
    FieldSpec("departments", "departments", "Department codes where it works, within its regions."),
    FieldSpec("city", "text", "City of its seat, where a source states it."),
    FieldSpec("website", "url", "Its website, where a source shows it."),
    FieldSpec("email", "text", "Contact address, where a source states it."),
    FieldSpec("phone", "text", "Contact telephone, where a source states it."),
    FieldSpec("siren", "siren", "SIREN of its legal unit (9 digits), where a page states it."),
    FieldSpec("siret", "siret", "SIRET of its establishment (14 digits), where a page states it."),
    FieldSpec(
        "rna", "rna", "Its association number in the RNA (W and 9 characters), where a page states it."
    ),
    FieldSpec("description", "text", "What it does, in French, in the project's own words.", required=True),
    FieldSpec("carried_by", "ids", "Ids of the structures that carry or co-carry it."),
    FieldSpec("member_of", "ids", "Ids of the networks or regional collectives it belongs to."),
    FieldSpec(
        "thematic", "bool", "True for a structure that serves one sector and does not welcome any project."
    ),
    FieldSpec(
        "status", "term", "Lifecycle: active (default), unverified, merged or closed.", vocabulary=STATUSES
    ),
    FieldSpec(
        "status_date",
        "date",
        "When it merged, was renamed or closed, as its page says (YYYY, YYYY-MM or YYYY-MM-DD).",
    ),
    FieldSpec("status_source", "url", "The page that states its merger, renaming or closure."),
    FieldSpec("replaced_by", "ids", "Ids of what replaced a closed or merged structure."),
    FieldSpec("former_ids", "ids", "Ids it had before; they keep resolving to it."),
    FieldSpec("caveat", "text", "What may be outdated: old sources, renaming, merger, conflicting facts."),
    FieldSpec("sources", "sources", "Public pages that state its facts, with their dates.", required=True),
    FieldSpec("updated", "day", "The day the entry was last checked (YYYY-MM-DD).", required=True),
)
ENTRY_FIELD_BY_NAME = {f.name: f for f in ENTRY_FIELDS}

FILE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("licence", "text", "Licence of the catalogue's data (SPDX id)."),
    FieldSpec("updated", "day", "The day the catalogue was last published."),
    FieldSpec("structures", "entries", "The support structures.", required=True),
)
FILE_FIELD_BY_NAME = {f.name: f for f in FILE_FIELDS}
SOURCE_FIELDS = ("url", "date")


def _property(spec: FieldSpec) -> dict:
    text = {"type": "string", "minLength": 1}
    if spec.type == "text":
        schema = dict(text)
    elif spec.type == "texts":
        schema = {"type": "array", "items": text}
    elif spec.type == "id":
        schema = {"type": "string", "pattern": ID_PATTERN}
    elif spec.type == "ids":
        schema = {"type": "array", "items": {"type": "string", "pattern": ID_PATTERN}, "uniqueItems": True}
    elif spec.type == "term" and spec.vocabulary is not None:
        schema = {"enum": list(spec.vocabulary.ids)}
    elif spec.type == "terms" and spec.vocabulary is not None:
        schema = {"type": "array", "items": {"enum": list(spec.vocabulary.ids)}, "uniqueItems": True}
        if spec.required:
            schema["minItems"] = 1
    elif spec.type == "departments":
        schema = {"type": "array", "items": {"enum": list(DEPARTMENT_CODES)}, "uniqueItems": True}
    elif spec.type == "bool":
        schema = {"type": "boolean"}
    elif spec.type == "day":
        schema = {"type": "string", "pattern": DAY_PATTERN}
    elif spec.type == "date":
        schema = {"type": "string", "pattern": DATE_PATTERN}
    elif spec.type == "url":
        schema = {"type": "string", "pattern": URL_PATTERN}
    elif spec.type in IDENTIFIER_PATTERNS:
        schema = {"type": "string", "pattern": IDENTIFIER_PATTERNS[spec.type]}
    elif spec.type == "sources":
        schema = {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["url"],
                "properties": {
                    "url": {"type": "string", "pattern": URL_PATTERN},
                    "date": {"type": "string", "pattern": DATE_PATTERN},
                },
            },
        }
    else:  # entries
        schema = {"type": "array", "items": {"$ref": "#/$defs/structure"}}
    schema["description"] = spec.doc
    return schema


def json_schema() -> dict:
    """The JSON Schema (draft 2020-12) of one catalogue file."""
    entry = {
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in ENTRY_FIELDS if f.required],
        "properties": {f.name: _property(f) for f in ENTRY_FIELDS},
        "anyOf": [
            {"required": ["national"], "properties": {"national": {"const": True}}},
            {"required": ["regions"], "properties": {"regions": {"minItems": 1}}},
        ],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "essmap catalogue of ESS support structures",
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in FILE_FIELDS if f.required],
        "properties": {f.name: _property(f) for f in FILE_FIELDS},
        "$defs": {"structure": entry},
    }


def markdown() -> str:
    """The catalogue format and every vocabulary, as Markdown (docs/catalogue-format.md)."""
    from essmap.model import KINDS, OFFERS, STAGES, STATUSES, THEMES

    lines = [
        "# The catalogue format",
        "",
        "Generated by `python -m essmap.schema --markdown` from `src/essmap/schema.py` and",
        "`src/essmap/model.py`; a test keeps it current. Do not edit by hand.",
        "",
        "## Fields of an entry",
        "",
        "| field | type | required | meaning |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| `{f.name}` | {f.type} | {'yes' if f.required else ''} | {f.doc} |" for f in ENTRY_FIELDS]
    for title, vocabulary in (
        ("Stages (`stages`)", STAGES),
        ("Kinds (`kind`)", KINDS),
        ("Themes (`themes`)", THEMES),
        ("Offers (`offers`, and `orient --need`)", OFFERS),
        ("Statuses (`status`)", STATUSES),
        ("Regions (`regions`)", geo.REGION_VOCABULARY),
    ):
        lines += ["", f"## {title}", "", "| id | label | also accepted when typed |", "| --- | --- | --- |"]
        lines += [f"| `{t.id}` | {t.label} | {', '.join(t.aliases)} |" for t in vocabulary]
    from essmap.model import ACTIVE_SINCE, KIND_OFFERS, STATUS_RULES

    lines += ["", "What each status means and what users are offered:", ""]
    lines += [
        f"- `{status}`: {rule.replace('ACTIVE_SINCE', str(ACTIVE_SINCE))}."
        for status, rule in STATUS_RULES.items()
    ]
    lines += [
        "",
        "## Offers derived from the kind",
        "",
        "The tool adds these to the offers an entry's sources state",
    ]
    lines += ["(a `thematic: true` entry is never derived to welcome and orient anyone):", ""]
    lines += ["| kind | offers it implies |", "| --- | --- |"]
    lines += [f"| `{kind}` | {', '.join(f'`{o}`' for o in offers)} |" for kind, offers in KIND_OFFERS.items()]
    lines += ["", "## Departments (`departments`)", "", "| code | name | region |", "| --- | --- | --- |"]
    lines += [f"| `{d.code}` | {d.name} | `{d.region}` |" for d in geo.DEPARTMENTS]
    return "\n".join(lines) + "\n"


def main() -> None:
    """Print the JSON Schema (`python -m essmap.schema > src/essmap/structures.schema.json`),
    or with --markdown the format's documentation (`> docs/catalogue-format.md`)."""
    import json
    import sys

    if "--markdown" in sys.argv:
        sys.stdout.write(markdown())
    else:
        sys.stdout.write(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
