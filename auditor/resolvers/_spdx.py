"""What the SPDX JSON and tag-value resolvers share: from raw packages to a ResolveResult.

Both readers reduce a document to :class:`RawPackage` and
:class:`RawRelationship` values, and :func:`build` maps them:

* identity from the first ``purl`` external reference
  (:mod:`auditor.resolvers._sbom`); without one, GitHub's dependency-graph
  names (``pip:requests``, ``npm:left-pad``) give the ecosystem, and anything
  else is ``generic`` with its name as written;
* ``versionInfo``: a version; a *range* (GitHub writes ``>= 2.8.0,<= 6.2.5``
  for manifest entries it could not resolve) is not a version, so the package
  gets ``version=None`` and the range becomes the specifier of the edges into
  it (spaces removed for pypi: ``>=2.8.0,<=6.2.5``). ``NOASSERTION`` and
  empty strings are no version;
* the project: the one package the document ``DESCRIBES`` (relationship or
  ``documentDescribes``). It becomes a :class:`~auditor.model.ProjectDecl`,
  is not listed as a package, and its edges have ``parent=None`` (GitHub's
  export has flat ``DEPENDS_ON`` edges from the repository package: the
  direct dependencies). When a document describes several packages
  (sbom4python describes every package it lists) no root is guessed: all
  packages stay packages and all edges stay package-to-package;
* relationships: ``DEPENDS_ON`` (A -> B) and the reverse ``*_DEPENDENCY_OF``
  types (B -> A), whose kind gives the edge's scope: ``DEV_`` -> ``dev``,
  ``OPTIONAL_`` -> ``optional:sbom``, ``TEST_`` -> ``group:test``, ``BUILD_``
  -> ``group:build``, plain and ``RUNTIME_`` -> ``main``. A package's scopes
  are those of the edges into it (``main`` when none). Relationships with
  files, snippets, other documents, ``NONE`` or ``NOASSERTION`` are not
  dependencies between packages and are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from auditor.errors import InputError
from auditor.model import (
    DEV,
    MAIN,
    Edge,
    NormalizedName,
    Package,
    ProjectDecl,
    Provenance,
    ResolveResult,
    Skipped,
    SourceKind,
    group_scope,
    optional_scope,
)
from auditor.resolvers._sbom import identity, parse_purl

__all__ = ["RawPackage", "RawRelationship", "build", "is_range"]

# relationship type -> (reversed?, scope)
_DEPENDENCIES = {
    "DEPENDS_ON": (False, MAIN),
    "DEPENDENCY_OF": (True, MAIN),
    "RUNTIME_DEPENDENCY_OF": (True, MAIN),
    "DEV_DEPENDENCY_OF": (True, DEV),
    "OPTIONAL_DEPENDENCY_OF": (True, optional_scope("sbom")),
    "TEST_DEPENDENCY_OF": (True, group_scope("test")),
    "BUILD_DEPENDENCY_OF": (True, group_scope("build")),
}
# GitHub's dependency-graph package names: "<manager>:<name>" -> purl type
_MANAGERS = {
    "pip": "pypi",
    "npm": "npm",
    "rubygems": "gem",
    "go": "golang",
    "composer": "composer",
    "maven": "maven",
    "nuget": "nuget",
    "cargo": "cargo",
    "actions": "githubactions",
    "pub": "pub",
    "swift": "swift",
}
_RANGE = re.compile(r"\s*[<>=!~^*]|.*,")
_NO_VERSION = {"", "NOASSERTION", "NONE"}


@dataclass(slots=True)
class RawPackage:
    """One SPDX package as written, and where it is declared."""

    spdx_id: str
    name: str
    provenance: Provenance
    where: str
    version: str = ""
    purls: list[str] = field(default_factory=list)


class RawRelationship(NamedTuple):
    """``element relationship_type related``, as written."""

    element: str
    type: str
    related: str
    provenance: Provenance


def is_range(version: str) -> bool:
    """True for a version *range* (``< 40.0.0``, ``>= 2.8.0,<= 6.2.5``), not a version."""
    return _RANGE.match(version) is not None


def _package(raw: RawPackage, path: str) -> tuple[Package, str]:
    """The package, and the version range written in place of a version ("" when none)."""
    written = raw.version.strip()
    if written in _NO_VERSION:
        written = ""
    version_range = written if written and is_range(written) else ""
    source: SourceKind = "unknown"
    version = None if version_range else (written or None)
    purl_text = raw.purls[0] if raw.purls else None
    if purl_text is not None:
        try:
            purl = parse_purl(purl_text)
        except ValueError as error:
            raise InputError(path, raw.provenance.line, f"invalid purl {purl_text!r} in {raw.where}: {error}") from None
        ecosystem = purl.type
        name = identity(ecosystem, purl.namespace, purl.name)
        version = purl.version or version
        source = purl.source
    else:
        manager, colon, rest = raw.name.partition(":")
        if colon and manager in _MANAGERS and rest:
            ecosystem = _MANAGERS[manager]
            name = identity(ecosystem, None, rest)
            source = "registry"
        else:
            ecosystem = "generic"
            name = NormalizedName(raw.name)
    if ecosystem == "pypi" and version_range:
        version_range = version_range.replace(" ", "")
        if not _is_specifier(version_range):
            version_range = f"!{version_range}"  # marks it for build(): not PEP 440
    display = raw.name.partition(":")[2] if ecosystem == "pypi" and ":" in raw.name else raw.name
    package = Package(
        name=name,
        version=version,
        provenance=raw.provenance,
        ecosystem=ecosystem,
        purl=purl_text,
        source=source,
        display_name=display if ecosystem == "pypi" else name,
    )
    return package, version_range


def _is_specifier(text: str) -> bool:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        SpecifierSet(text)
    except InvalidSpecifier:
        return False
    return True


def build(
    path: str,
    format: str,
    packages: list[RawPackage],
    relationships: list[RawRelationship],
    document_id: str,
    describes: list[str],
) -> ResolveResult:
    """The normalized result of one SPDX document.

    (long: one pass over packages and relationships)
    """
    result = ResolveResult(file=path, format=format, role="sbom")
    by_id: dict[str, tuple[Package, str]] = {}
    for raw in packages:
        if raw.spdx_id in by_id:
            raise InputError(path, raw.provenance.line, f"duplicate SPDXID {raw.spdx_id!r} in {raw.where}")
        package, version_range = _package(raw, path)
        if version_range.startswith("!"):
            # GitHub also writes npm-style ranges for pip ("< 1.5.7 || > 1.5.7"): keep the
            # package, say why its range is not used
            reason = f"version range {raw.version!r} is not a PEP 440 specifier"
            result.skipped.append(Skipped(package.name, reason, raw.provenance))
            version_range = ""
        by_id[raw.spdx_id] = (package, version_range)
    described = list(describes)
    for relationship in relationships:
        if relationship.type == "DESCRIBES" and relationship.element == document_id:
            described.append(relationship.related)
        elif relationship.type == "DESCRIBED_BY" and relationship.related == document_id:
            described.append(relationship.element)
    roots = sorted({spdx_id for spdx_id in described if spdx_id in by_id})
    root_id = roots[0] if len(roots) == 1 else None
    if root_id is not None:
        project, _ = by_id[root_id]
        result.projects.append(ProjectDecl(project.name, project.version, provenance=project.provenance))
    scopes: dict[str, set[str]] = {}
    for relationship in relationships:
        kind = _DEPENDENCIES.get(relationship.type)
        if kind is None:
            continue
        reverse, scope = kind
        parent_id, child_id = (
            (relationship.related, relationship.element) if reverse else (relationship.element, relationship.related)
        )
        if child_id == root_id or child_id not in by_id or (parent_id != root_id and parent_id not in by_id):
            continue
        child, version_range = by_id[child_id]
        scopes.setdefault(child_id, set()).add(scope)
        result.edges.append(
            Edge(
                parent=None if parent_id == root_id else by_id[parent_id][0].name,
                child=child.name,
                specifier=version_range,
                scope=scope,
                provenance=relationship.provenance,
                source=child.source,
                ecosystem=child.ecosystem,
                child_version=child.version,
            )
        )
    for spdx_id, (package, _) in by_id.items():
        if spdx_id == root_id:
            continue
        package.scopes = scopes.get(spdx_id) or {MAIN}
        result.packages.append(package)
    # GitHub's export hangs every package on the repository and records no other edge: that
    # lists the packages, it does not say which ones the project declares.
    result.records_direct = any(edge.parent is not None for edge in result.edges)
    return result
