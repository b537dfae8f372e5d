"""Build a project's graph from its files: each fact from the strongest file that states it.

The lock (or SBOM) gives the resolved set, the versions and the edges; directness comes from
the manifests, else from a lock that records the root's dependencies, else it is unknown; a
package's declared scopes from the strongest file that places it (:mod:`auditor.strength`),
propagated through the lock's edges.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from auditor.graph import GraphNode, Key, ProjectGraph
from auditor.markers import can_hold, python_range_can_hold
from auditor.model import Edge, NormalizedName, ProjectDecl, Provenance, ResolveResult
from auditor.strength import claim, disagreements, has_root_edges, strength

__all__ = ["build_graph"]

# When several locks describe one project, the first kind here wins for versions.
_LOCK_PRIORITY = ("uv-lock", "poetry-lock", "pdm-lock", "pylock", "pipfile-lock", "requirements")


def build_graph(path: str, results: Iterable[ResolveResult], project_dir: str = "") -> ProjectGraph:
    """Merge the results of one project's files into its graph.

    ``project_dir`` is the project's folder relative to the audited root,
    used to pick the right member of a workspace lock that sits higher up.
    Each fact comes from the strongest file that states it (see :func:`_merge_edges`).
    """
    ordered = sorted(results, key=_priority)
    nodes: dict[Key, GraphNode] = {}
    children: dict[Key | None, list[tuple[Key, Edge]]] = {}
    graph = ProjectGraph(path=path, name=None, files=[r.file for r in ordered], nodes=nodes, children=children)
    manifests = [r for r in ordered if r.role == "manifest"]
    resolved = [r for r in ordered if r.role != "manifest"]
    graph.has_lock = bool(resolved)
    # pip-compile and pipenv resolve for the machine they run on: a dependency for another platform is
    # absent from them without the lock being stale.
    graph.universal_locks = [r.file for r in resolved if r.format in ("uv-lock", "poetry-lock", "pdm-lock", "pylock")]
    graph.formats = {r.format for r in ordered}

    decl = _project_decl(ordered, project_dir)
    if decl is not None:
        graph.name = decl.name
    for result in (*manifests, *resolved):  # the project's own manifest states its Python range first
        for project in result.projects:
            if project.requires_python and not graph.requires_python and _belongs(result, project, project_dir):
                graph.requires_python = project.requires_python
                graph.requires_python_at = project.requires_python_at
        graph.skipped.extend(result.skipped)
    graph.dependencies_at = _dependencies_at(manifests, resolved, project_dir)

    roots = {decl.name} if decl is not None and decl.name else set()
    _add_packages(graph, resolved, roots)
    _merge_edges(graph, ordered, roots)
    for result in manifests:  # pinned versions of a lock-less requirements file
        if graph.has_lock:
            break
        for package in result.packages:
            found = nodes.get(package.key)
            if found is not None and package.version and package.version not in found.versions:
                found.versions.append(package.version)
                found.purl = found.purl or package.purl
                found.source = package.source
    if None not in children and nodes:
        # A flat lock with no project root (poetry.lock alone): walks start at what nothing depends on,
        # which says nothing about what the project declares.
        depended = {child for edges in children.values() for child, _ in edges}
        for key, node in nodes.items():
            if key not in depended:
                children.setdefault(None, []).append(
                    (key, Edge(parent=None, child=node.name, ecosystem=node.ecosystem))
                )
    _propagate_scopes(graph)
    graph.lock_disagreements = disagreements(resolved)
    if decl is not None and sum(1 for r in resolved for _ in r.projects) > 1:
        _keep_reachable(graph)
    return graph


def _add_packages(graph: ProjectGraph, resolved: list[ResolveResult], roots: set[NormalizedName]) -> None:
    """Nodes of every lock and SBOM; versions from the first lock (by priority) that records the package."""
    nodes = graph.nodes
    versions_fixed: set[Key] = set()
    for result in resolved:
        first = not versions_fixed
        for package in result.packages:
            if package.name in roots and package.source in ("editable", "virtual"):
                continue
            key = (package.ecosystem, package.name)
            node = nodes.get(key) or _add_node(nodes, key, package.display_name)
            version = package.version
            if version and (first or key not in versions_fixed) and version not in node.versions:
                node.versions.append(version)
                node.alternatives = result.alternative_versions
            node.provenance = node.provenance or package.provenance
            node.purl = node.purl or package.purl
            node.scopes |= package.scopes
            node.source = package.source if node.source == "registry" else node.source
            node.records.append(package)
        if first:
            versions_fixed = set(nodes)


def _merge_edges(graph: ProjectGraph, ordered: list[ResolveResult], roots: set[NormalizedName]) -> None:
    """Edges of every file; directness and declared groups from the strongest evidence.

    Directness comes from the manifests' root edges, else from a lock that records the
    root's dependencies (uv.lock, a compiled requirements file, an SBOM with a root
    component), else it is unknown. A weaker file's root edges only add scopes to packages
    no stronger file places. A lock lists everything it installs: an edge of a lock to a
    package it does not list was excluded by a marker; a declared dependency missing from
    the lock is recorded as such (the lock is stale) unless its marker cannot hold.
    """
    nodes, children = graph.nodes, graph.children
    manifest_roots = [r for r in ordered if r.role == "manifest" and has_root_edges(r, roots)]
    lock_roots = [r for r in ordered if r.role != "manifest" and r.records_direct and has_root_edges(r, roots)]
    authorities = manifest_roots or lock_roots
    graph.direct_known = bool(authorities)
    claims: dict[Key, tuple[int, set[str]]] = {}
    # Sets beside the lists: a file repeating one line 80,000 times stays linear.
    declared_seen: set[tuple[Key, Provenance]] = set()
    specifiers_seen: set[tuple[Key, str]] = set()
    for result in ordered:
        is_manifest = result.role == "manifest"
        authority = any(result is a for a in authorities)
        weight = strength(result)
        for edge in result.edges:
            key = (edge.ecosystem, edge.child)
            parent = None if edge.parent is None or edge.parent in roots else (edge.ecosystem, edge.parent)
            node = nodes.get(key)
            if parent is not None:
                if node is None and not is_manifest:
                    continue  # not in the lock that names it: a marker excluded it there
                if edge.marker and result.lock_python and not python_range_can_hold(edge.marker, result.lock_python):
                    continue  # never installed where the lock applies (tomli under requires-python >=3.11)
                node = node or _add_node(nodes, key, edge.child)
                children.setdefault(parent, []).append((key, edge))
                continue
            if node is None:
                if not authority or (is_manifest and graph.has_lock):
                    _note_missing(graph, result, edge)
                    continue
                node = _add_node(nodes, key, edge.child)
            claim(claims, key, weight, edge.scope)
            if not authority:
                if not graph.direct_known:
                    children.setdefault(None, []).append((key, edge))
                continue
            children.setdefault(None, []).append((key, edge))
            node.direct = True
            if is_manifest and edge.provenance and (key, edge.provenance) not in declared_seen:
                declared_seen.add((key, edge.provenance))
                node.declared.append(edge.provenance)
            if edge.specifier and (key, edge.specifier) not in specifiers_seen:
                specifiers_seen.add((key, edge.specifier))
                node.specifiers.append(edge.specifier)
    _settle(graph, claims)


def _settle(graph: ProjectGraph, claims: dict[Key, tuple[int, set[str]]]) -> None:
    """Each node's directness (unknown when no file records it) and the scopes its strongest file states."""
    for key, node in graph.nodes.items():
        if not graph.direct_known:
            node.direct = None
        held = claims.get(key)
        if held is not None:
            node.scopes |= held[1]
            if node.direct:
                node.declared_scopes = set(held[1])


