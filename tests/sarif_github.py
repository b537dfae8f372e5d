"""Test helper: does a SARIF document satisfy GitHub code scanning's ingestion rules?

``assert_github_sarif(doc)`` fails with every problem found (one per line,
with a path such as ``runs[0].results[3].locations[0]``), then validates the
document against the OASIS SARIF 2.1.0 schema. ``github_sarif_problems(doc)``
returns the list instead of raising.

The rules come from GitHub's "SARIF support for code scanning" reference
(https://docs.github.com/en/code-security/reference/code-scanning/sarif-files/sarif-support)
and the stack-auditor research notes (``shared/research/anchors.md`` §2-3).
Some are stricter than GitHub on purpose, where GitHub accepts a file but the
alerts come out wrong: ``name``, ``help.markdown``, ``helpUri``,
``informationUri``, precision and ``problem.severity`` are required; the
``security-severity`` property is forbidden (it would turn stack findings into
security alerts); every result needs a rule, a level, a relative
``uriBaseId``-anchored URI and a line; two results of one rule must not share
a fingerprint (GitHub would merge them into one alert).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from auditor.render.sarif_limits import (
    MAX_FULL_DESCRIPTION_CHARS,
    MAX_LOCATIONS_PER_RESULT,
    MAX_RELATED_LOCATIONS_PER_RESULT,
    MAX_RESULTS_PER_RUN,
    MAX_RULE_NAME_CHARS,
    MAX_RULES_PER_RUN,
    MAX_RUNS_PER_FILE,
    MAX_SHORT_DESCRIPTION_CHARS,
    MAX_TAGS_PER_RULE,
)

__all__ = [
    "SCHEMA_NAME",
    "assert_github_sarif",
    "assert_sarif_schema",
    "category_of",
    "github_sarif_problems",
]

SCHEMA_NAME = "sarif-schema-2.1.0.json"
LEVELS = frozenset({"note", "warning", "error"})
PRECISIONS = frozenset({"very-high", "high", "medium", "low"})
PROBLEM_SEVERITIES = frozenset({"error", "warning", "recommendation"})
SUPPRESSION_KINDS = frozenset({"inSource", "external"})
# https://semver.org/#is-there-a-suggested-regular-expression-regex-to-check-a-semver-string
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_ABSOLUTE_HTTP = re.compile(r"^https?://[^/\s]+")


def category_of(run: dict[str, Any]) -> str:
    """GitHub's category for a run: ``automationDetails.id`` up to its last ``/`` ("" without one)."""
    run_id = (run.get("automationDetails") or {}).get("id") or ""
    return run_id.rsplit("/", 1)[0] if "/" in run_id else ""


def _text(obj: Any, key: str) -> str:
    """``obj[key]["text"]`` or "" when any part is missing."""
    value = obj.get(key) if isinstance(obj, dict) else None
    text = value.get("text") if isinstance(value, dict) else None
    return text if isinstance(text, str) else ""


class _Collector:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def need(self, ok: object, where: str, message: str) -> bool:
        if not ok:
            self.problems.append(f"{where}: {message}")
        return bool(ok)


def _check_driver(c: _Collector, driver: Any, where: str) -> list[Any]:
    if not c.need(isinstance(driver, dict), where, "tool.driver must be an object"):
        return []
    c.need(isinstance(driver.get("name"), str) and driver["name"].strip(), where, "driver.name is required")
    versions = [driver[k] for k in ("version", "semanticVersion") if k in driver]
    c.need(versions, where, "driver needs a version (or semanticVersion)")
    for version in versions:
        c.need(
            isinstance(version, str) and SEMVER.match(version),
            where,
            f"version {version!r} is not SemVer 2.0",
        )
    c.need(
        _ABSOLUTE_HTTP.match(str(driver.get("informationUri", ""))),
        where,
        "driver.informationUri is required",
    )
    rules = driver.get("rules")
    if not c.need(isinstance(rules, list), where, "driver.rules[] is required"):
        return []
    c.need(
        len(rules) <= MAX_RULES_PER_RUN, where, f"{len(rules)} rules, GitHub's limit is {MAX_RULES_PER_RUN}"
    )
    return rules


