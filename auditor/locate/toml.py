"""Where keys, tables and array elements are written in a TOML text: the one TOML locator.

Resolvers (lockfiles, manifests) and the policy loaders (config, rules,
catalog) all find lines here. TOML decoders drop positions, so we scan the
text once more (osv-scalibr's approach). :func:`scan_keys` walks the lines of a TOML text (or a slice of
it) and records, for every ``key = value`` written at the start of a line,
the full dotted path of that key (table header + key) and its offset. It
understands quoted keys, dotted keys, ``[table]``/``[[array]]`` headers and
skips the inside of multi-line strings and multi-line arrays, so a value line
such as ``"foo>=1",`` is never taken for a key. :func:`array_string_offsets`
finds where each string element of an array value is written, for
requirement lists (``dependencies = ["a>=1", ...]``). :class:`TomlKeys`
answers by path (keys and array indexes, as schema validators report them),
and :func:`toml_line` is its one-call form for error messages. The fast
path for locks is :mod:`auditor.locate.toml_locks`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache

__all__ = [
    "KeyPath",
    "TomlKeys",
    "array_element_offsets",
    "array_string_offsets",
    "array_table_lines",
    "key_at",
    "parse_key",
    "scan_keys",
    "toml_line",
]

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
    return _scan(text, start, len(text) if end is None else end, None)


def _scan(text: str, start: int, stop: int, headers: list[tuple[KeyPath, int, bool]] | None) -> dict[KeyPath, int]:
    """:func:`scan_keys`; with ``headers``, also every table header as (path, offset, is array)."""
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
                if headers is not None:
                    headers.append((table, header.start(1), header.group(1) == "[["))
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


_SCALAR_END = re.compile(r"[,\]\}#\n]")


def _value_start(text: str, key_offset: int, stop: int) -> int | None:
    """Offset of the value in the ``key = value`` written at ``key_offset``."""
    found = parse_key(text, key_offset)
    if found is None or found[1] >= stop or text[found[1]] != "=":
        return None
    return _first_non_blank(text, found[1] + 1)


def _skip_blank(text: str, pos: int, stop: int) -> int:
    """Past blanks, newlines and comments (inside arrays, values may sit on later lines)."""
    while pos < stop:
        char = text[pos]
        if char in " \t\r\n,":
            pos += 1
        elif char == "#":
            newline = text.find("\n", pos, stop)
            pos = stop if newline == -1 else newline + 1
        else:
            break
    return pos


def _element_end(text: str, pos: int, stop: int) -> int:
    """Offset just past one inline value starting at ``pos`` (string, array, inline table or scalar)."""
    if text[pos] in "[{\"'":
        return _skip_value(text, pos, stop)
    found = _SCALAR_END.search(text, pos, stop)
    return stop if found is None else found.start()


def array_element_offsets(text: str, value: int, stop: int | None = None) -> list[int]:
    """Offsets of the elements of the inline array starting at ``value`` (its ``[``)."""
    end = len(text) if stop is None else stop
    offsets: list[int] = []
    pos = _skip_blank(text, value + 1, end)
    while pos < end and text[pos] != "]":
        offsets.append(pos)
        pos = _skip_blank(text, _element_end(text, pos, end), end)
    return offsets


def _inline_key(text: str, value: int, key: str, stop: int) -> int | None:
    """Offset of ``key`` in the inline table starting at ``value`` (its ``{``)."""
    pos = _skip_blank(text, value + 1, stop)
    while pos < stop and text[pos] != "}":
        found = parse_key(text, pos)
        if found is None or found[1] >= stop or text[found[1]] != "=":
            return None
        if found[0][0] == key:
            return pos
        after = _first_non_blank(text, found[1] + 1)
        if after >= stop:
            return None
        pos = _skip_blank(text, _element_end(text, after, stop), stop)
    return None


def _inline_path(text: str, key_offset: int, rest: Sequence[str | int], stop: int) -> tuple[int, int]:
    """The deepest of ``rest`` found inside the inline value written at ``key_offset``, and how many parts."""
    best, matched = key_offset, 0
    value = _value_start(text, key_offset, stop)
    for part in rest:
        if value is None or value >= stop:
            break
        if isinstance(part, int) and text[value] == "[":
            elements = array_element_offsets(text, value, stop)
            if part >= len(elements):
                break
            best = value = elements[part]
        elif isinstance(part, str) and text[value] == "{":
            found = _inline_key(text, value, part, stop)
            if found is None:
                break
            best, value = found, _value_start(text, found, stop)
        else:
            break
        matched += 1
    return best, matched


class TomlKeys:
    """Every key and table header of one TOML text, found by one scan, looked up by path.

    A path is what a decoder or schema validator reports: keys and array
    indexes (``("tool", "stack-auditor", "ignore", 0, "reason")``). Quoted and
    dotted keys, multi-line strings, comments, CRLF, arrays of tables and
    inline tables/arrays are all understood; text inside strings never matches.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        headers: list[tuple[KeyPath, int, bool]] = []
        self.keys = _scan(text, 0, len(text), headers)
        self._header_starts = [offset for _, offset, _ in headers]
        self._arrays: dict[KeyPath, list[int]] = {}
        for path, offset, is_array in headers:
            if is_array:
                self._arrays.setdefault(path, []).append(offset)

    def offset(self, path: Sequence[str | int]) -> int | None:
        """Where the deepest written part of ``path`` is (None when not even its first part is)."""
        return self._walk(path)[0]

    def find(self, path: Sequence[str | int]) -> int | None:
        """Where ``path`` is written, only when all of it is."""
        offset, matched = self._walk(path)
        return offset if matched == len(path) else None

    def _walk(self, path: Sequence[str | int]) -> tuple[int | None, int]:
        """(offset of the deepest written part of ``path``, how many parts were found)."""
        keys, start, stop, best = self.keys, 0, len(self.text), None
        prefix: KeyPath = ()
        for n, part in enumerate(path):
            if isinstance(part, int):
                entries = [offset for offset in self._arrays.get(prefix, ()) if start <= offset < stop]
                if not entries:  # an inline array, or an index under a key never found
                    return self._inline(best, path, n, stop, prefix in keys)
                if part >= len(entries):
                    return best, n
                start = best = entries[part]
                stop = self._entry_end(prefix, start)
                keys = scan_keys(self.text, start, stop)
                continue
            prefix = (*prefix, part)
            if prefix in keys:
                best = keys[prefix]
                continue
            deeper = [offset for key, offset in keys.items() if key[: len(prefix)] == prefix]
            if deeper:  # written only as dotted keys or sub-tables
                best = min(deeper)
                continue
            return self._inline(best, path, n, stop, prefix[:-1] in keys)
        return best, len(path)

    def _inline(
        self, best: int | None, path: Sequence[str | int], n: int, stop: int, keyed: bool
    ) -> tuple[int | None, int]:
        """Continue ``path`` from part ``n`` inside the inline value at ``best`` (when it is a key's)."""
        if best is None or not keyed:
            return best, n
        offset, matched = _inline_path(self.text, best, path[n:], stop)
        return offset, n + matched

    def _entry_end(self, table: KeyPath, start: int) -> int:
        """End of the ``[[table]]`` entry whose header is at ``start``: the next header outside its sub-tables."""
        following = bisect_right(self._header_starts, start)
        for offset in self._header_starts[following:]:
            found = parse_key(self.text, _HEADER.match(self.text, offset).end())  # type: ignore[union-attr]
            if found is None or found[0][: len(table)] != table or found[0] == table:
                return offset
        return len(self.text)

    def line(self, path: Sequence[str | int]) -> int:
        """1-based line of :meth:`offset` (1 when nothing of ``path`` is written: the top of the file)."""
        offset = self.offset(path)
        return 1 if offset is None else self.text.count("\n", 0, offset) + 1


@lru_cache(maxsize=16)
def _keys_of(text: str) -> TomlKeys:
    return TomlKeys(text)


def toml_line(text: str, path: Sequence[str | int], default: int = 1) -> int:
    """The line of the value at ``path`` in TOML ``text`` (its deepest written part; ``default`` if none)."""
    offset = _keys_of(text).offset(tuple(path))
    return default if offset is None else text.count("\n", 0, offset) + 1


def array_table_lines(text: str, table: str) -> list[int]:
    """Line starts of the ``[[table]]`` headers, as the full scan reads them (the reference for the lock fast path)."""
    headers: list[tuple[KeyPath, int, bool]] = []
    _scan(text, 0, len(text), headers)
    return [text.rfind("\n", 0, at) + 1 for path, at, is_array in headers if is_array and path == (table,)]
