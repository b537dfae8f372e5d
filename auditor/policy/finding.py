"""One finding from one match: its message, location, related locations and why-path.

A package declared for dev that runtime pulls in anyway (``Match.pulled``) gets the
runtime path that reaches it; a package whose directness no file records gets no path.
"""

from __future__ import annotations

from auditor.findings import Finding, Related, Severity
from auditor.graph import GraphNode, ProjectGraph
from auditor.model import Provenance
from auditor.policy.conditions import Match
from auditor.policy.template import fill

__all__ = ["MAX_MESSAGE_CHARS", "declaration_anchor", "make_finding"]

# A finding's message, whatever its template and names (bounded output per finding).
MAX_MESSAGE_CHARS = 2000


def make_finding(
    graph: ProjectGraph,
    rule_id: str,
    severity: Severity,
    template: str,
    match: Match,
    summary: str,
    reason: str,
    use_instead: str = "",
) -> Finding:
    packages = match.packages
    primary = packages[-1] if match.conflict and packages else (packages[0] if packages else None)
    others = [p for p in packages if p is not primary]
    labels = [p.label() for p in ([*others, primary] if primary else others)]
    values = {
        "packages": " and ".join(labels) if len(labels) <= 2 else ", ".join(labels[:-1]) + " and " + labels[-1],
        "package": primary.label() if primary else "",
        "missing": ", ".join(match.missing),
        "requires_python": graph.requires_python or "",
        "reason": reason or summary,
        "summary": summary,
        "use_instead": use_instead,
        "project": graph.name or graph.path,
        **_pulled_values(graph, primary, match),
        **match.values,
    }
    message = fill(template, values)
    location: Provenance | None
    if match.location is not None:
        location = match.location
    elif primary is not None:
        location = primary.location or declaration_anchor(graph)
    elif match.python:
        location = graph.requires_python_at or declaration_anchor(graph)
    else:
        location = declaration_anchor(graph)
    related = [Related(p.location, _declared(graph, p)) for p in others if p.location]
    if match.python and primary is not None and graph.requires_python_at is not None:
        related.append(Related(graph.requires_python_at, f"requires-python {graph.requires_python} is declared here"))
    why: list[str] = []
    if match.pulled and primary is not None:
        why = graph.why_path(primary, scope_of=_RUNTIME, bounded=True)
    elif primary is not None and primary.direct is False:  # unknown directness: no path is claimed
        why = graph.why_path(primary, bounded=True)
        if why:
            message += f" (pulled in by {' -> '.join(why[1:-1]) or graph.name})"
    if len(message) > MAX_MESSAGE_CHARS:  # a template over many long names: bounded like the path
        message = message[: MAX_MESSAGE_CHARS - 1] + "…"
    return Finding(
        rule_id=rule_id,
        severity=severity,
        message=message,
        project=graph.path,
        package=primary.name if primary else match.values.get("package"),
        version=primary.version if primary else None,
        location=location,
        related=related,
        why_path=why,
        scope=",".join(sorted(primary.scopes)) if primary else "",
    )


_RUNTIME = ("main", "optional")


def _pulled_values(graph: ProjectGraph, node: GraphNode | None, match: Match) -> dict[str, str]:
    """``{declared}``, ``{pulled_by}`` and ``{path}`` of a package declared in dev that runtime reaches."""
    if node is None or not match.pulled:
        return {}
    path = graph.why_path(node, scope_of=_RUNTIME, bounded=True)
    via = path[1:-1]
    if not via:  # a lock that states groups but no edges (Pipfile.lock)
        return {
            "declared": ", ".join(sorted(node.declared_scopes)),
            "pulled_by": "a runtime dependency",
            "path": "the lock lists it among the main packages and records no edges to say which one",
        }
    return {
        "declared": ", ".join(sorted(node.declared_scopes)),
        "pulled_by": via[0].rsplit(" ", 1)[0],
        "path": " -> ".join(path),
    }


def declaration_anchor(graph: ProjectGraph) -> Provenance | None:
    """Where a "missing" finding points: the project's dependency declaration.

    The manifest's ``dependencies`` key when a resolver located one; for requirements
    files, the first runtime requirement line (not line 1 of whichever file sorts first,
    which may be requirements-dev.txt).
    """
    at = graph.dependencies_at
    if at is not None and (at.text or at.line > 1):
        return at
    declared = [d for node in graph.nodes.values() if node.direct for d in node.declared]
    runtime = [
        d
        for node in graph.nodes.values()
        if node.direct and ("main" in node.scopes or not node.scopes)
        for d in node.declared
    ]
    candidates = runtime or declared
    return min(candidates, key=lambda d: (d.file, d.line)) if candidates else at


def _declared(graph: ProjectGraph, node: GraphNode) -> str:
    if node.direct:
        return f"{node.label()} is declared here"
    if node.direct is None:
        return f"{node.label()} is resolved here"
    via = graph.why_path(node, bounded=True)[1:-1]
    return f"{node.label()} is resolved here, pulled in by {' -> '.join(via) or graph.name}"