def _check_rule(c: _Collector, rule: Any, where: str) -> None:
    if not c.need(isinstance(rule, dict), where, "a rule must be an object"):
        return
    c.need(isinstance(rule.get("id"), str) and rule["id"].strip(), where, "rule id is required")
    name = rule.get("name")
    if c.need(isinstance(name, str) and name.strip(), where, "rule name is required"):
        c.need(len(name) <= MAX_RULE_NAME_CHARS, where, f"name longer than {MAX_RULE_NAME_CHARS} chars")
    for key, limit in (
        ("shortDescription", MAX_SHORT_DESCRIPTION_CHARS),
        ("fullDescription", MAX_FULL_DESCRIPTION_CHARS),
    ):
        text = _text(rule, key)
        if c.need(text.strip(), where, f"{key}.text is required (non-empty)"):
            c.need(len(text) <= limit, where, f"{key}.text longer than {limit} chars")
    help_ = rule.get("help") if isinstance(rule.get("help"), dict) else {}
    c.need(str(help_.get("text", "")).strip(), where, "help.text is required (non-empty)")
    c.need(str(help_.get("markdown", "")).strip(), where, "help.markdown is required (non-empty)")
    c.need(
        _ABSOLUTE_HTTP.match(str(rule.get("helpUri", ""))), where, "helpUri must be an absolute http(s) URL"
    )
    level = (rule.get("defaultConfiguration") or {}).get("level")
    c.need(
        level in LEVELS, where, f"defaultConfiguration.level must be one of {sorted(LEVELS)}, got {level!r}"
    )
    props = rule.get("properties") if isinstance(rule.get("properties"), dict) else {}
    tags = props.get("tags")
    if c.need(
        isinstance(tags, list) and all(isinstance(t, str) for t in tags),
        where,
        "properties.tags[] of strings",
    ):
        c.need(
            len(tags) <= MAX_TAGS_PER_RULE, where, f"{len(tags)} tags, GitHub's limit is {MAX_TAGS_PER_RULE}"
        )
    precision = props.get("precision")
    c.need(precision in PRECISIONS, where, f"properties.precision must be one of {sorted(PRECISIONS)}")
    severity = props.get("problem.severity")
    c.need(
        severity in PROBLEM_SEVERITIES,
        where,
        f"properties['problem.severity'] in {sorted(PROBLEM_SEVERITIES)}",
    )
    c.need(
        "security-severity" not in props,
        where,
        "properties['security-severity'] turns the rule into a security rule; stack rules must not set it",
    )


def _check_location(c: _Collector, location: Any, where: str, base_ids: dict[str, Any]) -> None:
    physical = location.get("physicalLocation") if isinstance(location, dict) else None
    if not c.need(
        isinstance(physical, dict), where, "physicalLocation is required (a logical location is not enough)"
    ):
        return
    artifact = physical.get("artifactLocation") if isinstance(physical.get("artifactLocation"), dict) else {}
    uri = artifact.get("uri")
    if c.need(isinstance(uri, str) and uri, where, "artifactLocation.uri is required"):
        c.need(
            not _SCHEME.match(uri), where, f"uri {uri!r} must be relative to the repository root (no scheme)"
        )
        c.need(not uri.startswith("/"), where, f"uri {uri!r} must not start with '/'")
        c.need("\\" not in uri, where, f"uri {uri!r} must use forward slashes")
        segments = uri.split("/")
        c.need(
            not {"", ".", ".."} & set(segments),
            where,
            f"uri {uri!r} must be normalized (no '', '.', '..' segments)",
        )
    base = artifact.get("uriBaseId")
    if c.need(isinstance(base, str) and base, where, "artifactLocation.uriBaseId is required"):
        c.need(base in base_ids, where, f"uriBaseId {base!r} is not declared in run.originalUriBaseIds")
    region = physical.get("region")
    if not c.need(isinstance(region, dict), where, "region with startLine is required"):
        return
    start = region.get("startLine")
    c.need(isinstance(start, int) and start >= 1, where, f"region.startLine must be >= 1, got {start!r}")
    for key in ("startColumn", "endColumn"):
        if key in region:
            c.need(
                isinstance(region[key], int) and region[key] >= 1,
                where,
                f"region.{key} must be >= 1 (1-based)",
            )
    if "endLine" in region and isinstance(start, int):
        c.need(
            isinstance(region["endLine"], int) and region["endLine"] >= start,
            where,
            "region.endLine < startLine",
        )


