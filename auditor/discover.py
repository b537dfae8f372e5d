"""Find the input files under a path and group them into projects.

Reads directory entries and the first bytes of files whose names are not
canonical (to sniff their format); parses nothing. A project is a folder
holding a manifest and/or a lock (requirement files under ``requirements/``
belong to the folder above); an SBOM is a project of its own.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from auditor.errors import UsageError
from auditor.resolvers import FORMATS, Format, Resolver, format_named

__all__ = ["SKIP_DIRS", "InputFile", "ProjectInput", "discover", "resolver_for"]

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
SNIFF_BYTES = 4096


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
    """The audited root and its projects, sorted by path.

    ``target`` may be a folder, a single file, or several of either (a
    pre-commit hook passes the changed files): the root is then their
    deepest common folder. A single file is recognised by name, then by
    content, or by ``forced`` (``--input-format``).
    """
    targets = target if isinstance(target, list) else [target]
    for item in targets:
        if not item.exists():
            raise UsageError(f"{item}: no such file or directory")
    if len(targets) == 1:
        root = targets[0] if targets[0].is_dir() else targets[0].parent
    else:
        root = Path(os.path.commonpath([str(t.resolve() if t.is_dir() else t.resolve().parent) for t in targets]))
    projects: dict[str, ProjectInput] = {}
    for item in targets:
        if item.is_file():
            _add_file(root, item, forced, projects)
        else:
            _walk(root, item, excludes, projects)
    return root, [projects[key] for key in sorted(projects)]


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


def _walk(root: Path, top: Path, excludes: tuple[str, ...], projects: dict[str, ProjectInput]) -> None:
    real_root = root.resolve()
    for folder, dirnames, filenames in os.walk(top):
        here = Path(folder)
        relative_dir = here.resolve().relative_to(real_root).as_posix()
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d not in SKIP_DIRS
            and not d.endswith(".egg-info")
            and not (here / d / "pyvenv.cfg").exists()
            and not _excluded(_join(relative_dir, d), excludes)
        )
        for filename in sorted(filenames):
            relative = _join(relative_dir, filename)
            file = here / filename
            if _excluded(relative, excludes):
                continue
            # A symlink out of the root (or in a loop) is kept here so that reading it
            # reports the refusal (audit.read_text) instead of dropping it silently.
            resolver = resolver_for(file, None) or _sniff_sbom(file)
            if resolver is None:
                continue
            project_path = _project_of(relative, resolver)
            project = projects.setdefault(project_path, ProjectInput(project_path, []))
            if all(f.path != relative for f in project.files):
                project.files.append(InputFile(relative, resolver))


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
