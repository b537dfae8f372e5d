"""Duplicate keys in a JSON object: refused, located.

RFC 8259 leaves duplicate names undefined; Python keeps the last, other
readers the first. A lock file with two ``"default"`` sections would show one
set of packages to the installer and another to the auditor, so a resolver
refuses it. ``json.loads(..., object_pairs_hook=refuse_duplicates)`` finds the
problem; :func:`duplicate_key_line` then finds where, with one token pass
(only on that error path).
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["DuplicateKey", "duplicate_key_line", "refuse_duplicates"]

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]')


class DuplicateKey(ValueError):
    """Raised by :func:`refuse_duplicates`; ``key`` is the repeated name."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An ``object_pairs_hook`` that raises :class:`DuplicateKey` on a repeated name."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKey(key)
        result[key] = value
    return result


def duplicate_key_line(text: str) -> int:
    """1-based line of the first repeated key within one object (0 when there is none)."""
    seen: list[set[str] | None] = []  # one set per open object, None for arrays
    previous = ""
    for token in _TOKEN.finditer(text):
        lexeme = token.group(0)
        if lexeme == "{":
            seen.append(set())
        elif lexeme == "[":
            seen.append(None)
        elif lexeme in "}]":
            if seen:
                seen.pop()
        elif lexeme == ":" and previous.startswith('"') and seen and seen[-1] is not None:
            key = json.loads(previous)
            if key in seen[-1]:
                return text.count("\n", 0, token.start()) + 1
            seen[-1].add(key)
        previous = lexeme
    return 0
