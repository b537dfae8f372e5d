"""Offsets to lines: :class:`LineIndex`, the one cursor every locator and resolver uses."""

from __future__ import annotations

from auditor.model import Provenance

__all__ = ["LineIndex"]


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