def _check_result(c: _Collector, result: Any, where: str, rules: list[Any], base_ids: dict[str, Any]) -> None:
    if not c.need(isinstance(result, dict), where, "a result must be an object"):
        return
    rule_ids = [r.get("id") for r in rules if isinstance(r, dict)]
    rule_id = result.get("ruleId")
    c.need(rule_id in rule_ids, where, f"ruleId {rule_id!r} is not in tool.driver.rules")
    if "ruleIndex" in result:
        index = result["ruleIndex"]
        ok = isinstance(index, int) and 0 <= index < len(rule_ids) and rule_ids[index] == rule_id
        c.need(ok, where, f"ruleIndex {index!r} does not point at rule {rule_id!r}")
    c.need(result.get("level") in LEVELS, where, f"level must be one of {sorted(LEVELS)}")
    c.need(_text(result, "message").strip(), where, "message.text is required (non-empty)")
    locations = result.get("locations")
    if c.need(
        isinstance(locations, list) and locations, where, "locations[] must hold at least one location"
    ):
        c.need(
            len(locations) <= MAX_LOCATIONS_PER_RESULT, where, f"over {MAX_LOCATIONS_PER_RESULT} locations"
        )
        for i, location in enumerate(locations):
            _check_location(c, location, f"{where}.locations[{i}]", base_ids)
    related = result.get("relatedLocations", [])
    if c.need(isinstance(related, list), where, "relatedLocations must be a list"):
        c.need(
            len(related) <= MAX_RELATED_LOCATIONS_PER_RESULT,
            where,
            f"over {MAX_RELATED_LOCATIONS_PER_RESULT} relatedLocations",
        )
        for i, location in enumerate(related):
            if isinstance(location, dict) and "physicalLocation" in location:
                _check_location(c, location, f"{where}.relatedLocations[{i}]", base_ids)
    fingerprints = result.get("partialFingerprints")
    line_hash = fingerprints.get("primaryLocationLineHash") if isinstance(fingerprints, dict) else None
    c.need(
        isinstance(line_hash, str) and line_hash,
        where,
        "partialFingerprints.primaryLocationLineHash is required",
    )
    if "suppressions" in result:
        suppressions = result["suppressions"]
        if c.need(
            isinstance(suppressions, list) and suppressions, where, "suppressions must be a non-empty list"
        ):
            for i, suppression in enumerate(suppressions):
                s_where = f"{where}.suppressions[{i}]"
                s = suppression if isinstance(suppression, dict) else {}
                c.need(
                    s.get("kind") in SUPPRESSION_KINDS,
                    s_where,
                    f"kind must be one of {sorted(SUPPRESSION_KINDS)}",
                )
                c.need(
                    str(s.get("justification", "")).strip(), s_where, "justification (the reason) is required"
                )


