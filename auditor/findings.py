"""Findings and the report every renderer reads.

A :class:`Report` is plain data: renderers turn it into text and never print.
Everything in it is sorted deterministically, so shuffled input gives the
same bytes out.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from auditor.model import Package, Provenance, Skipped

__all__ = [
    "Finding",
    "InputFailure",
    "Judgement",
    "NotCheckable",
    "PackageView",
    "ProfileInference",
    "ProjectReport",
    "Related",
    "Report",
    "RuleMeta",
    "Severity",
    "Suppression",
    "counted_noun",
    "excluded_summary",
    "fingerprint",
]


class Severity(enum.Enum):
    """SARIF's levels, ordered: ``error`` > ``warning`` > ``note``."""

    NOTE = "note"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank


_RANK = {Severity.NOTE: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class RuleMeta(NamedTuple):
    """Everything SARIF ``rules[]``, ``rules show`` and the docs need about one rule id."""

    id: str
    name: str
    severity: Severity
    summary: str
    help_markdown: str
    help_uri: str = ""
    tags: tuple[str, ...] = ()
    origin: str = ""  # "rules/<file>.toml" or "profile:<name>"
    declared_at: Provenance | None = None


class Related(NamedTuple):
    """A secondary location: the other side of a conflict, or the profile entry that demanded it."""

    location: Provenance
    message: str


class Suppression(NamedTuple):
    """Why a finding is not counted: an ignore entry or an inline comment."""

    kind: str  # "external" (config ignore) or "inSource" (inline comment)
    justification: str
    declared_at: Provenance | None = None
    until: str | None = None


@dataclass(slots=True)
class Finding:
    """One rule that fired on one project (and usually one package)."""

    rule_id: str
    severity: Severity
    message: str
    project: str  # project directory relative to the audited root ("." for the root)
    package: str | None = None
    version: str | None = None
    location: Provenance | None = None
    related: list[Related] = field(default_factory=list)
    why_path: list[str] = field(default_factory=list)
    scope: str = ""
    suppression: Suppression | None = None
    baseline_state: str | None = None  # new | unchanged | updated (with --baseline)
    # The profile entry behind a profile finding ("profile x: stack.queue"): for JSON and SARIF
    # properties, kept out of the message people read.
    profile_entry: str = ""

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.rule_id, self.project, self.location.file if self.location else "", self.package)

    def sort_key(self) -> tuple[str, str, int, int, str, str]:
        loc = self.location
        return (
            self.project,
            loc.file if loc else "",
            loc.line if loc else 0,
            loc.column if loc else 0,
            self.rule_id,
            self.package or "",
        )


def fingerprint(rule_id: str, project: str, file: str, package: str | None) -> str:
    """Stable identity of a finding: rule, project, file and package, never the line.

    Inserting lines above a dependency moves its region, not its fingerprint,
    so GitHub keeps a dismissed alert dismissed.
    """
    import hashlib  # here: 5 ms to import, and an audit without findings never needs it

    digest = hashlib.sha256("\x1f".join((rule_id, project, file, package or "")).encode())
    return digest.hexdigest()[:32]


class NotCheckable(NamedTuple):
    """A profile entry that cannot be judged from dependencies alone, with the reason."""

    key: str  # e.g. "stack/orm" or "raw-sql-without-justification"
    token: str
    reason: str


class Judgement(NamedTuple):
    """How one key of the profile ended the audit (``stack.queue``, ``constraints.team_size_max``...).

    ``status``: ``checked`` (``outcome`` says ``satisfied`` or ``violated``), ``not-applicable``
    or ``not-checkable``; ``detail`` gives the evidence or the reason, ``evidence`` its locations.
    """

    key: str
    status: str
    detail: str
    outcome: str = ""
    evidence: tuple[Provenance, ...] = ()


