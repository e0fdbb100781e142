"""The compiled catalogue: a SQLite database per catalogue file, so that an unchanged file is
neither parsed nor indexed twice.

One database per catalogue path in the user's cache folder (XDG rules, a private 0700
folder), written to a temporary file and `os.replace`d, then opened read-only. It holds:

- `meta`: the key (path, size, mtime, inode, ctime, content hash, essmap's version, the
  field layout, the format) and the file-level facts (licence, updated);
- `entries`: one JSON record per structure, by position, decoded only when asked for;
- `facets`: the index's bitsets, one per facet value (see index.py);
- `names`: each position's id, name, aliases and former ids, for `show`;
- `postings`: each search word's (and stem's) postings, and `exact`: each name's key.

The ranking reads `postings` (query.py) rather than an FTS5 table: building FTS5 doubled the
cold load of 50,000 entries. `essmap export` ships an FTS5 table in `essmap.db` for
SQLite's own tools.

A warm call costs one `stat` of the catalogue: the content is hashed only when the file
changed within the racy window of its cache (as git and CPython's pyc do). A cache that is
stale, damaged, foreign, planted, or not a plain file of this user's is never trusted: it
is rebuilt, or bypassed, never an error and never a hang.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
import zlib
from array import array
from collections import abc
from pathlib import Path

from essmap import __version__, geo
from essmap.files import TEMPORARY_PREFIX, Untrusted, cache_dir, private_folder, read_bytes, trustworthy
from essmap.index import Index
from essmap.model import Source, Structure
from essmap.schema import ENTRY_FIELDS

FORMAT = 8
_FIELDS = tuple(spec.name for spec in ENTRY_FIELDS)
_TUPLES = frozenset(
    spec.name for spec in ENTRY_FIELDS if spec.type in ("texts", "ids", "terms", "departments")
)
# A file changed this close before its cache was made may hide a later change behind the same
# stat: then its content is hashed too. Coarse file systems (whole seconds) get a wider window.
RACY_NS = 2_000_000
COARSE_RACY_NS = 2_000_000_000
STALE_TEMPORARY_SECONDS = 3600


class CacheMiss(Exception):
    """The cache cannot serve this catalogue; load it from its source."""


def _trustworthy(target: Path) -> os.stat_result:
    try:
        return trustworthy(target)
    except Untrusted as error:
        raise CacheMiss(str(error)) from None


def cache_file(source: Path) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    name = hashlib.sha1(str(source.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return folder / f"{name}.sqlite"


def source_key(source: Path) -> dict:
    """What identifies a catalogue file without reading it: its path and its stat."""
    info = source.stat()
    return {
        "path": str(source.resolve()),
        "size": info.st_size,
        "mtime_ns": info.st_mtime_ns,
        "inode": info.st_ino,
        "ctime_ns": info.st_ctime_ns,
        "version": __version__,
        "format": FORMAT,
        "fields": list(_FIELDS),  # a reordered or renamed field must never be read into another
        "vocabularies": _vocabularies(),  # nor a value a renamed vocabulary no longer has
    }


def _vocabularies() -> str:
    """A digest of every vocabulary the cached entries are written in."""
    from essmap.model import KINDS, OFFERS, STAGES, STATUSES, THEMES

    words = [v.name + ":" + ",".join(v.ids) for v in (KINDS, OFFERS, STAGES, STATUSES, THEMES)]
    words.append(",".join(sorted(geo.DEPARTMENT_BY_CODE)))
    return hashlib.sha1("\n".join(words).encode()).hexdigest()[:16]


def content_hash(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def _record(structure: Structure) -> str:
    values = []
    for name in _FIELDS:
        value = getattr(structure, name)
        if name == "sources":
            value = [[s.url, s.date] for s in value]
        values.append(value)
    values.append(structure.line)
    return json.dumps(values, ensure_ascii=False)


def _structure(text: str) -> Structure:
    values = json.loads(text)
    if not isinstance(values, list) or len(values) != len(_FIELDS) + 1:
        raise CacheMiss("entry of the wrong shape")
    fields = dict(zip(_FIELDS, values))
    for name in _TUPLES:
        fields[name] = tuple(fields[name])
    fields["sources"] = tuple(Source(url, date) for url, date in fields["sources"])
    fields["coverage"] = geo.coverage(fields["national"], fields["regions"], fields["departments"])
    fields["line"] = values[-1]
    return Structure(**fields)


def _crc(value: str | bytes) -> int:
    return zlib.crc32(value.encode("utf-8") if isinstance(value, str) else value)


def _checked(value: str | bytes) -> tuple[str | bytes, int]:
    """A value with its checksum: every row read back is checked, so damage is never served."""
    return value, _crc(value)


def _verified(value, crc: int):
    if _crc(value) != crc:
        raise CacheMiss("damaged row")
    return value


def _facets_crc(rows) -> int:
    crc = 0
    for facet, value, bits in rows:
        crc = zlib.crc32(bits, zlib.crc32(f"{facet}\0{value}\0".encode(), crc))
    return crc


def write_database(target: Path, key: dict | None, structures, index: Index, meta: dict) -> None:
    """Write a compiled catalogue to `target` atomically (a temporary file, then os.replace)."""
    from essmap.files import replacing
    from essmap.text import key as key_of

    with replacing(target, mode=0o600) as temporary:
        connection = sqlite3.connect(temporary)
        try:
            connection.executescript(
                """
                PRAGMA journal_mode = OFF;
                PRAGMA synchronous = OFF;
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE entries (position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, record TEXT NOT NULL,
                                      crc INTEGER NOT NULL);
                CREATE TABLE facets (facet TEXT NOT NULL, value TEXT NOT NULL, bits BLOB NOT NULL,
                                     PRIMARY KEY (facet, value));
                CREATE TABLE names (position INTEGER PRIMARY KEY, spellings TEXT NOT NULL, crc INTEGER NOT NULL);
                CREATE TABLE postings (word TEXT PRIMARY KEY, data BLOB NOT NULL, crc INTEGER NOT NULL);
                CREATE TABLE exact (key TEXT NOT NULL, position INTEGER NOT NULL);
                """
            )
            facet_rows = sorted(
                (facet, value, bits.to_bytes((bits.bit_length() + 7) // 8, "little"))
                for facet, values in index.facets.items()
                for value, bits in values.items()
            )
            rows = {
                "key": key,
                "size": len(structures),
                **meta,
                "built_ns": time.time_ns(),
                "facets_crc": _facets_crc(facet_rows),
            }
            connection.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                ((k, json.dumps(v, ensure_ascii=False)) for k, v in rows.items()),
            )
            connection.executemany(
                "INSERT INTO entries VALUES (?, ?, ?, ?)",
                ((p, s.id, *_checked(_record(s))) for p, s in enumerate(structures)),
            )
            connection.executemany("INSERT INTO facets VALUES (?, ?, ?)", facet_rows)
            connection.executemany(
                "INSERT INTO names VALUES (?, ?, ?)",
                ((p, *_checked(json.dumps(list(n), ensure_ascii=False))) for p, n in enumerate(index.names)),
            )
            connection.executemany(
                "INSERT INTO exact VALUES (?, ?)",
                {(key_of(n), p) for p, spellings in enumerate(index.names) for n in spellings},
            )
            connection.execute("CREATE INDEX exact_key ON exact (key)")
            connection.executemany(
                "INSERT INTO postings VALUES (?, ?, ?)",
                ((w, *_checked(array("L", index.postings(w)).tobytes())) for w in index.vocabulary),
            )
            connection.commit()
        finally:
            connection.close()


def write(target: Path | None, key: dict, structures, index: Index, meta: dict) -> None:
    """Write the cache; any failure leaves no cache and raises nothing."""
    if target is None or not private_folder(target.parent):
        return
    _clean_temporaries(target.parent)
    try:
        write_database(target, key, structures, index, meta)
    except (OSError, sqlite3.Error, ValueError, TypeError, OverflowError):
        return


def _clean_temporaries(folder: Path) -> None:
    """Temporary files left by killed runs, once they are old enough not to be another's work."""
    now = time.time()
    try:
        for path in folder.glob(TEMPORARY_PREFIX + "*"):
            try:
                if now - path.lstat().st_mtime > STALE_TEMPORARY_SECONDS:
                    path.unlink()
            except OSError:
                continue
    except OSError:
        return


