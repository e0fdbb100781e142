"""Open-data export: the whole catalogue as JSON and CSV, described by a Data Package."""

from __future__ import annotations

import json
import sqlite3
from enum import Enum
from pathlib import Path
from typing import Any, NamedTuple

from essmap import __version__
from essmap.catalogue import Catalogue
from essmap.errors import EssmapError
from essmap.i18n import _
from essmap.render import FIELDS, Format, records, renderer
from essmap.safe import json_safe

FILES = ("structures.json", "structures.csv", "datapackage.json", "essmap.db")


class ExportFormat(str, Enum):
    """What `essmap export` writes."""

    open_data = "open-data"  # structures.json, structures.csv, datapackage.json, essmap.db
    data_inclusion = "data-inclusion"  # the national schema's structures (see datainclusion.py)

    @classmethod
    def parse(cls, value: str) -> ExportFormat:
        """The export format a person typed (a typo gets a suggestion)."""
        from essmap.model import Term, Vocabulary

        chosen = Vocabulary("export format", tuple(Term(f.value, f.value) for f in cls)).resolve(value)
        return cls(chosen)


class Written(NamedTuple):
    path: str  # the file written
    records: int


def write_data_inclusion(catalogue: Catalogue, folder: Path, force: bool = False):
    """Write the active entries as data·inclusion structures into `folder` (or print them when
    `folder` is "-"). Returns what was written (None when printed) and the entries left out."""
    import sys

    from essmap import datainclusion
    from essmap.files import may_replace, replacing

    rows, left_out = datainclusion.records(catalogue)
    text = datainclusion.text(rows)
    if str(folder) == "-":
        sys.stdout.write(text)
        return None, left_out
    target = folder / datainclusion.FILE
    try:
        folder.mkdir(parents=True, exist_ok=True)
        may_replace(target, datainclusion.ours, force, protected=Path(catalogue.path))
        with replacing(target) as temporary:
            temporary.write_text(text, encoding="utf-8")
    except OSError as error:
        reason = getattr(error, "strerror", None) or error
        raise EssmapError(_("cannot write to {path}: {reason}").format(path=folder, reason=reason)) from None
    return Written(str(target), len(rows)), left_out


def _ours(path: Path) -> bool:
    """Whether an existing file is one essmap's export wrote (and so may be replaced)."""
    from essmap.files import starts_with

    if path.name == "essmap.db":
        if not starts_with(path, b"SQLite format 3\x00"):
            return False
        try:
            connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                tables = {
                    r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
                }
            finally:
                connection.close()
        except sqlite3.Error:
            return False
        return {"structures", "names", "sources"} <= tables
    return starts_with(path, b'{\n "title": "Structures d', b"id,name,", b'{\n  "name": "essmap-structures"')


def write(catalogue: Catalogue, folder: Path, force: bool = False) -> list[Path]:
    """Write structures.json, structures.csv, datapackage.json and essmap.db into `folder`.

    All four replace the previous export together or not at all; a link at one of their paths is
    replaced, never followed; a file essmap did not write is replaced only with `force`, and the
    catalogue in use never."""
    from essmap.files import may_replace, replacing_together

    rows = records(list(catalogue.structures))
    document = {
        "title": "Structures d'accompagnement de l'économie sociale et solidaire (essmap)",
        "licence": catalogue.licence,
        "updated": catalogue.updated,
        "count": len(rows),
        "structures": rows,
    }
    package: dict[str, Any] = {
        "name": "essmap-structures",
        "title": document["title"],
        "version": catalogue.updated,
        "licenses": [{"name": catalogue.licence}] if catalogue.licence else [],
        "created_by": f"essmap {__version__}",
        "resources": [
            {
                "name": "structures-json",
                "path": "structures.json",
                "format": "json",
                "mediatype": "application/json",
            },
            {
                "name": "structures-csv",
                "path": "structures.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": [{"name": f} for f in FIELDS]},
                "dialect": {"delimiter": ",", "lineTerminator": "\\n"},
            },
        ],
    }
    package["resources"].append(
        {"name": "essmap-db", "path": "essmap.db", "format": "sqlite", "mediatype": "application/vnd.sqlite3"}
    )
    files = {
        "structures.json": json_safe(json.dumps(document, ensure_ascii=False, indent=1)) + "\n",
        "structures.csv": renderer(Format.csv).rows(rows, FIELDS),
        "datapackage.json": json.dumps(package, ensure_ascii=False, indent=2) + "\n",
    }
    targets = [folder / name for name in FILES]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for target in targets:
            may_replace(target, _ours, force, protected=Path(catalogue.path))
        with replacing_together(targets) as temporaries:
            for temporary, name in zip(temporaries, FILES):
                if name in files:
                    temporary.write_text(files[name], encoding="utf-8")
                else:
                    _fill_database(catalogue, temporary)
    except (OSError, sqlite3.Error) as error:
        reason = getattr(error, "strerror", None) or error
        raise EssmapError(_("cannot write to {path}: {reason}").format(path=folder, reason=reason)) from None
    return targets


