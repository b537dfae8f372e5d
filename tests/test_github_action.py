"""The composite Action, example workflows and pre-commit hook: their shape, and the Action's scripts run.

The scripts of ``action.yml`` are executed with bash the way a runner does
(``bash --noprofile --norc -eo pipefail``), with fake ``stack-auditor`` and
``python`` commands on PATH that record their arguments and exit with a
chosen code.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / "action.yml"
PULL_REQUEST = ROOT / "examples" / "github" / "pull-request.yml"
NIGHTLY = ROOT / "examples" / "github" / "nightly.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"

EXPECTED_INPUTS = {
    "path": ".",
    "profile": "",
    "fail-on": "error",
    "category": "",
    "sarif-file": "stack-auditor.sarif",
    "upload": "true",
    "python-version": "3.11",
    "version": "",
    "args": "",
}


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """``on:``; YAML 1.1 (PyYAML) reads the bare key ``on`` as ``True``."""
    value = workflow.get("on", workflow.get(True))
    assert isinstance(value, dict)
    return value


def steps() -> list[dict[str, Any]]:
    return load(ACTION)["runs"]["steps"]  # type: ignore[no-any-return]


def step(name: str) -> dict[str, Any]:
    return next(s for s in steps() if s.get("name") == name)


# --- static shape ------------------------------------------------------------------


@pytest.mark.parametrize("path", [ACTION, PULL_REQUEST, NIGHTLY, HOOKS], ids=lambda p: p.name)
def test_yaml_files_parse(path: Path) -> None:
    """Every YAML file we ship parses."""
    assert load(path)


def test_action_inputs_and_defaults() -> None:
    """action.yml declares exactly the documented inputs, each with a description and its default."""
    inputs = load(ACTION)["inputs"]
    assert {name: spec["default"] for name, spec in inputs.items()} == EXPECTED_INPUTS
    assert all(spec["description"].strip() for spec in inputs.values())


def test_action_is_composite_with_the_expected_steps() -> None:
    """runs.using is composite; setup-python, install, audit, upload-sarif v3, summary, fail, in order."""
    action = load(ACTION)
    assert action["runs"]["using"] == "composite"
    names = [s.get("name") for s in steps()]
    assert names == [
        "Set up Python",
        "Install stack-auditor",
        "Audit",
        "Upload SARIF to code scanning",
        "Job summary",
        "Fail on findings",
    ]
    setup = step("Set up Python")
    assert setup["uses"].startswith("actions/setup-python@")
    assert setup["with"]["python-version"] == "${{ inputs.python-version }}"
    upload = step("Upload SARIF to code scanning")
    assert upload["uses"] == "github/codeql-action/upload-sarif@v3"
    assert upload["with"] == {"sarif_file": "${{ inputs.sarif-file }}", "category": "${{ inputs.category }}"}
    assert "inputs.upload == 'true'" in upload["if"]
    assert "steps.audit.outputs.exit-code == '1'" in step("Fail on findings")["if"]
    assert set(action["outputs"]) == {"sarif-file", "exit-code"}


def test_action_scripts_take_inputs_through_env_only() -> None:
    """No ``${{ }}`` inside a run script (script injection); each run step names its shell."""
    for s in steps():
        if "run" in s:
            assert "${{" not in s["run"], s["name"]
            assert s["shell"] == "bash"


def uses_of_action(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        s
        for job in workflow["jobs"].values()
        for s in job["steps"]
        if str(s.get("uses", "")).startswith("stack-auditor/stack-auditor@")
    ]


@pytest.mark.parametrize("path", [PULL_REQUEST, NIGHTLY], ids=lambda p: p.name)
def test_workflows_use_the_action_with_permissions(path: Path) -> None:
    """Both examples check out, call the action with known inputs, and grant security-events: write."""
    workflow = load(path)
    assert workflow["permissions"] == {"contents": "read", "security-events": "write"}
    calls = uses_of_action(workflow)
    assert len(calls) == 1
    assert set(calls[0].get("with", {})) <= set(EXPECTED_INPUTS)
    first_steps = [job["steps"][0]["uses"] for job in workflow["jobs"].values()]
    assert all(uses.startswith("actions/checkout@") for uses in first_steps)


def test_pull_request_workflow_triggers() -> None:
    """The PR example runs on pull_request and on push to main."""
    on = triggers(load(PULL_REQUEST))
    assert "pull_request" in on
    assert on["push"]["branches"] == ["main"]


def test_nightly_workflow_triggers() -> None:
    """The nightly example runs on a 5-field cron schedule and on workflow_dispatch."""
    on = triggers(load(NIGHTLY))
    assert "workflow_dispatch" in on
    (entry,) = on["schedule"]
    assert len(entry["cron"].split()) == 5


def test_pre_commit_hook() -> None:
    """The hook runs `stack-auditor audit` from a python env on changed manifests/lockfiles."""
    (hook,) = load(HOOKS)
    assert hook["id"] == "stack-auditor"
    assert hook["language"] == "python"
    assert hook["entry"] == "stack-auditor audit"
    assert hook["pass_filenames"] is True


@pytest.mark.parametrize(
    ("filename", "matches"),
    [
        ("requirements.txt", True),
        ("requirements-dev.txt", True),
        ("services/api/requirements/base.txt", True),
        ("requirements/docs/conf.txt", False),
        ("services/api/requirements_test.txt", True),
        ("requirements.in", True),
        ("constraints.in", True),
        ("pyproject.toml", True),
        ("sub/pyproject.toml", True),
        ("uv.lock", True),
        ("poetry.lock", True),
        ("Pipfile", True),
        ("Pipfile.lock", True),
        ("pdm.lock", True),
        ("pylock.toml", True),
        ("pylock.dev.toml", True),
        ("README.md", False),
        ("setup.py", False),
        ("mypyproject.toml", False),
        ("package.json", False),
        ("requirements.txt.bak", False),
    ],
)
def test_pre_commit_files_pattern(filename: str, matches: bool) -> None:
    """``files`` (a Python regex that pre-commit applies with re.search) picks manifests and lockfiles."""
    (hook,) = load(HOOKS)
    assert bool(re.search(hook["files"], filename)) is matches


# --- the scripts, executed ------------------------------------------------------------

FAKE = """#!/usr/bin/env bash
printf '%s\\n' "$@" > "$FAKE_LOG_DIR/$(basename "$0").args"
if [ "$(basename "$0")" = stack-auditor ]; then echo "fake report for $*"; fi
exit "${FAKE_EXIT:-0}"
"""


def run_step(
    name: str,
    tmp_path: Path,
    inputs: dict[str, str] | None = None,
    fake_exit: int = 0,
    outputs: dict[str, str] | None = None,
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """Run one step's script as a runner would; return the process and what it wrote to GITHUB_OUTPUT."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for command in ("stack-auditor", "python"):
        fake = bin_dir / command
        fake.write_text(FAKE)
        fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    values = {**EXPECTED_INPUTS, **(inputs or {})}
    spec = step(name)
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "FAKE_LOG_DIR": str(tmp_path),
        "FAKE_EXIT": str(fake_exit),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }
    for key, template in spec.get("env", {}).items():
        match = re.fullmatch(r"\$\{\{ (inputs\.([\w-]+)|github\.action_path) \}\}", template)
        assert match, f"unexpected env expression {template!r}"
        env[key] = str(ROOT) if match.group(1) == "github.action_path" else values[match.group(2)]
    script = tmp_path / "step.sh"
    script.write_text(spec["run"])
    process = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    output_file = tmp_path / "output"
    lines = output_file.read_text().splitlines() if output_file.exists() else []
    return process, dict(line.split("=", 1) for line in lines)


