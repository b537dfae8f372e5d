"""``pylock.toml`` / ``pylock.<name>.toml``: the PEP 751 lock format.

``packaging.pylock`` (packaging >= 25.1) validates the document; values are
then read from the decoded mapping itself, because the audit wants versions
*as written* (``Pylock`` turns them into ``Version`` objects) and because of
the fallback below.

Fallback: ``Pylock.from_dict`` rejects a whole file when one distribution
entry lacks a download location (``path or url must be provided``), has no
hash, or spells a name unnormalized. Real tools write such entries (pdm's
``pylock.toml`` as shipped in osv-scalibr's testdata has ``[packages.sdist]``
tables with a ``name`` only), and an audit needs only names, versions and
markers, never the download. For those errors, located inside a package's
``sdist``/``wheels``/``archive``/``vcs``/``directory`` table, we read the file
ourselves; every other validation error is an :class:`InputError`.

Scopes come from each package's marker: ``'dev' in dependency_groups`` ->
``dev``, ``'x' in extras`` -> ``optional:x``, PDM's ``'default'`` group ->
``main``; a package with no such term is ``main``. Edges come from
``packages.dependencies`` (tables naming another package) or, when absent,
PDM's ``[packages.tool.pdm] dependencies`` requirement strings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from packaging.pylock import PylockValidationError

from auditor.errors import InputError
from auditor.locate.toml import KeyPath, array_string_offsets, scan_keys
from auditor.locate.toml_locks import ArrayTableLocator
from auditor.model import (
    MAIN,
    Edge,
    FileRole,
    NormalizedName,
    Package,
    ProjectDecl,
    ResolveResult,
    SourceKind,
    canonical_name,
    optional_scope,
)
from auditor.resolvers._lock_common import requirement_edge, scope_of_group
from auditor.resolvers.base import iter_tables, load_toml

__all__ = ["PylockResolver"]

_TERM = re.compile(r"""(["'])([^"']+)\1\s+(not\s+in|in)\s+(extras|dependency_groups)\b""")
_CONTEXT = re.compile(r"^packages\[(\d+)\](?:\.([A-Za-z-]+))?")
# Validation errors about where a distribution is downloaded from: not the audit's concern.
_TOLERATED_TABLES = frozenset({"sdist", "wheels", "archive", "vcs", "directory"})
_TOLERATED_MESSAGES = ("is not normalized", "Exactly one of vcs, directory, archive")


class PylockResolver:
    """Reads PEP 751 lock files."""

    name: ClassVar[str] = "pylock"
    role: ClassVar[FileRole] = "lock"

    def sniff(self, head: str) -> bool:
        """A top-level ``lock-version = "1.x"`` written before any table header."""
        found = re.search(r"""^lock-version\s*=\s*["']1\.""", head, re.M)
        return bool(found) and not re.search(r"^\s*\[", head[: found.start()] if found else "", re.M)

    def parse(self, text: str, path: str) -> ResolveResult:
        """Packages, scopes and edges of a PEP 751 lock, and the Python it requires."""
        data = load_toml(text, path)
        top = scan_keys(text, 0, _first_header(text))
        locator = ArrayTableLocator(text, "packages", data.get("packages"))
        _validate(data, text, top, locator, path)
        # Several entries of one package are per-environment alternatives (their markers); the lock
        # records no root, so nothing in it says what is direct.
        result = ResolveResult(
            file=path, format=self.name, role=self.role, records_direct=False, alternative_versions=True
        )
        states_groups = "dependency-groups" in data or "default-groups" in data or "extras" in data
        requires_python = data.get("requires-python")
        at = top.get(("requires-python",))
        result.projects.append(
            ProjectDecl(
                name=None,
                requires_python=requires_python if isinstance(requires_python, str) else None,
                requires_python_at=locator.index.provenance(path, at) if at is not None else None,
            )
        )
        packages_line = _line(locator, top, "packages")
        for n, entry in iter_tables(data.get("packages", []), path, "packages", packages_line):
            line = locator.header_line(n)
            where = f"packages[{n}]"
            display = _string(entry, "name", path, where, line, required=True)
            assert display is not None
            name = canonical_name(display)
            marker = _string(entry, "marker", path, where, line)
            result.packages.append(
                Package(
                    name=name,
                    version=_string(entry, "version", path, where, line),
                    provenance=locator.entry(path, n),
                    scopes=_scopes(marker, states_groups),
                    source=_source(entry),
                    display_name=display,
                )
            )
            result.edges.extend(_edges(entry, name, text, locator, path, where, n, line))
        return result


def _first_header(text: str) -> int:
    found = re.search(r"^[ \t]*\[", text, re.M)
    return found.start() if found else len(text)


def _line(locator: ArrayTableLocator, keys: Mapping[KeyPath, int], *path: str) -> int:
    offset = keys.get(path)
    if offset is None and len(path) == 1:
        # Not ``key = ...`` but a table header (``[packages]`` where an array is due).
        header = re.search(rf"^[ \t]*\[\[?[ \t]*{re.escape(path[0])}[ \t]*\]", locator.index.text, re.M)
        offset = header.start() if header else None
    return locator.index.position(offset)[0] if offset is not None else 0


def _validate(
    data: dict[str, Any], text: str, top: Mapping[KeyPath, int], locator: ArrayTableLocator, path: str
) -> None:
    version = data.get("lock-version")
    if isinstance(version, str) and version.split(".")[0] != "1":
        # Checked first: packaging validates the packages before the version.
        line = _line(locator, top, "lock-version")
        raise InputError(path, line, f"unsupported lock-version {version!r} (expected 1.x)")
    from packaging.pylock import Pylock, PylockUnsupportedVersionError, PylockValidationError

    try:
        Pylock.from_dict(data)
    except PylockUnsupportedVersionError as error:
        raise InputError(path, _line(locator, top, "lock-version"), error.message) from None
    except PylockValidationError as error:
        context = error.context or ""
        found = _CONTEXT.match(context)
        if found is None:
            key = context.split(".")[0].split("[")[0]
            raise InputError(path, _line(locator, top, key), _one_line(error)) from None
        n = int(found.group(1))
        table = found.group(2)
        if table in _TOLERATED_TABLES or any(m in error.message for m in _TOLERATED_MESSAGES):
            return  # read by hand: see the module docstring
        start, end = locator.span(n)
        offset = scan_keys(text, start, end).get(("packages", table)) if table else None
        line = locator.index.position(offset)[0] if offset is not None else locator.header_line(n)
        raise InputError(path, line, _one_line(error)) from None


def _one_line(error: PylockValidationError) -> str:
    """packaging's message, without the caret diagram of a marker/requirement error: one line per failure."""
    message = (error.message.splitlines() or [str(error)])[0]
    return f"{message} in {error.context!r}" if error.context else message


def _string(entry: Mapping[str, Any], key: str, path: str, where: str, line: int, required: bool = False) -> str | None:
    value = entry.get(key)
    if value is None:
        if required:
            raise InputError(path, line, f"missing {key!r} in {where}")
        return None
    if not isinstance(value, str):
        raise InputError(path, line, f"{key!r} in {where} must be a string, not {type(value).__name__}")
    return value


def _scopes(marker: str | None, states_groups: bool) -> set[str]:
    """Groups a package's marker names; with none, ``main`` only if the lock declares its groups at all."""
    scopes: set[str] = set()
    for _quote, value, operator, variable in _TERM.findall(marker or ""):
        if operator != "in":
            continue  # "x not in extras" restricts nothing we can name
        if variable == "extras":
            scopes.add(optional_scope(value))
        else:
            scopes.add(scope_of_group(value, ("default",)))
    return scopes or ({MAIN} if states_groups else set())


def _source(entry: Mapping[str, Any]) -> SourceKind:
    if "vcs" in entry:
        return "vcs"
    directory = entry.get("directory")
    if isinstance(directory, dict):
        return "editable" if directory.get("editable") is True else "path"
    archive = entry.get("archive")
    if isinstance(archive, dict):
        return "url" if "url" in archive else "path"
    wheels = entry.get("wheels")
    # Tolerated validation errors (module docstring) may leave any type here.
    files = [entry.get("sdist"), *(wheels if isinstance(wheels, list) else [])]
    local = [f for f in files if isinstance(f, dict) and "path" in f and "url" not in f]
    # Distributions given only by a local path are not from an index.
    return "path" if local and len(local) == len([f for f in files if isinstance(f, dict)]) else "registry"


def _edges(
    entry: Mapping[str, Any],
    parent: NormalizedName,
    text: str,
    locator: ArrayTableLocator,
    path: str,
    where: str,
    n: int,
    line: int,
) -> list[Edge]:
    start, end = locator.span(n)
    keys: dict[KeyPath, int] | None = None
    dependencies = entry.get("dependencies")
    edges: list[Edge] = []
    if dependencies is not None:
        keys = scan_keys(text, start, end)
        key = keys.get(("packages", "dependencies"))
        for index, dependency in iter_tables(dependencies, path, f"{where}.dependencies", line):
            child = _string(dependency, "name", path, f"{where}.dependencies[{index}]", line, required=True)
            assert child is not None
            # The dependency's name literal after the key, else the key line.
            found = re.compile(rf"""["']{re.escape(child)}["']""").search(text, key or start, end)
            offset = found.start() if found else key
            edges.append(
                Edge(
                    parent=parent,
                    child=canonical_name(child),
                    provenance=locator.at(path, offset, n),
                    child_version=_string(dependency, "version", path, where, line),
                )
            )
        return edges
    tool = entry.get("tool", {})
    pdm = tool.get("pdm", {}) if isinstance(tool, dict) else {}
    requirements = pdm.get("dependencies", []) if isinstance(pdm, dict) else []
    if not isinstance(requirements, list) or not requirements:
        return edges
    keys = scan_keys(text, start, end)
    key = keys.get(("packages", "tool", "pdm", "dependencies"))
    offsets = array_string_offsets(text, key, end) if key is not None else []
    for index, spec in enumerate(requirements):
        offset = offsets[index] if len(offsets) == len(requirements) else key
        provenance = locator.at(path, offset, n)
        if not isinstance(spec, str):
            at = provenance.line if provenance else line
            raise InputError(path, at, f"tool.pdm.dependencies[{index}] of {where} must be a string")
        edges.append(requirement_edge(spec, parent, path, provenance))
    return edges
