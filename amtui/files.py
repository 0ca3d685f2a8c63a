"""Writing a user's file safely: exports, the digest's ``--output``, backups.

The new content goes to a temporary file created exclusively (``O_EXCL``, 0600: exports hold
personal data) beside the target, under a fresh random name (so nothing already sitting there, a
symlink least of all, is ever followed), and is renamed into place only when complete; on any
error it is removed and the target is untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

PRIVATE_MODE = 0o600


class OutputError(Exception):
    """The output path cannot be used (a folder, a missing folder, an existing file without --force)."""


class OutputExistsError(OutputError):
    """The target exists and replacing it was not asked for."""


def check_output(path: Path, *, force: bool) -> Path:
    """The target, checked before any work: a file name in an existing folder; an existing file only
    with ``force``. Raises :class:`OutputError` with the one line to show."""
    if not str(path) or str(path) == ".":
        raise OutputError("--output: give a file name")
    target = path.expanduser()
    if target.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name")
    parent = target.parent
    if not parent.is_dir():
        raise OutputError(f"{parent}: no such folder")
    if target.is_symlink() or target.exists():
        if not target.is_file():
            raise OutputError(f"{path}: not a regular file; refusing to replace it")
        if not force:
            raise OutputExistsError(f"{path} already exists: add --force to replace it")
    return target


@contextmanager
def private_partial(target: Path) -> Iterator[Path]:
    """A new, empty 0600 file beside ``target`` (yielded), renamed onto ``target`` when the block ends
    without error, removed otherwise."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None
    os.close(fd)  # mkstemp: O_CREAT | O_EXCL, mode 0600
    partial = Path(name)
    try:
        yield partial
        os.replace(partial, target)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise


@contextmanager
def atomic_open(target: Path, *, binary: bool, bom: bool = False) -> Iterator[IO[Any]]:
    """:func:`private_partial`, opened for writing (UTF-8 text, or bytes)."""
    with private_partial(target) as partial:
        if binary:
            with partial.open("r+b") as handle:
                yield handle
        else:
            with partial.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
                yield handle