def args_of(tmp_path: Path, command: str = "stack-auditor") -> list[str]:
    return (tmp_path / f"{command}.args").read_text().splitlines()


@pytest.mark.parametrize(("code", "step_rc"), [(0, 0), (1, 0), (2, 2)])
def test_audit_step_continues_on_findings_only(tmp_path: Path, code: int, step_rc: int) -> None:
    """Exit 1 (findings) lets the job go on to upload; exit 2 (error) stops it; the code is an output."""
    process, outputs = run_step("Audit", tmp_path, fake_exit=code)
    assert process.returncode == step_rc, process.stderr
    assert outputs == {"sarif-file": "stack-auditor.sarif", "exit-code": str(code)}
    assert ("::error::" in process.stdout) is (code == 2)


def test_audit_step_default_command(tmp_path: Path) -> None:
    """Defaults: `stack-auditor audit . --format sarif -o stack-auditor.sarif --fail-on error`."""
    run_step("Audit", tmp_path)
    assert args_of(tmp_path) == [
        "audit",
        ".",
        "--format",
        "sarif",
        "-o",
        "stack-auditor.sarif",
        "--fail-on",
        "error",
    ]


def test_audit_step_passes_every_input(tmp_path: Path) -> None:
    """profile, fail-on, category and extra args reach the CLI; a path with a space stays one argument."""
    inputs = {
        "path": "my project",
        "profile": "django-monolith",
        "fail-on": "warning",
        "category": "stack-auditor/api/",
        "sarif-file": "out/a.sarif",
        "args": "--rules rules-extra  --no-color",
    }
    run_step("Audit", tmp_path, inputs)
    assert args_of(tmp_path) == [
        "audit",
        "my project",
        "--format",
        "sarif",
        "-o",
        "out/a.sarif",
        "--profile",
        "django-monolith",
        "--fail-on",
        "warning",
        "--category",
        "stack-auditor/api/",
        "--rules",
        "rules-extra",
        "--no-color",
    ]


