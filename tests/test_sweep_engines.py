"""The sweep on engines people already have, checked offline: the GitHub Actions matrix workflow and the
Kubernetes Indexed Job examples are validated against vendored schemas (tests/vendor/schemas) with
actionlint-style checks, then their scripts are run as written, shard by shard in separate processes,
against a fake GitHub on 127.0.0.1, merged, and compared with one unsharded sweep."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.sweep_fake_github import FakeApp, FakeGitHub, FakeRepo, SimulatedClock
from tests.sweep_helpers import KINDS, make_repo, stable

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "tests" / "vendor" / "schemas"
WORKFLOW = ROOT / "examples" / "github" / "sweep.yml"
K8S = ROOT / "examples" / "kubernetes"
APP_ID = "777"
# Contexts a workflow expression may use (https://docs.github.com/en/actions/learn-github-actions/contexts).
CONTEXTS = {"github", "env", "vars", "secrets", "matrix", "steps", "needs", "runner", "job", "strategy", "inputs"}
# Variables Actions itself sets in every job (the scripts may read them without an env: entry).
ACTIONS_VARIABLES = {"GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_WORKSPACE", "RUNNER_TEMP", "CI"}


def _workflow() -> dict[str, Any]:
    data = yaml.safe_load(WORKFLOW.read_text())
    if True in data:  # YAML 1.1 reads the key `on` as a boolean
        data["on"] = data.pop(True)
    assert isinstance(data, dict)
    return data


def _manifests() -> dict[str, dict[str, Any]]:
    return {path.name: yaml.safe_load(path.read_text()) for path in sorted(K8S.glob("*.yaml"))}


# --- static checks ------------------------------------------------------------------------


def test_workflow_matches_the_schemastore_schema() -> None:
    schema = json.loads((SCHEMAS / "github-workflow.json").read_text())
    jsonschema.Draft7Validator(schema).validate(_workflow())
    broken = _workflow()
    broken["jobs"]["sweep"]["strategy"]["matrix"] = "shards"  # the validator does reject nonsense
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(schema).validate(broken)


def _expressions(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield from re.findall(r"\$\{\{(.*?)\}\}", node)
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _expressions(key)
            yield from _expressions(value)
    elif isinstance(node, list):
        for value in node:
            yield from _expressions(value)


def test_workflow_passes_actionlint_style_checks() -> None:
    """What actionlint would catch: unknown jobs in needs, contexts, matrix keys, step ids, env names,
    unpinned actions, scripts that do not parse; plus the sweep's own rule: the matrix is 1..SHARDS."""
    workflow = _workflow()
    jobs = workflow["jobs"]
    top_env = set(workflow.get("env", {}))
    shards = int(workflow["env"]["SHARDS"])
    for name, job in jobs.items():
        needs = job.get("needs", [])
        for need in [needs] if isinstance(needs, str) else needs:
            assert need in jobs, f"{name}: needs unknown job {need}"
        matrix = job.get("strategy", {}).get("matrix", {})
        if matrix:
            assert job["strategy"].get("fail-fast") is False, f"{name}: one failed shard must not cancel the rest"
        step_ids: set[str] = set()
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), f"{name}: a step has uses or run"
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w./-]+@(v\d+(\.\d+)*|[0-9a-f]{40})", step["uses"]), step["uses"]
            env = top_env | set(job.get("env", {})) | set(step.get("env", {}))
            for expression in _expressions(step) if isinstance(step, dict) else ():
                for context, key in re.findall(r"(?<![\w.-])([a-z_]+)\.([\w-]+)", expression):
                    assert context in CONTEXTS, f"{name}: unknown context {context} in ${{{{{expression}}}}}"
                    if context == "matrix":
                        assert key in matrix, f"{name}: matrix.{key} is not in the matrix"
                    if context == "steps":
                        assert key in step_ids, f"{name}: steps.{key} is not an earlier step"
                    if context == "env":
                        assert key in env, f"{name}: env.{key} is not defined"
            if "run" in step:
                for variable in re.findall(r"\$\{?([A-Z_][A-Z0-9_]*)", step["run"]):
                    assert variable in env | ACTIONS_VARIABLES, f"{name}: ${variable} is never set"
                script = re.sub(r"\$\{\{.*?\}\}", "x", step["run"])
                parsed = subprocess.run(["bash", "-n"], input=script, capture_output=True, text=True, check=False)
                assert parsed.returncode == 0, parsed.stderr
            if "id" in step:
                step_ids.add(step["id"])
    assert jobs["sweep"]["strategy"]["matrix"]["shard"] == list(range(1, shards + 1))
    assert "timeout-minutes" in jobs["sweep"]


