"""Atomic file writes: a reader (or a kill) never sees a half-written output.

Files are created with the mode any other tool would give them (``0666``
less the umask; an existing file keeps its mode), not the ``0600`` of a
temporary file. A write that cannot happen (a folder named as the output, a
full disk, no permission) is an :class:`OutputError` naming the path: exit 2,
never a traceback.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from auditor.errors import AuditorError

__all__ = ["OutputError", "creation_mode", "write_atomic", "write_atomic_chunks"]


class OutputError(AuditorError):
    """An output file could not be written (exit code 2)."""


def _umask() -> int:
    # Reading it is a write on most systems (os.umask sets it); /proc gives it without a race
    # against threads creating files meanwhile.
    if sys.platform.startswith("linux"):
        try:
            for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
        except (OSError, ValueError, IndexError):
            pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def creation_mode(path: Path) -> int:
    """The permission bits ``path`` should get: its own if it exists, else ``0666`` less the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _failure(path: Path, error: OSError) -> OutputError:
    reason = error.strerror or str(error)
    return OutputError(f"cannot write {path}: {reason}")


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, fsync it, then rename it over ``path``.

    A path that exists and is not a regular file (``/dev/null``, a FIFO, ``/dev/stdout``)
    is written in place: renaming over a device would replace it.
    """
    write_atomic_chunks(path, (text,))


def write_atomic_chunks(path: Path, chunks: Iterable[str]) -> None:
    """Like :func:`write_atomic`, for text made piece by piece (a large summary never sits in memory)."""
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder (give a file name)")
    try:
        if path.exists() and not path.is_file():
            with path.open("w", encoding="utf-8", errors="backslashreplace", newline="\n") as handle:
                for chunk in chunks:
                    handle.write(chunk)
            return
        _replace(path, chunks)
    except OSError as error:
        raise _failure(path, error) from None


def _replace(path: Path, chunks: Iterable[str]) -> None:
    folder = path.parent if str(path.parent) else Path()
    folder.mkdir(parents=True, exist_ok=True)
    mode = creation_mode(path)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).chmod(mode)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