class _NameKeys(abc.Sequence):
    """(name key, position) pairs read from the `exact` table only when `show` has to guess."""

    def __init__(self, cached: Cached):
        self._cached = cached
        self._pairs: list | None = None

    def _load(self) -> list:
        if self._pairs is None:
            try:
                self._pairs = [
                    tuple(r)
                    for r in self._cached.rows("SELECT key, position FROM exact ORDER BY key, position")
                ]
                if any(not 0 <= p < self._cached.size for _, p in self._pairs):
                    raise CacheMiss("positions")
            except CacheMiss:
                self._pairs = self._cached.recover().name_keys()
        return self._pairs

    def __len__(self):
        return len(self._load())

    def __getitem__(self, i):
        return self._load()[i]

    def __iter__(self):
        return iter(self._load())


class _Words:
    """The search vocabulary asked from the database: a word, the words of a prefix, or all."""

    def __init__(self, cached: Cached):
        self._cached = cached
        self._all: list[str] | None = None

    def known(self, word: str) -> bool:
        try:
            return bool(self._cached.rows("SELECT 1 FROM postings WHERE word = ?", (word,)))
        except CacheMiss:
            return self._cached.recover().words.known(word)

    def starting(self, prefix: str) -> list[str]:
        try:
            rows = self._cached.rows(
                "SELECT word FROM postings WHERE word >= ? AND word < ? ORDER BY word",
                (prefix, prefix + "\uffff"),
            )
            return [row[0] for row in rows]
        except CacheMiss:
            return self._cached.recover().words.starting(prefix)

    def words(self) -> list[str]:
        if self._all is None:
            self._all = list(self._cached.index.vocabulary)
        return self._all


