"""French communes by name or postal code, resolved to their departments.

From Etalab's official list (see communes.source.json and scripts/build_communes.py),
shipped as a compact gzipped table and read only when a commune is asked for.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from essmap import geo
from essmap.errors import UnknownValue, UsageError
from essmap.geo import Place
from essmap.text import fold

TABLE = Path(__file__).parent / "communes.tsv.gz"
_POSTCODE = re.compile(r"^\d{5}$|^\d[\dAB]\d{3}$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Commune:
    name: str
    department: str
    postcodes: tuple[str, ...]
    population: int

    @property
    def label(self) -> str:
        return f"{self.name}, {geo.department_label(self.department)}"


@lru_cache(maxsize=1)
def communes() -> tuple[Commune, ...]:
    with gzip.open(TABLE, "rt", encoding="utf-8") as table:
        return tuple(
            Commune(name, department, tuple(codes.split()), int(population))
            for name, department, codes, population in (line.rstrip("\n").split("\t") for line in table)
        )


_SAINTS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def name_key(text: str) -> str:
    """A commune name's matching key: folded, with 'St'/'Ste' written out."""
    return " ".join(_SAINTS.get(word, word) for word in fold(text).split())


@lru_cache(maxsize=1)
def _by_name() -> dict[str, list[Commune]]:
    table: dict[str, list[Commune]] = {}
    for commune in communes():
        table.setdefault(name_key(commune.name), []).append(commune)
    return table


@lru_cache(maxsize=1)
def _by_postcode() -> dict[str, list[Commune]]:
    table: dict[str, list[Commune]] = {}
    for commune in communes():
        for code in commune.postcodes:
            table.setdefault(code, []).append(commune)
    return table


def candidates(text: str) -> list[Commune]:
    """The communes `text` names (a name in any spelling, or a postal code), most populous first."""
    value = text.strip()
    found = _by_postcode().get(value) if _POSTCODE.match(value) else _by_name().get(name_key(value))
    return sorted(found or (), key=lambda c: (-c.population, c.department))


def resolve_commune(text: str) -> Place:
    """The department(s) of a commune given by name or postal code.

    A postal code shared by communes of several departments covers them all; a name
    borne by communes of several departments is ambiguous and lists them (exit 2).
    """
    found = candidates(text)
    if not found:
        if _POSTCODE.match(text.strip()):
            raise UsageError(f"unknown postal code {text.strip()!r}")
        names = {name_key(c.name): c.name for c in communes()}
        raise UnknownValue("commune", text, (), names)
    departments = frozenset(c.department for c in found)
    if len(departments) > 1 and not _POSTCODE.match(text.strip()):
        listed = ", ".join(
            f"{c.name} ({c.department}, {geo.DEPARTMENT_BY_CODE[c.department].name})" for c in found[:12]
        )
        raise UsageError(
            f"{text.strip()!r} names communes in {len(departments)} departments: {listed}; "
            "give a postal code or use --department instead"
        )
    first = found[0]
    label = first.name if len(departments) > 1 else first.label
    return Place("commune", name_key(first.name).replace(" ", "-"), label, departments)
