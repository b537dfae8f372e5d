"""A repository weakening its own gate (issue 18, class 3): allowed only in plain sight.

``fastapi-on-django`` has one error, ``django-monolith/fastapi-on-top-of-django``.
Its own config turning that rule off, lowering it, redefining the catalog
entry, or shipping an impostor ``django-monolith`` profile must each show in
text, JSON and SARIF; ``--policy-from-org-only`` (a sweep's default with an
org ``sweep.toml``) ignores all of it and the error counts again.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.sweep_helpers import by_name, git, sweep

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "fastapi-on-django"
RULE = "django-monolith/fastapi-on-top-of-django"


def _repo(tmp_path: Path, config: str, files: dict[str, str] | None = None) -> Path:
    root = tmp_path / "acme" / "app"
    shutil.copytree(EXAMPLE, root)
    (root / ".stack-auditor.toml").write_text(config)
    for relative, text in (files or {}).items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    return root


def _audit(root: Path, *extra: str, output_format: str = "json") -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", "auditor", "audit", str(root), "-f", output_format, *extra],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout + done.stderr


def _findings(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [finding for project in report["projects"] for finding in project["findings"]]


def _sarif_notices(text: str) -> list[str]:
    run = json.loads(text)["runs"][0]
    invocations = run.get("invocations", [])
    return [n["message"]["text"] for inv in invocations for n in inv.get("toolConfigurationNotifications", [])]


def test_a_rule_turned_off_stays_visible_as_suppressed_everywhere(tmp_path: Path) -> None:
    root = _repo(tmp_path, f'profile = "django-monolith"\n[severity]\n"{RULE}" = "off"\n')
    code, out = _audit(root)
    report = json.loads(out)
    assert code == 0  # the repo may tune its gate ...
    [finding] = [f for f in _findings(report) if f["rule_id"] == RULE]
    assert finding["suppression"] and "turned off in .stack-auditor.toml" in json.dumps(finding["suppression"])
    assert any("policy weakened" in n and RULE in n for n in report["notices"])  # ... but never invisibly
    _code, text = _audit(root, output_format="text")
    assert "policy weakened" in text and "[suppressed]" in text
    _code, sarif = _audit(root, output_format="sarif")
    results = json.loads(sarif)["runs"][0]["results"]
    assert any(r["ruleId"] == RULE and r.get("suppressions") for r in results)
    assert any("policy weakened" in n for n in _sarif_notices(sarif))


def test_a_lowered_severity_is_reported(tmp_path: Path) -> None:
    root = _repo(tmp_path, f'profile = "django-monolith"\n[severity]\n"{RULE}" = "note"\n')
    code, out = _audit(root)
    assert code == 0
    assert any(f"lowers {RULE} from error to note" in n for n in json.loads(out)["notices"])


def test_an_impostor_profile_under_a_shipped_name_is_refused(tmp_path: Path) -> None:
    impostor = {
        "profile_name": "django-monolith",
        "description": "looks shipped, checks nothing",
        "stack": {},
        "anti_recommendations": {},
    }
    root = _repo(tmp_path, 'profile = "ci/profile.json"\n', {"ci/profile.json": json.dumps(impostor)})
    code, out = _audit(root, output_format="text")
    assert code == 2 and "is reserved for the shipped profile" in out


CATALOG = """
[anti.fastapi-on-top-of-django]
summary = "never matches"
condition = { all-present = ["no-such-package-anywhere"] }
message = "{packages}"
help = "x"
"""


def test_a_catalog_redefinition_is_reported_and_org_only_restores_the_entry(tmp_path: Path) -> None:
    root = _repo(
        tmp_path, 'profile = "django-monolith"\nrules = ["ci/rules"]\n', {"ci/rules/catalog.toml": CATALOG}
    )
    code, out = _audit(root)
    report = json.loads(out)
    assert not [f for f in _findings(report) if f["rule_id"] == RULE]
    assert any("catalog entry 'fastapi-on-top-of-django' redefined" in n for n in report["notices"])
    code, out = _audit(root, "--policy-from-org-only")
    assert code == 1 and [f for f in _findings(json.loads(out)) if f["rule_id"] == RULE]


@pytest.mark.parametrize(
    "config",
    [
        f'profile = "django-monolith"\n[severity]\n"{RULE}" = "off"\n',
        f'profile = "django-monolith"\n[[ignore]]\nrule = "{RULE}"\nreason = "we like both"\n',
    ],
)
def test_policy_from_org_only_ignores_the_repository_weakening(tmp_path: Path, config: str) -> None:
    root = _repo(tmp_path, config)
    code, out = _audit(root, "--policy-from-org-only")
    report = json.loads(out)
    assert code == 1
    [finding] = [f for f in _findings(report) if f["rule_id"] == RULE]
    assert not finding.get("suppression")
    assert any("--policy-from-org-only" in n for n in report["notices"])


def test_a_sweep_with_an_org_config_takes_its_policy_from_the_org_only(tmp_path: Path) -> None:
    root = _repo(tmp_path / "root", f'profile = "django-monolith"\n[severity]\n"{RULE}" = "off"\n')
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "x")
    _run, plain = sweep(tmp_path / "plain", roots=(tmp_path / "root",))
    assert by_name(plain)["acme/app"]["findings"]["error"] == 0
    assert by_name(plain)["acme/app"]["suppressed"] >= 1
    weakened = by_name(plain)["acme/app"]["weakened"]  # the sweep's own column: what the repo did, where
    assert len(weakened) == 1 and RULE in weakened[0] and ".stack-auditor.toml" in weakened[0]
    csv_rows = (tmp_path / "plain" / "summary.csv").read_text().splitlines()
    header = csv_rows[0].split(",")
    assert csv_rows[1].split(",")[header.index("weakened")] == "1"
    assert "policy weakened by its own config" in (tmp_path / "plain" / "summary.md").read_text()
    org = tmp_path / "sweep.toml"
    org.write_text('profile = "django-monolith"\n')
    _run, governed = sweep(tmp_path / "governed", roots=(tmp_path / "root",), config=org)
    assert by_name(governed)["acme/app"]["findings"]["error"] >= 1
    assert by_name(governed)["acme/app"]["weakened"] == []  # ignored, so nothing was weakened


def test_sweep_policy_flag_overrides_the_default_either_way(tmp_path: Path) -> None:
    """--policy-from-org-only without an org config, and --allow-repo-policy with one (the CLI, end to end)."""
    root = _repo(tmp_path / "root", f'profile = "django-monolith"\n[severity]\n"{RULE}" = "off"\n')
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "x")
    org = tmp_path / "sweep.toml"
    org.write_text('profile = "django-monolith"\n')
    errors = {}
    for name, extra in (
        ("strict", ["--policy-from-org-only"]),
        ("lenient", ["--config", str(org), "--allow-repo-policy"]),
    ):
        out = tmp_path / name
        cli = [sys.executable, "-m", "auditor", "sweep", "--root", str(tmp_path / "root"), "--out", str(out), *extra]
        done = subprocess.run(cli, capture_output=True, text=True, check=False, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        summary = json.loads((out / "summary.json").read_text())
        errors[name] = by_name(summary)["acme/app"]["findings"]["error"]
    assert errors == {"strict": 1, "lenient": 0}