def github_sarif_problems(doc: Any) -> list[str]:
    """Every way ``doc`` breaks GitHub's ingestion rules (schema not included); empty when fine."""
    c = _Collector()
    if not c.need(isinstance(doc, dict), "$", "a SARIF log must be a JSON object"):
        return c.problems
    c.need(doc.get("version") == "2.1.0", "$", f'version must be "2.1.0", got {doc.get("version")!r}')
    c.need("2.1.0" in str(doc.get("$schema", "")), "$", "$schema must name the SARIF 2.1.0 schema")
    runs = doc.get("runs")
    if not c.need(isinstance(runs, list) and runs, "$", "runs[] must hold at least one run"):
        return c.problems
    c.need(len(runs) <= MAX_RUNS_PER_FILE, "$", f"{len(runs)} runs, GitHub's limit is {MAX_RUNS_PER_FILE}")
    keys: Counter[tuple[Any, ...]] = Counter()
    for r, run in enumerate(runs):
        where = f"runs[{r}]"
        if not c.need(isinstance(run, dict), where, "a run must be an object"):
            continue
        driver = (run.get("tool") or {}).get("driver")
        rules = _check_driver(c, driver, f"{where}.tool.driver")
        if isinstance(driver, dict):
            # GitHub keys a run by the driver's identity plus the category (codeql-action PR #2265).
            tool = tuple(driver.get(k) for k in ("name", "fullName", "version", "semanticVersion", "guid"))
            keys[(*tool, category_of(run))] += 1
        ids = Counter(rule.get("id") for rule in rules if isinstance(rule, dict))
        for rule_id, count in ids.items():
            c.need(count == 1, f"{where}.tool.driver.rules", f"rule id {rule_id!r} appears {count} times")
        for i, rule in enumerate(rules):
            _check_rule(c, rule, f"{where}.tool.driver.rules[{i}]")
        base_ids = run.get("originalUriBaseIds") if isinstance(run.get("originalUriBaseIds"), dict) else {}
        results = run.get("results")
        if not c.need(isinstance(results, list), where, "results[] is required (may be empty)"):
            continue
        c.need(
            len(results) <= MAX_RESULTS_PER_RUN, where, f"{len(results)} results, limit {MAX_RESULTS_PER_RUN}"
        )
        seen: Counter[tuple[Any, Any]] = Counter()
        for i, result in enumerate(results):
            _check_result(c, result, f"{where}.results[{i}]", rules, base_ids)
            if isinstance(result, dict) and isinstance(result.get("partialFingerprints"), dict):
                seen[
                    (result.get("ruleId"), result["partialFingerprints"].get("primaryLocationLineHash"))
                ] += 1
        for (rule_id, line_hash), count in seen.items():
            c.need(count == 1, where, f"{count} results of {rule_id!r} share fingerprint {line_hash!r}")
    for key, count in keys.items():
        c.need(
            count == 1,
            "$",
            f"{count} runs share tool {key[0]!r} and category {key[-1]!r}; GitHub rejects that",
        )
    return c.problems


def _schema_path() -> Path | None:
    """``shared/schemas/<SCHEMA_NAME>`` beside the checkout (main) or beside a folder of worktrees."""
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "schemas" / SCHEMA_NAME
        if candidate.is_file():
            return candidate
    return None


@cache
def _validator() -> Any:
    path = _schema_path()
    if path is None:
        pytest.skip(f"shared schemas absent: ../shared/schemas/{SCHEMA_NAME} not found")
    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)  # the OASIS file declares draft-04
    cls.check_schema(schema)
    return cls(schema)


def assert_sarif_schema(doc: Any) -> None:
    """``doc`` validates against the OASIS SARIF 2.1.0 JSON schema (skips if ``shared/`` is absent)."""
    errors = sorted(_validator().iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"- {'/'.join(map(str, e.absolute_path)) or '$'}: {e.message[:300]}" for e in errors[:20]]
        raise AssertionError(f"SARIF fails the 2.1.0 schema ({len(errors)} errors):\n" + "\n".join(lines))


def assert_github_sarif(doc: Any, *, schema: bool = True) -> None:
    """Fail with every GitHub ingestion problem in ``doc``, then check the schema unless ``schema=False``."""
    problems = github_sarif_problems(doc)
    if problems:
        shown = "\n".join(f"- {p}" for p in problems[:50])
        more = f"\n... and {len(problems) - 50} more" if len(problems) > 50 else ""
        raise AssertionError(f"SARIF not acceptable to GitHub code scanning:\n{shown}{more}")
    if schema:
        assert_sarif_schema(doc)
