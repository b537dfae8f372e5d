"""One normalized dependency graph per project, merged from everything found for it.

The lock (or SBOM) gives the resolved set, the versions and the edges; the
manifest says which packages are direct and in which scope. Each fact comes
from the strongest file that states it (:mod:`auditor.strength`): where no
file records what is direct, ``direct`` is ``None`` (unknown), and a package
whose scopes no file states has none. Scopes of transitive packages are the
union of the scopes of the direct dependencies that reach them.
``why_path`` is a BFS from the project root, computed once; ``why_paths``
gives one path (or all, bounded) per scope. :func:`auditor.merge.build_graph`
builds a graph from one project's files.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from auditor.model import (
    Edge,
    NormalizedName,
    Package,
    Provenance,
    Skipped,
    SourceKind,
)
from auditor.strength import LockDisagreement

__all__ = ["WHY_PATH_END", "GraphNode", "Key", "LockDisagreement", "ProjectGraph"]

WHY_PATH_END = 4  # hops kept at each end of a long why-path in a finding

Key = tuple[str, NormalizedName]  # (ecosystem, name)


@dataclass(slots=True)
class GraphNode:
    """A package in a project's graph; several versions are possible (forked resolutions)."""

    name: NormalizedName
    ecosystem: str
    versions: list[str] = field(default_factory=list)
    purl: str | None = None
    provenance: Provenance | None = None  # where the resolved entry is (lock, SBOM)
    declared: list[Provenance] = field(default_factory=list)  # where a manifest declares it
    specifiers: list[str] = field(default_factory=list)
    scopes: set[str] = field(default_factory=set)  # empty: no file states them
    direct: bool | None = False  # None: no file of the project records what is direct
    source: SourceKind = "registry"
    display_name: str = ""
    declared_scopes: set[str] = field(default_factory=set)  # where the project declares it (direct only)
    alternatives: bool = False  # its versions are a lock's per-environment forks, never installed together
    records: list[Package] = field(default_factory=list)  # what each file says about it, as read

    @property
    def key(self) -> Key:
        return (self.ecosystem, self.name)

    @property
    def version(self) -> str | None:
        return self.versions[0] if len(self.versions) == 1 else (", ".join(self.versions) or None)

    @property
    def location(self) -> Provenance | None:
        """Where a finding about this package points: the manifest line engineers edit, else the lock line."""
        return self.declared[0] if self.declared else self.provenance

    def label(self) -> str:
        versions = "/".join(self.versions)
        return f"{self.display_name} {versions}" if versions else self.display_name


