"""What the evidence stage hands to the judge: located facts, and what was (not) read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from auditor.model import Provenance

__all__ = ["Certainty", "Evidence", "EvidenceOptions", "Fact", "RepoFacts"]

Certainty = str  # "yes" | "possibly" (conditional code) | "unknown" (not a literal: cannot be read statically)

DEFAULT_MAX_SOURCE_BYTES = 1_000_000
DEFAULT_MAX_SOURCE_FILES = 20_000
DEFAULT_RAW_SQL_MARKER = "raw-sql:"


class Fact(NamedTuple):
    """One thing the code shows, where it shows it (1-based line and column, the line's text)."""

    kind: str  # e.g. "setting", "setting-item", "admin-route", "thread", "raw-sql", "rate-limit"
    value: str  # what: a setting path ("REST_FRAMEWORK.DEFAULT_THROTTLE_RATES"), a thread class, a call
    file: str  # relative to the audited root
    line: int
    column: int = 1
    text: str = ""
    certainty: Certainty = "yes"
    detail: str = ""  # a literal value, a justification, a route name

    @property
    def location(self) -> Provenance:
        return Provenance(self.file, self.line, self.column, self.text)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(slots=True)
class EvidenceOptions:
    read_code: bool = True  # --no-code: dependencies only
    read_git: bool = True  # --no-git: no `git log` for team size
    max_file_bytes: int = DEFAULT_MAX_SOURCE_BYTES
    max_files: int = DEFAULT_MAX_SOURCE_FILES
    raw_sql_marker: str = DEFAULT_RAW_SQL_MARKER
    excludes: tuple[str, ...] = ()  # globs on paths relative to the audited root
    default_excludes: bool = True  # tests, migrations, fixtures, virtual environments, generated code


class RepoFacts(NamedTuple):
    """Facts about the repository rather than its code: who commits, who owns what, how much is tested."""

    authors: int | None = None  # distinct commit authors in the last 90 days
    authors_reason: str = ""  # why ``authors`` is None
    codeowners: str | None = None  # the CODEOWNERS file, relative to the audited root
    owned: tuple[tuple[str, str], ...] = ()  # (pattern, owners) rules of CODEOWNERS
    coverage: float | None = None  # 0..1, from a coverage report in the tree
    coverage_file: str | None = None


@dataclass(slots=True)
class Evidence:
    """Every fact of one project, with the bookkeeping a reader needs to trust (or doubt) it."""

    facts: list[Fact] = field(default_factory=list)
    files_seen: int = 0  # Python files under the project after excludes
    files_parsed: int = 0  # of those, the ones a needle sent to the parser
    notes: list[str] = field(default_factory=list)  # debug notes: unparsable, too large, limit reached
    repo: RepoFacts = field(default_factory=RepoFacts)
    read: bool = True  # False: the audit did not read code (--no-code, or an SBOM-only input)
    why_unread: str = ""
    raw_sql_marker: str = DEFAULT_RAW_SQL_MARKER  # what a justification comment starts with

    def of(self, kind: str, value: str | None = None) -> list[Fact]:
        return [f for f in self.facts if f.kind == kind and (value is None or f.value == value)]

    @classmethod
    def unread(cls, reason: str) -> Evidence:
        return cls(read=False, why_unread=reason)
