"""The ``assert_github_sarif`` helper itself: accepts hand-made good SARIF, rejects each kind of bad one."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from auditor.render import sarif_limits as limits
from tests.sarif_github import assert_github_sarif, assert_sarif_schema, category_of, github_sarif_problems

GOOD = json.loads((Path(__file__).parent / "github_data" / "valid.sarif").read_text())

Doc = dict[str, Any]


def run0(doc: Doc) -> Doc:
    return doc["runs"][0]  # type: ignore[no-any-return]


def rule0(doc: Doc) -> Doc:
    return run0(doc)["tool"]["driver"]["rules"][0]  # type: ignore[no-any-return]


def result0(doc: Doc) -> Doc:
    return run0(doc)["results"][0]  # type: ignore[no-any-return]


def loc0(doc: Doc) -> Doc:
    return result0(doc)["locations"][0]["physicalLocation"]  # type: ignore[no-any-return]


def second_run(doc: Doc, run_id: str) -> None:
    extra = copy.deepcopy(run0(doc))
    extra["automationDetails"] = {"id": run_id}
    doc["runs"].append(extra)


def many_results(doc: Doc, count: int) -> None:
    template = result0(doc)
    results = []
    for i in range(count):
        result = dict(template)
        result["partialFingerprints"] = {"primaryLocationLineHash": f"{i:032x}"}
        results.append(result)
    run0(doc)["results"] = results


def many_rules(doc: Doc, count: int) -> None:
    rules = run0(doc)["tool"]["driver"]["rules"]
    template = rules[0]
    rules.extend({**template, "id": f"extra/{i}"} for i in range(count - len(rules)))


def test_good_document_passes() -> None:
    """The hand-made valid SARIF meets every rule and the official schema."""
    assert github_sarif_problems(GOOD) == []
    assert_github_sarif(GOOD)


def test_good_multi_run_document_passes() -> None:
    """Two runs of one tool are fine when their categories differ (one per audited project)."""
    doc = copy.deepcopy(GOOD)
    second_run(doc, "stack-auditor/services/web/")
    assert_github_sarif(doc)


def test_good_document_with_no_results_passes() -> None:
    """A clean audit (results: []) is a valid upload: it closes earlier alerts."""
    doc = copy.deepcopy(GOOD)
    run0(doc)["results"] = []
    assert_github_sarif(doc)


def test_limits_exactly_at_maximum_pass() -> None:
    """Exactly GitHub's maximum of results per run is accepted (the check is > not >=)."""
    doc = copy.deepcopy(GOOD)
    many_results(doc, limits.MAX_RESULTS_PER_RUN)
    assert github_sarif_problems(doc) == []


@pytest.mark.parametrize(
    ("run_id", "category"),
    [
        ("my-analysis/tool1/2022-01-02", "my-analysis/tool1"),
        ("my-analysis/tool1/", "my-analysis/tool1"),
        ("my-analysis for tool1", ""),
        ("", ""),
    ],
)
def test_category_of_follows_githubs_table(run_id: str, category: str) -> None:
    """category = everything before the last '/', empty without one (GitHub's runAutomationDetails table)."""
    assert category_of({"automationDetails": {"id": run_id}}) == category


def _set(path: Callable[[Doc], Doc], key: str, value: Any) -> Callable[[Doc], None]:
    def mutate(doc: Doc) -> None:
        path(doc)[key] = value

    return mutate


def _drop(path: Callable[[Doc], Doc], key: str) -> Callable[[Doc], None]:
    def mutate(doc: Doc) -> None:
        del path(doc)[key]

    return mutate


def _driver(doc: Doc) -> Doc:
    return run0(doc)["tool"]["driver"]  # type: ignore[no-any-return]


def _props(doc: Doc) -> Doc:
    return rule0(doc)["properties"]  # type: ignore[no-any-return]


def _help(doc: Doc) -> Doc:
    return rule0(doc)["help"]  # type: ignore[no-any-return]


