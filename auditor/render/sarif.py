"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning.

One run per invocation (one upload category). Every result sits on the
declaring line of a file relative to ``%SRCROOT%``; its
``partialFingerprints`` hash rule, project, file and package, never the
line, so inserting lines above a dependency moves the alert without
reopening it. Input failures become ``toolExecutionNotifications`` with
``executionSuccessful: false``. GitHub's limits are enforced by keeping the
most severe results and saying so.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from auditor.findings import Finding, InputFailure, ProjectReport, Report, RuleMeta, Severity
from auditor.model import Provenance
from auditor.render.base import RenderOptions, inference_dict
from auditor.render.sarif_limits import (
    MAX_FULL_DESCRIPTION_CHARS,
    MAX_RELATED_LOCATIONS_PER_RESULT,
    MAX_RESULTS_PER_RUN,
    MAX_RULE_NAME_CHARS,
    MAX_RULES_PER_RUN,
    MAX_SHORT_DESCRIPTION_CHARS,
    MAX_TAGS_PER_RULE,
)

__all__ = ["SRCROOT", "SarifRenderer", "default_category", "render_per_project", "report_to_sarif"]

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/stack-auditor/stack-auditor"
SRCROOT = "%SRCROOT%"
# GitHub's `problem.severity` vocabulary has no "note".
_PROBLEM_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "recommendation"}


class SarifRenderer:
    name: ClassVar[str] = "sarif"
    suffix: ClassVar[str] = ".sarif"

    def render(self, report: Report, options: RenderOptions) -> str:
        return json.dumps(report_to_sarif(report, options), indent=2, ensure_ascii=False) + "\n"


def default_category(report: Report) -> str:
    """``stack-auditor/<project path>/`` for one project, ``stack-auditor/`` for a whole tree."""
    paths = [p.path for p in report.projects]
    if len(paths) == 1 and paths[0] != ".":
        return f"stack-auditor/{report.source_prefix}{paths[0]}/"
    prefix = report.source_prefix.rstrip("/")
    return f"stack-auditor/{prefix}/" if prefix else "stack-auditor/"


def _uri(report: Report, file: str) -> str:
    """A relative URI reference: percent-encoded (``#``, ``?``, ``%`` and spaces in names are data)."""
    from auditor.render.escape import uri_path

    return uri_path(f"{report.source_prefix}{file}".replace("\\", "/"))


def _location(report: Report, at: Provenance, message: str | None = None) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": max(at.line, 1), "startColumn": max(at.column, 1)}
    if at.text:
        region["snippet"] = {"text": at.text}
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": {"uri": _uri(report, at.file), "uriBaseId": SRCROOT}, "region": region}
    }
    if message:
        location["message"] = {"text": message}
    return location


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _rule(meta: RuleMeta) -> dict[str, Any]:
    help_uri = meta.help_uri or f"{INFORMATION_URI}#rules"
    # GitHub shows help.markdown but may not show helpUri: the link goes in the text too.
    markdown = f"{meta.help_markdown}\n\n[Rule reference]({help_uri})"
    return {
        "id": meta.id,
        "name": _clip(meta.name, MAX_RULE_NAME_CHARS),
        "shortDescription": {"text": _clip(meta.summary, MAX_SHORT_DESCRIPTION_CHARS)},
        "fullDescription": {"text": _clip(meta.summary, MAX_FULL_DESCRIPTION_CHARS)},
        "help": {"text": f"{meta.summary}. See {help_uri}", "markdown": markdown},
        "helpUri": help_uri,
        "defaultConfiguration": {"level": meta.severity.value},
        "properties": {
            "tags": list(dict.fromkeys(meta.tags or ("architecture",)))[:MAX_TAGS_PER_RULE],
            "precision": "very-high",
            "problem.severity": _PROBLEM_SEVERITY[meta.severity],
        },
    }


def _project_anchor(report: Report, finding: Finding) -> Provenance:
    """GitHub rejects results without a location: fall back to the project's first file."""
    project = next((p for p in report.projects if p.path == finding.project), None)
    file = project.files[0] if project and project.files else finding.project
    return Provenance(file, 1, 1, "")


