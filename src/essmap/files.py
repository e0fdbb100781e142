"""Files, safely: reading a catalogue within limits, the user's private cache folder and the
files trusted in it, and writing through a temporary file moved onto the target in one step."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import partial
from pathlib import Path

from essmap.errors import CatalogueError, Problem
from essmap.i18n import _

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
                raise fail(
                    _("larger than the {max_bytes} MiB a catalogue may be").format(
                        max_bytes=MAX_BYTES // (1024 * 1024)
                    )
                )
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise fail(_("no such file")) from None
    except IsADirectoryError:
        raise fail(_("is a directory, not a catalogue file")) from None
    except PermissionError:
        raise fail(_("permission denied")) from None
    except OSError as error:
        raise fail(_("cannot be read: {error}").format(error=error.strerror or error)) from None
    if len(data) > MAX_BYTES:
        raise fail(
            _("larger than the {max_bytes} MiB a catalogue may be").format(
                max_bytes=MAX_BYTES // (1024 * 1024)
            )
        )
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


@contextmanager
def replacing_together(targets: list[Path]) -> Iterator[list[Path]]:
    """Temporary paths beside each target, all moved onto their targets when the block succeeds.

    The moves happen with SIGINT, SIGTERM and SIGHUP held back, so that an interruption leaves
    either every previous file or every new one; on an error, no target is touched.
    """
    import signal

    temporaries: list[Path] = []
    try:
        for target in targets:
            handle, name = tempfile.mkstemp(dir=target.parent, prefix=TEMPORARY_PREFIX, suffix=target.suffix)
            os.close(handle)
            temporaries.append(Path(name))
        yield temporaries
        held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
        try:
            for temporary, target in zip(temporaries, targets):
                os.replace(temporary, target)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    finally:
        for temporary in temporaries:
            with suppress(FileNotFoundError):
                os.unlink(temporary)


def may_replace(
    target: Path, ours: Callable[[Path], bool], force: bool, protected: Path | None = None
) -> None:
    """Refuse (UsageError) to replace a file essmap did not write, unless `force`; never the
    catalogue in use (`protected`). A link is replaced itself, never followed, so it is allowed."""
    from essmap.errors import UsageError

    try:
        info = os.lstat(target)
    except OSError:
        return  # nothing there (or no way to it): the write itself will say what is wrong
    if protected is not None and stat.S_ISREG(info.st_mode):
        with suppress(OSError):
            if os.path.samefile(target, protected):
                raise UsageError(
                    _("{path} is the catalogue in use: essmap never writes over it").format(path=target)
                )
    if stat.S_ISLNK(info.st_mode) or force:
        return
    if stat.S_ISDIR(info.st_mode):
        raise UsageError(_("{path} is a folder").format(path=target))
    if not stat.S_ISREG(info.st_mode) or not ours(target):
        raise UsageError(
            _("{path} exists and was not written by essmap: add --force to replace it").format(path=target)
        )


def starts_with(target: Path, *prefixes: bytes) -> bool:
    """Whether the file begins with one of `prefixes` (how essmap knows a file it wrote)."""
    try:
        with open(target, "rb") as handle:
            head = handle.read(max(map(len, prefixes)))
    except OSError:
        return False
    return head.startswith(prefixes)
