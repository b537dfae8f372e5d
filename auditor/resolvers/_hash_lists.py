"""Distribution files, blanked before a lock's TOML is decoded.

A 2.x ``poetry.lock`` and a 4.x ``pdm.lock`` list every distribution file of
every package (``files = [...]``), a ``uv.lock`` every wheel (``wheels = [...]``)
and source archive (``sdist = {...}``): three quarters of the text or more, and
as much of ``tomli``'s time. No check of stack-auditor reads a file name or a hash.

So each such list whose lines all have the exact shape the lock tools write
is replaced, before ``tomli`` sees the text, by ``[]`` and the same number of
newlines, and each such one-line table by ``{}``. Every line keeps its
number, and every other line its text, so the resolvers locate declarations
(and ``tomli`` its errors) in the shorter text, on the same lines.

The shape admits only valid TOML: basic strings without escapes or control
characters, integers without leading zeros, keys in one fixed order (so no
duplicate), a comma after every list item but the last. Any other list or
table (another layout, CRLF line ends, a comment, a stray character) is left
whole, for ``tomli`` to decode or to reject as before. A text with a
multi-line string (three quotes in a row anywhere) is left whole too, since
such lines could sit inside one; the lock tools never write one.
``tests/property/test_hash_lists.py`` checks that blanking never changes what
``tomli`` accepts, the line of its error, or any value but the emptied ones.
"""

from __future__ import annotations

import re

__all__ = ["blank_file_lists", "blank_file_tables"]

_STRING = r'"[^"\\\x00-\x1f\x7f]*"'
_INTEGER = r"(?:0|[1-9][0-9]*)"
# {file = "…", hash = "…"} (Poetry, PDM), {url = "…", hash = "…"} (PDM),
# { url = "…", hash = "…", size = N, upload-time = "…" } (uv).
_FILE = (
    rf"\{{ ?(?:file|url|path|filename) = {_STRING}(?:, hash = {_STRING})?"
    rf"(?:, size = {_INTEGER})?(?:, upload-time = {_STRING})? ?\}}"
)
_ITEMS = re.compile(rf"(?:    {_FILE},\n)*(?:    {_FILE}\n)?")


def _unless_multiline_strings(text: str, blanked: str) -> str:
    # Searched in the blanked text (a quarter of the bytes). What blanking removed are valid
    # lists and tables of the lock tools' shape: three quotes in a row there can only sit inside
    # their basic strings, so a multi-line string that could hold such lines starts outside them.
    return text if '"' * 3 in blanked or "'" * 3 in blanked else blanked


def blank_file_lists(text: str, key: str) -> str:
    """``text`` with every plain multi-line ``key = [...]`` list at the start of a line emptied, lines kept."""
    opener = f"\n{key} = [\n"
    pieces: list[str] = []
    copied = 0
    found = text.find(opener)
    while found != -1:
        bracket = found + len(opener) - 2
        items = _ITEMS.match(text, bracket + 2)  # it matches, if only the empty string
        items_end = items.end() if items else bracket + 2
        if text.startswith("]\n", items_end):
            pieces.append(text[copied:bracket])
            pieces.append("[]" + "\n" * text.count("\n", bracket, items_end))
            copied = items_end + 1
        found = text.find(opener, items_end)
    if not pieces:
        return text
    pieces.append(text[copied:])
    return _unless_multiline_strings(text, "".join(pieces))


def blank_file_tables(text: str, key: str) -> str:
    """``text`` with every plain one-line ``key = {...}`` file table (uv's ``sdist``) emptied to ``{}``."""
    # A literal newline first: the regex engine skips from one to the next, rather than try every offset.
    line = re.compile(rf"\n{re.escape(key)} = {_FILE}(?=\n)")
    return _unless_multiline_strings(text, line.sub(f"\n{key} = {{}}", text))
