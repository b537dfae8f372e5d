"""Find the input files under a path and group them into projects.

Reads directory entries and the first bytes of files whose names are not
canonical (to sniff their format); parses nothing. A project is a folder
holding a manifest and/or a lock (requirement files under ``requirements/``
belong to the folder above); an SBOM is a project of its own.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from auditor.errors import UsageError
from auditor.resolvers import RESOLVERS, Resolver, by_name

__all__ = ["SKIP_DIRS", "InputFile", "ProjectInput", "discover", "resolver_for"]

SKIP_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "node_modules", "__pycache__",
        ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hypothesis", "build", "dist",
        "site-packages", ".eggs", ".cache", ".idea", ".vscode",
    }
)
SNIFF_BYTES = 4096


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to parse: its path relative to the audited root, and the resolver for it."""

    path: str
    resolver: Resolver


@dataclass(slots=True)
class ProjectInput:
    """The input files of one project. ``path`` is relative to the audited root ("." for the root)."""

    path: str
    files: list[InputFile] = field(default_factory=list)


def resolver_for(path: Path, forced: str | None = None, sniff: bool = False) -> Resolver | None:
    """The resolver for one file: forced by name, else by file name, else (if asked) by content."""
    if forced:
        resolver = by_name(forced)
        if resolver is None:
            names = ", ".join(r.name for r in RESOLVERS)
            raise UsageError(f"unknown input format {forced!r} (known: {names})")
        return resolver
    posix = PurePosixPath(path.as_posix())
    for resolver in RESOLVERS:
        if resolver.detect(posix):
            return resolver
    if not sniff:
        return None
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return None
    return next((resolver for resolver in RESOLVERS if resolver.sniff(head)), None)


def discover(target: Path, excludes: tuple[str, ...] = (), forced: str | None = None) -> tuple[Path, list[ProjectInput]]:
    """The audited root and its projects, sorted by path.

    ``target`` may be a folder or a single file; a single file is recognised by
    name, then by content, or by ``forced`` (``--input-format``).
    """
    if not target.exists():
        raise UsageError(f"{target}: no such file or directory")
    if target.is_file():
        root = target.parent
        resolver = resolver_for(target, forced, sniff=True)
        if resolver is None:
            raise UsageError(f"{target}: not a recognised dependency file (use --input-format)")
        project = ProjectInput(path=target.name if resolver.role == "sbom" else ".")
        project.files.append(InputFile(target.name, resolver))
        return root, [project]

    root = target
    real_root = root.resolve()
    projects: dict[str, ProjectInput] = {}
    for folder, dirnames, filenames in os.walk(root):
        here = Path(folder)
        relative_dir = here.relative_to(root).as_posix()
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
            if _excluded(relative, excludes) or not _inside(file, real_root):
                continue
            resolver = resolver_for(file, None)
            if resolver is None:
                continue
            project_path = _project_of(relative, resolver)
            projects.setdefault(project_path, ProjectInput(project_path)).files.append(InputFile(relative, resolver))
    return root, [projects[key] for key in sorted(projects)]


def _join(folder: str, name: str) -> str:
    return name if folder in (".", "") else f"{folder}/{name}"


def _excluded(relative: str, excludes: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(relative + "/", pattern) for pattern in excludes)


def _inside(file: Path, real_root: Path) -> bool:
    """A symlink that leads out of the audited root (or nowhere) is not followed."""
    if not file.is_symlink():
        return True
    try:
        return file.resolve(strict=True).is_relative_to(real_root)
    except (OSError, RuntimeError):
        return False


def _project_of(relative: str, resolver: Resolver) -> str:
    if resolver.role == "sbom":
        return relative
    parent = PurePosixPath(relative).parent
    if parent.name == "requirements":
        parent = parent.parent
    return parent.as_posix()
