"""The evidence stage as the audit runs it: one project's facts, and a line saying what was read."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from auditor.evidence.model import Evidence, EvidenceOptions
from auditor.evidence.repo import repo_facts
from auditor.evidence.scan import collect_evidence

__all__ = ["evidence_summary", "run_stage"]


def run_stage(root: Path, project: str, all_projects: Sequence[str], options: EvidenceOptions) -> Evidence:
    """Facts from the project's code, then the repository's (authors, CODEOWNERS, coverage)."""
    if not options.read_code:
        return Evidence.unread("--no-code: dependencies only")
    evidence = collect_evidence(root, project, options, all_projects)
    if evidence.read:
        evidence.repo = repo_facts(root, project, options)
    return evidence


def evidence_summary(evidence: Evidence | None) -> str:
    if evidence is None:
        return ""
    if not evidence.read:
        return f"code not read: {evidence.why_unread}"
    notes = f"; {len(evidence.notes)} note(s): {evidence.notes[0]}" if evidence.notes else ""
    parsed = f"{evidence.files_parsed} of {evidence.files_seen} Python file(s) parsed"
    return f"{parsed}, {len(evidence.facts)} fact(s){notes}"
