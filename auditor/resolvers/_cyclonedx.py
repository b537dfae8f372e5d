"""What the CycloneDX JSON and XML resolvers share: from raw components to a ResolveResult.

Both readers reduce a document to :class:`RawComponent` and
:class:`RawDependency` values (strings as written, plus where they start), and
:func:`build` turns them into the normalized model:

* every component is kept, nested ``components`` too (containment is not a
  dependency, so nesting makes no edge);
* identity comes from the purl (:mod:`auditor.resolvers._sbom`); a component
  without a purl is kept with ecosystem ``generic`` and its ``group/name``
  as written;
* ``scope``: absent or ``required`` is :data:`~auditor.model.MAIN`;
  ``optional`` is ``optional:sbom`` (CycloneDX names no extra, so the scope
  says where the optionality was read); ``excluded`` is kept as the scope
  ``excluded`` (the SBOM author says it is not part of the deliverable, e.g. a
  build tool: rules can still see it, and filter on the scope);
* ``dependencies``: each ``ref`` -> ``dependsOn`` pair, by ``bom-ref``, is an
  :class:`~auditor.model.Edge`; edges from the root component
  (``metadata.component``) have ``parent=None``, and so do edges from the
  root's own sub-components (``metadata.component.components``: the parts of
  the project, e.g. the several projects of a monorepo audit, each one is a part
  of the file's project). A ref naming no component becomes a
  :class:`~auditor.model.Skipped`.
"""

from __future__ import annotations

from typing import NamedTuple

from auditor.errors import InputError
from auditor.model import (
    MAIN,
    Edge,
    NormalizedName,
    Package,
    ProjectDecl,
    Provenance,
    ResolveResult,
    Skipped,
    SourceKind,
    optional_scope,
)
from auditor.resolvers._sbom import identity, parse_purl

__all__ = ["EXCLUDED", "OPTIONAL", "RawComponent", "RawDependency", "build", "scope_of"]

OPTIONAL = optional_scope("sbom")
EXCLUDED = "excluded"
_SCOPES = {"": MAIN, "required": MAIN, "optional": OPTIONAL, "excluded": EXCLUDED}


class RawComponent(NamedTuple):
    """One ``component`` as written, and where its declaration starts."""

    name: str
    provenance: Provenance
    where: str  # context path for messages, e.g. "components[3]"
    group: str = ""
    version: str = ""
    purl: str = ""
    scope: str = ""
    bom_ref: str = ""
    licence: str = ""


class RawDependency(NamedTuple):
    """One ``dependencies`` entry: ``ref`` depends on each of ``depends_on``."""

    ref: str
    provenance: Provenance
    depends_on: list[str]


def scope_of(raw: RawComponent, path: str) -> str:
    """The model scope of a CycloneDX ``scope`` value, or a located error for an unknown one."""
    scope = _SCOPES.get(raw.scope)
    if scope is None:
        raise InputError(
            path,
            raw.provenance.line,
            f"unknown scope {raw.scope!r} in {raw.where} (expected required, optional or excluded)",
        )
    return scope


def _package(raw: RawComponent, path: str) -> Package:
    source: SourceKind = "unknown"
    if raw.purl:
        try:
            purl = parse_purl(raw.purl)
        except ValueError as error:
            raise InputError(path, raw.provenance.line, f"invalid purl {raw.purl!r} in {raw.where}: {error}") from None
        ecosystem = purl.type
        name = identity(ecosystem, purl.namespace, purl.name)
        version = purl.version or raw.version or None
        source = purl.source
    else:
        ecosystem = "generic"
        name = NormalizedName(f"{raw.group}/{raw.name}" if raw.group else raw.name)
        version = raw.version or None
    return Package(
        name=name,
        version=version,
        provenance=raw.provenance,
        ecosystem=ecosystem,
        purl=raw.purl or None,
        scopes={scope_of(raw, path)},
        source=source,
        display_name=raw.name if ecosystem == "pypi" else name,
        licence=raw.licence or None,
    )


def build(
    path: str,
    format: str,
    root: RawComponent | None,
    components: list[RawComponent],
    dependencies: list[RawDependency],
    root_parts: list[RawComponent] | None = None,
) -> ResolveResult:
    """The normalized result of one CycloneDX document.

    (long: one pass over components and dependencies)
    """
    result = ResolveResult(file=path, format=format, role="sbom")
    by_ref: dict[str, Package] = {}
    for raw in components:
        if not raw.name:
            raise InputError(path, raw.provenance.line, f"missing 'name' in {raw.where}")
        package = _package(raw, path)
        result.packages.append(package)
        if raw.bom_ref:
            by_ref.setdefault(raw.bom_ref, package)
    root_ref = None
    root_refs = {part.bom_ref for part in root_parts or () if part.bom_ref}
    if root is not None:
        project = _package(root, path) if root.name else None
        root_ref = root.bom_ref or None
        if root_ref:
            root_refs.add(root_ref)
        result.projects.append(
            ProjectDecl(
                name=project.name if project else None,
                version=project.version if project else None,
                provenance=root.provenance,
                dependencies_at=next((d.provenance for d in dependencies if root_ref and d.ref == root_ref), None),
            )
        )
    # what every edge into a component repeats, computed once per component
    targets = {
        ref: (package.name, next(iter(package.scopes)), package.source, package.ecosystem, package.version)
        for ref, package in by_ref.items()
    }
    edges = result.edges
    for dependency in dependencies:
        is_root = dependency.ref in root_refs
        parent_package = None if is_root else by_ref.get(dependency.ref)
        if parent_package is None and not is_root:
            result.skipped.append(Skipped(dependency.ref, "dependency ref names no component", dependency.provenance))
            continue
        parent = parent_package.name if parent_package is not None else None
        provenance = dependency.provenance
        for ref in dependency.depends_on:
            target = targets.get(ref)
            if target is None:
                if ref not in root_refs:
                    result.skipped.append(Skipped(ref, "dependsOn names no component", provenance))
                continue
            name, scope, source, ecosystem, version = target
            edges.append(
                Edge(
                    parent=parent,
                    child=name,
                    scope=scope,
                    provenance=provenance,
                    source=source,
                    ecosystem=ecosystem,
                    child_version=version,
                )
            )
    return result
