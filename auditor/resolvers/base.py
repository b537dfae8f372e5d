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
from auditor.locate.lines import LineIndex
from auditor.model import FileRole, ResolveResult

__all__ = [
    "LineIndex",
    "Resolver",
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


def load_toml(text: str, path: str) -> dict[str, Any]:
    """Parse TOML with ``tomli`` (compiled, about 2x faster than ``tomllib``), located errors."""
    import tomli

    try:
        return tomli.loads(text)
    except RecursionError:
        from auditor.locate.nesting import nesting_error

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
