"""The composite Action, example workflows and pre-commit hook: their shape, and the Action's scripts run.

The step scripts in ``action/`` run with bash the way a runner does
(``bash --noprofile --norc -eo pipefail``), with the env ``action.yml`` gives
them, against the real CLI of this checkout on the shipped examples. The
install script itself (a venv of its own, pip from the package registry) is
run by ``scripts/check-installs.sh``, which needs the network.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
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
    """setup-python (job's PATH untouched), pip cache, install, audit, upload-sarif v4, summary, fail."""
    action = load(ACTION)
    assert action["runs"]["using"] == "composite"
    names = [s.get("name") for s in steps()]
    assert names == [
        "Set up Python",
        "Cache pip downloads",
        "Install stack-auditor",
        "Audit",
        "Upload SARIF to code scanning",
        "Job summary",
        "Fail on findings or errors",
    ]
    setup = step("Set up Python")
    assert setup["uses"].startswith("actions/setup-python@")
    assert setup["with"] == {"python-version": "${{ inputs.python-version }}", "update-environment": False}
    assert step("Install stack-auditor")["env"]["SA_PYTHON"] == "${{ steps.python.outputs.python-path }}"
    cache = step("Cache pip downloads")
    assert cache["with"]["path"] == step("Install stack-auditor")["env"]["SA_PIP_CACHE"]
    upload = step("Upload SARIF to code scanning")
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert uses_comments()["github/codeql-action/upload-sarif"].startswith("v4.")
    assert upload["with"] == {"sarif_file": "${{ inputs.sarif-file }}", "category": "${{ inputs.category }}"}
    # After exit 2 too, as long as a (partial) SARIF was written.
    assert upload["if"] == "${{ inputs.upload == 'true' && steps.audit.outputs.sarif-written == 'true' }}"
    for name in ("Job summary", "Fail on findings or errors"):
        assert step(name)["if"] == "${{ always() && steps.audit.outputs.exit-code != '' }}"
    assert set(action["outputs"]) == {"sarif-file", "exit-code"}


PINNED = re.compile(r"^\s*-?\s*uses:\s*([\w.-]+/[\w./-]+)@([0-9a-f]{40})\s+#\s*(v\d+\.\d+\.\d+)\s*$")
WORKFLOWS = [
    *sorted((ROOT / ".github" / "workflows").glob("*.yml")),
    *sorted((ROOT / "examples" / "github").glob("*.yml")),
]


def uses_comments(path: Path = ACTION) -> dict[str, str]:
    """``owner/repo[/path]`` -> the ``# vX.Y.Z`` comment of its pinned ``uses:`` line."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PINNED.match(line)
        if match:
            found[match.group(1)] = match.group(3)
    return found


@pytest.mark.parametrize("path", [ACTION, *WORKFLOWS], ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_sha_with_its_tag(path: Path) -> None:
    """``uses: owner/repo@<40 hex>  # vX.Y.Z``; only stack-auditor's own Action (no release yet) is exempt."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.match(r"^\s*-?\s*uses:", line) and "stack-auditor/stack-auditor@" not in line:
            assert PINNED.match(line), f"{path.name}: not SHA-pinned with a version comment: {line.strip()}"


def test_action_scripts_take_inputs_through_env_only() -> None:
    """No ``${{ }}`` inside a run script (script injection); each run step runs a script of action/."""
    for s in steps():
        if "run" in s:
            assert "${{" not in s["run"], s["name"]
            assert s["shell"] == "bash"
            script = re.fullmatch(r'bash "\$GITHUB_ACTION_PATH/(action/[\w-]+\.sh)"', s["run"])
            assert script, s["run"]
            assert (ROOT / script.group(1)).is_file()


def uses_of_action(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        s
        for job in workflow["jobs"].values()
        for s in job["steps"]
        if str(s.get("uses", "")).startswith("stack-auditor/stack-auditor@")
    ]


@pytest.mark.parametrize("path", [PULL_REQUEST, NIGHTLY], ids=lambda p: p.name)
def test_workflows_use_the_action_with_permissions(path: Path) -> None:
    """Both examples check out and call the action with known inputs; the audit job (job level) may
    upload SARIF, and read the workflow run as upload-sarif needs in a private repository."""
    workflow = load(path)
    assert workflow["permissions"] == {"contents": "read"}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "read", "security-events": "write", "actions": "read"}
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


