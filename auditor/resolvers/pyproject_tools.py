"""Tool-specific dependency tables of ``pyproject.toml``: ``[tool.poetry]`` and ``[tool.pdm]``.

Called by the ``pyproject`` resolver with the decoded document, a
:class:`LineIndex` over its text and the file's path. Each edge's provenance
is the line where that dependency is written: the text is scanned once for
key lines (quoted keys, dotted keys and ``[tool.poetry.dependencies.x]``
sub-tables included), then, for dependencies written inside an inline table,
searched from the table's line.

Poetry constraints (``^1.2``, ``~3.9``) become PEP 440 specifiers
(``>=1.2,<2``); a constraint PEP 440 cannot express (``>=1,<2 || >3``) gives
an edge with an empty specifier and a :class:`Skipped` note.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from auditor.errors import InputError
from auditor.locate.toml import KeyPath, TomlKeys, array_string_offsets
from auditor.model import (
    DEV,
    MAIN,
    Edge,
    ProjectDecl,
    Provenance,
    Skipped,
    canonical_name,
    group_scope,
    optional_scope,
)
from auditor.resolvers._lock_common import poetry_to_pep440, requirement_edge, table_source
from auditor.resolvers.base import LineIndex

__all__ = ["pdm_dependencies", "poetry_dependencies"]

_EGG = re.compile(r"#egg=([A-Za-z0-9][A-Za-z0-9._-]*)")


class _Lines:
    """Key lines of one document, by path (:class:`~auditor.locate.toml.TomlKeys`)."""

    def __init__(self, index: LineIndex, path: str) -> None:
        self.index = index
        self.path = path
        self._keys = TomlKeys(index.text)

    def offset(self, table: KeyPath, key: str | None = None) -> int | None:
        """Where ``key`` of ``table`` is written; the table's own line when only it is; None without it."""
        if self._keys.find(table) is None:
            return None
        return self._keys.offset(table if key is None else (*table, key))

    def at(self, table: KeyPath, key: str | None = None) -> Provenance | None:
        offset = self.offset(table, key)
        return self.index.provenance(self.path, offset) if offset is not None else None

    def line(self, table: KeyPath, key: str | None = None) -> int:
        offset = self.offset(table, key)
        return self.index.position(offset)[0] if offset is not None else 0


def _table(value: Any, lines: _Lines, table: KeyPath) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        where = ".".join(table)
        raise InputError(lines.path, lines.line(table), f"[{where}] must be a table, not {type(value).__name__}")
    return value


def poetry_dependencies(
    data: Mapping[str, Any], index: LineIndex, path: str
) -> tuple[ProjectDecl | None, list[Edge], list[Skipped]]:
    """The project ``[tool.poetry]`` declares, its dependency edges, and what could not be judged."""
    tool = data.get("tool", {})
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    if poetry is None:
        return None, [], []
    lines = _Lines(index, path)
    base: KeyPath = ("tool", "poetry")
    poetry = _table(poetry, lines, base)
    extras = _poetry_extras(_table(poetry.get("extras"), lines, (*base, "extras")), lines)
    edges: list[Edge] = []
    skipped: list[Skipped] = []
    table: KeyPath = (*base, "dependencies")
    main = _table(poetry.get("dependencies"), lines, table)
    python = main.get("python")
    requires_python: str | None = None
    if python is not None:
        if not isinstance(python, str):
            raise InputError(path, lines.line(table, "python"), "'python' must be a constraint string")
        requires_python = poetry_to_pep440(python)
        if requires_python is None:
            skipped.append(
                Skipped("python", f"Poetry constraint {python!r} has no PEP 440 form", lines.at(table, "python"))
            )
    _read_table(main, table, MAIN, extras, lines, edges, skipped)
    legacy: KeyPath = (*base, "dev-dependencies")
    _read_table(_table(poetry.get("dev-dependencies"), lines, legacy), legacy, DEV, {}, lines, edges, skipped)
    groups = _table(poetry.get("group"), lines, (*base, "group"))
    for group, body in groups.items():
        group_table: KeyPath = (*base, "group", group)
        dependencies = _table(
            _table(body, lines, group_table).get("dependencies"), lines, (*group_table, "dependencies")
        )
        _read_table(dependencies, (*group_table, "dependencies"), group_scope(group), {}, lines, edges, skipped)
    name = poetry.get("name")
    version = poetry.get("version")
    if name is None and version is None and python is None:
        return None, edges, skipped
    project = ProjectDecl(
        name=canonical_name(name) if isinstance(name, str) else None,
        version=version if isinstance(version, str) else None,
        requires_python=requires_python or None,
        requires_python_at=lines.at(table, "python") if python is not None else None,
        dependencies_at=lines.at(table),
        provenance=lines.at(base, "name") if name is not None else None,
    )
    return project, edges, skipped


def _poetry_extras(extras: Mapping[str, Any], lines: _Lines) -> dict[str, list[str]]:
    """Dependency name -> the project extras that list it."""
    by_dependency: dict[str, list[str]] = {}
    for extra, names in extras.items():
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            line = lines.line(("tool", "poetry", "extras"), extra)
            raise InputError(lines.path, line, f"tool.poetry.extras.{extra} must be an array of names")
        for dependency in names:
            by_dependency.setdefault(canonical_name(dependency), []).append(extra)
    return by_dependency