def test_audit_step_fail_on_never_omits_the_option(tmp_path: Path) -> None:
    """fail-on: never sends no --fail-on (and the fail step only reacts to exit code 1)."""
    run_step("Audit", tmp_path, {"fail-on": "never"})
    assert "--fail-on" not in args_of(tmp_path)


def test_audit_step_input_is_not_shell_code(tmp_path: Path) -> None:
    """A hostile input stays data: nothing it says gets executed."""
    marker = tmp_path / "pwned"
    process, _ = run_step("Audit", tmp_path, {"path": f"$(touch {marker})", "profile": f"x; touch {marker}"})
    assert process.returncode == 0
    assert not marker.exists()
    assert args_of(tmp_path)[1] == f"$(touch {marker})"


@pytest.mark.parametrize(
    ("version", "expected"), [("", str(ROOT)), ("stack-auditor==0.1.0", "stack-auditor==0.1.0")]
)
def test_install_step(tmp_path: Path, version: str, expected: str) -> None:
    """Empty version installs the action's own checkout; otherwise the given pip requirement."""
    process, _ = run_step("Install stack-auditor", tmp_path, {"version": version})
    assert process.returncode == 0, process.stderr
    assert args_of(tmp_path, "python") == ["-m", "pip", "install", "--disable-pip-version-check", expected]


@pytest.mark.parametrize(("code", "warned"), [(0, False), (1, False), (2, True)])
def test_summary_step_appends_markdown(tmp_path: Path, code: int, warned: bool) -> None:
    """The summary is `audit --format markdown` appended to GITHUB_STEP_SUMMARY; it never fails the job."""
    (tmp_path / "summary.md").write_text("# earlier\n")
    process, _ = run_step("Job summary", tmp_path, {"profile": "fastapi-python"}, fake_exit=code)
    assert process.returncode == 0
    assert args_of(tmp_path) == ["audit", ".", "--format", "markdown", "--profile", "fastapi-python"]
    summary = (tmp_path / "summary.md").read_text()
    assert summary.startswith("# earlier\n") and "fake report for audit" in summary
    assert ("::warning::" in process.stdout) is warned


def test_fail_step_fails_the_job(tmp_path: Path) -> None:
    """The last step exits 1 with an error annotation naming the threshold."""
    process, _ = run_step("Fail on findings", tmp_path, {"fail-on": "warning"})
    assert process.returncode == 1
    assert "::error::stack-auditor found problems at or above 'warning'" in process.stdout
