"""Writing files safely: a temporary file beside the target, moved onto it in one step."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

TEMPORARY_PREFIX = ".tmp-"


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