def _result(report: Report, finding: Finding, rule_index: dict[str, int]) -> dict[str, Any]:
    location = finding.location or _project_anchor(report, finding)
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index[finding.rule_id],
        "level": finding.severity.value,
        "message": {"text": finding.message},
        "locations": [_location(report, location)],
        "partialFingerprints": {"primaryLocationLineHash": finding.fingerprint},
        "properties": {
            "project": finding.project,
            **({"package": finding.package} if finding.package else {}),
            **({"version": finding.version} if finding.version else {}),
            **({"scope": finding.scope} if finding.scope else {}),
            **({"whyPath": finding.why_path} if finding.why_path else {}),
            **({"profileEntry": finding.profile_entry} if finding.profile_entry else {}),
        },
    }
    if finding.baseline_state:
        result["baselineState"] = finding.baseline_state
    related = [
        {"id": n + 1, **_location(report, r.location, r.message)}
        for n, r in enumerate(finding.related[:MAX_RELATED_LOCATIONS_PER_RESULT])
    ]
    if related:
        result["relatedLocations"] = related
    if finding.suppression is not None:
        suppression: dict[str, Any] = {
            "kind": finding.suppression.kind,
            "status": "accepted",
            "justification": finding.suppression.justification,
        }
        if finding.suppression.declared_at is not None:
            suppression["location"] = _location(report, finding.suppression.declared_at)
        result["suppressions"] = [suppression]
    return result


def _notification(report: Report, failure: InputFailure) -> dict[str, Any]:
    at = Provenance(failure.file, max(failure.line, 1), 1, "")
    return {
        "level": "error",
        "message": {"text": str(failure)},
        "locations": [_location(report, at)],
        "descriptor": {"id": "input-error"},
    }


def report_to_sarif(report: Report, options: RenderOptions) -> dict[str, Any]:
    findings = sorted(report.findings, key=lambda f: (-f.severity.rank, *f.sort_key()))
    notices = list(report.notices)
    if len(findings) > MAX_RESULTS_PER_RUN:
        notices.append(f"{len(findings)} results exceed GitHub's {MAX_RESULTS_PER_RUN} per run: kept the most severe")
        findings = findings[:MAX_RESULTS_PER_RUN]
    findings.sort(key=Finding.sort_key)
    # Baseline results that vanished keep their rule from the baseline when no current finding has it.
    extra_rules = {k: v for k, v in report.absent_rules.items() if k not in report.rules}
    used = sorted({f.rule_id for f in findings} | extra_rules.keys())[:MAX_RULES_PER_RUN]
    rule_index = {rule_id: n for n, rule_id in enumerate(used)}
    findings = [f for f in findings if f.rule_id in rule_index]
    absent = [{**r, "ruleIndex": rule_index[r["ruleId"]]} for r in report.absent if r.get("ruleId") in rule_index]
    version = "0.0.0" if options.redact_version else report.tool_version
    invocation: dict[str, Any] = {"executionSuccessful": not report.failures}
    if report.failures:
        invocation["toolExecutionNotifications"] = [_notification(report, f) for f in report.failures]
    if notices:
        invocation["toolConfigurationNotifications"] = [
            {"level": "warning", "message": {"text": text}} for text in notices
        ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "stack-auditor",
                "version": version,
                "semanticVersion": version,
                "informationUri": INFORMATION_URI,
                "rules": [
                    _rule(report.rules[rule_id]) if rule_id in report.rules else extra_rules[rule_id]
                    for rule_id in used
                ],
            }
        },
        "automationDetails": {"id": options.category or default_category(report)},
        "originalUriBaseIds": {SRCROOT: {"description": {"text": "The root of the repository"}}},
        "invocations": [invocation],
        "results": [_result(report, f, rule_index) for f in findings] + absent,
        "columnKind": "unicodeCodePoints",
    }
    profiles = [_profile_property(project) for project in report.projects]
    if profiles:
        run["properties"] = {"profiles": profiles}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _profile_property(project: ProjectReport) -> dict[str, Any]:
    """How each project's profile was chosen: people decide from this whether to pin it."""
    entry: dict[str, Any] = {"project": project.path, "profile": project.profile}
    if project.inference is not None:
        entry["inference"] = inference_dict(project.inference, camel=True)
    return entry


def render_per_project(report: Report) -> dict[str, str]:
    """One SARIF document per project, by file name, each with its own category ``stack-auditor/<project path>/``.

    GitHub accepts one run per tool and category: per-project files let a monorepo
    upload each service separately (and dismissals stay per service). The caller
    writes them (renderers return text).
    """
    from dataclasses import replace

    from auditor.render.escape import file_stem

    documents = {}
    for project in report.projects:
        single = replace(
            report,
            projects=[project],
            failures=[f for f in report.failures if f.file in project.files or f.file.startswith(f"{project.path}/")],
            absent=[r for r in report.absent if r.get("properties", {}).get("project") == project.path],
        )
        # "." is root.sarif; a project folder named "root" (or "a__b" beside "a/b") gets a hashed name.
        name = "root" if project.path == "." else file_stem(project.path, reserved={"root"})
        inside = "" if project.path == "." else f"{project.path}/"
        options = RenderOptions(category=f"stack-auditor/{report.source_prefix}{inside}")
        documents[f"{name}.sarif"] = json.dumps(report_to_sarif(single, options), indent=2, ensure_ascii=False) + "\n"
    return documents
