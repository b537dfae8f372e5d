"""Which profile each repo gets, and the key that says when a stored result is stale.

Order (first that applies wins):
1. the repo's own ``[tool.stack-auditor] profile`` (``pyproject.toml`` or
   ``.stack-auditor.toml`` at its root) — decided in the worker, which has
   the checkout (:mod:`auditor.sweep.worker`, through :mod:`auditor.config`);
2. the first ``[[assign]]`` entry of ``sweep.toml`` whose ``repos`` globs
   match the repo's name or whose ``topics`` share a topic with it;
3. ``sweep.toml``'s top-level ``profile``, or ``--profile`` (one org profile
   for all);
4. inference by the audit pipeline.
"""

from __future__ import annotations

import fnmatch
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli as tomllib

from auditor import __version__
from auditor.errors import ConfigError
from auditor.resources import shipped_profiles_dir, shipped_rules_dir
from auditor.sweep.model import RepoSpec

__all__ = [
    "Assignment",
    "Exclusion",
    "SweepConfig",
    "base_digest",
    "config_key",
    "folder_digest",
    "load_sweep_config",
]


@dataclass(frozen=True, slots=True)
class Assignment:
    """``[[assign]]``: repos (name globs) and/or topics -> a profile name or path."""

    profile: str
    repos: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()

    def matches(self, spec: RepoSpec) -> bool:
        names = (spec.name, spec.full_name or spec.name)
        if any(fnmatch.fnmatchcase(n, glob) for glob in self.repos for n in names):
            return True
        return bool(set(self.topics) & set(spec.topics))


@dataclass(frozen=True, slots=True)
class Exclusion:
    """``[[exclude]]``: path globs skipped in the repos whose names match ``repos`` (all when empty)."""

    paths: tuple[str, ...]
    repos: tuple[str, ...] = ()

    def applies_to(self, spec: RepoSpec) -> bool:
        names = (spec.name, spec.full_name or spec.name)
        return not self.repos or any(fnmatch.fnmatchcase(n, glob) for glob in self.repos for n in names)


@dataclass(frozen=True, slots=True)
class SweepConfig:
    """``sweep.toml``: an org-wide default profile and per-repo assignments."""

    default_profile: str | None = None
    assignments: tuple[Assignment, ...] = ()
    base: Path = field(default_factory=Path)
    excludes: tuple[Exclusion, ...] = ()

    def excludes_for(self, spec: RepoSpec) -> tuple[str, ...]:
        """The path globs (as ``audit --exclude``) of every ``[[exclude]]`` entry that applies to ``spec``."""
        return tuple(p for e in self.excludes if e.applies_to(spec) for p in e.paths)

    def profile_for(self, spec: RepoSpec, cli_profile: str | None) -> str | None:
        """The profile the sweep assigns (the repo's own config may still override it)."""
        for assignment in self.assignments:
            if assignment.matches(spec):
                return self._resolve(assignment.profile)
        if cli_profile:
            return cli_profile
        return self._resolve(self.default_profile) if self.default_profile else None

    def is_default_for(self, spec: RepoSpec, cli_profile: str | None) -> bool:
        """True when :meth:`profile_for` falls back to the org default: a preference, used when it fits."""
        return not cli_profile and bool(self.default_profile) and not any(a.matches(spec) for a in self.assignments)

    def _resolve(self, ref: str) -> str:
        # A path in sweep.toml is relative to sweep.toml; a bare name is a shipped profile.
        if ref.endswith(".json") and not Path(ref).is_absolute():
            return str(self.base / ref)
        return ref


def _strings(value: Any, where: str, file: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(file, 0, f"{where} must be a string or a list of strings")


def load_sweep_config(path: Path | None) -> SweepConfig:
    """Parse ``sweep.toml``; ``None`` (no file) gives the empty configuration."""
    if path is None:
        return SweepConfig()
    file = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(file, 0, f"cannot read: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(file, 0, f"invalid TOML: {error}") from None
    unknown = set(data) - {"profile", "assign", "exclude"}
    if unknown:
        raise ConfigError(
            file, 0, f"unknown key(s) {', '.join(sorted(unknown))}; expected profile, exclude, [[assign]]"
        )
    excludes = _exclusions(data.get("exclude", []), file)
    default = data.get("profile")
    if default is not None and not isinstance(default, str):
        raise ConfigError(file, 0, "profile must be a profile name or a path to a profile JSON")
    assignments = []
    for index, entry in enumerate(data.get("assign", [])):
        where = f"assign[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("profile"), str):
            raise ConfigError(file, 0, f'{where} needs profile = "<name or path>"')
        extra = set(entry) - {"profile", "repos", "topics"}
        if extra:
            raise ConfigError(file, 0, f"{where}: unknown key(s) {', '.join(sorted(extra))}")
        repos = _strings(entry.get("repos", []), f"{where}.repos", file)
        topics = _strings(entry.get("topics", []), f"{where}.topics", file)
        if not repos and not topics:
            raise ConfigError(file, 0, f"{where} needs repos (name globs) or topics")
        assignments.append(Assignment(entry["profile"], repos, topics))
    return SweepConfig(default, tuple(assignments), path.parent, excludes)


def _exclusions(value: object, file: str) -> tuple[Exclusion, ...]:
    if not isinstance(value, list):
        raise ConfigError(file, 0, "exclude must be a list of [[exclude]] tables: paths = [...], repos = [...]")
    entries = []
    for index, entry in enumerate(value):
        where = f"exclude[{index}]"
        if not isinstance(entry, dict) or "paths" not in entry:
            raise ConfigError(file, 0, f'{where} needs paths = ["<glob>", ...] (and optionally repos)')
        extra = set(entry) - {"paths", "repos"}
        if extra:
            raise ConfigError(file, 0, f"{where}: unknown key(s) {', '.join(sorted(extra))}")
        paths = _strings(entry["paths"], f"{where}.paths", file)
        entries.append(Exclusion(paths, _strings(entry.get("repos", []), f"{where}.repos", file)))
    return tuple(entries)


def folder_digest(folder: Path) -> str:
    """A content hash of every file in a folder (rules, profiles)."""
    digest = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _profile_digest(profile: str | None) -> str:
    if profile is None:
        return "infer"
    path = Path(profile)
    if path.is_file():
        return "file:" + hashlib.sha256(path.read_bytes()).hexdigest()
    return "name:" + profile


def config_key(profile: str | None, base: str, excludes: tuple[str, ...] = ()) -> str:
    """What besides the commit decides a repo's result: the profile, the excludes, :func:`base_digest`."""
    text = "\0".join([_profile_digest(profile), base, *excludes])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def base_digest(rule_dirs: tuple[Path, ...]) -> str:
    """Tool version, shipped rules and profiles, and extra rule folders (computed once a sweep).

    A release with changed rules, or an edited ``--rules`` folder, invalidates every stored result.
    """
    parts = [__version__, folder_digest(shipped_rules_dir()), folder_digest(shipped_profiles_dir())]
    parts += [folder_digest(d) for d in rule_dirs]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()
