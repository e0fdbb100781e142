"""Files, safely: reading a catalogue within limits, the user's private cache folder and the
files trusted in it, and writing through a temporary file moved onto the target in one step."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import partial
from pathlib import Path

from essmap.errors import CatalogueError, Problem

TEMPORARY_PREFIX = ".tmp-"
MAX_BYTES = 100 * 1024 * 1024  # a catalogue file
MAX_CACHE_BYTES = 1 << 30  # a file of the cache folder


class Untrusted(Exception):
    """A file of the cache folder that must not be read: planted, foreign, damaged in form."""


def refuse(path: Path, message: str) -> CatalogueError:
    return CatalogueError([Problem(str(path), 0, 0, message)])


def read_bytes(path: Path) -> bytes:
    """The file's bytes; CatalogueError with a one-line reason when it cannot be read."""
    fail = partial(refuse, path)

    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > MAX_BYTES:
                raise fail(f"larger than the {MAX_BYTES // (1024 * 1024)} MiB a catalogue may be")
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise fail("no such file") from None
    except IsADirectoryError:
        raise fail("is a directory, not a catalogue file") from None
    except PermissionError:
        raise fail("permission denied") from None
    except OSError as error:
        raise fail(f"cannot be read: {error.strerror or error}") from None
    if len(data) > MAX_BYTES:
        raise fail(f"larger than the {MAX_BYTES // (1024 * 1024)} MiB a catalogue may be")
    return data


def cache_dir() -> Path | None:
    """$XDG_CACHE_HOME/essmap, or ~/.cache/essmap; None when neither is an absolute path.

    The XDG rules: a relative XDG_CACHE_HOME is ignored, and so is an empty or root HOME.
    """
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not os.path.isabs(home) or home == "/":
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "essmap"


def private_folder(folder: Path) -> bool:
    """Create the folder 0700; True when it is a folder of this user that others cannot write."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(folder)
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.getuid()
        and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


def trustworthy(target: Path) -> os.stat_result:
    """The file's stat when it is a plain, whole, reasonably sized file of this user's."""
    try:
        info = os.lstat(target)
    except OSError as error:
        raise Untrusted(str(error)) from None
    if not stat.S_ISREG(info.st_mode):
        raise Untrusted("not a plain file (a link, a FIFO, a device or a folder)")
    if info.st_uid != os.getuid():
        raise Untrusted("owned by someone else")
    if info.st_size > MAX_CACHE_BYTES or info.st_blocks * 512 < info.st_size // 2:
        raise Untrusted("too large, or sparse")
    return info


@contextmanager
def replacing(target: Path, mode: int | None = None) -> Iterator[Path]:
    """A temporary path beside `target`, moved onto it (os.replace) when the block succeeds.

    A link or any file at `target` is replaced, never written through; on an error or a
    signal the temporary file is removed and `target` is left as it was.
    """
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=TEMPORARY_PREFIX, suffix=target.suffix)
    os.close(handle)
    try:
        yield Path(temporary)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
