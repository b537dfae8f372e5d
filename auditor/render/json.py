"""``--format json``: the stable machine-readable report (schema: ``auditor/schemas/report.schema.json``)."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from auditor.findings import Finding, Report, Severity
from auditor.model import Provenance
from auditor.render.base import RenderOptions, inference_dict
from auditor.render.packages import packages_json

__all__ = ["SCHEMA_VERSION", "JsonRenderer", "report_to_dict"]

SCHEMA_VERSION = 1


class JsonRenderer:
    name: ClassVar[str] = "json"
    suffix: ClassVar[str] = ".json"

    def render(self, report: Report, options: RenderOptions) -> str:
        return json.dumps(report_to_dict(report, options), indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def _location(at: Provenance | None) -> dict[str, Any] | None:
    if at is None:
        return None
    return {"file": at.file, "line": at.line, "column": at.column, "text": at.text}


def _finding(finding: Finding) -> dict[str, Any]:
    suppression = finding.suppression
    return {
        "rule_id": finding.rule_id,
        "severity": finding.severity.value,
        "message": finding.message,
        "package": finding.package,
        "version": finding.version,
        "scope": finding.scope,
        "location": _location(finding.location),
        "related": [{"message": r.message, "location": _location(r.location)} for r in finding.related],
        "why_path": finding.why_path,
        "fingerprint": finding.fingerprint,
        "baseline_state": finding.baseline_state,
        "profile_entry": finding.profile_entry or None,
        "suppression": None
        if suppression is None
        else {
            "kind": suppression.kind,
            "justification": suppression.justification,
            "until": suppression.until,
            "location": _location(suppression.declared_at),
        },
    }


def report_to_dict(report: Report, options: RenderOptions) -> dict[str, Any]:
    counted = report.counted()
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "stack-auditor", "version": "REDACTED" if options.redact_version else report.tool_version},
        "summary": {
            "projects": len(report.projects),
            "findings": {s.value: sum(1 for f in counted if f.severity is s) for s in reversed(Severity)},
            "suppressed": len(report.findings) - len(counted),
            "failures": len(report.failures),
        },
        "projects": [
            {
                "path": project.path,
                "name": project.name,
                "files": project.files,
                "profile": project.profile,
                "profile_reason": project.profile_reason,
                "inference": inference_dict(project.inference) if project.inference else None,
                "requires_python": project.requires_python,
                "packages": len(project.packages),
                "package_list": packages_json(project.packages),
                "findings": [_finding(f) for f in sorted(project.findings, key=Finding.sort_key)],
                "not_checkable": [
                    {"key": n.key, "token": n.token, "reason": n.reason}
                    for n in sorted(project.not_checkable, key=lambda n: (n.key, n.token))
                ],
                "skipped": [
                    {"name": s.name, "reason": s.reason, "location": _location(s.provenance)} for s in project.skipped
                ],
                "judgements": [
                    {
                        "key": j.key,
                        "status": j.status,
                        "outcome": j.outcome or None,
                        "detail": j.detail,
                        "evidence": [_location(at) for at in j.evidence],
                    }
                    for j in project.judgements
                ],
                "evidence": project.evidence_summary or None,
            }
            for project in report.projects
        ],
        "failures": [{"file": f.file, "line": f.line, "message": f.message} for f in report.failures],
        "rules": {
            rule_id: {
                "name": meta.name,
                "severity": meta.severity.value,
                "summary": meta.summary,
                "help_uri": meta.help_uri,
            }
            for rule_id, meta in sorted(report.rules.items())
        },
        "notices": report.notices,
        "excluded": dict(report.excluded),
        "skipped": [{"name": s.name, "reason": s.reason} for s in report.skipped],
    }
