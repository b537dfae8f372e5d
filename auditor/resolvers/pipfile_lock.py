"""``Pipfile.lock``: Pipenv's JSON lock.

Top-level keys other than ``_meta`` are package categories: ``default``
(main), ``develop`` (dev) and any custom category of the Pipfile
(``[groupA]`` -> ``group:groupa``). Each maps a package name to its pin
(``"version": "==1.2.3"``), or to a direct reference (``git`` + ``ref``,
``file``, ``path``, ``editable``).

Note on edges: Pipfile.lock records no edges between packages, only the flat
resolved set of each category. Every package of a category is reachable from
the project, so each gets an ``Edge(parent=None, child=..., scope=...)`` so
that the graph knows its scopes; these edges do **not** mean "direct
dependency" (most are transitive). The Pipfile says which are direct: the
graph merge takes "direct" from it, not from these edges.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, ClassVar

from auditor.errors import InputError
from auditor.model import (
    DEV,
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
)
from auditor.resolvers._jsondup import DuplicateKey, duplicate_key_line, refuse_duplicates
from auditor.resolvers.base import LineIndex

__all__ = ["PipfileLockResolver", "category_scope", "json_entry_offsets", "python_requirement"]

_SNIFF = re.compile(r'^\s*\{\s*"_meta"\s*:\s*\{[\s\S]*"pipfile-spec"', re.M)
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]]')
# Categories listed first win the provenance of a package locked in several.
_PREFERRED = ("default", "develop")


def category_scope(category: str) -> str:
    """Scope of a Pipenv category: ``default``/``packages`` are main, ``develop``/``dev-packages`` dev."""
    if category in ("default", "packages"):
        return MAIN
    if category in ("develop", "dev-packages"):
        return DEV
    return group_scope(category)


def python_requirement(requires: Mapping[str, Any]) -> str | None:
    """``python_full_version = "3.11.4"`` -> ``==3.11.4``; ``python_version = "3.11"`` -> ``==3.11.*``."""
    full = requires.get("python_full_version")
    if isinstance(full, str) and full.strip():
        return f"=={full.strip()}"
    short = requires.get("python_version")
    if isinstance(short, str) and short.strip():
        return f"=={short.strip()}.*"
    return None


def json_entry_offsets(text: str) -> dict[tuple[str, ...], int]:
    """Offsets of the keys at depth 1 and 2 of a JSON object, in one pass over the tokens.

    ``("default",)`` is a category's key, ``("default", "django")`` an entry's;
    inside ``_meta`` depth 3 too (``("_meta", "requires", "python_version")``).
    Works on indented and minified JSON alike.
    """
    found: dict[tuple[str, ...], int] = {}
    depth = 0
    section = entry = ""
    length = len(text)
    for token in _TOKEN.finditer(text):
        lexeme = token.group(0)
        if lexeme in "{[":
            depth += 1
            continue
        if lexeme in "}]":
            depth -= 1
            continue
        if depth > 3 or (depth == 3 and section != "_meta"):
            continue
        pos = token.end()
        while pos < length and text[pos] in " \t\r\n":
            pos += 1
        if pos >= length or text[pos] != ":":
            continue  # a value, not a key
        key = json.loads(lexeme)
        if depth == 1:
            section = key
            found.setdefault((key,), token.start())
        elif depth == 2:
            entry = key
            found.setdefault((section, key), token.start())
        else:
            found.setdefault((section, entry, key), token.start())
    return found


class PipfileLockResolver:
    """Reads ``Pipfile.lock``."""

    name: ClassVar[str] = "pipfile-lock"
    role: ClassVar[FileRole] = "lock"

    def sniff(self, head: str) -> bool:
        """A JSON object starting with ``_meta`` that has a ``pipfile-spec``."""
        return bool(_SNIFF.search(head))

    def parse(self, text: str, path: str) -> ResolveResult:
        """The locked packages of every category, with scopes, and the project's Python."""
        try:
            data = json.loads(text, object_pairs_hook=refuse_duplicates)
        except json.JSONDecodeError as error:
            raise InputError(path, error.lineno, f"invalid JSON: {error.msg}") from None
        except DuplicateKey as error:
            line = duplicate_key_line(text)
            raise InputError(path, line, f"duplicate key {error.key!r} in one JSON object: refused") from None
        except RecursionError:
            from auditor.locate.nesting import nesting_error

            raise nesting_error(text, path, "JSON") from None
        if not isinstance(data, dict):
            raise InputError(path, 1, f"a Pipfile.lock must be a JSON object, not {type(data).__name__}")
        index = LineIndex(text)
        offsets = json_entry_offsets(text)
        # Its root edges carry each package's section (scope), not what the Pipfile declares.
        result = ResolveResult(file=path, format=self.name, role=self.role, records_direct=False)
        result.projects.append(_project(data, offsets, index, path))
        order = [c for c in _PREFERRED if c in data] + [c for c in data if c not in (*_PREFERRED, "_meta")]
        packages: dict[tuple[NormalizedName, str | None], Package] = {}
        for category in order:
            entries = data[category]
            where = offsets.get((category,))
            if not isinstance(entries, dict):
                line = index.position(where)[0] if where is not None else 0
                raise InputError(path, line, f"category {category!r} must be an object of packages")
            scope = category_scope(category)
            for display, entry in entries.items():
                provenance = _at(index, path, offsets.get((category, display)))
                line = provenance.line if provenance else 0
                if not isinstance(entry, dict):
                    raise InputError(path, line, f"{category}.{display} must be an object")
                name = canonical_name(display)
                version, source = _version_source(entry, path, f"{category}.{display}", line)
                package = packages.get((name, version))
                if package is None:
                    package = Package(name, version, provenance, source=source, display_name=display)
                    packages[(name, version)] = package
                    result.packages.append(package)
                package.scopes.add(scope)
                result.edges.append(_edge(entry, name, version, scope, provenance, source))
        return result


