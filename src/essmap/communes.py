"""French communes by name or postal code, resolved to their departments.

From Etalab's official list (see communes.source.json and scripts/build_communes.py),
shipped as a compact gzipped table and read only when a commune is asked for.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from essmap import geo
from essmap.errors import UnknownValue, UsageError
from essmap.geo import Place
from essmap.i18n import _
from essmap.text import fold

TABLE = Path(__file__).parent / "communes.tsv.gz"
_COLUMNS = "name, department, postcodes, population, code"  # a Commune, in the compiled table
_POSTCODE = re.compile(r"^\d{5}$|^\d[\dAB]\d{3}$", re.IGNORECASE)
_NAME_AND_POSTCODE = re.compile(r"^(\D+?)[\s,]+(\d[\dAB]\d{3})$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Commune:
    name: str
    department: str
    postcodes: tuple[str, ...]
    population: int
    code: str  # INSEE's code (code officiel géographique) of the commune the name stands for

    @property
    def label(self) -> str:
        return f"{self.name}, {geo.department_label(self.department)}"


@lru_cache(maxsize=1)
def communes() -> tuple[Commune, ...]:
    with gzip.open(TABLE, "rt", encoding="utf-8") as table:
        return tuple(
            Commune(name, department, tuple(postcodes.split()), int(population), code)
            for name, department, postcodes, population, code in (
                line.rstrip("\n").split("\t") for line in table
            )
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
    if _POSTCODE.match(value):
        found = _select("' ' || postcodes || ' ' LIKE ?", (f"% {value} %",))
        return _most_populous_first(_by_postcode().get(value, []) if found is None else found)
    found = _select("key = ?", (name_key(value),))
    return _most_populous_first(_by_name().get(name_key(value), []) if found is None else found)


def _select(where: str, parameters: tuple) -> list[Commune] | None:
    """The communes of the compiled table that match; None when it cannot be read (the caller
    then looks in the tables built from the TSV)."""
    database = _database()
    if database is None:
        return None
    try:
        rows = database.execute(f"SELECT {_COLUMNS} FROM communes WHERE {where}", parameters).fetchall()
    except sqlite3.Error:
        return None
    return [
        Commune(name, dep, tuple(codes.split()), population, code)
        for name, dep, codes, population, code in rows
    ]


def _most_populous_first(found) -> list[Commune]:
    return sorted(found, key=lambda c: (-c.population, c.department))


def meant(text: str) -> list[Commune]:
    """The communes a person means by `text`: those it names (see `candidates`), unless the
    first words of a hyphenated name mean a town ten times as populous ("Charleville" is
    Charleville-Mézières, not the village of the Marne)."""
    found = candidates(text)
    longer = named_by_first_words(text)
    if longer and (not found or longer[0].population >= OBVIOUS_RATIO * found[0].population):
        return longer
    return found


def in_departments(text: str, departments: frozenset[str]) -> list[Commune]:
    """The communes of these departments that `text` names, or names by the first words of a
    hyphenated name, most populous first."""
    found = [c for c in candidates(text) if c.department in departments]
    return found or [c for c in _starting_with(text) if c.department in departments]


def _starting_with(text: str) -> list[Commune]:
    """The communes whose name starts with the words of `text` and goes on, most populous first."""
    wanted = name_key(text.strip())
    if len(wanted) < 4 or _POSTCODE.match(text.strip()):
        return []
    found = _select("key > ? AND key < ?", (wanted + " ", wanted + "!"))  # "carhaix ..." (' ' < '!')
    if found is None:
        found = [c for key, named in _by_name().items() if key.startswith(wanted + " ") for c in named]
    return _most_populous_first(found)


def named_by_first_words(text: str) -> list[Commune]:
    """The commune a person means by the first words of its hyphenated name ("Carhaix" for
    Carhaix-Plouguer, "Louhans" for Louhans-Châteaurenaud): the only one so named, or one
    ten times as populous as any other ("Boulogne" stays ambiguous between
    Boulogne-Billancourt and Boulogne-sur-Mer)."""
    found = _starting_with(text)
    if len(found) == 1 or found and found[0].population >= OBVIOUS_RATIO * found[1].population:
        return found[:1]
    return []


def largest(min_population: int) -> list[Commune]:
    """The communes of at least this population."""
    found = _select("population >= ?", (min_population,))
    return [c for c in communes() if c.population >= min_population] if found is None else found


@lru_cache(maxsize=1)
def _database() -> sqlite3.Connection | None:
    """The table compiled once into the user's cache folder (37,000 names folded once, not on
    every request), or None where there is no usable cache folder."""
    from essmap.files import Untrusted, cache_dir, private_folder, trustworthy

    folder = cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha1(TABLE.read_bytes()).hexdigest()[:16]
    target = folder / f"communes-{digest}.sqlite"
    for attempt in range(2):
        try:
            trustworthy(target)
            connection = sqlite3.connect(f"file:{target}?mode=ro", uri=True, check_same_thread=False)
            connection.execute("SELECT key FROM communes LIMIT 1").fetchall()
            return connection
        except (Untrusted, sqlite3.Error):
            pass
        if attempt or not private_folder(folder):
            return None
        try:
            _write(target)
        except (OSError, sqlite3.Error):
            return None
    return None


def _write(target: Path) -> None:
    from essmap.files import replacing

    with replacing(target, mode=0o600) as temporary:
        connection = sqlite3.connect(temporary)
        try:
            connection.execute(
                "CREATE TABLE communes (key TEXT, name TEXT, department TEXT, postcodes TEXT, population INTEGER,"
                " code TEXT)"
            )
            connection.executemany(
                "INSERT INTO communes VALUES (?, ?, ?, ?, ?, ?)",
                (
                    (name_key(c.name), c.name, c.department, " ".join(c.postcodes), c.population, c.code)
                    for c in communes()
                ),
            )
            connection.execute("CREATE INDEX communes_key ON communes (key)")
            connection.commit()
        finally:
            connection.close()


OBVIOUS_RATIO = 10


def resolve_commune(text: str) -> Place:
    """The department(s) of a commune given by name or postal code.

    A postal code shared by communes of several departments covers them all. A name borne
    by communes of several departments means the one a person means by it when it is ten
    times as populous as any other ("Montreuil" is Montreuil, Seine-Saint-Denis, not the
    village of Vendée); else it is ambiguous and lists them (exit 2).
    """
    named_with_code = _NAME_AND_POSTCODE.match(text.strip())
    if named_with_code:  # "Flers 61100": the Flers of that postal code
        name, code = named_with_code.groups()
        found = [c for c in candidates(name) if code in c.postcodes] or candidates(code)
        if found:
            return _place_of(found[:1])
    found = meant(text)
    postcode = _POSTCODE.match(text.strip())
    if (
        len(found) > 1
        and not postcode
        and found[0].population >= OBVIOUS_RATIO * max(c.population for c in found[1:])
    ):
        found = found[:1]
    if not found:
        if postcode:
            raise UsageError(_("unknown postal code {code}").format(code=repr(text.strip())))
        names = {name_key(c.name): c.name for c in communes()}
        raise UnknownValue("commune", text, (), names)
    departments = frozenset(c.department for c in found)
    if len(departments) > 1 and not postcode:
        listed = ", ".join(
            f"{c.name} ({c.department}, {geo.DEPARTMENT_BY_CODE[c.department].name})" for c in found[:12]
        )
        raise UsageError(
            _(
                "{name} names communes in {count} departments: {listed}; give a postal code or use --department instead"
            ).format(name=repr(text.strip()), count=len(departments), listed=listed)
        )
    return _place_of(found)


def _place_of(found: list[Commune]) -> Place:
    first = found[0]
    departments = frozenset(c.department for c in found)
    label = first.name if len(departments) > 1 else first.label
    return Place("commune", name_key(first.name).replace(" ", "-"), label, departments)
