"""pip requirements files (``requirements*.txt``, ``requirements/*.txt``, ``*.in``).

Parsed by ``pip-requirements-parser`` (pip's own grammar). ``-r``/``-c``
includes are returned as :class:`Include` for discovery to follow inside the
audited root; this module never opens another file.

A compiled file (``pip-compile``, ``uv pip compile``, ``uv export``) carries
``# via`` annotations: those give the edges, and a package whose annotation
names an input file (``-r requirements.in``) or nothing is direct. A hand-written
file has no annotations: every line is a direct dependency.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar

from auditor.errors import InputError
from auditor.model import (
    DEV,
    MAIN,
    Edge,
    FileRole,
    Include,
    NormalizedName,
    Package,
    ResolveResult,
    Skipped,
    SourceKind,
    canonical_name,
    group_scope,
)
from auditor.resolvers.base import LineIndex

__all__ = ["RequirementsResolver"]

_VIA = re.compile(r"^\s*#\s+via\b(.*)$")
_VIA_MORE = re.compile(r"^\s*#\s{2,}(\S.*)$")
_PIN = re.compile(r"^===?\s*([^\s,;]+)$")
_VCS = ("git+", "hg+", "svn+", "bzr+")
_ENV_VAR = re.compile(r"\$\{[A-Za-z0-9_]+\}")
_CONFIG_SETTINGS = re.compile(r"\s(?:--config-settings|-C)(?:[= ](?!-)\S*)?")


class RequirementsResolver:
    """Reads pip requirements files through ``pip-requirements-parser``."""

    name: ClassVar[str] = "requirements"
    role: ClassVar[FileRole] = "manifest"

    def detect(self, path: PurePosixPath) -> bool:
        name = path.name
        if name.endswith(".in"):
            return True
        if not name.endswith(".txt"):
            return False
        return name.startswith("requirements") or path.parent.name == "requirements" or name.endswith(
            ("-requirements.txt", "_requirements.txt")
        )

    def sniff(self, head: str) -> bool:
        lines = [line.strip() for line in head.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        if not lines:
            return False
        pattern = re.compile(r"^(-[rce]\s|--(requirement|constraint|hash|index-url)|[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*(==|>=|<=|~=|!=|@|;|$))")
        return sum(1 for line in lines[:20] if pattern.match(line)) >= max(1, len(lines[:20]) * 3 // 4)

    def parse(self, text: str, path: str) -> ResolveResult:
        from pip_requirements_parser import RequirementsFile

        if "\x00" in text:
            raise InputError(path, 1, "binary data where a requirements file was expected")
        prepared, result_skipped = _prepare(text, path)
        try:
            parsed = _parse_text(RequirementsFile, prepared)
        except Exception as error:  # pip's parser raises bare Exceptions and its own types
            raise InputError(path, _line_of(error), f"cannot parse requirements: {error}") from None
        index = LineIndex(text)
        result = ResolveResult(file=path, format=self.name, role="manifest", skipped=result_skipped)
        for option in parsed.options:
            for key, kind in (("requirements", "requirements"), ("constraints", "constraints")):
                for target in option.options.get(key, []):
                    at = index.line_provenance(path, option.line_number)
                    result.includes.append(Include(target=target, kind=kind, provenance=at))  # type: ignore[arg-type]
        for invalid in parsed.invalid_lines:
            if invalid.error_message.startswith("Incorrect and ignored trailing"):
                continue  # pip tolerates these ("--index-url URL pkg"); so do we
            reason = invalid.error_message.splitlines()[0].removeprefix("Invalid requirement: ").lstrip(": ")
            raise InputError(path, invalid.line_number, f"invalid requirement {invalid.line.strip()!r}: {reason}")
        vias = _annotations(index)
        compiled = bool(vias)
        if compiled:
            result.role = "lock"
        for requirement in parsed.requirements:
            self._add(requirement, index, path, vias, compiled, result)
        if compiled:
            # `# via my-project` names the project itself, which has no line of its own.
            known = {package.name for package in result.packages}
            result.edges = [
                edge if edge.parent is None or edge.parent in known else replace(edge, parent=None)
                for edge in result.edges
            ]
        scope = scope_of_file(path)
        if scope != MAIN:
            result.edges = [replace(edge, scope=scope) for edge in result.edges]
        return result

    def _add(
        self,
        requirement: Any,
        index: LineIndex,
        path: str,
        vias: dict[int, list[str]],
        compiled: bool,
        result: ResolveResult,
    ) -> None:
        line = requirement.line_number
        at = index.line_provenance(path, line)
        if not requirement.name:
            link = requirement.link.url if requirement.link else requirement.line
            result.skipped.append(Skipped(name=str(link), reason="requirement without a project name (a path or URL)", provenance=at))
            return
        name = canonical_name(requirement.name)
        source = _source_kind(requirement)
        specifier = str(requirement.specifier or "")
        pinned = _PIN.match(specifier)
        version = pinned.group(1) if pinned and "*" not in pinned.group(1) else None
        marker = str(requirement.marker) if requirement.marker else None
        extras = tuple(sorted(requirement.extras or ()))
        result.packages.append(
            Package(
                name=name,
                version=version,
                provenance=at,
                source=source,
                display_name=requirement.name,
                purl=f"pkg:pypi/{name}@{version}" if version and source == "registry" else None,
            )
        )
        parents: list[NormalizedName | None] = [None]
        if compiled:
            via = vias.get(line, [])
            parents = [None] if not via or any(_names_input(v) for v in via) else []
            parents += [canonical_name(v) for v in via if not _names_input(v)]
        for parent in parents:
            result.edges.append(
                Edge(
                    parent=parent,
                    child=name,
                    specifier=specifier,
                    extras=extras,
                    marker=marker,
                    scope=MAIN,
                    provenance=at,
                    source=source,
                )
            )


def scope_of_file(path: str) -> str:
    """``requirements-dev.txt``, ``requirements/test.in``: the file name says the scope."""
    stem = PurePosixPath(path).name.rsplit(".", 1)[0].lower()
    words = set(re.split(r"[-_.]", stem))
    if words & {"dev", "develop", "development", "lint", "linting", "typing"}:
        return DEV
    if words & {"test", "tests", "testing"}:
        return group_scope("test")
    if words & {"doc", "docs"}:
        return group_scope("docs")
    return MAIN


def _names_input(via: str) -> bool:
    """``-r requirements.in``, ``-c constraints.txt`` or a file name: the package is direct."""
    return via.startswith(("-r ", "-c ", "--")) or "/" in via or via.endswith((".in", ".txt", ".toml", ".cfg", ".py"))


def _annotations(index: LineIndex) -> dict[int, list[str]]:
    """``# via`` blocks keyed by the line of the requirement they follow."""
    vias: dict[int, list[str]] = {}
    lines = index.text.splitlines()
    owner = 0
    current: list[str] | None = None
    for number, raw in enumerate(lines, start=1):
        match = _VIA.match(raw)
        if match:
            rest = match.group(1).strip()
            current = vias.setdefault(owner, [])
            if rest:
                current.append(rest)
            continue
        more = _VIA_MORE.match(raw)
        if more and current is not None:
            current.append(more.group(1).strip())
            continue
        current = None
        stripped = raw.strip()
        if stripped and not stripped.startswith(("#", "--hash")) and not raw.startswith((" ", "\t")):
            owner = number
    vias.pop(0, None)
    return vias


