"""Fingerprints identify a finding by rule, project, file and package: moving lines moves the region only."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.audit import AuditOptions, audit
from auditor.findings import fingerprint
from auditor.render import RenderOptions
from auditor.render.sarif import report_to_sarif
from tests.conftest import EXAMPLES


def _results(root: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    sarif = report_to_sarif(audit(root, AuditOptions(profile="django-monolith")), RenderOptions())
    return {r["ruleId"]: r for r in sarif["runs"][0]["results"]}


def test_inserting_lines_above_moves_region_not_fingerprint(tmp_path: Path) -> None:
    """Five comment lines inserted above FastAPI's declaration: same fingerprint, region five lines lower."""
    shutil.copytree(EXAMPLES / "fastapi-on-django", tmp_path / "p")
    before = _results(tmp_path / "p")["django-monolith/fastapi-on-top-of-django"]
    manifest = tmp_path / "p" / "pyproject.toml"
    lines = manifest.read_text().splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if '"fastapi' in line)
    lines[index:index] = ["    # a comment\n"] * 5
    manifest.write_text("".join(lines))
    after = _results(tmp_path / "p")["django-monolith/fastapi-on-top-of-django"]
    region = lambda r: r["locations"][0]["physicalLocation"]["region"]["startLine"]  # noqa: E731
    assert region(after) == region(before) + 5
    assert after["partialFingerprints"] == before["partialFingerprints"]


@settings(max_examples=200)
@given(st.text(min_size=1), st.text(), st.text(), st.one_of(st.none(), st.text()), st.text(min_size=1))
def test_fingerprint_distinguishes_every_field(
    rule: str, project: str, file: str, package: str | None, other: str
) -> None:
    """Changing any one field changes the fingerprint; the same fields always give the same one."""
    base = fingerprint(rule, project, file, package)
    assert base == fingerprint(rule, project, file, package)
    if other != rule:
        assert fingerprint(other, project, file, package) != base
    if other != (package or ""):
        assert fingerprint(rule, project, file, other) != base


def test_json_fingerprint_equals_sarif_fingerprint() -> None:
    """JSON and SARIF carry the same fingerprint for the same finding (one identity across outputs)."""
    from auditor.render.json import report_to_dict

    report = audit(EXAMPLES / "drf-no-ratelimit", AuditOptions())
    as_json = report_to_dict(report, RenderOptions())
    sarif = report_to_sarif(report, RenderOptions())
    json_prints = sorted(f["fingerprint"] for p in as_json["projects"] for f in p["findings"])
    sarif_prints = sorted(r["partialFingerprints"]["primaryLocationLineHash"] for r in sarif["runs"][0]["results"])
    assert json_prints == sarif_prints
    assert json.dumps(as_json)  # serialisable
