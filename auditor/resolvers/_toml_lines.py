"""Line finding for TOML keys and array elements, shared by the lock and manifest resolvers.

TOML decoders drop positions, so we scan the text once more (osv-scalibr's
approach). :func:`scan_keys` walks the lines of a TOML text (or a slice of
it) and records, for every ``key = value`` written at the start of a line,
the full dotted path of that key (table header + key) and its offset. It
understands quoted keys, dotted keys, ``[table]``/``[[array]]`` headers and
skips the inside of multi-line strings and multi-line arrays, so a value line
such as ``"foo>=1",`` is never taken for a key. :func:`array_string_offsets`
finds where each string element of an array value is written, for
requirement lists (``dependencies = ["a>=1", ...]``).
"""

from __future__ import annotations

import re

__all__ = ["KeyPath", "array_string_offsets", "key_at", "parse_key", "scan_keys"]

KeyPath = tuple[str, ...]

# One key part: bare, "basic" (with escapes) or 'literal'.
_PART = re.compile(r"""[ \t]*(?:([A-Za-z0-9_-]+)|"((?:[^"\\\n]|\\.)*)"|'([^'\n]*)')[ \t]*""")
_HEADER = re.compile(r"[ \t]*(\[\[?)")
_STRING_OR_BRACKET = re.compile(r'"""|\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]')
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r", "b": "\b", "f": "\f"}


def _unescape(raw: str) -> str:
    if "\\" not in raw:
        return raw
    return re.sub(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", _unescape_one, raw)


def _unescape_one(found: re.Match[str]) -> str:
    escape = found.group(1)
    return chr(int(escape[1:], 16)) if len(escape) > 1 else _ESCAPES.get(escape, escape)


def parse_key(text: str, pos: int) -> tuple[KeyPath, int] | None:
    """The dotted key starting at ``pos`` and the offset just past it, or None."""
    parts: list[str] = []
    while True:
        found = _PART.match(text, pos)
        if not found:
            return None
        bare, basic, literal = found.groups()
        parts.append(bare if bare is not None else _unescape(basic) if basic is not None else literal)
        pos = found.end()
        if pos < len(text) and text[pos] == ".":
            pos += 1
            continue
        return tuple(parts), pos


def _skip_value(text: str, pos: int, end: int) -> int:
    """Offset just past the value starting at ``pos`` (arrays and strings may span lines)."""
    pos = _first_non_blank(text, pos)
    if pos >= end or text[pos] not in "[{\"'":
        newline = text.find("\n", pos, end)
        return end if newline == -1 else newline
    depth = 0
    while True:
        token = _STRING_OR_BRACKET.search(text, pos, end)
        if token is None:
            return end
        lexeme = token.group(0)
        pos = token.end()
        if lexeme in ('"""', "'''"):
            close = text.find(lexeme, pos, end)
            if close == -1:
                return end
            # A multi-line string may end with up to two extra quotes.
            pos = close + 3
            while pos < end and text[pos] == lexeme[0]:
                pos += 1
        elif lexeme in "[{":
            depth += 1
        elif lexeme in "]}":
            depth -= 1
        elif lexeme[0] == "#":
            continue
        if depth <= 0:
            return pos


def scan_keys(text: str, start: int = 0, end: int | None = None) -> dict[KeyPath, int]:
    """Offsets of every key line between ``start`` and ``end``, keyed by full dotted path.

    The first occurrence wins (arrays of tables repeat paths: scan one entry's
    slice to get that entry's keys). Table headers are recorded too, under
    their own path, at the offset of the ``[``.
    """
    stop = len(text) if end is None else end
    found: dict[KeyPath, int] = {}
    table: KeyPath = ()
    pos = start
    while pos < stop:
        line_end = text.find("\n", pos, stop)
        if line_end == -1:
            line_end = stop
        header = _HEADER.match(text, pos, line_end)
        if header:
            key = parse_key(text, header.end())
            if key is not None:
                table = key[0]
                found.setdefault(table, header.start(1))
            pos = line_end + 1
            continue
        key = parse_key(text, pos)
        if key is not None:
            path, after = key
            equals = after < line_end and text[after] == "="
            if equals:
                found.setdefault(table + path, _first_non_blank(text, pos))
                value_end = _skip_value(text, after + 1, stop)
                newline = text.find("\n", value_end, stop)
                pos = stop if newline == -1 else newline + 1
                continue
        pos = line_end + 1
    return found


def _first_non_blank(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


def key_at(keys: dict[KeyPath, int], *candidates: KeyPath) -> int | None:
    """Offset of the first candidate path present in ``keys``."""
    for path in candidates:
        if path in keys:
            return keys[path]
    return None


def array_string_offsets(text: str, key_offset: int, end: int | None = None) -> list[int]:
    """Offsets of the top-level string elements of the array assigned at ``key_offset``.

    ``key_offset`` is where the ``key = [`` line starts (as :func:`scan_keys`
    records it). Strings nested deeper (inside inline tables) are not counted.
    """
    stop = len(text) if end is None else end
    equals = text.find("=", key_offset, stop)
    if equals == -1:
        return []
    offsets: list[int] = []
    depth = 0
    for token in _STRING_OR_BRACKET.finditer(text, equals + 1, stop):
        lexeme = token.group(0)
        if lexeme[0] == "#":
            continue
        if lexeme in "[{":
            depth += 1
        elif lexeme in "]}":
            depth -= 1
            if depth <= 0:
                break
        elif depth == 1 and lexeme not in ('"""', "'''"):
            offsets.append(token.start())
        elif depth == 0:
            break
    return offsets
