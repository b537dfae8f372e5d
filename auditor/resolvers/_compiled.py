"""What a compiled requirements file (pip-compile, uv pip compile, uv export) says beyond its pins.

``# via`` blocks name each pin's parents: packages, or the input file that declares it
(``-r requirements-dev.in``), whose name gives the scope it was declared in.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from auditor.model import DEV, MAIN, group_scope
from auditor.resolvers.base import LineIndex

__all__ = ["input_scope", "names_input", "scope_of_file", "via_blocks"]

_VIA = re.compile(r"^\s*#\s+via\b(.*)$")
_VIA_MORE = re.compile(r"^\s*#\s{2,}(\S.*)$")


def scope_of_file(path: str) -> str:
    """``requirements-dev.txt``, ``requirements/test.in``: the file name says the scope."""
    stem = PurePosixPath(path).name.rsplit(".", 1)[0].lower()
    words = set(re.split(r"[-_.]", stem))
    if words & {"dev", "develop", "development", "lint", "linting", "typing"}:
        return DEV
    if words & {"test", "tests", "testing"}:
        return group_scope("test")
    if words & {"doc", "docs"}:
        return group_scope("docs")
    return MAIN


def input_scope(via: str) -> str:
    """Scope of the input file a ``# via`` names (``-r requirements-dev.in`` -> dev)."""
    target = via.split(None, 1)[1] if via.startswith(("-r ", "-c ")) else via
    return scope_of_file(target.strip())


def names_input(via: str) -> bool:
    """``-r requirements.in``, ``-c constraints.txt`` or a file name: the package is direct."""
    return via.startswith(("-r ", "-c ", "--")) or "/" in via or via.endswith((".in", ".txt", ".toml", ".cfg", ".py"))


def via_blocks(index: LineIndex) -> dict[int, list[str]]:
    """``# via`` blocks keyed by the line of the requirement they follow."""
    vias: dict[int, list[str]] = {}
    lines = index.text.splitlines()
    owner = 0
    current: list[str] | None = None
    for number, raw in enumerate(lines, start=1):
        match = _VIA.match(raw)
        if match:
            rest = match.group(1).strip()
            current = vias.setdefault(owner, [])
            if rest:
                current.append(rest)
            continue
        more = _VIA_MORE.match(raw)
        if more and current is not None:
            current.append(more.group(1).strip())
            continue
        current = None
        stripped = raw.strip()
        if stripped and not stripped.startswith(("#", "--hash")) and not raw.startswith((" ", "\t")):
            owner = number
    vias.pop(0, None)
    return vias
