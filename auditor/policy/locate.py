"""Lines of keys in TOML and JSON text, for located error messages.

Decoders drop positions, so (like the resolvers' ``TomlLineLocator``) we scan
the text a second time: the window of the table that holds the value, then
the deepest key name inside that window.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache

__all__ = ["json_key_line", "toml_line"]


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


class _Headers:
    """The table headers of one TOML text, indexed by dotted name (one scan per file)."""

    def __init__(self, text: str) -> None:
        self.starts: list[int] = []
        self.tables: dict[str, int] = {}
        self.arrays: dict[str, list[int]] = {}
        for match in _HEADER.finditer(text):
            name = ".".join(part.strip().strip('"') for part in match.group(2).split("."))
            self.starts.append(match.start())
            if match.group(1) == "[[":
                self.arrays.setdefault(name, []).append(match.start())
            else:
                self.tables.setdefault(name, match.start())

    def end_of(self, start: int, text_end: int) -> int:
        """Where the table starting at ``start`` ends: the next header, or the end of the text."""
        following = bisect_right(self.starts, start)
        return self.starts[following] if following < len(self.starts) else text_end


_HEADER = re.compile(r"^[ \t]*(\[\[?)[ \t]*([^\]\n]+?)[ \t]*\]\]?[ \t]*(?:#.*)?$", re.M)


@lru_cache(maxsize=32)
def _headers(text: str) -> _Headers:
    return _Headers(text)


def toml_line(text: str, path: Sequence[str | int]) -> int:
    """Best line for the value at ``path`` (keys and array indexes) in TOML ``text``; 1 if unknown."""
    headers = _headers(text)
    start, end = 0, len(text)
    prefix: list[str] = []
    consumed = 0
    for n, part in enumerate(path):
        if isinstance(part, int):
            arrays = headers.arrays.get(".".join(prefix), [])
            if part < len(arrays):
                start = arrays[part]
                end = headers.end_of(start, len(text))
                consumed = n + 1
            break
        prefix.append(part)
        table = headers.tables.get(".".join(prefix))
        if table is not None:
            start = table
            end = headers.end_of(start, len(text))
            consumed = n + 1
    keys = [p for p in path[consumed:] if isinstance(p, str)]
    for key in reversed(keys):
        pattern = re.compile(rf'(?:^|[{{,\s])"?{re.escape(key)}"?\s*=', re.M)
        match = pattern.search(text, start, end)
        if match:
            return _line_at(text, match.start() + (1 if text[match.start()] in "{, \t\n" else 0))
    return _line_at(text, start)


def json_key_line(text: str, path: Sequence[str | int]) -> int:
    """Best line for the value at ``path`` in JSON ``text``: the last key named in it, searched in order."""
    offset = 0
    line_offset = 0
    for part in path:
        if isinstance(part, int):
            continue
        found = text.find(f'"{part}"', offset)
        if found < 0:
            break
        offset = line_offset = found
    return _line_at(text, line_offset) if line_offset else 1
