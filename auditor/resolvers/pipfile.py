"""``Pipfile``: Pipenv's manifest (TOML).

``[packages]`` is main, ``[dev-packages]`` dev, any other table that is not
one of Pipenv's settings tables is a custom package category
(``[groupA]`` -> ``group:groupa``). A value is a specifier string (``"*"``
for any) or a table: ``version``, ``extras``, ``markers``, direct references
(``git`` + ``ref``, ``path``, ``file``, ``editable``), ``index``, and PEP 508
marker variables written as keys (``sys_platform = "== 'linux'"``).
``[requires] python_version = "3.11"`` is the project's Python (``==3.11.*``).

Every declaration is direct: ``Edge(parent=None, ...)`` at the line of its key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

from auditor.errors import InputError
from auditor.locate.toml import KeyPath, scan_keys
from auditor.model import (
    Edge,
    FileRole,
    NormalizedName,
    Package,
    ProjectDecl,
    Provenance,
    ResolveResult,
    SourceKind,
    canonical_name,
)
from auditor.resolvers.base import LineIndex, load_toml
from auditor.resolvers.pipfile_lock import category_scope, python_requirement

__all__ = ["PipfileResolver"]

# Pipenv's own tables: never package categories.
_SETTINGS = frozenset({"source", "requires", "pipenv", "scripts"})
_MARKER_KEYS = frozenset(
    {
        "os_name",
        "sys_platform",
        "platform_machine",
        "platform_python_implementation",
        "platform_release",
        "platform_system",
        "platform_version",
        "python_version",
        "python_full_version",
        "implementation_name",
        "implementation_version",
    }
)
_SNIFF = re.compile(r"^\[(?:packages|dev-packages)\][ \t]*$", re.M)


class PipfileResolver:
    """Reads ``Pipfile`` (the manifest; ``Pipfile.lock`` is :mod:`pipfile_lock`)."""

    name: ClassVar[str] = "pipfile"
    role: ClassVar[FileRole] = "manifest"

    def sniff(self, head: str) -> bool:
        """A ``[packages]`` or ``[dev-packages]`` table header."""
        return bool(_SNIFF.search(head))

    def parse(self, text: str, path: str) -> ResolveResult:
        """The project's Python and its direct dependencies per category."""
        data = load_toml(text, path)
        index = LineIndex(text)
        keys = scan_keys(text)
        result = ResolveResult(file=path, format=self.name, role=self.role)
        result.projects.append(_project(data, keys, index, path))
        packages: dict[NormalizedName, Package] = {}
        for category, entries in data.items():
            if category in _SETTINGS:
                continue
            header = _at(index, path, keys.get((category,)))
            if not isinstance(entries, dict):
                at, kind = (header.line if header else 0), type(entries).__name__
                raise InputError(path, at, f"[{category}] must be a table of packages, not {kind}")
            scope = category_scope(category)
            for display, value in entries.items():
                provenance = _at(index, path, keys.get((category, display))) or header
                edge = _edge(display, value, scope, provenance, path, category)
                result.edges.append(edge)
                package = packages.get(edge.child)
                if package is None:
                    package = Package(edge.child, None, provenance, source=edge.source, display_name=display)
                    packages[edge.child] = package
                    result.packages.append(package)
                package.scopes.add(scope)
        return result


def _at(index: LineIndex, path: str, offset: int | None) -> Provenance | None:
    return index.provenance(path, offset) if offset is not None else None


def _project(data: Mapping[str, Any], keys: Mapping[KeyPath, int], index: LineIndex, path: str) -> ProjectDecl:
    requires = data.get("requires", {})
    if not isinstance(requires, dict):
        at = _at(index, path, keys.get(("requires",)))
        raise InputError(path, at.line if at else 0, "[requires] must be a table")
    python = python_requirement(requires)
    key = "python_full_version" if "python_full_version" in requires else "python_version"
    return ProjectDecl(
        name=None,
        requires_python=python,
        requires_python_at=_at(index, path, keys.get(("requires", key))) if python else None,
        dependencies_at=_at(index, path, keys.get(("packages",))),
    )


def _specifier(raw: str, path: str, line: int, where: str) -> str:
    raw = raw.strip()
    if raw in ("*", ""):
        return ""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet  # on first use: lean start-up

    try:
        return str(SpecifierSet(raw))
    except InvalidSpecifier:
        pass
    try:
        # Pipenv reads a bare version ("1.2", "3.*") as a pin.
        return str(SpecifierSet(f"=={raw}"))
    except InvalidSpecifier:
        raise InputError(path, line, f"invalid version specifier {raw!r} for {where}") from None


def _edge(display: str, value: Any, scope: str, provenance: Provenance | None, path: str, category: str) -> Edge:
    line = provenance.line if provenance else 0
    where = f"{category}.{display}"
    if isinstance(value, str):
        specifier = _specifier(value, path, line, where)
        return Edge(None, canonical_name(display), specifier, scope=scope, provenance=provenance)
    if not isinstance(value, dict):
        kind = type(value).__name__
        raise InputError(path, line, f"{where} must be a version string or a table, not {kind}")
    version = value.get("version", "*")
    if not isinstance(version, str):
        raise InputError(path, line, f"'version' of {where} must be a string")
    extras = value.get("extras", [])
    if not isinstance(extras, list):
        raise InputError(path, line, f"'extras' of {where} must be an array of strings")
    markers = [str(value["markers"])] if value.get("markers") else []
    markers += [f"{key} {str(value[key]).strip()}" for key in sorted(_MARKER_KEYS & value.keys())]
    source: SourceKind = "registry"
    if "git" in value or "hg" in value or "svn" in value or "bzr" in value:
        source = "vcs"
    elif "path" in value:
        source = "editable" if value.get("editable") is True else "path"
    elif "file" in value:
        source = "path" if str(value["file"]).startswith(("file:", ".", "/")) else "url"
    return Edge(
        parent=None,
        child=canonical_name(display),
        specifier=_specifier(version, path, line, where),
        extras=tuple(str(e) for e in extras),
        marker=" and ".join(f"({m})" if " or " in m else m for m in markers) or None,
        scope=scope,
        provenance=provenance,
        source=source,
    )
