"""The fast path for locks: the entries of one array of tables (``[[package]]``), found by a literal search.

A 5,000-package lock is mostly its ``[[package]]`` entries; finding their
headers with ``str.find`` costs a few milliseconds where the full scan of
:mod:`auditor.locate.toml` costs far more. The full scan stays the reference:
when the headers found do not match the decoded entries one to one, it
decides (tool-written locks always match), and
``tests/property/test_toml_locator.py`` checks the two agree.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from auditor.locate.lines import LineIndex
from auditor.locate.toml import array_table_lines
from auditor.model import Provenance

__all__ = ["ArrayTableLocator"]


class ArrayTableLocator:
    """The entries of one array of tables (``[[package]]``) in a lock, in document order.

    The fast path for locks: the n-th ``[[package]]`` header of the text is the
    n-th entry of the decoded array (found by a literal search, far faster than
    a scan), and the entry's ``name = ...`` line is its declaration.

    ``decoded`` is the decoded array (None when absent). The literal search is
    trusted only when it finds one header per decoded entry and the text has no
    other ``[[`` (but nested ``[[package.x]]``); otherwise (a header spelled
    ``[["package"]]``, header-like text inside a multi-line string) the full
    scan decides. Tool-written locks always take the fast path.
    """

    def __init__(self, text: str, table: str, decoded: object) -> None:
        self.index = LineIndex(text)
        self._headers = _array_headers(text, table)
        if not self._trusted(decoded, table):
            self._headers = array_table_lines(text, table)
        self._name = re.compile(r"^[ \t]*name[ \t]*=", re.M)

    def _trusted(self, decoded: object, table: str) -> bool:
        """One header found per decoded entry, and no other ``[[`` that could be a header or hide one."""
        text, headers = self.index.text, self._headers
        entries = decoded if isinstance(decoded, list) else []
        if len(entries) != len(headers):  # a header spelled otherwise, or header-like text in a string
            return False
        # A look-alike in a string and a real header spelled [["package"]] would cancel out in the
        # count above; both add a "[[" that is not a found header (nested arrays of tables aside).
        others = text.count("[[") - len(headers)
        return others == 0 or others == text.count(f"[[{table}.")

    def __len__(self) -> int:
        return len(self._headers)

    def entry(self, file: str, n: int) -> Provenance | None:
        """Provenance of the n-th entry: its ``name =`` line, else its header."""
        if n >= len(self._headers):
            return None
        start, end = self.span(n)
        found = self._name.search(self.index.text, start, end)
        return self.index.provenance(file, found.start() if found else start)

    def header_line(self, n: int) -> int:
        return self.index.position(self._headers[n])[0] if n < len(self._headers) else 0

    def span(self, n: int) -> tuple[int, int]:
        """Start and end offsets of the n-th entry (header to next header)."""
        headers = self._headers
        if n >= len(headers):
            return len(self.index.text), len(self.index.text)
        end = headers[n + 1] if n + 1 < len(headers) else len(self.index.text)
        return headers[n], end

    def entry_at(self, offset: int) -> int | None:
        """Number of the entry whose span holds ``offset`` (None before the first header)."""
        n = bisect_right(self._headers, offset) - 1
        return n if n >= 0 else None

    def at(self, file: str, offset: int | None, n: int) -> Provenance | None:
        """Provenance of ``offset`` when known, else of entry ``n``."""
        return self.index.provenance(file, offset) if offset is not None else self.entry(file, n)

    def entries(self) -> Iterator[int]:
        """The header offsets, in order."""
        return iter(self._headers)


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
    return found
