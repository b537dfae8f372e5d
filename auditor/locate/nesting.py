"""Located errors for input nested deeper than a parser will go.

``tomli`` and ``json`` recurse once per level of ``[``/``{``; a hostile file
of a few kilobytes (``[[[[...``) exhausts the stack and they raise
``RecursionError``. No dependency file nests more than a handful of levels,
so the resolvers turn that into an :class:`InputError` on the line where the
nesting became absurd, found by one linear scan that skips quoted strings.
"""

from __future__ import annotations

from auditor.errors import InputError

__all__ = ["MAX_NESTING", "nesting_error", "nesting_line"]

MAX_NESTING = 64
_OPEN = frozenset("[{")
_CLOSE = frozenset("]}")


def nesting_line(text: str, limit: int = MAX_NESTING) -> int:
    """1-based line where bracket depth first exceeds ``limit`` (0 when it never does)."""
    depth = 0
    line = 1
    quote = ""
    escaped = False
    for char in text:
        if char == "\n":
            line += 1
        if quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote:
                quote = ""
            continue
        if char in "\"'":
            quote = char
        elif char in _OPEN:
            depth += 1
            if depth > limit:
                return line
        elif char in _CLOSE:
            depth = max(depth - 1, 0)
    return 0


def nesting_error(text: str, path: str, kind: str) -> InputError:
    """The :class:`InputError` for a ``RecursionError`` raised while decoding ``kind`` (TOML, JSON)."""
    line = nesting_line(text)
    return InputError(
        path, line, f"invalid {kind}: arrays or tables nested too deeply (over {MAX_NESTING} levels)"
    )
