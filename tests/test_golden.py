"""Golden files: each example rendered in every format, byte for byte.

Regenerate after an intended change with `python -m pytest tests/test_golden.py --update-golden`
and review the diff. The tool version is redacted so a release does not churn them.

A golden holds what its example is about. The inferred profile's reason lists
every shipped profile's score; the goldens keep the decision (the chosen profile
and the runner-up) so adding a profile rewrites only the goldens whose decision it
changes. ``test_reason_lists_every_profile_score`` checks the full list.
"""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

from auditor.audit import AuditOptions, audit
from auditor.render import FORMATS, RenderOptions, all_renderers
from tests.conftest import EXAMPLES, GOLDEN, check_golden, sarif_schema

# "(scores: a=13; b=11; c=4; d=3)" -> "(scores: a=13; b=11; …)"
_OTHER_SCORES = re.compile(r"(\(scores: [^;)]+; [^;)]+); [^)]*\)")


def about_the_case(text: str) -> str:
    """The rendered report without the scores of profiles that neither won nor came second."""
    return _OTHER_SCORES.sub(r"\1; …)", text)


EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir() and p.name not in ("github", "kubernetes"))
RENDERERS = all_renderers()
GOLDEN_FORMATS = [r.name for r in RENDERERS]


@pytest.mark.parametrize("renderer", RENDERERS, ids=lambda r: r.name)
@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_example_matches_golden(example: str, renderer: object, update_golden: bool) -> None:
    """The rendered report of each example equals its golden file."""
    report = audit(EXAMPLES / example, AuditOptions())
    text = renderer.render(report, RenderOptions(redact_version=True))  # type: ignore[attr-defined]
    suffix = renderer.suffix  # type: ignore[attr-defined]
    check_golden(GOLDEN / renderer.name / f"{example}{suffix}", about_the_case(text), update_golden)  # type: ignore[attr-defined]


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_example_sarif_is_valid(example: str) -> None:
    """The SARIF of every example validates against the official SARIF 2.1.0 schema."""
    document = json.loads((GOLDEN / "sarif" / f"{example}.sarif").read_text())
    jsonschema.Draft4Validator(sarif_schema()).validate(document)


def test_about_the_case_keeps_the_decision() -> None:
    """Only scores after the runner-up are dropped (and a two-profile list is left whole)."""
    assert about_the_case("(scores: a=13; b=11; c=4; d=3)") == "(scores: a=13; b=11; …)"
    assert about_the_case("(scores: a=13; b=11)") == "(scores: a=13; b=11)"


def test_reason_lists_every_profile_score() -> None:
    """Unabridged, the inferred profile's reason scores each shipped profile once, best first."""
    from auditor.policy.profiles import profile_names

    reason = audit(EXAMPLES / "django-monolith", AuditOptions()).projects[0].profile_reason
    found = re.search(r"\(scores: ([^)]*)\)", reason)
    assert found, reason
    fitting, _, not_fitting = found.group(1).partition("; not fitting: ")
    groups = [[pair.split("=") for pair in group.split(sep)] for group, sep in ((fitting, "; "), (not_fitting, ", "))]
    assert sorted(name for group in groups for name, _ in group) == sorted(profile_names())
    for group in groups:  # profiles whose identity is present first, each group best first
        assert [int(score) for _, score in group] == sorted((int(score) for _, score in group), reverse=True)


def test_registry_names_match_the_renderers() -> None:
    """Each --format name in the registry loads a renderer that calls itself by that name."""
    assert [r.name for r in RENDERERS] == list(FORMATS)


def test_every_renderer_has_golden_files() -> None:
    """Each registered output format has a golden file for each example (the registry and goldens stay in step)."""
    for renderer in RENDERERS:
        for example in EXAMPLE_NAMES:
            assert (GOLDEN / renderer.name / f"{example}{renderer.suffix}").is_file(), (renderer.name, example)


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_example_json_matches_its_schema(example: str) -> None:
    """The JSON report of every example validates against the documented JSON Schema."""
    from tests.conftest import REPO

    schema = json.loads((REPO / "auditor" / "schemas" / "report.schema.json").read_text())
    document = json.loads((GOLDEN / "json" / f"{example}.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(document)


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_example_sarif_follows_github_ingestion_rules(example: str) -> None:
    """Each golden SARIF passes every GitHub code-scanning rule the helper checks (and the schema)."""
    from tests.sarif_github import assert_github_sarif

    assert_github_sarif(json.loads((GOLDEN / "sarif" / f"{example}.sarif").read_text()))
