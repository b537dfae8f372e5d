"""One parsed Python file as collectors see it, with the helpers they share."""

from __future__ import annotations

import ast

from auditor.evidence.model import Certainty, Fact

__all__ = ["SourceFile", "dotted", "string_value"]


class SourceFile:
    """A file's path (relative to the audited root), its text and its ``ast`` tree."""

    __slots__ = ("_lines", "path", "text", "tree")

    def __init__(self, path: str, text: str, tree: ast.Module) -> None:
        self.path = path
        self.text = text
        self.tree = tree
        self._lines: list[str] | None = None

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.splitlines()
        return self._lines

    def line(self, number: int) -> str:
        lines = self.lines
        return lines[number - 1].strip() if 0 < number <= len(lines) else ""

    def fact(self, kind: str, value: str, node: ast.AST, certainty: Certainty = "yes", detail: str = "") -> Fact:
        line = getattr(node, "lineno", 1)
        column = getattr(node, "col_offset", 0) + 1
        return Fact(kind, value, self.path, line, column, self.line(line)[:200], certainty, detail)

    def comment_near(self, line: int) -> str:
        """The comment on ``line`` or alone on the line above ('' if none)."""
        here = self._comment(self.line(line))
        if here:
            return here
        above = self.line(line - 1)
        return above[1:].strip() if above.startswith("#") else ""

    @staticmethod
    def _comment(text: str) -> str:
        # A '#' inside a string literal is rare on a call line; the marker check wants a prefix anyway.
        index = text.find("#")
        return text[index + 1 :].strip() if index >= 0 else ""


def dotted(node: ast.AST) -> str:
    """``a.b.c`` for a Name/Attribute chain, the callee's for a call; '' for anything else."""
    parts: list[str] = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            parts.append(node.id)
            return ".".join(reversed(parts))
        else:
            return ".".join(reversed(parts)) if parts else ""


def string_value(node: ast.AST | None) -> str | None:
    """A string literal's value, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None