# --- the step scripts, run against the real CLI ----------------------------------------

EXAMPLES = ROOT / "examples"


def real_cli(tmp_path: Path) -> Path:
    """A bin folder as install.sh leaves it: ``python`` and ``stack-auditor`` of this checkout's CLI."""
    bin_dir = tmp_path / "venv-bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "python").symlink_to(sys.executable)
    cli = bin_dir / "stack-auditor"
    # This checkout's package, whether or not the interpreter has it installed.
    cli.write_text(f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" -m auditor "$@"\n')
    cli.chmod(cli.stat().st_mode | stat.S_IEXEC)
    return bin_dir


class Runner:
    """The Action's steps, one after another, in one workspace, as a runner would run them."""

    def __init__(self, tmp_path: Path, inputs: dict[str, str] | None = None) -> None:
        self.workspace = tmp_path / "workspace"
        self.workspace.mkdir()
        self.values = {**EXPECTED_INPUTS, **(inputs or {})}
        self.outputs: dict[str, dict[str, str]] = {}
        self.env = {
            "PATH": os.environ["PATH"],
            "GITHUB_ACTION_PATH": str(ROOT),
            "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
            "RUNNER_TEMP": str(tmp_path / "runner-temp"),
        }
        self.outputs["install"] = {"bin": str(real_cli(tmp_path))}
        self.tmp_path = tmp_path

    def expression(self, template: str) -> str:
        """The few ``${{ }}`` forms action.yml uses in ``env:``."""
        forms = r"inputs\.([\w-]+)|steps\.(\w+)\.outputs\.([\w-]+)|github\.action_path"
        match = re.fullmatch(rf"\$\{{\{{ ({forms}) \}}\}}", template)
        assert match, f"unexpected env expression {template!r}"
        if match.group(2):
            return self.values[match.group(2)]
        if match.group(3):
            return self.outputs.get(match.group(3), {}).get(match.group(4), "")
        return str(ROOT)

    def run(self, name: str) -> subprocess.CompletedProcess[str]:
        spec = step(name)
        output_file = self.tmp_path / f"{name}.output"
        env = {**self.env, "GITHUB_OUTPUT": str(output_file)}
        env.update({key: self.expression(value) for key, value in spec.get("env", {}).items()})
        process = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", spec["run"]],
            env=env,
            cwd=self.workspace,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        lines = output_file.read_text().splitlines() if output_file.exists() else []
        self.outputs[spec.get("id", name)] = dict(line.split("=", 1) for line in lines)
        return process

    def job(self) -> dict[str, subprocess.CompletedProcess[str]]:
        """Audit, then summary and the last step under their ``if:`` (upload is GitHub's, not run here)."""
        ran = {"audit": self.run("Audit")}
        if self.outputs["audit"].get("exit-code", "") != "":
            ran["summary"] = self.run("Job summary")
            ran["conclude"] = self.run("Fail on findings or errors")
        return ran

    def summary(self) -> str:
        path = Path(self.env["GITHUB_STEP_SUMMARY"])
        return path.read_text() if path.exists() else ""

    def sarif(self) -> dict[str, Any]:
        return json.loads((self.workspace / self.outputs["audit"]["sarif-file"]).read_text())


def copy_example(runner: Runner, name: str, into: str = "") -> None:
    shutil.copytree(EXAMPLES / name, runner.workspace / into if into else runner.workspace, dirs_exist_ok=True)


def results(sarif: dict[str, Any]) -> list[str]:
    return [r["ruleId"] for run in sarif["runs"] for r in run["results"]]


def test_clean_project_exit_0(tmp_path: Path) -> None:
    """A clean example: exit 0, a SARIF with no result, a summary, and the job passes."""
    runner = Runner(tmp_path)
    copy_example(runner, "django-monolith")
    ran = runner.job()
    assert ran["audit"].returncode == 0, ran["audit"].stderr
    assert runner.outputs["audit"] == {"sarif-file": "stack-auditor.sarif", "exit-code": "0", "sarif-written": "true"}
    assert results(runner.sarif()) == []
    assert "No findings." in runner.summary()
    assert ran["summary"].returncode == 0
    assert ran["conclude"].returncode == 0


def test_findings_exit_1_fail_the_job_last(tmp_path: Path) -> None:
    """Findings: the audit step passes (so the SARIF gets uploaded), the summary names the rule,
    and the last step fails the job."""
    runner = Runner(tmp_path)
    copy_example(runner, "fastapi-on-django")
    ran = runner.job()
    assert ran["audit"].returncode == 0
    assert runner.outputs["audit"]["exit-code"] == "1"
    assert results(runner.sarif()) == ["django-monolith/fastapi-on-top-of-django"]
    assert "fastapi-on-top-of-django" in runner.summary()
    assert ran["conclude"].returncode == 1
    assert "::error::stack-auditor found problems at or above 'error'" in ran["conclude"].stdout


def test_unreadable_input_exit_2_still_uploads_partial_sarif_and_summary(tmp_path: Path) -> None:
    """One broken lock next to a healthy project: the SARIF (with the healthy project's finding and the
    failure as a notification) is there to upload, the summary says what happened, the job fails."""
    runner = Runner(tmp_path, {"fail-on": "never"})
    copy_example(runner, "fastapi-on-django", "good")
    (runner.workspace / "broken").mkdir()
    (runner.workspace / "broken" / "uv.lock").write_text('version = 1\n\n[[package]]\nname = "x"\nversion = [1]\n')
    ran = runner.job()
    assert ran["audit"].returncode == 0
    assert runner.outputs["audit"]["exit-code"] == "2"
    assert runner.outputs["audit"]["sarif-written"] == "true"
    assert "::error::stack-auditor could not audit everything (exit code 2)" in ran["audit"].stdout
    sarif = runner.sarif()
    assert results(sarif) == ["django-monolith/fastapi-on-top-of-django"]
    notes = [n["message"]["text"] for run in sarif["runs"] for i in run["invocations"] for n in i.get(
        "toolExecutionNotifications", [])]
    assert any("broken/uv.lock:4" in note for note in notes), notes
    summary = runner.summary()
    assert "could not audit everything (exit code 2)" in summary
    assert "fastapi-on-top-of-django" in summary
    assert ran["conclude"].returncode == 2  # fail-on: never does not hide an error


@pytest.mark.parametrize(
    ("fail_on", "code"), [("error", 0), ("warning", 1), ("note", 1), ("never", 0)]
)
def test_each_fail_on(tmp_path: Path, fail_on: str, code: int) -> None:
    """flask-greenfield has one warning and one note: each fail-on reaches the CLI as given."""
    runner = Runner(tmp_path, {"fail-on": fail_on})
    copy_example(runner, "flask-greenfield")
    ran = runner.job()
    assert runner.outputs["audit"]["exit-code"] == str(code), ran["audit"].stderr
    assert ran["conclude"].returncode == code
    assert len(results(runner.sarif())) == 2


def test_fail_on_never_on_errors_passes(tmp_path: Path) -> None:
    """The nightly workflow's setting: an error finding is reported, the job stays green."""
    runner = Runner(tmp_path, {"fail-on": "never"})
    copy_example(runner, "fastapi-on-django")
    ran = runner.job()
    assert runner.outputs["audit"]["exit-code"] == "0"
    assert results(runner.sarif()) == ["django-monolith/fastapi-on-top-of-django"]
    assert ran["conclude"].returncode == 0


@pytest.mark.parametrize(("category", "automation_id"), [("api", "api/"), ("web/", "web/"), ("", "stack-auditor/")])
def test_category_is_written_as_codeql_action_writes_it(tmp_path: Path, category: str, automation_id: str) -> None:
    """GitHub reads the id as ``category/run-id``: ``api`` must become ``api/`` or it is the empty category."""
    runner = Runner(tmp_path, {"category": category})
    copy_example(runner, "fastapi-on-django")
    runner.job()
    (run,) = runner.sarif()["runs"]
    assert run["automationDetails"]["id"] == automation_id


def test_args_are_split_as_a_shell_splits_them(tmp_path: Path) -> None:
    """Quotes keep a glob with a space one argument; ``$(...)`` and ``;`` stay text, never run."""
    runner = Runner(tmp_path, {"args": f"--exclude 'legacy apps/*' --exclude \"$(touch {tmp_path}/pwned); x\""})
    copy_example(runner, "fastapi-on-django", "service")
    copy_example(runner, "flask-greenfield", "legacy apps/old")
    runner.job()
    assert runner.outputs["audit"]["exit-code"] == "1"
    assert results(runner.sarif()) == ["django-monolith/fastapi-on-top-of-django"]  # legacy apps/ skipped
    assert not (tmp_path / "pwned").exists()


def test_unclosed_quote_in_args_is_an_error_not_a_guess(tmp_path: Path) -> None:
    runner = Runner(tmp_path, {"args": "--exclude 'legacy"})
    copy_example(runner, "fastapi-on-django")
    ran = runner.job()
    assert runner.outputs["audit"] == {"sarif-file": "stack-auditor.sarif", "exit-code": "2", "sarif-written": "false"}
    assert "not a valid shell word list" in ran["audit"].stdout
    assert ran["conclude"].returncode == 2


def test_inputs_are_data_not_shell_code(tmp_path: Path) -> None:
    """A hostile path or profile reaches the CLI as one argument and runs nothing."""
    marker = tmp_path / "pwned"
    runner = Runner(tmp_path, {"path": f"$(touch {marker})", "profile": f"x; touch {marker}"})
    ran = runner.job()
    assert runner.outputs["audit"]["exit-code"] == "2"
    assert not marker.exists()
    assert ran["conclude"].returncode == 2


def test_release_workflow_builds_proves_publishes_and_tags() -> None:
    """On a v* tag: build once and run check-installs on it; publish with trusted publishing (OIDC,
    no token); then the GitHub release for the tag, with the same files."""
    release = load(ROOT / ".github" / "workflows" / "release.yml")
    assert triggers(release) == {"push": {"tags": ["v*"]}}
    assert release["permissions"] == {"contents": "read"}
    build, publish, github_release = (release["jobs"][name] for name in ("build", "publish", "github-release"))
    build_text = yaml.safe_dump(build)
    assert "python -m build" in build_text and "scripts/check-installs.sh" in build_text
    assert "auditor.__version__" in build_text  # the tag must name the version being released
    assert publish["needs"] == "build" and publish["environment"] == "pypi"
    assert publish["permissions"] == {"id-token": "write"}
    assert any(str(s.get("uses", "")).startswith("pypa/gh-action-pypi-publish@") for s in publish["steps"])
    assert not any("password" in s.get("with", {}) for s in publish["steps"])
    assert github_release["permissions"] == {"contents": "write"}
    assert "gh release create" in yaml.safe_dump(github_release)


def test_args_cannot_redirect_or_reformat_the_report(tmp_path: Path) -> None:
    """`args` with its own --format/-o: the Action's options come last and win (SARIF where it says,
    Markdown in the summary)."""
    runner = Runner(tmp_path, {"args": "--format json -o elsewhere.json"})
    copy_example(runner, "fastapi-on-django")
    runner.job()
    assert runner.outputs["audit"]["exit-code"] == "1"
    assert results(runner.sarif()) == ["django-monolith/fastapi-on-top-of-django"]
    assert not (runner.workspace / "elsewhere.json").exists()
    assert "fastapi-on-top-of-django" in runner.summary() and not runner.summary().lstrip().startswith("{")
