"""Reading configuration, rule, catalog and profile files as the data of a possibly hostile repository.

The same guards as for manifests: a file under the audited root that leads
out of it through a symlink is not read; only regular files are read (a FIFO
named ``.stack-auditor.toml`` would block forever, ``/dev/zero`` never ends);
at most ``max_bytes`` are read, whatever the file claims; and bytes that are
not UTF-8 are a located error, as is a TOML or JSON integer literal of more
than 4,300 digits.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from auditor.errors import ConfigError
from auditor.limits import DEFAULT_MAX_FILE_BYTES

__all__ = ["Unreadable", "confined", "read_data_file", "read_regular"]


class Unreadable(Exception):
    """Why a file was not read, worded to follow its name ("is not a regular file ...")."""


def read_regular(path: Path, max_bytes: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``max_bytes``, else :class:`Unreadable`.

    Never blocks on a FIFO (opened non-blocking, then refused by ``fstat``)
    and never reads more than ``max_bytes + 1`` bytes, whatever the size says.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        raise Unreadable(f"cannot be read: {error.strerror or error}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("is not a regular file (a device, FIFO or socket): not read")
        if info.st_size > max_bytes:
            raise Unreadable(f"is {info.st_size} bytes, over the limit of {max_bytes} (--max-file-bytes)")
        try:
            data = handle.read(max_bytes + 1)
        except OSError as error:
            raise Unreadable(f"cannot be read: {error.strerror or error}") from None
    if len(data) > max_bytes:
        raise Unreadable(f"grew over the limit of {max_bytes} bytes while read (--max-file-bytes)")
    return data


def confined(path: Path, root: Path | None) -> bool:
    """Whether ``path`` may be read when ``root`` is the audited root (``None``: not confined).

    A path outside ``root`` in the first place (a user's own ``--rules`` folder
    elsewhere) is the user's choice; one inside it must resolve inside it.
    """
    if root is None:
        return True
    real_root = root.resolve()
    if not path.absolute().is_relative_to(real_root) and not path.absolute().is_relative_to(root.absolute()):
        return True
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    return real == real_root or real.is_relative_to(real_root)


def read_data_file(
    path: Path,
    label: str,
    what: str,
    *,
    root: Path | None = None,
    max_bytes: int = DEFAULT_MAX_FILE_BYTES,
) -> str:
    """The UTF-8 text of ``path`` (a ``what``: "configuration", "rule file"...), else a :class:`ConfigError`."""
    if not confined(path, root):
        raise ConfigError(label, 0, f"{what} is a symlink that leads out of the audited root: not read")
    try:
        data = read_regular(path, max_bytes)
    except Unreadable as error:
        raise ConfigError(label, 0, f"{what} {error}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ConfigError(label, line, f"invalid UTF-8 at byte {error.start}; expected UTF-8 text") from None


def number_error(label: str, text: str, error: ValueError) -> ConfigError:
    """A :class:`ConfigError` for a ``ValueError`` out of ``tomli``/``json`` (a too-long integer)."""
    from auditor.hostile_text import number_line

    return ConfigError(label, number_line(text), f"cannot be read: {str(error)[:200]}")
