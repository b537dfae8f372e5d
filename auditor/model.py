"""The normalized shapes every resolver produces and every later stage reads.

A resolver turns one file into a :class:`ResolveResult`: the project(s) it
declares, the packages it records, the dependency edges between them, and
anything it could not judge (:class:`Skipped`). Every package and edge that
came from a file carries a :class:`Provenance` so findings can point at the
exact line.

Immutable records here and across the package are ``NamedTuple``s, mutable
ones slotted dataclasses. On Python 3.11 defining a frozen dataclass costs
about 1 ms (six generated methods, each compiled when the module loads) and
building one costs several times a tuple; with forty such records, that was
a third of a small audit's start-up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, NamedTuple, NewType

__all__ = [
    "DEV",
    "MAIN",
    "Edge",
    "FileRole",
    "Include",
    "NormalizedName",
    "Package",
    "ProjectDecl",
    "Provenance",
    "ResolveResult",
    "Skipped",
    "SourceKind",
    "canonical_name",
    "group_scope",
    "optional_scope",
    "registry_purl",
]

NormalizedName = NewType("NormalizedName", str)

_NAME_SEPARATORS = re.compile(r"[-_.]+")

MAIN = "main"
DEV = "dev"

SourceKind = Literal["registry", "url", "vcs", "path", "editable", "virtual", "unknown"]
FileRole = Literal["manifest", "lock", "sbom"]


def canonical_name(name: str) -> NormalizedName:
    """PEP 503 normalization (the same rule as ``packaging.utils.canonicalize_name``).

    Inlined because it sits on the hot path of every resolver; most names in a
    lock are already normal, which three substring tests tell faster than a regex.
    """
    lowered = name.lower()
    if "_" not in lowered and "." not in lowered and "--" not in lowered:
        return NormalizedName(lowered)
    return NormalizedName(_NAME_SEPARATORS.sub("-", lowered))


def registry_purl(ecosystem: str, name: str, version: str) -> str:
    """The purl of a package from its ecosystem's registry (``pkg:pypi/torch@2.13.0%2Bcpu``)."""
    from urllib.parse import quote

    return f"pkg:{ecosystem}/{quote(name, safe='/')}@{quote(version, safe='')}"


def optional_scope(extra: str) -> str:
    """Scope of a dependency that only an extra pulls in."""
    return f"optional:{canonical_name(extra)}"


def group_scope(group: str) -> str:
    """Scope of a dependency group; the conventional ``dev`` group is plain ``dev``."""
    normalized = canonical_name(group)
    return DEV if normalized == DEV else f"group:{normalized}"


class Provenance(NamedTuple):
    """Where a declaration is written: file relative to the audited root, 1-based line and column."""

    file: str
    line: int
    column: int = 1
    text: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(slots=True)
class Package:
    """One resolved (or only declared) package.

    ``version`` is the resolved version as written (PEP 440 where valid), or
    ``None`` when the file only declares a requirement (a manifest, or an SBOM
    entry with a version range). ``ecosystem`` is the purl type. ``scopes`` are
    the groups the file states for the package; empty means the file does not
    say (a Poetry lock without groups, pylock.toml, a compiled requirements file),
    and the graph then takes them from the files that do.
    """

    name: NormalizedName
    version: str | None
    provenance: Provenance | None
    ecosystem: str = "pypi"
    purl: str | None = None
    scopes: set[str] = field(default_factory=set)
    source: SourceKind = "registry"
    display_name: str = ""
    licence: str | None = None  # as the file states it (an SPDX id or expression, or a free-text name)

    def __post_init__(self) -> None:
        if not self.display_name:
            self.display_name = self.name

    @property
    def key(self) -> tuple[str, NormalizedName]:
        """Identity inside a graph: two ecosystems may share a name."""
        return (self.ecosystem, self.name)


class Edge(NamedTuple):
    """``parent`` depends on ``child``.

    ``parent is None`` means the project the file belongs to (a direct
    dependency). ``scope`` is the scope the declaration puts ``child`` in.
    """

    parent: NormalizedName | None
    child: NormalizedName
    specifier: str = ""
    extras: tuple[str, ...] = ()
    marker: str | None = None
    scope: str = MAIN
    provenance: Provenance | None = None
    source: SourceKind = "registry"
    ecosystem: str = "pypi"
    child_version: str | None = None  # set where a lock names the exact node (several versions)


class Skipped(NamedTuple):
    """Something a resolver could read but not judge, kept as data with the reason."""

    name: str
    reason: str
    provenance: Provenance | None = None


class Include(NamedTuple):
    """A reference to another input file (``-r``, ``-c``, a workspace member)."""

    target: str  # as written
    kind: Literal["requirements", "constraints"]
    provenance: Provenance


@dataclass(slots=True)
class ProjectDecl:
    """A project a file declares: the root of the dependency graph.

    ``directory`` is relative to the file's own directory ("" for the same
    folder); a uv workspace lock declares one per member.
    ``dependencies_at`` is where the direct dependency list starts, the place
    a finding about a *missing* component points to.
    """

    name: NormalizedName | None
    version: str | None = None
    requires_python: str | None = None
    requires_python_at: Provenance | None = None
    dependencies_at: Provenance | None = None
    directory: str = ""
    provenance: Provenance | None = None


@dataclass(slots=True)
class ResolveResult:
    """Everything one file says, before merging into a project graph.

    For a lockfile, edges whose ``parent`` is a declared project's name are
    that project's direct dependencies; edges with ``parent is None`` belong to
    the (single) project of the file.
    """

    file: str
    format: str
    role: FileRole
    projects: list[ProjectDecl] = field(default_factory=list)
    packages: list[Package] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    includes: list[Include] = field(default_factory=list)
    # Whether root edges name the direct dependencies. False where they only carry scopes
    # (Pipfile.lock's sections) or list every package (a flat SBOM): directness is then unknown.
    records_direct: bool = True
    # Whether several versions of one package are alternatives per environment (a lock's
    # marker forks), never installed together; an SBOM's or a pin list's versions coexist.
    alternative_versions: bool = False
    # The Pythons a lock was resolved for (pdm's requires_python, Poetry's python-versions,
    # uv's requires-python): a dependency whose marker cannot hold for them is not an edge.
    lock_python: str | None = None
