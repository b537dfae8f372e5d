"""How much each file's statements weigh when one project's files are merged, and where files disagree.

A manifest states what the project declares; a lock that records the root's dependencies
(uv.lock, a compiled requirements file, an SBOM with a root component) is next; files that
record no root (poetry.lock, pdm.lock, Pipfile.lock, pylock.toml, a flat SBOM) state no
directness at all. :func:`strength` ranks the root edges that carry scopes.
"""

from __future__ import annotations

from typing import NamedTuple

from auditor.model import NormalizedName, ResolveResult

__all__ = [
    "LockDisagreement",
    "claim",
    "disagreements",
    "has_root_edges",
    "strength",
    "versions_by_name",
]

Key = tuple[str, NormalizedName]


class LockDisagreement(NamedTuple):
    """Two locks of one project that resolve shared packages differently; the audit used ``used``."""

    used: str
    other: str
    packages: tuple[NormalizedName, ...]


def strength(result: ResolveResult) -> int:
    """How much a file's root edges are worth as a statement of the project's groups."""
    if result.role == "manifest":
        return 2 if result.format == "requirements" else 3  # a requirements file's scope is its file name
    return 1


def has_root_edges(result: ResolveResult, roots: set[NormalizedName]) -> bool:
    return any(edge.parent is None or edge.parent in roots for edge in result.edges)


def claim(claims: dict[Key, tuple[int, set[str]]], key: Key, strength: int, scope: str) -> None:
    held = claims.get(key)
    if held is None or held[0] < strength:
        claims[key] = (strength, {scope})
    elif held[0] == strength:
        held[1].add(scope)


def disagreements(resolved: list[ResolveResult]) -> list[LockDisagreement]:
    """Pairs of locks of one project that resolve packages they share to different versions."""
    locks = [r for r in resolved if r.role == "lock" and r.format != "requirements"]
    if len(locks) < 2:
        return []
    used = locks[0]
    used_versions = versions_by_name(used)
    found = []
    for other in locks[1:]:
        differing = sorted(
            name
            for name, versions in versions_by_name(other).items()
            # No version in common: a fork in one lock (django 5.2 and 6.1) that covers the other's pin agrees.
            if name in used_versions and versions and used_versions[name] and not versions & used_versions[name]
        )
        if differing:
            found.append(LockDisagreement(used.file, other.file, tuple(differing)))
    return found


def versions_by_name(result: ResolveResult) -> dict[NormalizedName, set[str]]:
    versions: dict[NormalizedName, set[str]] = {}
    for package in result.packages:
        if package.version:
            versions.setdefault(package.name, set()).add(package.version)
    return versions
