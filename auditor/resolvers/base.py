"""The resolver contract, and helpers every format shares.

A resolver is pure: ``parse(text, path)`` reads nothing from disk and
nothing from the network. ``sniff`` looks at the first bytes of the text,
for files whose names are not canonical (``deps.lock``, ``sbom.json``);
canonical names are declared in the registry (``auditor.resolvers``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, Protocol, TypeVar

from auditor.errors import InputError
from auditor.model import FileRole, Provenance, ResolveResult

__all__ = [
    "LineIndex",
    "Resolver",
    "TomlLineLocator",
    "load_toml",
    "require",
]

T = TypeVar("T")


class Resolver(Protocol):
    """One input format."""

    name: ClassVar[str]  # kebab-case, unique, used by --input-format: the name of its registry entry
    role: ClassVar[FileRole]

    def sniff(self, head: str) -> bool:
        """True when the start of the text says this is the format."""

    def parse(self, text: str, path: str) -> ResolveResult:
        """Read ``text`` (the content of ``path``, relative to the audited root)."""


class LineIndex:
    """Maps character offsets to 1-based (line, column).

    Resolvers ask for offsets in increasing order, so the line number is
    counted forward from the last answer (``str.count`` runs in C): one pass
    over the text in total, and no per-line table to build.
    """

    __slots__ = ("_last_line", "_last_offset", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._last_offset = 0
        self._last_line = 1

    def position(self, offset: int) -> tuple[int, int]:
        text = self.text
        if offset >= self._last_offset:
            line = self._last_line + text.count("\n", self._last_offset, offset)
        else:
            line = 1 + text.count("\n", 0, offset)
        self._last_offset, self._last_line = offset, line
        return line, offset - (text.rfind("\n", 0, offset) + 1) + 1

    def _line_start(self, line: int) -> int:
        text = self.text
        if line >= self._last_line:
            start = text.rfind("\n", 0, self._last_offset) + 1
            for _ in range(line - self._last_line):
                start = text.index("\n", start) + 1
        else:
            start = 0
            for _ in range(line - 1):
                start = text.index("\n", start) + 1
        # Move the cursor here too: resolvers that ask by line (requirements) then walk
        # forward from the last line, one pass in total, not one pass per question.
        self._last_offset, self._last_line = start, line
        return start

    def line_text(self, line: int) -> str:
        start = self._line_start(line)
        end = self.text.find("\n", start)
        return self.text[start : end if end != -1 else len(self.text)].rstrip("\r")

    def provenance(self, file: str, offset: int) -> Provenance:
        """Where ``offset`` is: its line, column and the stripped text of its line."""
        line, column = self.position(offset)
        text = self.text
        start = offset - column + 1
        end = text.find("\n", offset)
        declared = text[start:end] if end != -1 else text[start:]
        return Provenance(file, line, column, declared.strip())

    def line_provenance(self, file: str, line: int) -> Provenance:
        text = self.line_text(line)
        column = len(text) - len(text.lstrip()) + 1
        return Provenance(file, line, column, text.strip())


class TomlLineLocator:
    """Finds the lines of ``[[<table>]]`` entries in a TOML lock, in document order.

    TOML decoders drop positions, so (like osv-scalibr) we scan the text a
    second time: the n-th ``[[package]]`` header of the text is the n-th entry
    of the decoded array, and the entry's ``name = ...`` line is its declaration.
    """

    def __init__(self, text: str, table: str = "package") -> None:
        self.index = LineIndex(text)
        self._headers = _array_headers(text, table)
        self._name = re.compile(r"^[ \t]*name[ \t]*=", re.M)

    def __len__(self) -> int:
        return len(self._headers)

    def entry(self, file: str, n: int) -> Provenance | None:
        """Provenance of the n-th entry: its ``name =`` line, else its header."""
        if n >= len(self._headers):
            return None
        start = self._headers[n]
        end = self._headers[n + 1] if n + 1 < len(self._headers) else len(self.index.text)
        found = self._name.search(self.index.text, start, end)
        return self.index.provenance(file, found.start() if found else start)

    def header_line(self, n: int) -> int:
        return self.index.position(self._headers[n])[0] if n < len(self._headers) else 0


def _array_headers(text: str, table: str) -> list[int]:
    """Offsets of the ``[[table]]`` header lines (a literal search: far faster than a regex)."""
    needle = f"[[{table}]]"
    found = []
    pos = text.find(needle)
    while pos != -1:
        line_start = text.rfind("\n", 0, pos) + 1
        if not text[line_start:pos].strip():
            found.append(line_start)
        pos = text.find(needle, pos + len(needle))
    if not found and f"[[ {table}" in text:  # unusual spacing inside the brackets
        header = re.compile(rf"^[ \t]*\[\[[ \t]*{re.escape(table)}[ \t]*\]\][ \t]*(?:#.*)?$", re.M)
        found = [m.start() for m in header.finditer(text)]
    return found


def load_toml(text: str, path: str) -> dict[str, Any]:
    """Parse TOML with ``tomli`` (compiled, about 2x faster than ``tomllib``), located errors."""
    import tomli

    try:
        return tomli.loads(text)
    except RecursionError:
        from auditor.resolvers._nesting import nesting_error

        raise nesting_error(text, path, "TOML") from None
    except tomli.TOMLDecodeError as error:
        line = getattr(error, "lineno", 0) or _line_from_message(str(error))
        message = getattr(error, "msg", str(error))
        raise InputError(path, line, f"invalid TOML: {message}") from None


def _line_from_message(message: str) -> int:
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else 0


def require(
    mapping: Mapping[str, Any],
    key: str,
    kind: type[T] | tuple[type, ...],
    path: str,
    where: str,
    line: int = 0,
) -> T:
    """``mapping[key]`` checked against ``kind``, else a located :class:`InputError`."""
    if key not in mapping:
        raise InputError(path, line, f"missing {key!r} in {where}")
    value = mapping[key]
    if not isinstance(value, kind):
        expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise InputError(path, line, f"{key!r} in {where} must be {_article(expected)}, not {type(value).__name__}")
    return value  # type: ignore[return-value]


def _article(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


def iter_tables(value: Any, path: str, where: str, line: int = 0) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """Each element of an array of tables, or a located error for a non-table element."""
    if not isinstance(value, list):
        raise InputError(path, line, f"{where} must be an array of tables, not {type(value).__name__}")
    for n, item in enumerate(value):
        if not isinstance(item, dict):
            raise InputError(path, line, f"{where}[{n}] must be a table, not {type(item).__name__}")
        yield n, item