DATABASE_SCHEMA = """
CREATE TABLE structures (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
    status_date TEXT, status_source TEXT, national INTEGER NOT NULL, thematic INTEGER NOT NULL,
    city TEXT, website TEXT, email TEXT, phone TEXT, siren TEXT, siret TEXT, rna TEXT,
    description TEXT NOT NULL, caveat TEXT, updated TEXT NOT NULL
);
CREATE TABLE names (structure_id TEXT NOT NULL REFERENCES structures(id), name TEXT NOT NULL,
                    kind TEXT NOT NULL);  -- kind: name, alias, former_id
CREATE TABLE stages (structure_id TEXT NOT NULL REFERENCES structures(id), stage TEXT NOT NULL);
CREATE TABLE themes (structure_id TEXT NOT NULL REFERENCES structures(id), theme TEXT NOT NULL);
CREATE TABLE offers (structure_id TEXT NOT NULL REFERENCES structures(id), offer TEXT NOT NULL,
                     derived INTEGER NOT NULL);  -- derived: implied by the kind, not stated by a source
CREATE TABLE places (structure_id TEXT NOT NULL REFERENCES structures(id), region TEXT,
                     department TEXT NOT NULL, named INTEGER NOT NULL);  -- every department it covers; named: listed by the entry
CREATE TABLE relations (structure_id TEXT NOT NULL REFERENCES structures(id), relation TEXT NOT NULL,
                        other_id TEXT NOT NULL);  -- carried_by, member_of, replaced_by
CREATE TABLE sources (structure_id TEXT NOT NULL REFERENCES structures(id), url TEXT NOT NULL, date TEXT);
CREATE INDEX places_department ON places (department);
CREATE INDEX stages_stage ON stages (stage);
CREATE INDEX offers_offer ON offers (offer);
CREATE VIRTUAL TABLE search USING fts5(id UNINDEXED, name, description,
                                      tokenize = 'unicode61 remove_diacritics 2');
"""


def _fill_database(catalogue: Catalogue, temporary: Path) -> None:
    """The catalogue as clean SQLite tables that sqlite3, sqlite-utils and Datasette open (see
    DATABASE_SCHEMA), written into an empty file."""
    from essmap import geo

    connection = sqlite3.connect(temporary)
    try:
        connection.executescript(DATABASE_SCHEMA)
        for s in catalogue.structures:
            connection.execute(
                "INSERT INTO structures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    s.id,
                    s.name,
                    s.kind,
                    s.status,
                    s.status_date,
                    s.status_source,
                    int(s.national),
                    int(s.thematic),
                    s.city,
                    s.website,
                    s.email,
                    s.phone,
                    s.siren,
                    s.siret,
                    s.rna,
                    s.description,
                    s.caveat,
                    s.updated,
                ),
            )
            connection.executemany(
                "INSERT INTO names VALUES (?, ?, ?)",
                [(s.id, s.name, "name")]
                + [(s.id, a, "alias") for a in s.aliases]
                + [(s.id, f, "former_id") for f in s.former_ids],
            )
            connection.executemany("INSERT INTO stages VALUES (?, ?)", [(s.id, x) for x in s.stages])
            connection.executemany("INSERT INTO themes VALUES (?, ?)", [(s.id, x) for x in s.themes])
            connection.executemany(
                "INSERT INTO offers VALUES (?, ?, ?)",
                [(s.id, o, 0) for o in s.offers] + [(s.id, o, 1) for o in s.derived_offers],
            )
            connection.executemany(
                "INSERT INTO places VALUES (?, ?, ?, ?)",
                [
                    (s.id, geo.DEPARTMENT_BY_CODE[d].region, d, int(d in s.departments))
                    for d in sorted(s.coverage)
                ],
            )
            connection.executemany(
                "INSERT INTO relations VALUES (?, ?, ?)",
                [
                    (s.id, relation, other)
                    for relation in ("carried_by", "member_of", "replaced_by")
                    for other in getattr(s, relation)
                ],
            )
            connection.executemany(
                "INSERT INTO sources VALUES (?, ?, ?)", [(s.id, x.url, x.date) for x in s.sources]
            )
            connection.execute(
                "INSERT INTO search (id, name, description) VALUES (?, ?, ?)",
                (s.id, " ".join((s.name, *s.aliases)), s.description),
            )
        connection.commit()
    finally:
        connection.close()