def test_kubernetes_manifests_match_the_job_schema() -> None:
    """Every manifest is a valid batch/v1 Job for Kubernetes 1.33 (strict: unknown fields fail)."""
    schema = json.loads((SCHEMAS / "kubernetes-v1.33-job-batch-v1.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    manifests = _manifests()
    assert set(manifests) == {"sweep-shards.yaml", "sweep-merge.yaml"}
    for name, manifest in manifests.items():
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(manifest)]
        assert errors == [], (name, errors)
    typo = json.loads(json.dumps(manifests["sweep-shards.yaml"]))
    typo["spec"]["completion"] = typo["spec"].pop("completions")
    assert list(validator.iter_errors(typo)), "the strict schema must reject an unknown field"


def _container(manifest: dict[str, Any]) -> dict[str, Any]:
    (container,) = manifest["spec"]["template"]["spec"]["containers"]
    assert isinstance(container, dict)
    return container


def test_indexed_job_is_consistent() -> None:
    shards = _manifests()["sweep-shards.yaml"]
    spec = shards["spec"]
    env = {e["name"]: e.get("value") for e in _container(shards)["env"]}
    assert spec["completionMode"] == "Indexed"
    assert spec["completions"] == spec["parallelism"] == int(env["SHARDS"])
    for manifest in _manifests().values():
        assert manifest["spec"]["template"]["spec"]["restartPolicy"] == "Never"
        script = _container(manifest)["args"][0]
        parsed = subprocess.run(["sh", "-n"], input=script, capture_output=True, text=True, check=False)
        assert parsed.returncode == 0, parsed.stderr


# --- running the examples -------------------------------------------------------------------


@pytest.fixture(scope="module")
def app_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@pytest.fixture
def fake(tmp_path: Path, app_key: str) -> Iterator[FakeGitHub]:
    """10 repos, one of every kind, in org ``acme`` behind a GitHub App (tokens last the real hour)."""
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    key = load_pem_private_key(app_key.encode(), password=None)
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    root = tmp_path / "remotes"
    server = FakeGitHub(root)
    server.app = FakeApp(APP_ID, public, SimulatedClock(0.0))
    for n in range(len(KINDS)):
        kind = KINDS[n % len(KINDS)]
        name = f"acme/{kind}-{n}"
        make_repo(root / name, kind)
        server.repos[name] = FakeRepo(name, root / name)
    server.start()
    yield server
    server.stop()


def _environment(fake: FakeGitHub, app_key: str, **extra: str) -> dict[str, str]:
    """A runner's environment: stack-auditor on PATH, the fake as GitHub, no token of the host's."""
    drop = ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_APP_ID", "GITHUB_APP_PRIVATE_KEY", "GITHUB_APP_PRIVATE_KEY_FILE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update({"GITHUB_API_URL": fake.api_url, "CI": "true", **extra})
    assert shutil.which("stack-auditor", path=env["PATH"]), "stack-auditor is not installed next to this Python"
    return env


def _run(shell: str, script: str, cwd: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    cwd.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [shell, "-c", script], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def _finish(processes: list[subprocess.Popen[str]]) -> None:
    for process in processes:
        output, _ = process.communicate(timeout=600)
        assert process.returncode == 0, output[-3000:]


def _reference(fake: FakeGitHub, app_key: str, tmp_path: Path) -> dict[str, Any]:
    """One unsharded sweep of the same org, the same way."""
    env = _environment(fake, app_key, GITHUB_APP_ID=APP_ID, GITHUB_APP_PRIVATE_KEY=app_key)
    _finish([_run("sh", "stack-auditor sweep --github-org acme --out ref", tmp_path / "reference", env)])
    return json.loads((tmp_path / "reference" / "ref" / "summary.json").read_text())


def _comparable(summary: dict[str, Any]) -> dict[str, Any]:
    copy = stable(summary)
    for repo in copy["repos"]:
        repo.pop("upload")  # the shards upload, the reference does not
    return copy


def _same_sarif(one: Path, other: Path) -> None:
    names = sorted(p.name for p in one.glob("*.sarif"))
    assert names and names == sorted(p.name for p in other.glob("*.sarif"))
    for name in names:
        assert (one / name).read_text() == (other / name).read_text(), name


def _step(job: dict[str, Any], name_start: str) -> dict[str, Any]:
    return next(s for s in job["steps"] if s.get("name", "").startswith(name_start))


def _upload_artifact(job: dict[str, Any], workdir: Path, artifact: Path) -> None:
    """actions/upload-artifact: the listed paths, relative to their common folder (``out/``)."""
    (step,) = [s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact")]
    patterns = [line.strip() for line in step["with"]["path"].splitlines() if line.strip()]
    base = os.path.commonpath([p.split("*")[0].rstrip("/") or "." for p in patterns])
    for pattern in patterns:
        for source in workdir.glob(pattern.rstrip("/")):
            target = artifact / source.relative_to(workdir / base)
            if source.is_dir():
                shutil.copytree(source, target, dirs_exist_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)


def test_actions_matrix_shards_then_merge_equal_one_sweep(fake: FakeGitHub, app_key: str, tmp_path: Path) -> None:
    """Each matrix entry runs the workflow's sweep script in its own process and workspace; the merge
    job's script joins the artifacts; the result is the unsharded sweep, SARIF for SARIF."""
    workflow = _workflow()
    sweep_job, merge_job = workflow["jobs"]["sweep"], workflow["jobs"]["merge"]
    sweep_step = _step(sweep_job, "Sweep shard")
    shards = sweep_job["strategy"]["matrix"]["shard"]
    processes, workdirs = [], {}
    for shard in shards:
        env = _environment(
            fake, app_key, ORG="acme", SHARDS=str(workflow["env"]["SHARDS"]), SHARD=str(shard),
            GITHUB_APP_ID=APP_ID, GITHUB_APP_PRIVATE_KEY=app_key,
        )  # fmt: skip
        assert set(sweep_step["env"]) <= set(env), "the test must give the step every variable it declares"
        workdirs[shard] = tmp_path / "runner" / f"shard-{shard}"
        processes.append(_run("bash", sweep_step["run"], workdirs[shard], env))
    _finish(processes)
    artifacts = tmp_path / "merge-runner" / "shards"
    for shard, workdir in workdirs.items():
        _upload_artifact(sweep_job, workdir, artifacts / f"sweep-shard-{shard}")
    summary_file = tmp_path / "step-summary.md"
    merge_env = _environment(fake, app_key, GITHUB_STEP_SUMMARY=str(summary_file))
    _finish([_run("bash", _step(merge_job, "Merge")["run"], tmp_path / "merge-runner", merge_env)])

    merged_dir = tmp_path / "merge-runner" / "merged"
    merged = json.loads((merged_dir / "summary.json").read_text())
    reference = _reference(fake, app_key, tmp_path)
    assert _comparable(merged) == _comparable(reference)
    committed = [r for r in merged["repos"] if len(r["head"] or "") == 40]  # an empty repo has no commit
    assert merged["totals"]["repos"] == len(KINDS) and len(fake.uploads) == len(committed) == len(KINDS) - 1
    _same_sarif(merged_dir / "sarif", tmp_path / "reference" / "ref" / "sarif")
    assert "stack-auditor sweep" in summary_file.read_text()
    assert (tmp_path / "merge-runner" / "history" / "sweep.db").is_file()


def test_kubernetes_indexed_job_then_merge_equal_one_sweep(fake: FakeGitHub, app_key: str, tmp_path: Path) -> None:
    """Every index of the Indexed Job runs the pod's script (install lines aside, /data on a temporary
    folder) as its own process; then the merge Job's script; the result is the unsharded sweep."""
    manifests = _manifests()
    data = tmp_path / "data"
    secrets = {"app-id": APP_ID, "private-key": app_key}

    def script_and_env(manifest: dict[str, Any]) -> tuple[str, dict[str, str]]:
        container = _container(manifest)
        lines = [
            line
            for line in container["args"][0].splitlines()
            if not line.strip().startswith(("apt-get ", "pip install "))
        ]
        env = {}
        for entry in container.get("env", []):
            ref = entry.get("valueFrom", {}).get("secretKeyRef")
            env[entry["name"]] = secrets[ref["key"]] if ref else entry["value"]
        return "\n".join(lines).replace("/data", str(data)), env

    job = manifests["sweep-shards.yaml"]
    script, env = script_and_env(job)
    processes = [
        _run(
            "sh", script, tmp_path / f"pod-{index}", _environment(fake, app_key, JOB_COMPLETION_INDEX=str(index), **env)
        )
        for index in range(job["spec"]["completions"])
    ]
    _finish(processes)
    script, env = script_and_env(manifests["sweep-merge.yaml"])
    _finish([_run("sh", script, tmp_path / "merge-pod", _environment(fake, app_key, **env))])

    merged = json.loads((data / "merged" / "summary.json").read_text())
    reference = _reference(fake, app_key, tmp_path)
    assert _comparable(merged) == _comparable(reference)
    _same_sarif(data / "merged" / "sarif", tmp_path / "reference" / "ref" / "sarif")
    assert (data / "history" / "sweep.db").is_file()
    per_shard = [json.loads((data / "shards" / str(i + 1) / "summary.json").read_text()) for i in range(4)]
    names = [r["name"] for s in per_shard for r in s["repos"]]
    assert sorted(names) == sorted(r["name"] for r in reference["repos"])  # disjoint and complete