def _artifact(doc: Doc) -> Doc:
    return loc0(doc)["artifactLocation"]  # type: ignore[no-any-return]


def _region(doc: Doc) -> Doc:
    return loc0(doc)["region"]  # type: ignore[no-any-return]


def _suppression(doc: Doc) -> Doc:
    return run0(doc)["results"][1]["suppressions"][0]  # type: ignore[no-any-return]


def _dup_fingerprint(doc: Doc) -> None:
    run0(doc)["results"].append(copy.deepcopy(result0(doc)))


def _logical_only(doc: Doc) -> None:
    result0(doc)["locations"] = [{"logicalLocations": [{"name": "fastapi"}]}]


BAD: list[tuple[str, Callable[[Doc], None], str]] = [
    ("version", _set(lambda d: d, "version", "2.0.0"), 'version must be "2.1.0"'),
    ("no-schema", _drop(lambda d: d, "$schema"), "$schema must name"),
    ("no-runs", _set(lambda d: d, "runs", []), "runs[] must hold at least one run"),
    (
        "same-category",
        lambda d: second_run(d, "stack-auditor/services/api/2026-01-01"),
        "share tool 'stack-auditor'",
    ),
    ("no-category-twice", lambda d: (second_run(d, "x"), second_run(d, "y")), "share tool"),
    ("driver-name", _drop(_driver, "name"), "driver.name is required"),
    ("driver-version", _set(_driver, "version", "1.0"), "is not SemVer 2.0"),
    (
        "driver-no-version",
        lambda d: [_driver(d).pop(k) for k in ("version", "semanticVersion")],
        "needs a version",
    ),
    ("information-uri", _drop(_driver, "informationUri"), "informationUri is required"),
    ("rule-id", _set(rule0, "id", ""), "rule id is required"),
    ("rule-name", _drop(rule0, "name"), "rule name is required"),
    ("rule-name-long", _set(rule0, "name", "n" * 256), "name longer than 255"),
    ("short-description", _set(rule0, "shortDescription", {"text": ""}), "shortDescription.text is required"),
    ("short-description-long", _set(rule0, "shortDescription", {"text": "x" * 1025}), "longer than 1024"),
    ("full-description", _drop(rule0, "fullDescription"), "fullDescription.text is required"),
    ("help-text", _drop(_help, "text"), "help.text is required"),
    ("help-markdown", _drop(_help, "markdown"), "help.markdown is required"),
    ("help-uri", _drop(rule0, "helpUri"), "helpUri must be an absolute"),
    ("help-uri-relative", _set(rule0, "helpUri", "docs/rules/x.md"), "helpUri must be an absolute"),
    ("default-level", _set(rule0, "defaultConfiguration", {"level": "fatal"}), "defaultConfiguration.level"),
    ("tags-missing", _drop(_props, "tags"), "properties.tags[]"),
    ("tags-too-many", _set(_props, "tags", [f"t{i}" for i in range(21)]), "21 tags, GitHub's limit is 20"),
    ("precision", _drop(_props, "precision"), "properties.precision"),
    ("problem-severity", _set(_props, "problem.severity", "critical"), "problem.severity"),
    ("security-severity", _set(_props, "security-severity", "7.5"), "security-severity"),
    ("duplicate-rule", lambda d: _driver(d)["rules"].append(copy.deepcopy(rule0(d))), "appears 2 times"),
    ("unknown-rule", _set(result0, "ruleId", "nope/unknown"), "is not in tool.driver.rules"),
    ("rule-index", _set(result0, "ruleIndex", 1), "ruleIndex 1 does not point at rule"),
    ("no-level", _drop(result0, "level"), "level must be one of"),
    ("empty-message", _set(result0, "message", {"text": " "}), "message.text is required"),
    ("no-locations", _set(result0, "locations", []), "at least one location"),
    ("logical-only", _logical_only, "physicalLocation is required"),
    ("absolute-uri", _set(_artifact, "uri", "file:///home/ci/app/requirements.txt"), "(no scheme)"),
    ("leading-slash", _set(_artifact, "uri", "/services/api/requirements.txt"), "must not start with '/'"),
    ("backslash", _set(_artifact, "uri", "services\\api\\requirements.txt"), "forward slashes"),
    ("dot-segment", _set(_artifact, "uri", "./services/api/requirements.txt"), "must be normalized"),
    ("no-uri-base", _drop(_artifact, "uriBaseId"), "uriBaseId is required"),
    (
        "undeclared-uri-base",
        _set(_artifact, "uriBaseId", "SRCROOT"),
        "not declared in run.originalUriBaseIds",
    ),
    ("no-region", _drop(loc0, "region"), "region with startLine is required"),
    ("line-zero", _set(_region, "startLine", 0), "startLine must be >= 1"),
    ("column-zero", _set(_region, "startColumn", 0), "startColumn must be >= 1"),
    ("end-before-start", _set(_region, "endLine", 3), "endLine < startLine"),
    ("no-fingerprint", _drop(result0, "partialFingerprints"), "primaryLocationLineHash is required"),
    (
        "other-fingerprint-only",
        _set(result0, "partialFingerprints", {"cargo-deny/x": "1"}),
        "primaryLocationLine",
    ),
    ("duplicate-fingerprint", _dup_fingerprint, "share fingerprint"),
    ("suppression-no-justification", _drop(_suppression, "justification"), "justification (the reason)"),
    ("suppression-kind", _set(_suppression, "kind", "ignored"), "kind must be one of"),
    (
        "too-many-runs",
        lambda d: [second_run(d, f"c{i}/") for i in range(20)],
        "21 runs, GitHub's limit is 20",
    ),
    ("too-many-results", lambda d: many_results(d, limits.MAX_RESULTS_PER_RUN + 1), "25001 results"),
    ("too-many-rules", lambda d: many_rules(d, limits.MAX_RULES_PER_RUN + 1), "25001 rules"),
    (
        "too-many-locations",
        lambda d: result0(d).update(
            locations=result0(d)["locations"] * (limits.MAX_LOCATIONS_PER_RESULT + 1)
        ),
        "over 1000 locations",
    ),
    (
        "too-many-related",
        lambda d: result0(d).update(relatedLocations=result0(d)["locations"] * 1001),
        "over 1000 relatedLocations",
    ),
]


