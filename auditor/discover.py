"""Find the input files under a path and group them into projects.

Reads directory entries and the first bytes of files whose names are not
canonical (to sniff their format); parses nothing. A project is a folder
holding a manifest and/or a lock (requirement files under ``requirements/``
belong to the folder above); an SBOM is a project of its own.

A file is a dependency file when its name *and* its content say so: a
``*.in`` whose name is not a requirements name (``MANIFEST.in``, a template's
``setup.cfg.in``) is read only when its first lines look like requirements.
Folders matching :data:`DEFAULT_EXCLUDES` (test fixtures, assets, templated
folder names, virtual environments, build outputs) are not walked unless
``--include`` names them or ``--no-default-excludes`` is given; how many
were left out, and by which pattern, is part of the report.
"""

from __future__ import annotations

import fnmatch
import os
import re
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from auditor.errors import UsageError
from auditor.findings import counted_noun, excluded_summary
from auditor.model import Skipped
from auditor.resolvers import FORMATS, Format, Resolver, format_named

__all__ = [
    "DEFAULT_EXCLUDES",
    "SKIP_DIRS",
    "Discovery",
    "ExcludeRule",
    "InputFile",
    "ProjectInput",
    "discover",
    "discover_tree",
    "excluded_summary",
    "resolver_for",
]

# Never project folders, never worth an override: version control, caches, editor state.
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".hypothesis",
        "build",
        "dist",
        "site-packages",
        ".eggs",
        ".cache",
        ".idea",
        ".vscode",
    }
)
# Not even counted as excluded: nothing in them is ever a project.
ALWAYS_SKIPPED = frozenset(
    {".git", ".hg", ".svn", "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hypothesis"}
    | {".cache", ".idea", ".vscode"}
)


VENV_MARKER = "(holds pyvenv.cfg)"


class ExcludeRule(NamedTuple):
    """A default exclude: a glob on a folder's *name*, and why such folders are not projects."""

    pattern: str
    reason: str


DEFAULT_EXCLUDES: tuple[ExcludeRule, ...] = (
    ExcludeRule("fixtures", "test fixtures: deliberately odd or broken projects a test suite reads"),
    ExcludeRule("__fixtures__", "test fixtures"),
    ExcludeRule("testdata", "test data"),
    ExcludeRule("test_data", "test data"),
    ExcludeRule("assets", "static assets"),
    ExcludeRule("static", "static assets"),
    ExcludeRule("bower_components", "front-end packages"),
    ExcludeRule("node_modules", "installed front-end packages"),
    ExcludeRule("*{{*", "templated folder names (cookiecutter, copier): the files inside are templates"),
    ExcludeRule("*{%*", "templated folder names"),
    ExcludeRule(".venv", "a virtual environment"),
    ExcludeRule("venv", "a virtual environment"),
    ExcludeRule(VENV_MARKER, "a virtual environment (any folder holding pyvenv.cfg)"),
    ExcludeRule("site-packages", "installed packages"),
    ExcludeRule(".tox", "tox environments"),
    ExcludeRule(".nox", "nox environments"),
    ExcludeRule("build", "build output"),
    ExcludeRule("dist", "build output"),
    ExcludeRule(".eggs", "build output"),
    ExcludeRule("*.egg-info", "build output"),
)
SNIFF_BYTES = 4096
# A name the requirements format claims by extension only; these are never requirements.
NOT_DEPENDENCY_FILES = frozenset({"MANIFEST.in"})
_REQUIREMENTS_NAME = re.compile(r"(?:.*[-_.])?requirements(?:[-_.].*)?\.in|.*[-_]reqs?\.in|reqs?\.in", re.I)


class Discovery(NamedTuple):
    """What discovery found: the projects, the folders it left out and the look-alike files it passed over."""

    root: Path
    projects: list[ProjectInput]
    excluded: dict[str, int]  # pattern -> folders not walked because of it
    skipped: list[Skipped]  # files whose name matched a format but whose content did not
    named_skipped: bool = False  # a file named on the command line was one of them (not an empty path)


class InputFile(NamedTuple):
    """One file to parse: its path relative to the audited root, and the resolver for it."""

    path: str
    resolver: Resolver


class ProjectInput(NamedTuple):
    """The input files of one project. ``path`` is relative to the audited root ("." for the root)."""

    path: str
    files: list[InputFile]


