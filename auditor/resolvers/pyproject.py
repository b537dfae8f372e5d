"""``pyproject.toml``: what the project declares.

PEP 621 ``[project]`` (``dependencies``, ``optional-dependencies``,
``requires-python``), PEP 735 ``[dependency-groups]`` with
``{include-group = ...}``, uv's legacy ``[tool.uv] dev-dependencies``, and
the tool tables of Poetry and PDM (``pyproject_tools``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from auditor.errors import InputError
from auditor.locate.toml import TomlKeys, array_string_offsets, toml_line
from auditor.model import (
    DEV,
    MAIN,
    Edge,
    FileRole,
    ProjectDecl,
    Provenance,
    ResolveResult,
    SourceKind,
    canonical_name,
    group_scope,
    optional_scope,
)
from auditor.resolvers.base import LineIndex, load_toml

__all__ = ["PyprojectResolver", "TomlArrayLocator", "requirement_edge"]


class PyprojectResolver:
    """Reads the dependency tables of ``pyproject.toml``."""

    name: ClassVar[str] = "pyproject"
    role: ClassVar[FileRole] = "manifest"

    def sniff(self, head: str) -> bool:
        return re.search(r"^\[(project|tool\.poetry|build-system)\]", head, re.M) is not None

    def parse(self, text: str, path: str) -> ResolveResult:
        data = load_toml(text, path)
        locate = TomlArrayLocator(text, path)
        result = ResolveResult(file=path, format=self.name, role="manifest")
        project = data.get("project", {})
        if not isinstance(project, dict):
            raise InputError(path, toml_line(text, ("project",), 0), "[project] must be a table")
        for key in ("name", "version"):
            if key in project and not isinstance(project[key], str):
                line, kind = locate.key_line("project", key), type(project[key]).__name__
                raise InputError(path, line, f"'{key}' in [project] must be a string, not {kind}")

        decl = ProjectDecl(name=None, provenance=locate.key("project", "name"))
        if isinstance(project.get("name"), str):
            decl.name = canonical_name(project["name"])
        if isinstance(project.get("version"), str):
            decl.version = project["version"]
        requires_python = project.get("requires-python")
        if requires_python is not None:
            if not isinstance(requires_python, str):
                raise InputError(
                    path, locate.key_line("project", "requires-python"), "'requires-python' must be a string"
                )
            decl.requires_python = requires_python
            decl.requires_python_at = locate.key("project", "requires-python")
        decl.dependencies_at = locate.key("project", "dependencies")
        has_dependency_list = decl.dependencies_at is not None
        decl.dependencies_at = decl.dependencies_at or decl.provenance

        result.edges.extend(_strings(project, "dependencies", "project", MAIN, locate, path))
        optional = project.get("optional-dependencies", {})
        if not isinstance(optional, dict):
            raise InputError(
                path, locate.key_line("project", "optional-dependencies"), "'optional-dependencies' must be a table"
            )
        for extra in optional:
            result.edges.extend(
                _strings(optional, extra, "project.optional-dependencies", optional_scope(extra), locate, path)
            )
        _dependency_groups(data, locate, path, result)
        tool = data.get("tool", {})
        uv = tool.get("uv", {}) if isinstance(tool, dict) else {}
        if isinstance(uv, dict) and "dev-dependencies" in uv:
            result.edges.extend(_strings(uv, "dev-dependencies", "tool.uv", DEV, locate, path))
        _tool_tables(data, text, path, decl, result, not has_dependency_list)
        if decl.dependencies_at is None:
            decl.dependencies_at = Provenance(path, 1, 1, LineIndex(text).line_text(1).strip() if text else "")
        result.projects.append(decl)
        return result


def _tool_tables(
    data: Mapping[str, Any],
    text: str,
    path: str,
    decl: ProjectDecl,
    result: ResolveResult,
    locate_dependencies_missing: bool,
) -> None:
    """Poetry and PDM keep dependencies in their own tables."""
    tool = data.get("tool", {})
    if not isinstance(tool, dict) or not ({"poetry", "pdm"} & tool.keys()):
        return
    from auditor.resolvers import pyproject_tools

    index = LineIndex(text)
    if "poetry" in tool:
        poetry_decl, edges, skipped = pyproject_tools.poetry_dependencies(data, index, path)
        result.edges.extend(edges)
        result.skipped.extend(skipped)
        if poetry_decl is not None:
            decl.name = decl.name or poetry_decl.name
            decl.version = decl.version or poetry_decl.version
            decl.requires_python = decl.requires_python or poetry_decl.requires_python
            decl.requires_python_at = decl.requires_python_at or poetry_decl.requires_python_at
            if locate_dependencies_missing:
                decl.dependencies_at = poetry_decl.dependencies_at or decl.dependencies_at
    if "pdm" in tool:
        result.edges.extend(pyproject_tools.pdm_dependencies(data, index, path))


def _dependency_groups(data: Mapping[str, Any], locate: TomlArrayLocator, path: str, result: ResolveResult) -> None:
    """PEP 735: each group's requirements, with ``include-group`` expanded (cycles reported)."""
    groups = data.get("dependency-groups", {})
    if not isinstance(groups, dict):
        line = locate.table_line("dependency-groups") or toml_line(locate.index.text, ("dependency-groups",), 0)
        raise InputError(path, line, "[dependency-groups] must be a table")

    def expand(group: str, scope: str, stack: tuple[str, ...]) -> None:
        line = locate.key_line("dependency-groups", group)
        if group in stack:
            raise InputError(path, line, f"include-group cycle: {' -> '.join((*stack, group))}")
        entries = groups.get(group)
        if entries is None:
            raise InputError(path, line, f"include-group names an unknown group {group!r}")
        if not isinstance(entries, list):
            raise InputError(path, line, f"dependency group {group!r} must be an array")
        items = locate.items("dependency-groups", group, [e for e in entries if isinstance(e, str)])
        for entry in entries:
            if isinstance(entry, str):
                at = next(items)
                result.edges.append(requirement_edge(entry, scope, at, path))
            elif isinstance(entry, dict) and isinstance(entry.get("include-group"), str):
                expand(entry["include-group"], scope, (*stack, group))
            else:
                raise InputError(
                    path, line, f"dependency group {group!r}: expected a string or {{include-group = ...}}"
                )

    for group in groups:
        expand(group, group_scope(group), ())


