"""Profile checks fire on SBOM input the same way they do on lockfiles.

Each example is audited, exported as CycloneDX (`--format cyclonedx`), and the
SBOM audited again with the same profile: the anti-recommendation findings
(rule id and package) are the same.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from tests.conftest import EXAMPLES

runner = CliRunner()
CASES = {
    "fastapi-on-django": "django-monolith",
    "drf-no-ratelimit": "django-monolith",
    "fastapi-psycopg2": "fastapi-python",
    "flask-greenfield": "fastapi-python",
    "django-transitive": "fastapi-python",
}


def _anti(target: Path, profile: str) -> set[tuple[str, str | None]]:
    result = runner.invoke(app, ["audit", str(target), "--profile", profile, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    # Profile anti-recommendations only: an SBOM lists both versions of a lock's fork (django-transitive),
    # and cannot say they never install together, so SA110 rightly differs between the two.
    return {
        (f["rule_id"], f["package"])
        for p in data["projects"]
        for f in p["findings"]
        if "/" in f["rule_id"] and "/stack/" not in f["rule_id"]
    }


@pytest.mark.parametrize("example", sorted(CASES))
def test_sbom_of_example_gives_same_anti_recommendations(example: str, tmp_path: Path) -> None:
    """Lockfile audit and SBOM audit agree on every anti-recommendation finding."""
    profile = CASES[example]
    sbom = tmp_path / "bom.cdx.json"
    result = runner.invoke(app, ["audit", str(EXAMPLES / example), "--format", "cyclonedx", "-o", str(sbom)])
    assert result.exit_code in (0, 1), result.output
    from_lock = _anti(EXAMPLES / example, profile)
    assert from_lock, "the example should have at least one anti-recommendation finding"
    assert _anti(sbom, profile) == from_lock