def _prepare(text: str, path: str) -> tuple[str, list[Skipped]]:
    """What pip's (2022-vintage) parser should see, line numbers preserved.

    ``${VAR}`` lines are skipped, never expanded: an audit must not depend on
    (or print) the auditor's own environment, where tokens live. Per-requirement
    ``--config-settings``/``-C`` (pip 23.1+) is unknown to the vendored parser
    and says nothing about dependencies, so it is dropped.
    """
    if "${" not in text and "--config-settings" not in text and " -C" not in text:
        return text, []
    skipped: list[Skipped] = []
    lines = text.split("\n")
    index = LineIndex(text)
    for number, line in enumerate(lines):
        if _ENV_VAR.search(line) and not line.lstrip().startswith("#"):
            name = line.split("#", 1)[0].strip()
            skipped.append(
                Skipped(name, "uses an environment variable: not expanded", index.line_provenance(path, number + 1))
            )
            lines[number] = ""
        elif "--config-settings" in line or " -C" in line:
            lines[number] = _CONFIG_SETTINGS.sub("", line)
    return "\n".join(lines), skipped


def _parse_text(parser: Any, text: str) -> Any:
    """pip's parser reads files only (and 32.0.1's ``from_string`` is broken): use a private temp file."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="stack-auditor-") as folder:
        file = Path(folder) / "requirements.txt"
        file.write_text(text, encoding="utf-8")
        return parser.from_file(str(file), include_nested=False)


def _source_kind(requirement: Any) -> SourceKind:
    if requirement.is_editable:
        return "editable"
    link = requirement.link
    if link is None:
        return "registry"
    url = link.url
    if url.startswith(_VCS):
        return "vcs"
    if url.startswith("file:") or not re.match(r"^[a-z]+://", url):
        return "path"
    return "url"


def _line_of(error: Exception) -> int:
    found = re.search(r"line (\d+)", str(error))
    return int(found.group(1)) if found else 0