def _strings(
    table: Mapping[str, Any], key: str, where: str, scope: str, locate: TomlArrayLocator, path: str
) -> list[Edge]:
    values = table.get(key, [])
    line = locate.key_line(where, key)
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise InputError(path, line, f"'{key}' in [{where}] must be an array of strings")
    items = locate.items(where, key, values)
    return [requirement_edge(value, scope, next(items), path) for value in values]


def requirement_edge(text: str, scope: str, at: Provenance | None, path: str) -> Edge:
    """A PEP 508 string as a direct-dependency edge, or a located error."""
    from packaging.requirements import InvalidRequirement, Requirement  # ~50 ms: only when a manifest is read

    try:
        requirement = Requirement(text)
    except InvalidRequirement as error:
        # packaging's message has a caret diagram on extra lines: keep the first line only.
        reason = str(error).splitlines()[0] if str(error) else "not PEP 508"
        raise InputError(path, at.line if at else 0, f"invalid requirement {text!r}: {reason}") from None
    source: SourceKind = "registry"
    if requirement.url:
        source = (
            "vcs"
            if requirement.url.split("+", 1)[0] in ("git", "hg", "svn", "bzr")
            else ("path" if requirement.url.startswith("file:") else "url")
        )
    return Edge(
        parent=None,
        child=canonical_name(requirement.name),
        specifier=str(requirement.specifier),
        extras=tuple(sorted(requirement.extras)),
        marker=str(requirement.marker) if requirement.marker else None,
        scope=scope,
        provenance=at,
        source=source,
    )


class TomlArrayLocator:
    """Lines of keys and of array items in a ``pyproject.toml``, over :class:`~auditor.locate.toml.TomlKeys`.

    ``table`` names are dotted (``"project.optional-dependencies"``); the n-th
    string of an array is the n-th string element written in it.
    """

    def __init__(self, text: str, path: str) -> None:
        self.index = LineIndex(text)
        self.path = path
        self._keys = TomlKeys(text)

    def _offset(self, table: str, key: str | None = None) -> int | None:
        path = (*table.split("."), *((key,) if key is not None else ()))
        offset = self._keys.offset(path)
        if offset is None or (self._keys.offset(path[:-1]) == offset and key is not None):
            return None  # only the table is written, not the key
        return offset

    def table_line(self, table: str) -> int:
        offset = self._keys.keys.get(tuple(table.split(".")))
        return self.index.position(offset)[0] if offset is not None else 0

    def key(self, table: str, key: str) -> Provenance | None:
        offset = self._offset(table, key)
        return None if offset is None else self.index.provenance(self.path, offset)

    def key_line(self, table: str, key: str) -> int:
        offset = self._offset(table, key)
        return self.index.position(offset)[0] if offset is not None else self.table_line(table)

    def items(self, table: str, key: str, values: list[str]) -> Iterator[Provenance | None]:
        """One provenance per string element, in order (the key's line where not found)."""
        offset = self._offset(table, key)
        fallback = None if offset is None else self.index.provenance(self.path, offset)
        offsets = array_string_offsets(self.index.text, offset) if offset is not None else []
        for n in range(len(values)):
            yield self.index.provenance(self.path, offsets[n]) if n < len(offsets) else fallback