def resolver_for(path: Path, forced: str | None = None, sniff: bool = False) -> Resolver | None:
    """The resolver for one file: forced by name, else by file name, else (if asked) by content."""
    if forced:
        entry = format_named(forced)
        if entry is None:
            names = ", ".join(f.name for f in FORMATS)
            raise UsageError(f"unknown input format {forced!r} (known: {names})")
        return entry.resolver
    posix = PurePosixPath(path.as_posix())
    for entry in FORMATS:
        if entry.detect(posix):
            return entry.resolver
    return _sniff(path, FORMATS) if sniff else None


def _sniff(path: Path, candidates: tuple[Format, ...]) -> Resolver | None:
    """The resolver of the first candidate that recognises the start of the file's content."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return None
    return next((entry.resolver for entry in candidates if entry.resolver.sniff(head)), None)


def discover(
    target: Path | list[Path], excludes: tuple[str, ...] = (), forced: str | None = None
) -> tuple[Path, list[ProjectInput]]:
    """The audited root and its projects, sorted by path (see :func:`discover_tree`)."""
    found = discover_tree(target, excludes, forced)
    return found.root, found.projects


def discover_tree(
    target: Path | list[Path],
    excludes: tuple[str, ...] = (),
    forced: str | None = None,
    includes: tuple[str, ...] = (),
    default_excludes: bool = True,
) -> Discovery:
    """The audited root, its projects (sorted by path), and what was left out.

    ``target`` may be a folder, a single file, or several of either (a
    pre-commit hook passes the changed files): the root is then their
    deepest common folder. A single file is recognised by name, then by
    content, or by ``forced`` (``--input-format``); a file named on the
    command line is always read. ``includes`` re-admits folders that a
    default exclude would leave out (globs on the path from the root).
    """
    targets = target if isinstance(target, list) else [target]
    for item in targets:
        if not item.exists():
            raise UsageError(f"{item}: no such file or directory")
    if len(targets) == 1:
        root = targets[0] if targets[0].is_dir() else targets[0].parent
    else:
        root = Path(os.path.commonpath([str(t.resolve() if t.is_dir() else t.resolve().parent) for t in targets]))
    walk = _Walk(root, excludes, includes, DEFAULT_EXCLUDES if default_excludes else ())
    named_skipped = False
    for item in targets:
        if not item.is_file():
            walk.run(item)
        elif not forced and (reason := _not_a_dependency_file(item)):
            # A pre-commit hook passes every changed *.in, MANIFEST.in included: passed over, not an error.
            walk.skipped.append(Skipped(item.name if len(targets) == 1 else str(item), reason))
            named_skipped = True
        else:
            _add_file(root, item, forced, walk.projects)
    projects = [walk.projects[key] for key in sorted(walk.projects)]
    return Discovery(root, projects, dict(sorted(walk.excluded.items())), walk.skipped, named_skipped)


def _add_file(root: Path, file: Path, forced: str | None, projects: dict[str, ProjectInput]) -> None:
    resolver = resolver_for(file, forced, sniff=True)
    if resolver is None:
        raise UsageError(f"{file}: not a recognised dependency file (use --input-format)")
    # The folder resolved, not the file: a symlinked file keeps its own name, and
    # reading it reports where it leads (audit.read_text) instead of a ValueError here.
    relative = (file.parent.resolve() / file.name).relative_to(root.resolve()).as_posix()
    project_path = relative if resolver.role == "sbom" else PurePosixPath(relative).parent.as_posix()
    project = projects.setdefault(project_path, ProjectInput(project_path, []))
    if all(f.path != relative for f in project.files):
        project.files.append(InputFile(relative, resolver))


class _Walk:
    """One tree walk: the projects found, the folders excluded (by pattern) and the look-alikes skipped."""

    def __init__(
        self, root: Path, excludes: tuple[str, ...], includes: tuple[str, ...], defaults: tuple[ExcludeRule, ...]
    ) -> None:
        self.real_root = root.resolve()
        self.excludes = excludes
        self.includes = includes
        self.defaults = defaults
        self.projects: dict[str, ProjectInput] = {}
        self.excluded: dict[str, int] = {}
        self.skipped: list[Skipped] = []

    def run(self, top: Path) -> None:
        for folder, dirnames, filenames in os.walk(top):
            here = Path(folder)
            relative_dir = here.resolve().relative_to(self.real_root).as_posix()
            dirnames[:] = sorted(d for d in dirnames if self._walks(here, relative_dir, d))
            for filename in sorted(filenames):
                self._file(here, relative_dir, filename)

    def _walks(self, here: Path, relative_dir: str, name: str) -> bool:
        if name in ALWAYS_SKIPPED:
            return False
        relative = _join(relative_dir, name)
        user = next((p for p in self.excludes if _excluded(relative, (p,))), None)
        if user is not None:
            self.excluded[user] = self.excluded.get(user, 0) + 1
            return False
        rule = self._default_rule(here / name, name)
        if rule is None or _excluded(relative, self.includes):
            return True
        self.excluded[rule.pattern] = self.excluded.get(rule.pattern, 0) + 1
        return False

    def _default_rule(self, path: Path, name: str) -> ExcludeRule | None:
        for rule in self.defaults:
            if rule.pattern == VENV_MARKER:
                if (path / "pyvenv.cfg").exists():
                    return rule
            elif fnmatch.fnmatchcase(name, rule.pattern):
                return rule
        return None

    def _file(self, here: Path, relative_dir: str, filename: str) -> None:
        relative = _join(relative_dir, filename)
        file = here / filename
        if _excluded(relative, self.excludes):
            return
        # A symlink out of the root (or in a loop) is kept here so that reading it
        # reports the refusal (audit.read_text) instead of dropping it silently.
        resolver = resolver_for(file, None) or _sniff_sbom(file)
        if resolver is None:
            return
        reason = _not_a_dependency_file(file)
        if reason:
            self.skipped.append(Skipped(relative, reason))
            return
        project_path = _project_of(relative, resolver)
        project = self.projects.setdefault(project_path, ProjectInput(project_path, []))
        if all(f.path != relative for f in project.files):
            project.files.append(InputFile(relative, resolver))


def _not_a_dependency_file(file: Path) -> str:
    """Why a file whose name matched a format is not one ("" when it is).

    Only ``*.in`` needs the second look: every other pattern is a name the
    format owns, while ``.in`` is also the suffix of MANIFEST.in and of
    templates that render to other files.
    """
    name = file.name
    if not name.endswith(".in") or _REQUIREMENTS_NAME.fullmatch(name) or file.parent.name == "requirements":
        return ""
    if name in NOT_DEPENDENCY_FILES:
        return "a packaging manifest, not a dependency file: not read"
    if _sniff(file, tuple(f for f in FORMATS if f.name == "requirements")) is None:
        return "named *.in but its first lines are not requirements: not read"
    return ""


SBOM_SUFFIXES = (".json", ".xml", ".spdx")


def _sniff_sbom(file: Path) -> Resolver | None:
    """In a tree walk, an SBOM may have any name (``sbom.json``); lockfile look-alikes are not guessed at."""
    if not file.name.endswith(SBOM_SUFFIXES) or file.is_symlink():
        return None
    return _sniff(file, tuple(f for f in FORMATS if f.role == "sbom"))


def _join(folder: str, name: str) -> str:
    return name if folder in (".", "") else f"{folder}/{name}"


def _excluded(relative: str, excludes: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(relative + "/", pattern) for pattern in excludes)


def _project_of(relative: str, resolver: Resolver) -> str:
    if resolver.role == "sbom":
        return relative
    parent = PurePosixPath(relative).parent
    if parent.name == "requirements":
        parent = parent.parent
    return parent.as_posix()


# Jinja (cookiecutter, copier) statements, expressions and comments. Dependency file formats
# never contain these outside a string; JSON and XML SBOMs are not checked (braces are syntax there).
_TEMPLATE_MARK = re.compile(r"\{%[-+]?\s*[a-z]\w*|\{\{[^{}\n]*\}\}|\{#[^\n]*#\}")
_TEXT_FORMATS = frozenset({"requirements", "pyproject", "pipfile", "uv-lock", "poetry-lock", "pdm-lock", "pylock"})


def template_reason(text: str, resolver: Resolver) -> str:
    """Why a file that failed to parse is a template rather than a broken file of its format ("" when not).

    Asked only after a parse error: a valid file may quote ``{{ }}`` in a string.
    """
    if resolver.name not in _TEXT_FORMATS:
        return ""
    match = _TEMPLATE_MARK.search(text)
    if match is None:
        return ""
    line = text.count("\n", 0, match.start()) + 1
    return f"a Jinja template (line {line}: {match.group(0)[:40]!r}), not a dependency file: not read"


def no_dependency_files_message(root: str, excluded: dict[str, int], skipped: list[Skipped]) -> str:
    """The error for a path with nothing to audit: a typo in a CI path must not be a green build."""
    parts = [f"no dependency files found under {root}"]
    summary = excluded_summary(excluded)
    if summary:
        parts.append(f"{summary}; --include GLOB or --no-default-excludes reads them")
    if skipped:
        first = skipped[0]
        parts.append(f"skipped {counted_noun(len(skipped), 'look-alike file')} ({first.name}: {first.reason})")
    return "; ".join(parts)