def _at(index: LineIndex, path: str, offset: int | None) -> Provenance | None:
    return index.provenance(path, offset) if offset is not None else None


def _project(
    data: Mapping[str, Any], offsets: Mapping[tuple[str, ...], int], index: LineIndex, path: str
) -> ProjectDecl:
    meta = data.get("_meta", {})
    meta = meta if isinstance(meta, dict) else {}
    requires = meta.get("requires", {})
    if not isinstance(requires, dict):
        line = index.position(offsets.get(("_meta", "requires"), 0))[0]
        raise InputError(path, line, "_meta.requires must be an object")
    python = python_requirement(requires)
    key = "python_full_version" if "python_full_version" in requires else "python_version"
    provenance = _at(index, path, offsets.get(("_meta", "requires", key))) if python else None
    return ProjectDecl(name=None, requires_python=python, requires_python_at=provenance)


def _version_source(entry: Mapping[str, Any], path: str, where: str, line: int) -> tuple[str | None, SourceKind]:
    source: SourceKind = "registry"
    if "git" in entry or "hg" in entry or "svn" in entry or "bzr" in entry:
        source = "vcs"
    elif "path" in entry:
        source = "editable" if entry.get("editable") is True else "path"
    elif "file" in entry:
        file = str(entry["file"])
        remote = re.match(r"^[a-z][a-z0-9+.-]*://", file) and not file.startswith("file:")
        source = "url" if remote else "path"
    version = entry.get("version")
    if version is None:
        if source == "registry":
            raise InputError(path, line, f"missing 'version' in {where}")
        return None, source
    if not isinstance(version, str):
        raise InputError(path, line, f"'version' in {where} must be a string, not {type(version).__name__}")
    # Pipenv pins are written "==1.2.3" (or "===x" for arbitrary equality).
    return version.lstrip("=").strip() or None, source


def _edge(
    entry: Mapping[str, Any],
    name: NormalizedName,
    version: str | None,
    scope: str,
    provenance: Provenance | None,
    source: SourceKind,
) -> Edge:
    extras = entry.get("extras", [])
    markers = entry.get("markers")
    raw_version = entry.get("version")
    return Edge(
        parent=None,
        child=name,
        specifier=raw_version if isinstance(raw_version, str) else "",
        extras=tuple(str(e) for e in extras) if isinstance(extras, list) else (),
        marker=markers if isinstance(markers, str) and markers else None,
        scope=scope,
        provenance=provenance,
        source=source,
        child_version=version,
    )
