"""``uv.lock``: every package, its version and source, and the dependency edges.

The root project(s) are the packages whose ``source`` is ``editable`` or
``virtual`` and that the ``[manifest]`` lists as workspace members (or, in a
single-project lock, the one at ``"."``). Their ``dependencies``,
``optional-dependencies`` and ``dev-dependencies`` tables are the direct
dependencies, in the scopes ``main``, ``optional:<extra>`` and the group's
scope. A virtual workspace root has no package entry: its groups are in
``[manifest.dependency-groups]``.

Format reference: https://docs.astral.sh/uv/concepts/projects/layout/#the-lockfile
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from auditor.errors import InputError
from auditor.locate.toml import toml_line
from auditor.locate.toml_locks import ArrayTableLocator
from auditor.model import (
    MAIN,
    Edge,
    FileRole,
    NormalizedName,
    Package,
    ProjectDecl,
    Provenance,
    ResolveResult,
    SourceKind,
    canonical_name,
    group_scope,
    optional_scope,
)
from auditor.resolvers._hash_lists import blank_file_lists, blank_file_tables
from auditor.resolvers.base import load_toml

__all__ = ["UvLockResolver"]

_SOURCE_KINDS: dict[str, SourceKind] = {
    "registry": "registry",
    "git": "vcs",
    "url": "url",
    "path": "path",
    "directory": "path",
    "editable": "editable",
    "virtual": "virtual",
}


class UvLockResolver:
    """Reads ``uv.lock`` (lock ``version = 1``, any revision)."""

    name: ClassVar[str] = "uv-lock"
    role: ClassVar[FileRole] = "lock"

    def sniff(self, head: str) -> bool:
        # uv writes `version = 1` then `revision = N` / `requires-python` first.
        lines = [line.strip() for line in head.splitlines()[:4]]
        return (
            bool(lines)
            and lines[0] == "version = 1"
            and any(line.startswith(("revision =", "requires-python =")) for line in lines[1:])
        )

    def parse(self, text: str, path: str) -> ResolveResult:
        """Read one uv.lock (long: one pass over packages)."""
        # No hash is read: wheel lists and sdist tables are emptied, lines kept (_hash_lists); all below reads
        # the shorter text.
        text = blank_file_tables(blank_file_lists(text, "wheels"), "sdist")
        data = load_toml(text, path)
        locator = ArrayTableLocator(text, "package", data.get("package"))
        version = data.get("version")
        if version != 1:
            raise InputError(path, 1, f"unsupported uv.lock version {version!r} (expected 1)")
        raw_packages = data.get("package", [])
        if not isinstance(raw_packages, list):
            raise InputError(path, 1, "'package' must be an array of tables")
        requires_python = data.get("requires-python")
        if requires_python is not None and not isinstance(requires_python, str):
            raise InputError(path, toml_line(text, ("requires-python",), 0), "'requires-python' must be a string")
        members = _members(data, path, text)

        # No lock_python: uv writes every marker already simplified against requires-python (none can
        # be impossible there), and judging its long conflict markers again costs ~5 ms each.
        result = ResolveResult(file=path, format=self.name, role="lock", alternative_versions=True)
        for n, entry in enumerate(raw_packages):
            at = locator.entry(path, n)
            line = at.line if at else 0
            if not isinstance(entry, dict):
                raise InputError(path, line, f"package[{n}] must be a table")
            name = entry.get("name")
            if name is not None and not isinstance(name, str):
                raise InputError(path, line, f"'name' in package[{n}] must be a string, not {type(name).__name__}")
            if not name:
                raise InputError(path, locator.header_line(n), f"missing 'name' in package[{n}]")
            version_value = entry.get("version")
            if version_value is not None and not isinstance(version_value, str):
                raise InputError(path, line, f"'version' of {name!r} must be a string")
            kind, location = _source(entry.get("source"), path, line, name)
            normalized = canonical_name(name)
            result.packages.append(
                Package(
                    name=normalized,
                    version=version_value,
                    provenance=at,
                    source=kind,
                    display_name=name,
                    purl=_purl(normalized, version_value, kind),
                )
            )
            is_root = kind in ("editable", "virtual") and (normalized in members if members else location == ".")
            if is_root:
                result.projects.append(
                    ProjectDecl(
                        name=normalized,
                        version=version_value,
                        requires_python=requires_python,
                        requires_python_at=_requires_python_at(locator, path) if requires_python else None,
                        dependencies_at=at,
                        directory="" if location == "." else location,
                        provenance=at,
                    )
                )
            specifiers = _declared_specifiers(entry.get("metadata")) if is_root else {}
            result.edges.extend(_edges(entry, normalized, at, path, line, specifiers))

        if not any(project.directory == "" for project in result.projects):
            root_groups = _manifest_groups(data, path, locator)
            if members or root_groups:
                # A virtual workspace root: no package entry, maybe root-level groups.
                root = ProjectDecl(
                    name=None,
                    requires_python=requires_python,
                    requires_python_at=_requires_python_at(locator, path) if requires_python else None,
                )
                result.projects.insert(0, root)
                result.edges.extend(root_groups)
        return result


def _members(data: Mapping[str, Any], path: str, text: str) -> set[NormalizedName]:
    manifest = data.get("manifest", {})
    if not isinstance(manifest, dict):
        raise InputError(path, toml_line(text, ("manifest",), 0), "'manifest' must be a table")
    members = manifest.get("members", [])
    if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
        line = toml_line(text, ("manifest", "members"), 0)
        raise InputError(path, line, "'manifest.members' must be an array of strings")
    return {canonical_name(m) for m in members}


def _manifest_groups(data: Mapping[str, Any], path: str, locator: ArrayTableLocator) -> list[Edge]:
    manifest = data.get("manifest", {})
    groups = manifest.get("dependency-groups", {}) if isinstance(manifest, dict) else {}
    if not isinstance(groups, dict):
        raise InputError(path, 0, "'manifest.dependency-groups' must be a table")
    at = _table_at(locator, "[manifest.dependency-groups]", path)
    edges = []
    for group, entries in groups.items():
        if not isinstance(entries, list):
            raise InputError(path, at.line if at else 0, f"dependency group {group!r} must be an array")
        for entry in entries:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                edges.append(
                    Edge(
                        parent=None,
                        child=canonical_name(entry["name"]),
                        specifier=str(entry.get("specifier", "")),
                        scope=group_scope(group),
                        provenance=at,
                    )
                )
    return edges


def _table_at(locator: ArrayTableLocator, header: str, path: str) -> Provenance | None:
    offset = locator.index.text.find(header)
    return locator.index.provenance(path, offset) if offset >= 0 else None


def _requires_python_at(locator: ArrayTableLocator, path: str) -> Provenance | None:
    offset = locator.index.text.find("requires-python =")
    return locator.index.provenance(path, offset) if offset >= 0 else None


def _source(value: Any, path: str, line: int, name: str) -> tuple[SourceKind, str]:
    if value is None:
        return "unknown", ""
    if not isinstance(value, dict) or not value:
        raise InputError(path, line, f"'source' of {name!r} must be an inline table")
    key, location = next(iter(value.items()))
    return _SOURCE_KINDS.get(key, "unknown"), str(location)


def _purl(name: NormalizedName, version: str | None, kind: SourceKind) -> str | None:
    if kind in ("editable", "virtual", "path") or version is None:
        return None
    return f"pkg:pypi/{name}@{version}"


def _declared_specifiers(metadata: Any) -> dict[NormalizedName, str]:
    """``[package.metadata] requires-dist``: the specifiers as the manifest wrote them."""
    if not isinstance(metadata, dict):
        return {}
    found: dict[NormalizedName, str] = {}
    for key in ("requires-dist", "requires-dev"):
        value = metadata.get(key)
        entries = value if isinstance(value, list) else []
        if isinstance(value, dict):
            entries = [e for group in value.values() if isinstance(group, list) for e in group]
        for entry in entries:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                spec = entry.get("specifier")
                if isinstance(spec, str):
                    found.setdefault(canonical_name(entry["name"]), spec)
    return found


def _edges(
    entry: Mapping[str, Any],
    parent: NormalizedName,
    at: Provenance | None,
    path: str,
    line: int,
    specifiers: Mapping[NormalizedName, str],
) -> list[Edge]:
    edges: list[Edge] = []
    tables: list[tuple[str, Any]] = [(MAIN, entry.get("dependencies", []))]
    for key, scope_of in (("optional-dependencies", optional_scope), ("dev-dependencies", group_scope)):
        table = entry.get(key, {})
        if not isinstance(table, dict):
            raise InputError(path, line, f"'{key}' of {parent!r} must be a table")
        tables.extend((scope_of(group), deps) for group, deps in table.items())
    for scope, deps in tables:
        if not isinstance(deps, list):
            where = "dependencies" if scope == MAIN else f"dependencies in scope {scope!r}"
            raise InputError(path, line, f"{where} of {parent!r} must be an array")
        for dep in deps:
            name = dep.get("name") if isinstance(dep, dict) else None
            if not isinstance(name, str):
                raise InputError(path, line, f"a dependency of {parent!r} has no 'name'")
            child = canonical_name(name)
            extras = dep.get("extra")  # most dependencies have none: no tuple to build
            marker = dep.get("marker")
            version = dep.get("version")
            edges.append(
                Edge(  # positional: a NamedTuple built from keywords costs twice as much, 15,000 times a lock
                    parent,
                    child,
                    specifiers.get(child, ""),
                    tuple(str(e) for e in extras) if isinstance(extras, list) and extras else (),
                    marker if isinstance(marker, str) else None,
                    scope,
                    at,
                    "registry",
                    "pypi",
                    version if isinstance(version, str) else None,
                )
            )
    return edges
