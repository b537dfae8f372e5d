"""The one JSON locator: where a key path is written, and ``json.loads`` with object offsets.

:func:`json_key_line` follows a path of keys and indexes through the text
(strings are read by the C scanner, so text inside them never matches);
:func:`loads_located` is the fast path for large SBOMs:

``json`` drops positions, and a second full scan of the text in Python (a
tokenizer over every string) costs several times ``json.loads``. Instead we
drive CPython's C scanner (``json.scanner.make_scanner``) ourselves: the
containers on the way to the objects we want located (``components``,
``packages``...) are walked key by key here, and everything else, including
each located object itself, is decoded by one C call that returns where it
ends. So the located objects are met in document order, their ``{`` offsets
come for free, and the cost stays within a few percent of ``json.loads``.

A located object that itself holds a located key (nested ``components``) is
decoded once by C, seen to contain such a key, and walked again by hand: rare,
and bounded by the nesting.

On any syntax error the text goes through ``json.loads`` for its standard,
located message.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import re
from collections.abc import Callable, Sequence
from typing import Any

from auditor.errors import InputError

__all__ = ["json_key_line", "json_key_offset", "loads_located"]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_ARRAY_SEPARATOR = re.compile(r"[ \t\n\r]*([,\]])[ \t\n\r]*")
_DECODER = json.JSONDecoder()
# typeshed types make_scanner's argument as the scanner class itself; a JSONDecoder is what it reads
_scan_once: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(_DECODER)  # type: ignore[arg-type]
_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


class _Syntax(Exception):
    """Raised inside the walk; turned into a located InputError by ``loads_located``."""


class _Duplicate(Exception):
    """A key repeated in one hand-walked object (the document's top level and the located ones)."""

    def __init__(self, key: str, offset: int) -> None:
        super().__init__(key)
        self.key, self.offset = key, offset


class _Walker:
    __slots__ = ("keys", "offsets", "skip", "text")

    def __init__(self, text: str, keys: frozenset[str]) -> None:
        self.text = text
        self.keys = keys
        self.offsets: dict[int, int] = {}
        self.skip = _WHITESPACE.match

    def ws(self, idx: int) -> int:
        found = self.skip(self.text, idx)
        return found.end() if found else idx

    def value(self, idx: int, located: bool) -> tuple[Any, int]:
        text = self.text
        char = text[idx : idx + 1]
        if located and char == "[":
            return self.array(idx)
        try:
            value, end = _scan_once(text, idx)
        except (StopIteration, ValueError):
            raise _Syntax from None
        if isinstance(value, dict) and not self.keys.isdisjoint(value):
            # decoded once by C; walk it again by hand to locate what it holds
            value, end = self.obj(idx)
        return value, end

    def obj(self, idx: int) -> tuple[dict[str, Any], int]:
        text = self.text
        result: dict[str, Any] = {}
        idx = self.ws(idx + 1)
        if text[idx : idx + 1] == "}":
            return result, idx + 1
        while True:
            if text[idx : idx + 1] != '"':
                raise _Syntax
            key_at = idx
            key, idx = _scanstring(text, idx + 1)
            if key in result:
                # Readers disagree on which one wins: a second "components" could hide packages.
                raise _Duplicate(key, key_at)
            idx = self.ws(idx)
            if text[idx : idx + 1] != ":":
                raise _Syntax
            idx = self.ws(idx + 1)
            start = idx
            value, idx = self.value(idx, key in self.keys)
            if key in self.keys and isinstance(value, dict):
                self.offsets[id(value)] = start
            result[key] = value
            idx = self.ws(idx)
            char = text[idx : idx + 1]
            if char == "}":
                return result, idx + 1
            if char != ",":
                raise _Syntax
            idx = self.ws(idx + 1)

    def array(self, idx: int) -> tuple[list[Any], int]:
        # the hot loop of a large SBOM: one C call per element, one regex per separator
        text = self.text
        offsets = self.offsets
        keys = self.keys
        separator = _ARRAY_SEPARATOR.match
        result: list[Any] = []
        append = result.append
        idx = self.ws(idx + 1)
        if text[idx : idx + 1] == "]":
            return result, idx + 1
        while True:
            start = idx
            try:
                value, idx = _scan_once(text, idx)
            except (StopIteration, ValueError):
                raise _Syntax from None
            if type(value) is dict:
                offsets[id(value)] = start
                if not keys.isdisjoint(value):
                    value, idx = self.obj(start)
                    offsets[id(value)] = start
            append(value)
            found = separator(text, idx)
            if found is None:
                raise _Syntax
            idx = found.end()
            if found.group(1) == "]":
                return result, idx


def loads_located(text: str, path: str, keys: frozenset[str]) -> tuple[dict[str, Any], dict[int, int]]:
    """Decode a JSON object; also map ``id(obj)`` to the offset of its ``{`` for every object
    that is the value of one of ``keys``, or an element of an array under one of ``keys``.

    The ids stay valid as long as the returned document is alive.
    """
    start = 1 if text.startswith("\ufeff") else 0
    walker = _Walker(text, keys)
    try:
        idx = walker.ws(start)
        if text[idx : idx + 1] != "{":
            raise _Syntax
        document, end = walker.obj(idx)
        if walker.ws(end) != len(text):
            raise _Syntax
    except (_Syntax, RecursionError, json.JSONDecodeError):
        raise _located_error(text[start:], path) from None
    except _Duplicate as duplicate:
        line = text.count("\n", 0, duplicate.offset) + 1
        raise InputError(path, line, f"duplicate key {duplicate.key!r} in one JSON object: refused") from None
    return document, walker.offsets


def _located_error(text: str, path: str) -> InputError:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        return InputError(path, error.lineno, f"invalid JSON: {error.msg}", error.colno)
    except RecursionError:
        from auditor.locate.nesting import nesting_error

        return nesting_error(text, path, "JSON")
    return InputError(path, 1, f"expected a JSON object at the top level, not {_kind(value)}")


def _kind(value: object) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def json_key_offset(text: str, path: Sequence[str | int]) -> int | None:
    """Offset of the deepest part of ``path`` (keys and array indexes) written in JSON ``text``.

    A key is found at its opening quote, an array element where it starts;
    None when not even the first part is there, or the text is not JSON.
    """
    walker = _Walker(text, frozenset())
    best: int | None = None
    try:
        idx = walker.ws(1 if text.startswith("\ufeff") else 0)
        for part in path:
            found = _member(walker, idx, part)
            if found is None:
                break
            best, idx = found
    except (_Syntax, IndexError, StopIteration, ValueError, RecursionError):
        pass
    return best


def _member(walker: _Walker, idx: int, part: str | int) -> tuple[int, int] | None:
    """(where ``part`` is written, where its value starts) in the container at ``idx``."""
    text = walker.text
    opening = text[idx : idx + 1]
    if (opening == "{") != isinstance(part, str) or opening not in "{[" or not opening:
        return None
    idx = walker.ws(idx + 1)
    n = 0
    while text[idx : idx + 1] not in ("}", "]", ""):
        written = idx
        if opening == "{":
            key, idx = _scanstring(text, idx + 1)
            idx = walker.ws(walker.ws(idx) + 1)  # past the colon
            if key == part:
                return written, idx
        elif n == part:
            return written, idx
        _, idx = _scan_once(text, idx)
        idx = walker.ws(idx)
        if text[idx : idx + 1] == ",":
            idx = walker.ws(idx + 1)
        n += 1
    return None


def json_key_line(text: str, path: Sequence[str | int], default: int = 1) -> int:
    """1-based line of :func:`json_key_offset` (``default`` when nothing of ``path`` is written)."""
    offset = json_key_offset(text, path)
    return default if offset is None else text.count("\n", 0, offset) + 1