class _Postings:
    """Word -> postings, read from the database only when searched; from a rebuilt index
    (`recover`) if the database turns out damaged."""

    def __init__(self, cached: Cached):
        self._cached = cached
        self._words: list[str] | None = None
        self.words = _Words(cached)

    def __iter__(self):
        if self._words is None:
            try:
                self._words = [row[0] for row in self._cached.rows("SELECT word FROM postings")]
            except CacheMiss:
                self._words = list(self._cached.recover().vocabulary)
        return iter(self._words)

    def get(self, word: str, default=()):
        try:
            rows = self._cached.rows("SELECT data, crc FROM postings WHERE word = ?", (word,))
            if not rows:
                return default
            found = array("L")
            found.frombytes(_verified(rows[0][0], rows[0][1]))
            return found
        except CacheMiss:
            return self._cached.recover().postings(word) or default


class _Names(abc.Sequence):
    """The index's names, read only when `show` or a name match needs them."""

    def __init__(self, cached: Cached, size: int):
        self._cached = cached
        self._size = size
        self._names: list | None = None

    def _load(self) -> list:
        if self._names is None:
            try:
                rows = self._cached.rows("SELECT spellings, crc FROM names ORDER BY position")
                self._names = [tuple(json.loads(_verified(text, crc))) for text, crc in rows]
                if len(self._names) != self._size:
                    raise CacheMiss("names")
            except (CacheMiss, ValueError):
                self._names = list(self._cached.recover().names)
        return self._names

    def __len__(self):
        return self._size

    def __getitem__(self, i):
        return self._load()[i]

    def __iter__(self):
        return iter(self._load())


