"""``--baseline previous.sarif``: mark each result new, unchanged, updated or absent by fingerprint.

A finding whose fingerprint the baseline has is ``unchanged`` when its level
and message are the same, else ``updated``; one the baseline lacks is ``new``;
a baseline result with no current finding comes back as ``absent`` (SARIF's
``baselineState`` vocabulary).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from auditor.errors import InputError
from auditor.findings import Report

__all__ = ["apply_baseline"]

FINGERPRINT = "primaryLocationLineHash"


def _results(path: Path) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(str(path), 0, f"cannot read baseline: {error.strerror or error}") from None
    except json.JSONDecodeError as error:
        raise InputError(str(path), error.lineno, f"baseline is not JSON: {error.msg}") from None
    runs = document.get("runs") if isinstance(document, dict) else None
    if not isinstance(runs, list):
        raise InputError(str(path), 1, "baseline is not a SARIF log (no 'runs' array)")
    results: list[dict[str, Any]] = []
    rules: dict[str, dict[str, Any]] = {}
    for run in runs:
        driver = run.get("tool", {}).get("driver", {}) if isinstance(run, dict) else {}
        if driver.get("name") == "stack-auditor":
            results.extend(r for r in run.get("results", []) if isinstance(r, dict))
            rules.update({r["id"]: r for r in driver.get("rules", []) if isinstance(r, dict) and "id" in r})
    return results, rules


def apply_baseline(report: Report, path: Path) -> None:
    """Set ``baseline_state`` on every finding and collect the baseline's vanished results."""
    previous: dict[str, dict[str, Any]] = {}
    results, rules = _results(path)
    for result in results:
        fingerprint = result.get("partialFingerprints", {}).get(FINGERPRINT)
        if isinstance(fingerprint, str):
            previous[fingerprint] = result
    seen: set[str] = set()
    for finding in report.findings:
        old = previous.get(finding.fingerprint)
        seen.add(finding.fingerprint)
        if old is None:
            finding.baseline_state = "new"
        elif old.get("level") == finding.severity.value and old.get("message", {}).get("text") == finding.message:
            finding.baseline_state = "unchanged"
        else:
            finding.baseline_state = "updated"
    for fingerprint, result in sorted(previous.items()):
        if fingerprint not in seen:
            absent = {key: value for key, value in result.items() if key not in ("ruleIndex", "suppressions")}
            absent["baselineState"] = "absent"
            report.absent.append(absent)
            rule_id = absent.get("ruleId")
            if isinstance(rule_id, str) and rule_id in rules:
                report.absent_rules.setdefault(rule_id, rules[rule_id])
