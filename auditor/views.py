"""The one package shape every output reads: a graph node as :class:`~auditor.findings.PackageView`.

Built here once per project (lazily: SARIF never reads them), with a purl for each version
and the resolvers' own records, so a field a resolver adds reaches the renderers unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import overload

from auditor.findings import PackageView
from auditor.graph import GraphNode, ProjectGraph
from auditor.model import registry_purl

__all__ = ["PackageViews", "package_views"]


class PackageViews(Sequence[PackageView]):
    """A project's :func:`package_views`, built on first use.

    SARIF and Markdown output never read them, and the text and JSON reports only
    count them; building views costs about 8 µs a package (40 ms on a 5,000-package lock).
    """

    __slots__ = ("_graph", "_views")

    def __init__(self, graph: ProjectGraph) -> None:
        self._graph = graph
        self._views: list[PackageView] | None = None

    def _built(self) -> list[PackageView]:
        if self._views is None:
            self._views = package_views(self._graph)
        return self._views

    def __len__(self) -> int:
        return len(self._graph.nodes)  # one view per node

    @overload
    def __getitem__(self, index: int) -> PackageView: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[PackageView]: ...
    def __getitem__(self, index: int | slice) -> PackageView | Sequence[PackageView]:
        return self._built()[index]

    def __iter__(self) -> Iterator[PackageView]:
        return iter(self._built())

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, Sequence) else NotImplemented

    def __repr__(self) -> str:
        return repr(self._built())


def package_views(graph: ProjectGraph) -> list[PackageView]:
    """The graph's packages, ordered by (ecosystem, name), each with the names it depends on."""
    nodes, children = graph.nodes, graph.children
    views = []
    for key in sorted(nodes):  # a node's key is its (ecosystem, name), unique in the graph
        node = nodes[key]
        deps = sorted({child[1] for child, _ in children.get(key, ()) if child in nodes})
        purls = _purls(node)
        views.append(
            PackageView(
                name=node.name,
                version=node.version,
                ecosystem=node.ecosystem,
                # One purl names one version: a fork's several versions have one each, in ``purls``.
                purl=purls[0] if len(purls) == 1 else (node.purl if not node.versions else None),
                direct=node.direct,
                scopes=tuple(sorted(node.scopes)),
                location=node.location,
                dependencies=tuple(deps),
                versions=tuple(node.versions),
                purls=purls,
                declared_scopes=tuple(sorted(node.declared_scopes)),
                source=node.source,
                records=tuple(node.records),
            )
        )
    return views


def _purls(node: GraphNode) -> tuple[str, ...]:
    """One purl per version: the file's own where it gave one for that version, else made from name and version."""
    if node.source not in ("registry", "unknown") and not node.purl:
        return ()  # a path, URL or VCS source has no registry purl
    given = {record.version: record.purl for record in node.records if record.purl}
    return tuple(given.get(version) or registry_purl(node.ecosystem, node.name, version) for version in node.versions)
