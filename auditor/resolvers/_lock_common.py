"""Helpers shared by the Poetry, PDM, Pipenv and PEP 751 resolvers.

* :func:`poetry_to_pep440` turns a Poetry constraint (``^1.2``, ``~3.9``,
  ``>=1,<2 || >3``) into a PEP 440 specifier where one exists.
* :class:`~auditor.locate.toml_locks.ArrayTableLocator` gives the
  span of each ``[[package]]`` entry, so an entry's own sub-tables can be scanned alone.
* :func:`requirement_edge` parses a PEP 508 string (``"name>=1; marker"``)
  into an :class:`Edge`, with a located error when it is not one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from auditor.errors import InputError
from auditor.model import MAIN, Edge, NormalizedName, Provenance, SourceKind, canonical_name, group_scope
from auditor.versions import is_specifier, is_version, pep440_release

__all__ = [
    "extras_in_marker",
    "poetry_to_pep440",
    "requirement_edge",
    "scope_of_group",
    "table_source",
    "url_source",
]

_TWO_RELEASE_PARTS = re.compile(r"v?[0-9]+\.[0-9]+")
_OPERATOR = re.compile(r"^(~=|===|==|!=|<=|>=|<|>|=|\^|~)?\s*(.*)$")
_EXTRA_EQ = re.compile(r"""\bextra\s*==\s*["']([^"']+)["']""")


def scope_of_group(group: str, main_names: tuple[str, ...] = ("main", "default")) -> str:
    """Scope of a lock group: Poetry's ``main`` and PDM's ``default`` are the main scope."""
    return MAIN if group in main_names else group_scope(group)


def extras_in_marker(marker: str | None) -> list[str]:
    """The extras an ``extra == "x"`` marker names, in order."""
    return _EXTRA_EQ.findall(marker) if marker else []


def table_source(entry: Mapping[str, Any], editable_key: str = "editable") -> SourceKind:
    """SourceKind of a dependency written as a table (PDM's and Poetry's ``{git = ...}``, ``{path = ...}``)."""
    if "git" in entry or "hg" in entry or "svn" in entry or "bzr" in entry:
        return "vcs"
    if "url" in entry:
        return "url"
    if "path" in entry:
        return "editable" if entry.get(editable_key) is True else "path"
    return "registry"


def url_source(url: str) -> SourceKind:
    """SourceKind of a direct reference: VCS schemes, local files, or a plain URL."""
    if url.startswith(("git+", "hg+", "svn+", "bzr+")):
        return "vcs"
    if url.startswith("file:"):
        return "path"
    return "url"


def _bump(release: tuple[int, ...], index: int) -> str:
    parts = [*release[:index], release[index] + 1]
    return ".".join(str(p) for p in parts)


def _one_constraint(piece: str) -> str | None:
    found = _OPERATOR.match(piece.strip())
    if not found:
        return None
    operator, version = found.group(1) or "", found.group(2).strip()
    if version in ("*", ""):
        return ""
    if operator in ("^", "~"):
        release = pep440_release(version)
        if release is None:
            return None
        given = len(version.split("."))
        if operator == "^":
            # Poetry: bump the left-most non-zero part; ^0.0 -> <0.1, ^0 -> <1.
            index = next((i for i, p in enumerate(release[:given]) if p != 0), min(given, len(release)) - 1)
        else:
            # Poetry: ~1.2.3 -> <1.3, ~1.2 -> <1.3, ~1 -> <2.
            index = 0 if given == 1 else 1
        release = release + (0,) * (index + 1 - len(release))
        return f">={version},<{_bump(release, index)}"
    if operator in ("", "="):
        operator = "=="
    candidate = f"{operator}{version}"
    # A valid version with an operator that allows it makes a valid clause: no Specifier object
    # (one per edge cost ~40% of reading a 5,000-package lock), and for a plain release (1.2.3)
    # not even packaging's import. Wildcards (==4.*), === and the rest are whole-specifier
    # questions, which auditor.versions answers (plain ones without packaging).
    if "*" not in version and _plain_form(operator, version) and is_version(version):
        return candidate
    return candidate if is_specifier(candidate) else None


def _plain_form(operator: str, version: str) -> bool:
    # Where PEP 440 limits an operator (a local version only with == and !=; ~= with two
    # release parts at least), leave the judgement to packaging.
    if operator == "===" or ("+" in version and operator not in ("==", "!=")):
        return False
    return operator != "~=" or _TWO_RELEASE_PARTS.match(version) is not None


@lru_cache(maxsize=16384)
def poetry_to_pep440(constraint: str) -> str | None:
    """A PEP 440 specifier equal to the Poetry constraint, ``""`` for any, None when there is none.

    Poetry accepts ``||`` (union), which PEP 440 cannot express: those give None.
    """
    constraint = constraint.strip()
    if "||" in constraint:
        return None
    pieces = [p for p in re.split(r"\s*,\s*|\s+(?=[<>=!~^])", constraint) if p]
    converted: list[str] = []
    for piece in pieces:
        one = _one_constraint(piece)
        if one is None:
            return None
        if one:
            converted.append(one)
    return ",".join(converted)


def requirement_edge(
    spec: str,
    parent: NormalizedName | None,
    path: str,
    provenance: Provenance | None,
    scope: str = MAIN,
) -> Edge:
    """An edge from a PEP 508 requirement string, or a located :class:`InputError`."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        requirement = Requirement(spec)
    except InvalidRequirement as error:
        line = provenance.line if provenance else 0
        reason = str(error).splitlines()[0] if str(error) else "not PEP 508"  # drop packaging's caret diagram
        raise InputError(path, line, f"invalid requirement {spec!r}: {reason}") from None
    marker = str(requirement.marker) if requirement.marker is not None else None
    return Edge(
        parent=parent,
        child=canonical_name(requirement.name),
        specifier=str(requirement.specifier),
        extras=tuple(sorted(requirement.extras)),
        marker=marker,
        scope=scope,
        provenance=provenance,
        source=url_source(requirement.url) if requirement.url else "registry",
    )