def _read_table(
    dependencies: Mapping[str, Any],
    table: KeyPath,
    scope: str,
    extras: Mapping[str, list[str]],
    lines: _Lines,
    edges: list[Edge],
    skipped: list[Skipped],
) -> None:
    for key, value in dependencies.items():
        if key == "python" and table[-1] == "dependencies" and scope == MAIN:
            continue
        provenance = lines.at(table, key)
        line = provenance.line if provenance else 0
        child = canonical_name(key)
        for constraint in value if isinstance(value, list) else [value]:
            if isinstance(constraint, str):
                constraint = {"version": constraint}
            if not isinstance(constraint, dict):
                raise InputError(lines.path, line, f"dependency {key!r} must be a constraint string or a table")
            version = constraint.get("version", "*")
            if not isinstance(version, str):
                raise InputError(lines.path, line, f"'version' of dependency {key!r} must be a string")
            specifier = poetry_to_pep440(version)
            if specifier is None:
                skipped.append(Skipped(key, f"Poetry constraint {version!r} has no PEP 440 form", provenance))
            scopes = [scope]
            if constraint.get("optional") is True:
                scopes = [optional_scope(extra) for extra in extras.get(child, [])]
                if not scopes:
                    skipped.append(Skipped(key, "optional dependency listed in no [tool.poetry.extras]", provenance))
            extra_names = constraint.get("extras", [])
            if not isinstance(extra_names, list):
                raise InputError(lines.path, line, f"'extras' of dependency {key!r} must be an array")
            for edge_scope in scopes:
                edges.append(
                    Edge(
                        parent=None,
                        child=child,
                        specifier=specifier or "",
                        extras=tuple(str(e) for e in extra_names),
                        marker=_marker(constraint),
                        scope=edge_scope,
                        provenance=provenance,
                        source=table_source(constraint, "develop"),
                    )
                )


def _marker(constraint: Mapping[str, Any]) -> str | None:
    parts: list[str] = []
    markers = constraint.get("markers")
    if isinstance(markers, str) and markers.strip():
        parts.append(f"({markers})" if " or " in markers else markers)
    python = constraint.get("python")
    if isinstance(python, str):
        converted = poetry_to_pep440(python)
        if converted:
            from packaging.specifiers import SpecifierSet  # on first use: lean start-up

            parts.extend(
                f"python_version {spec.operator} '{spec.version}'" for spec in sorted(SpecifierSet(converted), key=str)
            )
    platform = constraint.get("platform")
    if isinstance(platform, str) and platform.strip():
        parts.append(f"sys_platform == '{platform.strip()}'")
    return " and ".join(parts) or None


def pdm_dependencies(data: Mapping[str, Any], index: LineIndex, path: str) -> list[Edge]:
    """Edges of ``[tool.pdm.dev-dependencies]``: one group scope per key, at each string's line."""
    tool = data.get("tool", {})
    pdm = tool.get("pdm") if isinstance(tool, dict) else None
    if not isinstance(pdm, dict) or "dev-dependencies" not in pdm:
        return []
    lines = _Lines(index, path)
    table: KeyPath = ("tool", "pdm", "dev-dependencies")
    groups = _table(pdm["dev-dependencies"], lines, table)
    edges: list[Edge] = []
    for group, requirements in groups.items():
        key = lines.offset(table, group)
        if not isinstance(requirements, list):
            raise InputError(path, lines.line(table, group), f"{'.'.join(table)}.{group} must be an array")
        offsets = array_string_offsets(index.text, key) if key is not None else []
        for n, spec in enumerate(requirements):
            offset = offsets[n] if len(offsets) == len(requirements) else key
            provenance = index.provenance(path, offset) if offset is not None else None
            if not isinstance(spec, str):
                raise InputError(
                    path,
                    provenance.line if provenance else 0,
                    f"{'.'.join(table)}.{group}[{n}] must be a requirement string",
                )
            edges.append(_pdm_edge(spec, group_scope(group), provenance, path))
    return edges


def _pdm_edge(spec: str, scope: str, provenance: Provenance | None, path: str) -> Edge:
    if not spec.startswith("-e "):
        return requirement_edge(spec, None, path, provenance, scope)
    target = spec[3:].strip()
    if " @ " in target:
        edge = requirement_edge(target, None, path, provenance, scope)
    else:
        # PDM writes editables as "-e file:///${PROJECT_ROOT}/sub#egg=name" or "-e ./sub".
        egg = _EGG.search(target)
        if egg is None:
            raise InputError(
                path,
                provenance.line if provenance else 0,
                f"editable requirement {spec!r} names no package (expected '#egg=<name>')",
            )
        edge = Edge(None, canonical_name(egg.group(1)), scope=scope, provenance=provenance)
    return Edge(edge.parent, edge.child, edge.specifier, edge.extras, edge.marker, scope, provenance, "editable")
