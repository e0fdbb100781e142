"""A cache of loaded catalogues, so that an unchanged file is not parsed twice.

One file per catalogue path in the user's cache folder (XDG), in a format that
cannot run code when read: one JSON line per entry (read only when needed), the
search words, then a JSON header (key, index, offsets) and the header's offset. The key holds the catalogue's path, size,
modification time and content hash and essmap's version; the header also holds a
checksum of the body. A cache that is stale, corrupt, unreadable or unwritable is
ignored (and rebuilt), never trusted and never an error.
"""

from __future__ import annotations

import base64
import hashlib
import json
import mmap
import os
import tempfile
import zlib
from array import array
from pathlib import Path

from essmap import __version__, geo
from essmap.index import Index
from essmap.model import Source, Structure
from essmap.schema import ENTRY_FIELDS

FORMAT = 4
_FIELDS = tuple(spec.name for spec in ENTRY_FIELDS)
_TUPLES = frozenset(
    spec.name for spec in ENTRY_FIELDS if spec.type in ("texts", "ids", "terms", "departments")
)


class CacheMiss(Exception):
    """The cache cannot serve this catalogue; load it from its source."""


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "essmap"


def cache_file(source: Path) -> Path:
    name = hashlib.sha1(str(source.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return cache_dir() / f"{name}.jsonl"


def source_key(source: Path, data: bytes) -> dict:
    stat = source.stat()
    return {
        "path": str(source.resolve()),
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "sha1": hashlib.sha1(data).hexdigest(),
        "version": __version__,
        "format": FORMAT,
        "fields": list(_FIELDS),  # a reordered or renamed field must never be read into another
    }


def _record(structure: Structure) -> list:
    values = []
    for name in _FIELDS:
        value = getattr(structure, name)
        if name == "sources":
            value = [[s.url, s.date] for s in value]
        values.append(value)
    values.append(structure.line)
    return values


def _structure(line) -> Structure:
    values = json.loads(bytes(line))
    if not isinstance(values, list) or len(values) != len(_FIELDS) + 1:
        raise CacheMiss("entry of the wrong shape")
    fields = dict(zip(_FIELDS, values))
    for name in _TUPLES:
        fields[name] = tuple(fields[name])
    fields["sources"] = tuple(Source(url, date) for url, date in fields["sources"])
    fields["coverage"] = geo.coverage(fields["national"], fields["regions"], fields["departments"])
    fields["line"] = values[-1]
    return Structure(**fields)


def _pack(numbers: list[int]) -> str:
    return base64.b64encode(array("Q", numbers).tobytes()).decode("ascii")


def _unpack(text: str) -> array:
    numbers = array("Q")
    numbers.frombytes(base64.b64decode(text))
    return numbers


class _Body:
    """The cache file's body, streamed to disk with its running offset and checksum."""

    def __init__(self, out):
        self.out = out
        self.offset = 0
        self.checksum = 0

    def line(self, value) -> int:
        """Write one JSON line; return the offset where it starts."""
        data = json.dumps(value, ensure_ascii=False).encode() + b"\n"
        start = self.offset
        self.out.write(data)
        self.checksum = zlib.crc32(data, self.checksum)
        self.offset += len(data)
        return start


def write(target: Path, key: dict, structures: tuple[Structure, ...], index: Index, meta: dict) -> None:
    """Write the cache atomically; any failure leaves no cache and raises nothing.

    Layout: the body's JSON lines (entries, names, vocabulary, postings), then the header
    (key, checksum of the body, index, offsets), then the header's offset on a last line,
    so that the body streams to disk and the header can still hold its checksum.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".jsonl")
        try:
            with os.fdopen(handle, "wb") as out:
                body = _Body(out)
                entry_offsets = [body.line(_record(structure)) for structure in structures]
                entry_offsets.append(body.offset)
                names_offset = body.line(index.names)
                vocabulary = list(index.vocabulary)
                vocabulary_offset = body.line(vocabulary)
                posting_offsets = [body.line(list(index.postings(word))) for word in vocabulary]
                posting_offsets.append(body.offset)
                header = {
                    "key": key,
                    "meta": meta,
                    "size": len(structures),
                    "checksum": body.checksum,
                    "facets": {
                        f: {v: format(bits, "x") for v, bits in values.items()}
                        for f, values in index.facets.items()
                    },
                    "entries": _pack(entry_offsets),
                    "names": names_offset,
                    "vocabulary": vocabulary_offset,
                    "postings": _pack(posting_offsets),
                }
                out.write(json.dumps(header, ensure_ascii=False).encode() + b"\n")
                out.write(b"%016x\n" % body.offset)
            os.replace(temporary, target)
        except BaseException:
            os.unlink(temporary)
            raise
    except (OSError, ValueError, TypeError, OverflowError):
        return


class _Postings:
    """Word -> postings: the vocabulary and each word's postings read only when searched."""

    def __init__(self, body, vocabulary_offset: int, offsets: array):
        self._body = body
        self._vocabulary_offset = vocabulary_offset
        self._offsets = offsets
        self._words: list[str] | None = None
        self._position: dict[str, int] = {}

    def _vocabulary(self) -> list[str]:
        if self._words is None:
            self._words = json.loads(bytes(self._body[self._vocabulary_offset : self._offsets[0]]))
            self._position = {word: i for i, word in enumerate(self._words)}
        return self._words

    def __iter__(self):
        return iter(self._vocabulary())

    def get(self, word: str, default=()):
        self._vocabulary()
        i = self._position.get(word)
        if i is None:
            return default
        return json.loads(bytes(self._body[self._offsets[i] : self._offsets[i + 1]]))


class Cached:
    """A catalogue read back from the cache: index at once, entries on demand."""

    def __init__(self, target: Path, key: dict):
        try:
            with open(target, "rb") as handle:
                self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError) as error:
            raise CacheMiss(str(error)) from None
        try:
            header_start = int(self._map[-17:-1], 16)
            header = json.loads(self._map[header_start:-17])
            if header["key"] != key:
                raise CacheMiss("stale")
            self._body = memoryview(self._map)[:header_start]
            if zlib.crc32(self._body) != header["checksum"]:
                raise CacheMiss("corrupt")
            self.size = int(header["size"])
            self.meta = dict(header["meta"])
            self._entries = _unpack(header["entries"])
            facets = {
                str(f): {str(v): int(bits, 16) for v, bits in values.items()}
                for f, values in header["facets"].items()
            }
            posting_offsets = _unpack(header["postings"])
            self.names_end = int(header["vocabulary"])
            postings = _Postings(self._body, self.names_end, posting_offsets)
            names_offset = int(header["names"])
            self.index = Index(self.size, facets, _LazyNames(self, names_offset), postings)
            if len(self._entries) != self.size + 1:
                raise CacheMiss("offsets")
        except CacheMiss:
            raise
        except (ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
            raise CacheMiss(f"corrupt: {error}") from None

    def structure(self, position: int) -> Structure:
        try:
            return _structure(self._body[self._entries[position] : self._entries[position + 1]])
        except (ValueError, KeyError, TypeError, IndexError) as error:
            raise CacheMiss(f"corrupt entry: {error}") from None


class _LazyNames:
    """The index's names, parsed from the cache only when `show` needs them."""

    def __init__(self, cached: Cached, offset: int):
        self._cached = cached
        self._offset = offset
        self._names = None

    def _load(self) -> list:
        if self._names is None:
            body = self._cached._body
            line = bytes(body[self._offset : self._cached.names_end])
            self._names = json.loads(line)
        return self._names

    def __len__(self):
        return self._cached.size

    def __getitem__(self, i):
        return self._load()[i]

    def __iter__(self):
        return iter(self._load())