def _note_missing(graph: ProjectGraph, result: ResolveResult, edge: Edge) -> None:
    """A manifest's dependency the project's lock does not list, unless no environment of the lock needs it."""
    if result.role != "manifest" or not graph.universal_locks or edge.source != "registry":
        return
    if can_hold(edge.marker, graph.requires_python):
        graph.missing_from_lock.append(edge)


def _priority(result: ResolveResult) -> tuple[int, int, str]:
    role = {"lock": 0, "sbom": 1, "manifest": 2}[result.role]
    rank = _LOCK_PRIORITY.index(result.format) if result.format in _LOCK_PRIORITY else len(_LOCK_PRIORITY)
    return (role, rank, result.file)


def _add_node(nodes: dict[Key, GraphNode], key: Key, display: str) -> GraphNode:
    node = nodes[key] = GraphNode(name=key[1], ecosystem=key[0], display_name=display or key[1])
    return node


def _relative_dir(result: ResolveResult) -> str:
    return result.file.rsplit("/", 1)[0] if "/" in result.file else ""


def _member_dir(result: ResolveResult, project: ProjectDecl) -> str:
    base = _relative_dir(result)
    if not project.directory:
        return base
    return f"{base}/{project.directory}" if base else project.directory


def _belongs(result: ResolveResult, project: ProjectDecl, project_dir: str) -> bool:
    if result.role == "manifest" or len(result.projects) <= 1:
        return True
    return _member_dir(result, project).strip("/") == project_dir.strip("/").removeprefix("./")


def _project_decl(results: list[ResolveResult], project_dir: str) -> ProjectDecl | None:
    for result in sorted(results, key=lambda r: r.role != "manifest"):
        for project in result.projects:
            if _belongs(result, project, project_dir) and project.name:
                return project
    return next((p for r in results for p in r.projects if _belongs(r, p, project_dir)), None)


def _dependencies_at(
    manifests: list[ResolveResult], resolved: list[ResolveResult], project_dir: str
) -> Provenance | None:
    for result in (*manifests, *resolved):
        for project in result.projects:
            if _belongs(result, project, project_dir) and project.dependencies_at:
                return project.dependencies_at
    files = [r.file for r in (*manifests, *resolved)]
    return Provenance(files[0], 1, 1, "") if files else None


def _propagate_scopes(graph: ProjectGraph) -> None:
    """A transitive package is in every scope of a direct dependency that reaches it."""
    queue: deque[Key] = deque(child for child, _ in graph.children.get(None, ()))
    while queue:
        current = queue.popleft()
        scopes = graph.nodes[current].scopes
        for child, _edge in graph.children.get(current, ()):
            node = graph.nodes.get(child)
            if node is not None and not scopes <= node.scopes:
                node.scopes |= scopes
                queue.append(child)


def _keep_reachable(graph: ProjectGraph) -> None:
    """In a workspace lock, a member's graph holds only what the member reaches."""
    seen: set[Key] = set()
    queue: deque[Key | None] = deque([None])
    while queue:
        current = queue.popleft()
        for child, _ in graph.children.get(current, ()):
            if child not in seen:
                seen.add(child)
                queue.append(child)
    for key in [k for k in graph.nodes if k not in seen]:
        del graph.nodes[key]
