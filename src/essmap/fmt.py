"""`essmap fmt`: one canonical form for a catalogue file.

The canonical form is written from the model, so it holds exactly what the tool reads:
entries sorted by id, fields in the order of `schema.ENTRY_FIELDS`, defaults left out,
lists of words inline, sources one per line, and text quoted by the YAML emitter
wherever plain text could be misread (a ` #` that would start a comment, a `: `, a
leading quote, a value YAML would read as a number, a date or a boolean).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from essmap.catalogue import Catalogue
from essmap.model import Structure
from essmap.schema import ENTRY_FIELDS

WIDTH = 110
HEADER = (
    "# yaml-language-server: $schema=../src/essmap/structures.schema.json\n"
    "# The essmap catalogue: support structures of France's social and solidarity economy.\n"
    "# Every entry carries the public sources of its facts. Check with: essmap validate --strict\n"
    "# Canonical form: essmap fmt (entries by id, fields in schema order). Format: docs/catalogue-format.md\n"
)
_DEFAULTS = {"national": False, "thematic": False, "status": "active"}


class _Dumper(yaml.SafeDumper):
    """Indented block lists; inline lists of plain words."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def _flow_list(dumper: yaml.SafeDumper, value: tuple) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(value), flow_style=True)


_Dumper.add_representer(tuple, _flow_list)


def entry_record(structure: Structure) -> dict:
    """The entry as it is written: schema order, no empty or default values."""
    record: dict = {}
    for spec in ENTRY_FIELDS:
        value = getattr(structure, spec.name)
        if value in (None, (), "") or _DEFAULTS.get(spec.name, object()) == value:
            continue
        if spec.name == "sources":
            value = [{"url": s.url, **({"date": s.date} if s.date else {})} for s in value]
        record[spec.name] = value
    return record


def canonical(catalogue: Catalogue) -> str:
    """The catalogue's canonical text."""
    head: dict = {}
    if catalogue.licence:
        head["licence"] = catalogue.licence
    if catalogue.updated:
        head["updated"] = catalogue.updated
    parts = [HEADER]
    if head:
        parts.append(_dump(head))
    parts.append("structures:\n")
    for structure in sorted(catalogue.structures, key=lambda s: s.id):
        parts.append(_dump([entry_record(structure)]))
        parts.append("\n")
    return "".join(parts).rstrip("\n") + "\n"


def _dump(value) -> str:
    text = yaml.dump(
        value,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=WIDTH,
        default_flow_style=False,
    )
    if isinstance(value, list):  # an entry: indented under `structures:`
        text = "".join("  " + line if line.strip() else line for line in text.splitlines(keepends=True))
    return text


def write_atomically(path: Path, text: str) -> None:
    """Replace the file in one step, keeping its permissions (files.replacing)."""
    from essmap.files import replacing

    with replacing(path, mode=path.stat().st_mode & 0o777 if path.exists() else None) as temporary:
        temporary.write_text(text, encoding="utf-8", newline="\n")


def format_file(path: Path, check: bool = False) -> bool:
    """Rewrite the file in canonical form, or with `check` only say whether it is; True when it was.

    CatalogueError when the file does not load: a catalogue that does not fit the model
    has no canonical form.
    """
    from essmap.catalogue import load, read_bytes

    text = canonical(load(path, use_cache=False))
    if read_bytes(path) == text.encode("utf-8"):
        return True
    if not check:
        write_atomically(path, text)
    return False