class Cached:
    """A catalogue read back from its database: facets at once, entries and words on demand."""

    def __init__(self, target: Path | None, key: dict, source: Path | None = None):
        if target is None:
            raise CacheMiss("no cache folder")
        info = _trustworthy(target)
        self.recover = _no_recovery  # set by the catalogue: rebuild from the source
        try:
            self._connection = sqlite3.connect(f"file:{target}?mode=ro", uri=True, check_same_thread=False)
            self._connection.execute("PRAGMA query_only = ON")
            meta = {k: json.loads(v) for k, v in self._connection.execute("SELECT key, value FROM meta")}
            stored = dict(meta["key"])
            sha1 = stored.pop("sha1", None)
            if stored != key:
                raise CacheMiss("stale")
            window = COARSE_RACY_NS if key["mtime_ns"] % 1_000_000_000 == 0 else RACY_NS
            if source is not None and key["mtime_ns"] + window >= int(meta["built_ns"]):
                # changed so close to the cache's making that the same stat may hide other content
                if content_hash(read_bytes(source)) != sha1:
                    raise CacheMiss("racy and changed")
            self.size = int(meta["size"])
            self.meta = {k: meta.get(k) for k in ("licence", "updated")}
            pages = self._connection.execute("PRAGMA page_count").fetchone()[0]
            if pages * self._connection.execute("PRAGMA page_size").fetchone()[0] != info.st_size:
                raise CacheMiss("truncated or extended")
            facets: dict[str, dict[str, int]] = {}
            rows = self._connection.execute(
                "SELECT facet, value, bits FROM facets ORDER BY facet, value"
            ).fetchall()
            if _facets_crc(rows) != meta["facets_crc"]:
                raise CacheMiss("damaged facets")
            for facet, value, bits in rows:
                facets.setdefault(str(facet), {})[str(value)] = int.from_bytes(bits, "little")
            count = self._connection.execute("SELECT count(*) FROM entries").fetchone()[0]
            if count != self.size:
                raise CacheMiss("entries")
            self.index = Index(self.size, facets, _Names(self, self.size), _Postings(self), self.exact)
            self.index._name_keys = _NameKeys(self)
        except CacheMiss:
            raise
        except (sqlite3.Error, ValueError, KeyError, TypeError, AttributeError, OverflowError) as error:
            raise CacheMiss(f"damaged: {error}") from None

    def exact(self, name_key: str) -> set[int]:
        """Positions whose name, alias or id has this key; from a rebuilt index if damaged."""
        try:
            positions = {row[0] for row in self.rows("SELECT position FROM exact WHERE key = ?", (name_key,))}
        except CacheMiss:
            return self.recover().exact(name_key)
        if any(not 0 <= p < self.size for p in positions):
            return self.recover().exact(name_key)
        return positions

    def position_of(self, structure_id: str) -> int | None:
        rows = self.rows("SELECT position FROM entries WHERE id = ?", (structure_id,))
        return rows[0][0] if rows else None

    def rows(self, sql: str, parameters: tuple = ()) -> list:
        try:
            return self._connection.execute(sql, parameters).fetchall()
        except sqlite3.Error as error:
            raise CacheMiss(f"damaged: {error}") from None

    def structure(self, position: int) -> Structure:
        """The structure at this position; CacheMiss when its row is missing or damaged."""
        rows = self.rows("SELECT record, crc FROM entries WHERE position = ?", (position,))
        if not rows:
            raise CacheMiss("missing entry")
        try:
            return _structure(_verified(rows[0][0], rows[0][1]))
        except (ValueError, KeyError, TypeError, IndexError) as error:
            raise CacheMiss(f"damaged entry: {error}") from None


def _no_recovery():
    raise CacheMiss("no source to rebuild from")