@pytest.mark.parametrize(("mutate", "expected"), [pytest.param(m, e, id=i) for i, m, e in BAD])
def test_bad_document_is_rejected(mutate: Callable[[Doc], None], expected: str) -> None:
    """Each breach of GitHub's rules is reported, with a path, and makes assert_github_sarif fail."""
    doc = copy.deepcopy(GOOD)
    mutate(doc)
    problems = github_sarif_problems(doc)
    assert any(expected in p for p in problems), problems
    with pytest.raises(AssertionError, match="not acceptable to GitHub"):
        assert_github_sarif(doc, schema=False)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        pytest.param(_set(result0, "kind", "bogus"), "'bogus' is not one of", id="result-kind-enum"),
        pytest.param(_set(_region, "startColumn", 0), "0 is less than the minimum of 1", id="column-zero"),
        pytest.param(
            _set(result0, "message", {"markdown": "no text"}),
            "is not valid under any of the given schemas",
            id="message-needs-text-or-id",
        ),
    ],
)
def test_schema_violations_are_rejected(mutate: Callable[[Doc], None], expected: str) -> None:
    """Problems only the OASIS schema knows about fail assert_sarif_schema (and so assert_github_sarif)."""
    doc = copy.deepcopy(GOOD)
    mutate(doc)
    with pytest.raises(AssertionError, match=r"fails the 2\.1\.0 schema") as excinfo:
        assert_sarif_schema(doc)
    assert expected in str(excinfo.value)
    with pytest.raises(AssertionError):
        assert_github_sarif(doc)
