"""Load a catalogue file: read it safely, parse it with positions, build the model.

`load()` raises CatalogueError listing every problem that keeps the file from
fitting the model (shape, types, vocabulary values: see build.py); `essmap validate`
adds the rules about content on top (see validate.py). An unchanged file is read
back from the cache (cache.py) without importing the YAML parser.
"""

from __future__ import annotations

import os
import stat
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from essmap.errors import CatalogueError, Problem
from essmap.files import read_bytes, refuse
from essmap.i18n import _
from essmap.model import Structure

if TYPE_CHECKING:
    from essmap.yamltree import Node

ENV_VARIABLE = "ESSMAP_CATALOGUE"


class Catalogue:
    """The loaded catalogue: structures by position and by id, and their index.

    Read back from the cache, structures are decoded only when first asked for.
    """

    def __init__(
        self, path: str, structures=(), licence: str | None = None, updated: str | None = None, cached=None
    ):
        self.path = path
        self.licence = licence
        self.updated = updated
        self._cached = cached
        self._items: list[Structure | None] = [None] * cached.size if cached else list(structures)
        self._index = cached.index if cached else None
        self._positions: dict[str, int] | None = None
        if cached is not None:
            cached.recover = self._recover

    def _recover(self):
        """The cache turned out damaged after it was opened: load the file itself, and rebuild it."""
        fresh = load(self.path, use_cache=False)
        self._items = list(fresh.structures)
        self._cached = None
        self._index = fresh.index
        _rewrite_cache(Path(self.path), fresh)
        return fresh.index

    def __len__(self) -> int:
        return len(self._items)

    def at(self, position: int) -> Structure:
        item = self._items[position]
        if item is None:
            from essmap.cache import CacheMiss

            try:
                item = self._items[position] = self._cached.structure(position)
            except CacheMiss:
                self._recover()
                item = self._items[position]
        assert item is not None  # a recovered catalogue holds every entry
        return item

    @property
    def structures(self) -> tuple[Structure, ...]:
        return tuple(self.at(i) for i in range(len(self)))

    @property
    def index(self):
        if self._index is None:
            from essmap.index import Index

            self._index = Index.build(self._items)
        return self._index

    def get(self, structure_id: str) -> Structure | None:
        if self._cached is not None and self._positions is None:
            from essmap.cache import CacheMiss

            try:
                position = self._cached.position_of(structure_id)
            except CacheMiss:
                self._recover()
            else:
                return None if position is None else self.at(position)
        if self._positions is None:
            self._positions = {}
            for position, names in enumerate(self.index.names):
                self._positions.setdefault(names[0], position)
        position = self._positions.get(structure_id)
        return None if position is None else self.at(position)

    def resolve(self, structure_id: str) -> Structure | None:
        """The structure with this id, or the one that keeps it as a former id (ids are stable)."""
        found = self.get(structure_id)
        if found is not None:
            return found
        for position, names in enumerate(self.index.names):
            if structure_id in names[1:] and structure_id in self.at(position).former_ids:
                return self.at(position)
        return None


def default_path() -> Path:
    """The shipped catalogue: inside the installed package, or data/ of a source checkout."""
    packaged = Path(__file__).parent / "data" / "structures.yaml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / "structures.yaml"


def resolve_path(option: str | os.PathLike | None) -> Path:
    """The catalogue to use: the option, else $ESSMAP_CATALOGUE, else the shipped one."""
    chosen = option or os.environ.get(ENV_VARIABLE)
    return Path(chosen) if chosen else default_path()


def check_encoding(path: Path, data: bytes) -> None:
    """Refuse what is not UTF-8 text (a byte-order mark is fine); the parser reads the bytes."""
    fail = partial(refuse, path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_like_utf16(data):
        raise fail(_("is UTF-16 (or UTF-32); save the catalogue as UTF-8"))
    if b"\x00" in data:
        raise fail(_("is a binary file, not a YAML catalogue"))
    try:
        data.decode("utf-8-sig")  # checked, then dropped: no second copy of the text is kept
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise CatalogueError(
            [Problem(str(path), line, column, "not UTF-8 (Latin-1?); save the catalogue as UTF-8")]
        ) from None


def _looks_like_utf16(data: bytes) -> bool:
    """Text in UTF-16 without a byte-order mark: every other byte of the start is zero."""
    head = data[:512]
    return len(head) >= 4 and (head[1::2].count(0) > len(head) * 0.4 or head[0::2].count(0) > len(head) * 0.4)


def load(path: str | os.PathLike | None = None, use_cache: bool = True) -> Catalogue:
    """The catalogue at `path` (see resolve_path); CatalogueError if it does not fit the model.

    With `use_cache`, an unchanged plain file is read back from its compiled database
    (cache.py) after one `stat`, without reading or parsing the file.
    """
    source = resolve_path(path)
    key = target = None
    if use_cache and _is_plain_file(source):
        from essmap import cache

        try:
            key, target = cache.source_key(source), cache.cache_file(source)
            cached = cache.Cached(target, key, source)
            return Catalogue(
                str(source),
                licence=cached.meta.get("licence"),
                updated=cached.meta.get("updated"),
                cached=cached,
            )
        except (cache.CacheMiss, OSError, CatalogueError):
            pass
    data = read_bytes(source)
    catalogue, problems, _ = _load_data(source, data)
    errors = [p for p in problems if p.severity == "error"]
    if errors or catalogue is None:
        raise CatalogueError(errors)
    if key is not None:
        _write_cache(target, key, data, catalogue)
    return catalogue


def _write_cache(target, key: dict, data: bytes, catalogue: Catalogue) -> None:
    from essmap import cache

    meta = {"licence": catalogue.licence, "updated": catalogue.updated}
    cache.write(
        target, {**key, "sha1": cache.content_hash(data)}, catalogue.structures, catalogue.index, meta
    )


def _rewrite_cache(source: Path, catalogue: Catalogue) -> None:
    """Replace a damaged cache with one built from the catalogue just loaded from its file."""
    from essmap import cache

    try:
        key, data = cache.source_key(source), read_bytes(source)
    except (OSError, CatalogueError):
        return
    _write_cache(cache.cache_file(source), key, data, catalogue)


def _is_plain_file(path: Path) -> bool:
    """A regular file: a pipe or a device (`-c /dev/stdin`) is read as it is, never cached."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def load_checked(path: Path, inspect=None) -> tuple[Catalogue | None, list[Problem], Node | None]:
    """The catalogue, the problems found while loading it, and the file's tree without its entries.

    Entries are built as they are parsed, each also handed to `inspect` (validate's checks).
    """
    try:
        data = read_bytes(path)
    except CatalogueError as error:
        return None, error.problems, None
    return _load_data(path, data, inspect)


def _load_data(path: Path, data: bytes, inspect=None) -> tuple[Catalogue | None, list[Problem], Node | None]:
    """Parse and build, entry by entry as they are parsed, so that no tree of entries is kept."""
    from essmap.build import Builder
    from essmap.yamltree import ParseError, parse

    name = str(path)
    builder = Builder(name)
    built: list[Structure | None] = []

    def on_entry(node) -> None:
        built.append(builder.structure(node))
        if inspect is not None:
            inspect(node)

    try:
        check_encoding(path, data)
        root = parse(data, name, on_entry)
    except CatalogueError as error:
        return None, error.problems, None
    except ParseError as error:
        return None, [error.problem], None
    made = builder.catalogue(root, built)
    catalogue = Catalogue(name, *made) if made is not None else None
    return catalogue, builder.problems, root
