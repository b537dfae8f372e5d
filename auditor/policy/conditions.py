"""The one condition grammar shared by rule files and the profile catalog.

A condition is a TOML table. Selectors (each names packages):

- ``present = [names]``: fires when any of them is in the graph;
- ``all-present = [names]``: fires when all are (a conflict: the last listed is primary);
- ``absent = [names]``: fires when none is;
- ``more-than-one-of = [names]``: fires when two or more are (a conflict, in declaration order);
- ``duplicate-versions = true``: fires per package recorded with more than one version;
- ``unpinned = true``: fires per direct requirement of a requirements file (``*.txt``) without ``==``,
  in a project that has no lock;
- ``requirement = "pinned" | "capped" | "unconstrained"``: fires per direct requirement whose specifier
  in package metadata (pyproject.toml, not a requirements file) pins one version (``==1.2``,
  ``===1.2``), caps the version from above (``<``, ``<=``, ``~=``, ``==1.*``), or says nothing;
- ``stale-lock = true``: fires per dependency a manifest declares and the project's lock does not list
  (unless its marker cannot hold for the lock's Pythons);
- ``locks-disagree = true``: fires per pair of locks of one project that resolve shared packages to
  versions with none in common;
- ``requires-python = {admits-any = ["3.11"], lowest-at-least = "3.11"}``: fires when the
  project's ``requires-python`` admits none of ``admits-any`` or a Python below ``lowest-at-least``;
  ``{only-at-least = "3.9"}`` fires when every Python it admits is 3.9 or later (a project that
  no longer supports older Pythons). A project without ``requires-python`` never fires.

Filters (beside a selector, narrowing which packages count):
``version`` (PEP 440 specifier a present package must match), ``direct-only`` (bool),
``scopes`` (``runtime`` = main + optional, ``main``, ``dev``, ``optional``, ``group``, or a full
scope like ``group:test``), ``ecosystem`` (purl type, default ``pypi``; ``*`` = any).

With ``direct-only``, ``scopes`` is where the project *declares* the package. A package declared
elsewhere (a dev group) that the wanted scope reaches through another package gives a ``pulled``
match, which only a rule with a ``message-pulled`` template reports. A graph whose files do not say
which packages are direct cannot judge ``direct-only`` (:func:`needs_direct`); a package whose
scopes no file states matches any ``scopes`` filter (a lock installs it by default).

Combinators: ``all = [conditions]``, ``any = [conditions]``, ``not = condition``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from auditor.graph import GraphNode, LockDisagreement, ProjectGraph
from auditor.model import Edge, Provenance, canonical_name
from auditor.versions import compare, contains, is_specifier, is_version

__all__ = ["KNOWN_PYTHONS", "SELECTORS", "Condition", "Match", "compile_condition", "needs_direct"]

SELECTORS = (
    "present",
    "all-present",
    "absent",
    "more-than-one-of",
    "duplicate-versions",
    "unpinned",
    "requirement",
    "requires-python",
    "stale-lock",
    "locks-disagree",
)
REQUIREMENT_KINDS = ("pinned", "capped", "unconstrained")
FILTERS = ("version", "direct-only", "scopes", "ecosystem")
COMBINATORS = ("all", "any", "not")
KNOWN_PYTHONS = ("2.7", *(f"3.{minor}" for minor in range(16)))


@dataclass(slots=True)
class Match:
    """What made a condition fire: the packages involved (empty for an absence) and their roles."""

    packages: list[GraphNode] = field(default_factory=list)
    conflict: bool = False  # primary = last package, related = the others
    missing: list[str] = field(default_factory=list)
    python: bool = False
    pulled: bool = False  # declared outside the wanted scope, reached from it through another package
    values: dict[str, str] = field(default_factory=dict)  # extra message values of graph-level selectors
    location: Provenance | None = None  # where a graph-level finding points


class ConditionError(ValueError):
    """A condition table that does not follow the grammar (the loader adds file and line)."""


class Condition(NamedTuple):
    """A compiled condition; ``evaluate`` returns one Match per finding it implies (empty: no finding)."""

    table: Mapping[str, Any]

    def evaluate(self, graph: ProjectGraph) -> list[Match]:
        table = self.table
        if "all" in table:
            parts = [Condition(t).evaluate(graph) for t in table["all"]]
            if not all(parts):
                return []
            merged = Match()
            for matches in parts:
                for match in matches:
                    merged.packages.extend(p for p in match.packages if p not in merged.packages)
                    merged.missing.extend(match.missing)
                    merged.conflict = merged.conflict or match.conflict
                    merged.python = merged.python or match.python
                    merged.pulled = merged.pulled or match.pulled
            return [merged]
        if "any" in table:
            for sub in table["any"]:
                found = Condition(sub).evaluate(graph)
                if found:
                    return found
            return []
        if "not" in table:
            return [] if Condition(table["not"]).evaluate(graph) else [Match()]
        return self._selector(graph)

    def _selector(self, graph: ProjectGraph) -> list[Match]:
        table = self.table
        if "present" in table:
            found = self._select(graph, table["present"])
            return [Match([node], pulled=self._pulled(node)) for node in found]
        if "all-present" in table:
            names = table["all-present"]
            found = self._select(graph, names)
            if len({n.name for n in found}) < len(set(names)):
                return []
            order = {canonical_name(n): i for i, n in enumerate(names)}
            return [Match(sorted(found, key=lambda n: order.get(n.name, 0)), conflict=True)]
        if "absent" in table:
            found = self._select(graph, table["absent"])
            return [] if found else [Match(missing=list(table["absent"]))]
        if "more-than-one-of" in table:
            found = self._select(graph, table["more-than-one-of"])
            if len({n.name for n in found}) < 2:
                return []
            # The "second" of a conflict (the primary location) is the transitive one, else the later in the
            # rule's list: the same whichever file the graph came from (lock, SBOM, manifest).
            rank = {canonical_name(n): i for i, n in enumerate(table["more-than-one-of"])}
            ordered = sorted(found, key=lambda n: (not n.direct, rank.get(n.name, 0), n.name))
            return [Match(ordered, conflict=True)]
        if table.get("duplicate-versions"):
            # A lock's forks (torch for darwin, torch+cpu for linux) never install together.
            return [
                Match([node]) for node in self._select(graph, None) if len(node.versions) > 1 and not node.alternatives
            ]
        if table.get("stale-lock"):
            return [_stale(graph, edge) for edge in graph.missing_from_lock]
        if table.get("locks-disagree"):
            return [_disagreement(found) for found in graph.lock_disagreements]
        if table.get("unpinned"):
            if graph.has_lock:
                return []
            return [
                Match([node])
                for node in self._select(graph, None)
                if node.direct and node.source == "registry" and not _pinned(node) and _from_requirements_file(node)
            ]
        if "requirement" in table:
            kind = table["requirement"]
            return [
                Match([node])
                for node in self._select(graph, None)
                if node.direct and _requirement_is(_metadata_specifiers(graph, node), kind)
            ]
        if "requires-python" in table:
            return [Match(python=True)] if _python_outside(graph.requires_python, table["requires-python"]) else []
        raise ConditionError(f"no selector in condition (expected one of: {', '.join(SELECTORS + COMBINATORS)})")

    def _select(self, graph: ProjectGraph, names: list[str] | None) -> list[GraphNode]:
        table = self.table
        ecosystem = table.get("ecosystem", "pypi")
        if names is None:
            candidates = [n for n in graph if ecosystem == "*" or n.ecosystem == ecosystem]
        else:
            candidates = []
            for name in names:
                if ecosystem == "*":
                    candidates.extend(n for n in graph if n.name == canonical_name(name))
                else:
                    node = graph.find(canonical_name(name), ecosystem)
                    if node is not None:
                        candidates.append(node)
        if table.get("direct-only"):
            candidates = [n for n in candidates if n.direct]
        if "scopes" in table:
            wanted = table["scopes"]
            candidates = [n for n in candidates if not n.scopes or any(_scope_matches(s, wanted) for s in n.scopes)]
        if "version" in table:
            wanted_versions = table["version"]
            candidates = [n for n in candidates if any(contains(wanted_versions, v) for v in n.versions)]
        return candidates

    def _pulled(self, node: GraphNode) -> bool:
        """A direct package declared outside the wanted scopes, which reach it through another package."""
        table = self.table
        if not table.get("direct-only") or "scopes" not in table or not node.declared_scopes:
            return False
        return not any(_scope_matches(s, table["scopes"]) for s in node.declared_scopes)


def needs_direct(table: Mapping[str, Any]) -> bool:
    """Whether a condition asks which packages are direct (which some graphs cannot tell)."""
    if table.get("direct-only") or table.get("unpinned") or "requirement" in table:
        return True
    subs = [*table.get("all", ()), *table.get("any", ()), *([table["not"]] if "not" in table else [])]
    return any(needs_direct(sub) for sub in subs)


def _stale(graph: ProjectGraph, edge: Edge) -> Match:
    locks = " or ".join(sorted(set(graph.universal_locks))) or "the lock"
    return Match(missing=[edge.child], values={"package": edge.child, "locks": locks}, location=edge.provenance)


def _disagreement(found: LockDisagreement) -> Match:
    names = list(found.packages)
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    values = {"used": found.used, "other": found.other, "count": str(len(names)), "differing": shown}
    return Match(values=values, location=Provenance(found.other, 1, 1, ""))


def _scope_matches(scope: str, wanted: list[str]) -> bool:
    kind = scope.split(":", 1)[0]
    runtime = kind in ("main", "optional")
    return any(item in (scope, kind) or (item == "runtime" and runtime) for item in wanted)


_METADATA_FILES = ("pyproject.toml", "Pipfile")


def _metadata_specifiers(graph: ProjectGraph, node: GraphNode) -> list[str] | None:
    """Specifiers of ``node`` as package metadata declares them (None: not declared there).

    Requirements files and locks are left out: they pin a deployment or a dev
    environment, which says nothing about what the package's metadata requires.
    """
    specs: list[str] = []
    declared = False
    for key, edge in graph.children.get(None, ()):
        at = edge.provenance
        if key != node.key or at is None or not at.file.endswith(_METADATA_FILES):
            continue
        declared = True
        if edge.specifier:
            specs.append(edge.specifier.replace(" ", ""))
    return specs if declared else None


def _requirement_is(specs: list[str] | None, kind: str) -> bool:
    if specs is None:
        return False
    if kind == "unconstrained":
        return not specs
    parts = [p for spec in specs for p in spec.split(",") if p]
    if kind == "pinned":
        return any(p.startswith("===") or (p.startswith("==") and "*" not in p) for p in parts)
    return any(p.startswith(("<", "~=")) or (p.startswith("==") and p.endswith("*")) for p in parts)


def _from_requirements_file(node: GraphNode) -> bool:
    # A manifest (pyproject.toml, *.in) states what the code supports; a .txt states what is deployed.
    return any(at.file.endswith(".txt") for at in node.declared)


def _pinned(node: GraphNode) -> bool:
    return any(spec.startswith("==") and "*" not in spec and "," not in spec for spec in node.specifiers) or (
        not node.specifiers and bool(node.versions)
    )


def _python_outside(requires_python: str | None, rule: Mapping[str, Any]) -> bool:
    if not requires_python:
        return False  # cannot judge; the evaluator reports it as not checkable
    try:
        admitted = [python for python in KNOWN_PYTHONS if contains(requires_python, python)]
    except ValueError:  # invalid, or a version over Python's 4300-digit int limit: not a usable range
        return True
    # A rule value that is no version (a typo, "3.*") checks nothing, and matches no Python.
    wanted = [version for version in rule.get("admits-any", []) if is_version(version)]
    if rule.get("admits-any") and not any(compare(python, w) == 0 for w in wanted for python in admitted):
        return True
    lowest = admitted[0] if admitted else None  # KNOWN_PYTHONS ascend
    at_least = rule.get("lowest-at-least")
    if at_least and lowest and is_version(at_least) and compare(lowest, at_least) < 0:
        return True
    only_from = rule.get("only-at-least")
    return bool(only_from and lowest and is_version(only_from) and compare(lowest, only_from) >= 0)


def compile_condition(table: Any, where: str = "condition", shipped: bool = False) -> Condition:
    """Check ``table`` against the grammar and compile it; raises ConditionError naming the path.

    A ``shipped`` condition (from stack-auditor's own rule files, checked in
    full by the test suite) skips the check, whose specifier validation alone
    would import ``packaging`` on every run.
    """
    if not shipped:
        _check(table, where)
    return Condition(table)


def _check(table: Any, where: str) -> None:
    if not isinstance(table, dict):
        raise ConditionError(f"{where} must be a table")
    keys = set(table)
    unknown = keys - set(SELECTORS) - set(FILTERS) - set(COMBINATORS)
    if unknown:
        raise ConditionError(f"unknown key {sorted(unknown)[0]!r} in {where}")
    heads = keys & (set(SELECTORS) | set(COMBINATORS))
    if len(heads) != 1:
        raise ConditionError(f"{where} needs exactly one of {', '.join(SELECTORS + COMBINATORS)}")
    head = heads.pop()
    value = table[head]
    if head in ("all", "any"):
        if not isinstance(value, list) or not value:
            raise ConditionError(f"'{head}' in {where} must be a non-empty array of conditions")
        for n, sub in enumerate(value):
            _check(sub, f"{where}.{head}[{n}]")
    elif head == "not":
        _check(value, f"{where}.not")
    elif head in ("present", "all-present", "absent", "more-than-one-of"):
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise ConditionError(f"'{head}' in {where} must be a non-empty array of package names")
    elif head == "requirement":
        if value not in REQUIREMENT_KINDS:
            raise ConditionError(f"'requirement' in {where} must be one of {', '.join(REQUIREMENT_KINDS)}")
    elif head == "requires-python":
        if (
            not isinstance(value, dict)
            or not value
            or not set(value) <= {"admits-any", "lowest-at-least", "only-at-least"}
        ):
            raise ConditionError(f"'requires-python' in {where} takes admits-any, lowest-at-least and only-at-least")
    elif value is not True:
        raise ConditionError(f"'{head}' in {where} must be true")
    if "version" in table and not (isinstance(table["version"], str) and is_specifier(table["version"])):
        raise ConditionError(f"invalid version specifier {table['version']!r} in {where}")
    if "scopes" in table and not (
        isinstance(table["scopes"], list) and all(isinstance(s, str) for s in table["scopes"])
    ):
        raise ConditionError(f"'scopes' in {where} must be an array of strings")
    if "direct-only" in table and not isinstance(table["direct-only"], bool):
        raise ConditionError(f"'direct-only' in {where} must be true or false")
