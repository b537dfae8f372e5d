"""Anti-recommendations judged from code: a judge's verdict as findings and a judgement.

:mod:`auditor.policy.evaluate` calls :func:`judge_anti` for a catalog entry that names an evidence
judge, when the code was read; whatever it returns replaces (or, with ``use_condition``, joins) the
entry's dependency condition.
"""

from __future__ import annotations

from typing import NamedTuple

from auditor.evidence.model import Evidence
from auditor.findings import Finding, Judgement, Severity
from auditor.graph import ProjectGraph
from auditor.policy.judges import ANTI_JUDGES, Hit

__all__ = ["JudgedAnti", "hit_finding", "judge_anti", "why_unread"]


class JudgedAnti(NamedTuple):
    findings: list[Finding]
    judgement: Judgement
    not_checkable: str  # the reason, when the judge could not tell ('' otherwise)
    use_condition: bool  # the dependency condition still applies beside the findings


def why_unread(evidence: Evidence | None) -> str:
    return evidence.why_unread if evidence is not None else "the source was not read"


def judge_anti(
    graph: ProjectGraph,
    evidence: Evidence | None,
    judge: str,
    key: str,
    rule_id: str,
    severity: Severity,
    reason: str,
    profile_entry: str,
) -> JudgedAnti | None:
    """The verdict of ``judge`` on the project's evidence, or None when there is no evidence to judge."""
    if not judge or evidence is None or not evidence.read or judge not in ANTI_JUDGES:
        return None
    judged = ANTI_JUDGES[judge](graph, evidence)
    findings = [hit_finding(graph, rule_id, severity, hit, profile_entry, reason) for hit in judged.hits]
    violated = any(not hit.note for hit in judged.hits)
    outcome = ("violated" if violated else "satisfied") if judged.status == "checked" else ""
    at = judged.evidence or tuple(hit.location for hit in judged.hits)
    judgement = Judgement(f"anti_recommendations.{key}", judged.status, judged.detail, outcome, at)
    not_checkable = judged.detail if judged.status == "not-checkable" else ""
    return JudgedAnti(findings, judgement, not_checkable, judged.use_condition)


def hit_finding(
    graph: ProjectGraph, rule_id: str, severity: Severity, hit: Hit, profile_entry: str, reason: str
) -> Finding:
    """A judge's hit as a finding: the code line first, the dependency lines as related locations."""
    node = hit.package
    return Finding(
        rule_id=rule_id,
        severity=Severity.NOTE if hit.note else severity,
        message=f"{hit.message}: {reason}" if reason else hit.message,
        profile_entry=profile_entry,
        project=graph.path,
        package=node.name if node is not None else None,
        version=node.version if node is not None else None,
        location=hit.location,
        related=list(hit.related),
        scope=",".join(sorted(node.scopes)) if node is not None else "",
    )