@dataclass(slots=True)
class ProjectGraph:
    """The merged graph of one project."""

    path: str
    name: NormalizedName | None
    files: list[str]
    nodes: dict[Key, GraphNode]
    children: dict[Key | None, list[tuple[Key, Edge]]]
    requires_python: str | None = None
    requires_python_at: Provenance | None = None
    dependencies_at: Provenance | None = None
    skipped: list[Skipped] = field(default_factory=list)
    has_lock: bool = False
    formats: set[str] = field(default_factory=set)
    universal_locks: list[str] = field(default_factory=list)  # locks made for every platform (uv, poetry, pdm, pylock)
    direct_known: bool = True  # False: no file says which packages are direct (a lone poetry.lock)
    missing_from_lock: list[Edge] = field(default_factory=list)  # declared, absent from the lock: stale
    lock_disagreements: list[LockDisagreement] = field(default_factory=list)
    # The breadth-first walk behind why_path: parents found so far, and where to resume.
    _parents: dict[Key, Key | None] = field(default_factory=dict)
    _frontier: deque[Key | None] = field(default_factory=lambda: deque([None]))
    # Per node found: its depth, and the first WHY_PATH_END hops of its path from the root, so a
    # bounded why-path costs O(WHY_PATH_END), not the depth (a 10,000-deep chain, one finding a node).
    _depth: dict[Key, int] = field(default_factory=dict)
    _heads: dict[Key, tuple[Key, ...]] = field(default_factory=dict)

    def find(self, name: str, ecosystem: str = "pypi") -> GraphNode | None:
        return self.nodes.get((ecosystem, NormalizedName(name)))

    def direct(self) -> list[GraphNode]:
        return [node for node in self.nodes.values() if node.direct]

    def __iter__(self) -> Iterator[GraphNode]:
        return iter(self.nodes.values())

    def why_path(self, node: GraphNode, scope_of: tuple[str, ...] = (), bounded: bool = False) -> list[str]:
        """Names from the project root to ``node``, shortest first-found path ([] if unreachable).

        ``scope_of`` (scope kinds such as ``("main", "optional")``) walks only from the root's
        dependencies declared in those scopes: how runtime reaches a package declared for dev.
        ``bounded``: a path of more than ``2 * WHY_PATH_END + 1`` names keeps its
        first and last ``WHY_PATH_END`` hops around one ``… N more …`` entry (what
        findings carry: every finding's size is then bounded, whatever the depth).
        """
        if scope_of:
            starts = sorted(k for k, e in self.children.get(None, ()) if e.scope.split(":", 1)[0] in scope_of)
            path = self._path(node.key, _breadth_first(self, [k for k in starts if k != node.key], node.key))
            if bounded and len(path) > 2 * WHY_PATH_END + 2:
                hidden = len(path) - 2 * WHY_PATH_END - 1
                return [*path[: WHY_PATH_END + 1], f"… {hidden} more …", *path[-WHY_PATH_END:]]
            return path
        parents = self._walk_to(node.key)
        if node.key not in parents:
            return []
        depth = self._depth[node.key]
        if bounded and depth > 2 * WHY_PATH_END + 1:
            tail: list[str] = []
            step: Key | None = node.key
            for _ in range(WHY_PATH_END):
                assert step is not None
                tail.append(self.nodes[step].label())
                step = parents[step]
            head = [self.nodes[key].label() for key in self._heads[node.key]]
            hidden = depth - len(head) - len(tail)
            return [self.name or self.path, *head, f"… {hidden} more …", *tail[::-1]]
        return self._path(node.key, parents)

    def why_paths(self, node: GraphNode, limit: int = 0) -> dict[str, list[list[str]]]:
        """Per scope the root declares dependencies in: the shortest path to ``node`` (``limit``: up to
        that many simple paths, shortest first), omitting scopes that do not reach it."""
        by_scope: dict[str, list[Key]] = {}
        for key, edge in self.children.get(None, ()):
            by_scope.setdefault(edge.scope, []).append(key)
        found: dict[str, list[list[str]]] = {}
        for scope, starts in sorted(by_scope.items()):
            if limit:
                paths = _all_paths(self, sorted(set(starts)), node.key, limit)
            else:
                one = self._path(node.key, _breadth_first(self, sorted(set(starts)), node.key))
                paths = [one] if one else []
            if paths:
                found[scope] = paths
        return found

    def _path(self, key: Key, parents: dict[Key, Key | None]) -> list[str]:
        if key not in parents:
            return []
        path: list[str] = []
        current: Key | None = key
        while current is not None:
            path.append(self.nodes[current].label())
            current = parents[current]
        path.append(self.name or self.path)
        return path[::-1]

    def _walk_to(self, key: Key) -> dict[Key, Key | None]:
        """Breadth-first from the root (children in name order) until ``key`` is reached.

        One walk serves every question: it stops at the node asked about and
        resumes from there for the next, so findings about packages near the
        root cost a few steps, and all of them together one pass at most.
        """
        parents, frontier, nodes, children = self._parents, self._frontier, self.nodes, self.children
        depths, heads = self._depth, self._heads
        while key not in parents and frontier:
            current = frontier.popleft()
            depth = 0 if current is None else depths[current]
            head = () if current is None else heads[current]
            for child, _edge in sorted(children.get(current, ()), key=lambda item: item[0]):
                if child not in parents and child in nodes:
                    parents[child] = current
                    depths[child] = depth + 1
                    heads[child] = (*head, child) if len(head) < WHY_PATH_END else head
                    frontier.append(child)
        return parents


def _breadth_first(graph: ProjectGraph, starts: list[Key], target: Key) -> dict[Key, Key | None]:
    """Parents of a breadth-first walk from ``starts`` (children of the root) until ``target``."""
    parents: dict[Key, Key | None] = {k: None for k in starts if k in graph.nodes}
    frontier: deque[Key] = deque(parents)
    while target not in parents and frontier:
        current = frontier.popleft()
        for child, _edge in sorted(graph.children.get(current, ()), key=lambda item: item[0]):
            if child not in parents and child in graph.nodes:
                parents[child] = current
                frontier.append(child)
    return parents


def _all_paths(graph: ProjectGraph, starts: list[Key], target: Key, limit: int) -> list[list[str]]:
    """Up to ``limit`` simple paths from the root through ``starts`` to ``target``, shortest first.

    Breadth-first over partial paths, so the first ones found are the shortest; the walk also
    stops after ``limit * 1000`` steps, which bounds it on graphs with many diamonds.
    """
    root = graph.name or graph.path
    queue: deque[tuple[Key, ...]] = deque((k,) for k in starts if k in graph.nodes)
    paths: list[list[str]] = []
    steps = 0
    while queue and len(paths) < limit and steps < limit * 1000:
        steps += 1
        trail = queue.popleft()
        if trail[-1] == target:
            paths.append([root, *(graph.nodes[k].label() for k in trail)])
            continue
        for child in sorted({child for child, _edge in graph.children.get(trail[-1], ())}):
            if child in graph.nodes and child not in trail:
                queue.append((*trail, child))
    return paths
