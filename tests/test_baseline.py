"""--baseline marks results new/unchanged/updated/absent; --fail-on-new; --sarif-per-project categories."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from auditor.cli import app
from tests.conftest import EXAMPLES
from tests.sarif_github import assert_github_sarif

runner = CliRunner()


def _sarif(target: Path, *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = runner.invoke(app, ["audit", str(target), "--format", "sarif", *args])
    return result.exit_code, json.loads(result.stdout)


def test_baseline_states(tmp_path: Path) -> None:
    """Fixing one finding makes it absent, keeping one unchanged, adding one makes it new."""
    project = tmp_path / "p"
    shutil.copytree(EXAMPLES / "drf-no-ratelimit", project)
    _code, before = _sarif(project)
    baseline = tmp_path / "before.sarif"
    baseline.write_text(json.dumps(before))
    manifest = project / "pyproject.toml"
    # Fix the rate-limit finding (add django-ratelimit) and add FastAPI (a new finding).
    text = manifest.read_text().replace(
        '"djangorestframework', '"django-ratelimit>=4",\n    "fastapi>=0.110",\n    "djangorestframework', 1
    )
    manifest.write_text(text)
    (project / "uv.lock").unlink()
    (project / "requirements.txt").unlink()
    code, after = _sarif(project, "--baseline", str(baseline))
    results = after["runs"][0]["results"]
    states = {(r["ruleId"], r["baselineState"]) for r in results}
    assert ("django-monolith/no-rate-limiting", "absent") in states
    assert ("django-monolith/fastapi-on-top-of-django", "new") in states
    assert ("django-monolith/stack/queue", "unchanged") in states
    assert code == 1
    assert_github_sarif(after)


def test_fail_on_new_ignores_known_findings(tmp_path: Path) -> None:
    """With the current SARIF as baseline, nothing is new: --fail-on-new exits 0 though errors remain."""
    _code, current = _sarif(EXAMPLES / "drf-no-ratelimit")
    baseline = tmp_path / "base.sarif"
    baseline.write_text(json.dumps(current))
    code, again = _sarif(EXAMPLES / "drf-no-ratelimit", "--baseline", str(baseline), "--fail-on-new")
    assert code == 0
    assert {r["baselineState"] for r in again["runs"][0]["results"]} == {"unchanged"}
    assert _sarif(EXAMPLES / "drf-no-ratelimit", "--baseline", str(baseline))[0] == 1


def test_bad_baseline_is_a_located_error(tmp_path: Path) -> None:
    """A baseline that is not SARIF exits 2 naming the file."""
    bad = tmp_path / "bad.sarif"
    bad.write_text("{not json")
    result = runner.invoke(app, ["audit", str(EXAMPLES / "fastapi-service"), "--baseline", str(bad)])
    assert result.exit_code == 2
    assert "bad.sarif:1: baseline is not JSON" in result.stderr


def test_sarif_per_project_has_one_category_each(tmp_path: Path) -> None:
    """A monorepo gives one SARIF per project, each a single run with its own category."""
    out = tmp_path / "per-project"
    runner.invoke(app, ["audit", str(EXAMPLES / "monorepo"), "--sarif-per-project", str(out)])
    files = sorted(p.name for p in out.iterdir())
    assert files == ["services__api.sarif", "services__web.sarif"]
    categories = set()
    for name in files:
        document = json.loads((out / name).read_text())
        assert_github_sarif(document)
        [run] = document["runs"]
        categories.add(run["automationDetails"]["id"])
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
        assert all("/services/" in uri for uri in uris)
    assert len(categories) == 2
