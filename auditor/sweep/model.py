"""Plain data shared by the sweep stages; everything here pickles (it crosses process boundaries)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "EMPTY_HEAD",
    "AuditJob",
    "AuditOutcome",
    "FindingRow",
    "PrepareError",
    "ProjectRow",
    "RepoSpec",
    "RuleRow",
    "safe_name",
]


# The head of a repository without any commit: stable, so an empty repo is not re-audited every night.
EMPTY_HEAD = "(empty)"


@dataclass(slots=True)
class RepoSpec:
    """One repository to audit, as a source listed it.

    ``name`` is the stable identity across sweeps (``owner/name`` for GitHub
    and git URLs, the path below ``--root`` for checkouts). ``head`` is the
    default branch's commit (or, for a folder that is not a git checkout, a
    hash of its dependency files' names, sizes and times); ``None`` means
    unknown, which always re-audits.
    """

    name: str
    kind: str  # "local" | "url" | "github"
    location: str  # a folder, or a clone URL
    head: str | None = None
    default_branch: str | None = None
    topics: tuple[str, ...] = ()
    archived: bool = False
    fork: bool = False
    full_name: str | None = None  # owner/name on GitHub, for SBOM export and SARIF upload
    error: str | None = None  # a listing problem (e.g. ls-remote failed): recorded, not audited


@dataclass(frozen=True, slots=True)
class AuditJob:
    """What a worker process needs to audit one prepared checkout."""

    name: str
    path: str
    profile: str | None
    rule_dirs: tuple[str, ...]
    timeout: float
    excludes: tuple[str, ...] = ()
    policy_from_org_only: bool = False  # the repo's own weakening settings are ignored
    default_profile: str | None = None  # the org default: chosen when it fits, else inference decides


@dataclass(frozen=True, slots=True)
class FindingRow:
    """A finding as the history stores it (no graph, no why-path: memory stays flat)."""

    fingerprint: str
    rule_id: str
    severity: str
    project: str
    package: str | None
    file: str
    line: int
    message: str
    suppressed: bool


@dataclass(frozen=True, slots=True)
class ProjectRow:
    """One project of a repo: its profile, how sure that choice is, and its counted findings by severity.

    ``confidence`` is :class:`auditor.findings.ProfileInference`'s ``status`` (``given``, ``inferred``,
    ``narrow``, ``tie``, ``none``), or ``None`` when the audit did not say.
    """

    path: str
    profile: str | None
    errors: int
    warnings: int
    notes: int
    confidence: str | None = None
    runner_up: str | None = None
    margin: int | None = None
    decided_by: str = ""


@dataclass(frozen=True, slots=True)
class RuleRow:
    """What the report says about a rule id: its title and the page that documents it."""

    rule_id: str
    name: str
    summary: str
    help_uri: str


@dataclass(slots=True)
class AuditOutcome:
    """A worker's answer: the SARIF text and the rows to store, or an error."""

    name: str
    ok: bool
    error: str | None = None
    error_kind: str | None = None  # "input" (deterministic for a head), "timeout", "clone", "crash"
    sarif: str = ""
    findings: list[FindingRow] = field(default_factory=list)
    projects: list[ProjectRow] = field(default_factory=list)
    head: str | None = None  # the commit actually audited, when the checkout knows it
    seconds: float = 0.0
    rules: list[RuleRow] = field(default_factory=list)
    failed_files: list[str] = field(default_factory=list)  # files that could not be read ("input" errors)
    weakened: list[str] = field(default_factory=list)  # the repo's own config lowering its gate (notices)


class PrepareError(Exception):
    """Getting a repo's files failed (``kind``: ``clone``, ``sbom``): recorded, and the sweep goes on."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def safe_name(name: str) -> str:
    """A file name for a repo: ``owner/name`` -> ``owner__name``, never the same for two names.

    See :func:`auditor.render.escape.file_stem` (``a/b`` and ``a__b`` differ).
    """
    from auditor.render.escape import file_stem

    return file_stem(name)