class InputFailure(NamedTuple):
    """A file that could not be read; the rest of the run goes on."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


class PackageView(NamedTuple):
    """A package as every output shows it (``graph``, JSON, CycloneDX, SPDX): one shape, built once.

    ``records`` are the resolvers' own :class:`~auditor.model.Package` records for it, as read: a
    field a resolver adds to ``Package`` reaches the renderers through them without a copy step.
    ``purls`` has one purl per version (made from name and version where the file gave none).
    """

    name: str
    version: str | None
    ecosystem: str
    purl: str | None
    direct: bool | None  # None: no file of the project says
    scopes: tuple[str, ...]  # empty: no file states them
    location: Provenance | None
    dependencies: tuple[str, ...] = ()
    versions: tuple[str, ...] = ()
    purls: tuple[str, ...] = ()
    declared_scopes: tuple[str, ...] = ()
    source: str = "registry"
    records: tuple[Package, ...] = ()


class ProfileInference(NamedTuple):
    """How sure the profile choice is, for people deciding whether to pin it.

    ``status``: ``given`` (--profile or configuration), ``inferred`` (a clear winner),
    ``narrow`` (won by a small margin), ``tie`` (another profile scored the same) or
    ``none`` (no profile fits). ``runner_up`` and ``margin`` describe the closest
    other candidate; ``decided_by`` says in a few words what would settle it.
    """

    status: str
    runner_up: str | None = None
    margin: int | None = None
    decided_by: str = ""


@dataclass(slots=True)
class ProjectReport:
    """The audit of one project (a folder with a manifest and/or a lock, or one SBOM)."""

    path: str  # relative to the audited root, "." for the root itself
    name: str | None
    files: list[str]
    profile: str | None
    profile_reason: str
    findings: list[Finding] = field(default_factory=list)
    not_checkable: list[NotCheckable] = field(default_factory=list)
    packages: Sequence[PackageView] = ()  # built on first use (views.PackageViews): SARIF never reads them
    requires_python: str | None = None
    skipped: list[Skipped] = field(default_factory=list)
    inference: ProfileInference | None = None  # None: not computed (older callers)
    judgements: list[Judgement] = field(default_factory=list)  # every profile key: checked / n.a. / not checkable
    evidence_summary: str = ""  # what the evidence stage read ("" when it did not run)


@dataclass(slots=True)
class Report:
    """One run of ``audit``: every project, every failure, and the metadata of every rule that fired."""

    root: str
    projects: list[ProjectReport] = field(default_factory=list)
    failures: list[InputFailure] = field(default_factory=list)
    rules: dict[str, RuleMeta] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    tool_version: str = ""
    absent: list[dict[str, Any]] = field(default_factory=list)  # baseline results that vanished (SARIF)
    absent_rules: dict[str, dict[str, Any]] = field(default_factory=dict)  # their rules, from the baseline
    source_prefix: str = ""  # the audited root inside its repository, e.g. "services/api/" (SARIF URIs)
    excluded: dict[str, int] = field(default_factory=dict)  # exclude pattern -> folders not walked
    skipped: list[Skipped] = field(default_factory=list)  # files named like dependency files that are not
    # Nothing to audit under the paths given (set by the audit): the CLI exits 2, a sweep records
    # "no dependency files". Not set when the only files named were look-alikes (a pre-commit run on MANIFEST.in).
    no_dependency_files: bool = False
    explain: bool = False  # --explain-profile: the text report lists how each profile key was judged

    @property
    def findings(self) -> list[Finding]:
        return [finding for project in self.projects for finding in project.findings]

    def counted(self) -> list[Finding]:
        """Findings that count towards the exit code (not suppressed)."""
        return [finding for finding in self.findings if finding.suppression is None]


def counted_noun(count: int, noun: str) -> str:
    """``1 warning``, ``2 warnings``: the counts people read in text, Markdown and HTML."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def excluded_summary(excluded: dict[str, int]) -> str:
    """``excluded 17 folders (fixtures, *{{*)``, or "" when nothing was left out."""
    total = sum(excluded.values())
    if not total:
        return ""
    return f"excluded {counted_noun(total, 'folder')} ({', '.join(excluded)})"
