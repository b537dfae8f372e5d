"""Lines of keys in TOML and JSON text, for located error messages.

Decoders drop positions, so (like the resolvers' ``TomlLineLocator``) we scan
the text a second time: the window of the table that holds the value, then
the deepest key name inside that window.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

__all__ = ["json_key_line", "toml_line"]


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


@lru_cache(maxsize=32)
def _headers(text: str) -> tuple[tuple[int, str, bool], ...]:
    """(offset, dotted name, is-array-of-tables) of every table header (cached: one scan per file)."""
    found = []
    for match in re.finditer(r"^[ \t]*(\[\[?)[ \t]*([^\]\n]+?)[ \t]*\]\]?[ \t]*(?:#.*)?$", text, re.M):
        name = ".".join(part.strip().strip('"') for part in match.group(2).split("."))
        found.append((match.start(), name, match.group(1) == "[["))
    return tuple(found)


def toml_line(text: str, path: Sequence[str | int]) -> int:
    """Best line for the value at ``path`` (keys and array indexes) in TOML ``text``; 1 if unknown."""
    headers = _headers(text)
    start, end = 0, len(text)
    prefix: list[str] = []
    consumed = 0
    for n, part in enumerate(path):
        if isinstance(part, int):
            name = ".".join(prefix)
            arrays = [h for h in headers if h[1] == name and h[2]]
            if part < len(arrays):
                start = arrays[part][0]
                following = [h[0] for h in headers if h[0] > start]
                end = following[0] if following else len(text)
                consumed = n + 1
            break
        prefix.append(part)
        name = ".".join(prefix)
        table = [h for h in headers if h[1] == name and not h[2]]
        if table:
            start = table[0][0]
            following = [h[0] for h in headers if h[0] > start]
            end = following[0] if following else len(text)
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
