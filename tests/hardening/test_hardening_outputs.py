"""Nothing lost: one bad file among many, limits, atomic outputs, and no token in any output.

With several inputs, a malformed file yields a located failure *and* the
results of every other project, in every output format; exit code 2 comes
only from input failures; output files are replaced atomically, so a
SIGKILL mid-write leaves the old file or the complete new one; the GitHub
token in the environment never reaches stdout, stderr, logs or any file.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from tests.fake_github import CANARY_TOKEN, FakeGitHub, Reply, assert_no_canary

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
SARIF_SCHEMA = REPO / "tests" / "schemas" / "sarif-schema-2.1.0.json"
FORMATS = ("text", "json", "sarif")


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """Three projects: two good (copied from examples/), one with a Latin-1 requirements file."""
    root = tmp_path / "mono"
    shutil.copytree(EXAMPLES / "django-monolith", root / "good-django")
    shutil.copytree(EXAMPLES / "fastapi-on-django", root / "good-fastapi")  # has findings
    (root / "broken").mkdir()
    (root / "broken" / "requirements.txt").write_bytes("django==5.1.4\n# d\xe9pendances\n".encode("latin-1"))
    return root


def _run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.stdout, result.stderr


FAILURE = "broken/requirements.txt:2: invalid UTF-8 at byte 17; expected UTF-8 text"


def test_one_bad_file_keeps_every_other_result_in_json(mixed: Path, tmp_path: Path) -> None:
    """JSON: the located failure, and both good projects with their packages; exit 2."""
    out = tmp_path / "report.json"
    code, _stdout, stderr = _run(["audit", str(mixed), "--format", "json", "--output", str(out)])
    assert code == 2
    assert FAILURE in stderr
    data = json.loads(out.read_text())
    assert [f"{f['file']}:{f['line']}: {f['message']}" for f in data["failures"]] == [FAILURE]
    projects = {p["path"]: p for p in data["projects"]}
    assert {"good-django", "good-fastapi"} <= projects.keys()
    assert projects["good-django"]["packages"] > 30
    assert projects["good-fastapi"]["packages"] > 10
    assert projects["good-django"]["profile"] == "django-monolith"


def test_one_bad_file_keeps_every_other_result_in_sarif(mixed: Path, tmp_path: Path) -> None:
    """SARIF: a notification on the bad line, executionSuccessful false, the others' results kept."""
    out = tmp_path / "report.sarif"
    code, _stdout, _stderr = _run(["audit", str(mixed), "--format", "sarif", "--output", str(out)])
    assert code == 2
    sarif = json.loads(out.read_text())
    invocation = sarif["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [notification] = invocation["toolExecutionNotifications"]
    assert notification["message"]["text"] == FAILURE
    region = notification["locations"][0]["physicalLocation"]
    assert (region["artifactLocation"]["uri"], region["region"]["startLine"]) == (
        "broken/requirements.txt",
        2,
    )
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert any(uri.startswith("good-") for uri in uris), "the good projects' findings are missing"
    import jsonschema

    jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text()))


def test_one_bad_file_keeps_every_other_result_in_text(mixed: Path) -> None:
    """Text: the failure and both good projects are printed."""
    code, stdout, _stderr = _run(["audit", str(mixed), "--format", "text", "--no-color"])
    assert code == 2
    assert FAILURE in stdout
    assert "good-django" in stdout and "good-fastapi" in stdout


def test_exit_code_2_only_for_input_failures(mixed: Path) -> None:
    """Without the bad file: 0 or 1 (findings), never 2; with it, 2 even under --fail-on never."""
    assert _run(["audit", str(mixed), "--fail-on", "never"])[0] == 2
    shutil.rmtree(mixed / "broken")
    for fail_on in ("error", "warning", "note", "never"):
        code = _run(["audit", str(mixed), "--fail-on", fail_on])[0]
        assert code in (0, 1), fail_on
    assert _run(["audit", str(mixed), "--fail-on", "never"])[0] == 0


def test_max_file_bytes_reports_the_file_and_keeps_the_rest(mixed: Path) -> None:
    """``--max-file-bytes``: larger files are reported as too large, unread; smaller ones audited."""
    code, stdout, _stderr = _run(["audit", str(mixed), "--format", "json", "--max-file-bytes", "64"])
    assert code == 2
    data = json.loads(stdout)
    messages = {f["file"]: f["message"] for f in data["failures"]}
    size = (mixed / "good-django" / "uv.lock").stat().st_size
    assert messages["good-django/uv.lock"] == f"file is {size} bytes, over the limit of 64 (--max-file-bytes)"
    assert "broken/requirements.txt" in messages  # 29 bytes: read, and its own error reported


def test_max_packages_reports_the_project_as_too_large(tmp_path: Path) -> None:
    """``--max-packages``: a file pushing a project over the limit is reported as too large."""
    (tmp_path / "big").mkdir()
    (tmp_path / "big" / "requirements.txt").write_text("".join(f"p{n}==1.0\n" for n in range(50)))
    (tmp_path / "small").mkdir()
    (tmp_path / "small" / "requirements.txt").write_text("django==5.1.4\n")
    code, stdout, _stderr = _run(["audit", str(tmp_path), "--format", "json", "--max-packages", "10"])
    assert code == 2
    data = json.loads(stdout)
    assert [f"{f['file']}: {f['message']}" for f in data["failures"]] == [
        "big/requirements.txt: too large: 50 packages, over the limit of 10 per project (--max-packages)"
    ]
    small = next(p for p in data["projects"] if p["path"] == "small")
    assert small["packages"] == 1


WRITER = """
import json, sys
from pathlib import Path
from auditor.atomic import write_atomic
results = [{"ruleId": "r/%d" % n, "message": {"text": "x" * 200}} for n in range(int(sys.argv[2]))]
write_atomic(Path(sys.argv[1]), json.dumps({"version": "2.1.0", "runs": [{"results": results}]}))
"""


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.2])
def test_kill_during_write_leaves_old_or_complete_file(tmp_path: Path, delay: float) -> None:
    """SIGKILL a process writing a large SARIF via write_atomic: the target is old or complete JSON."""
    target = tmp_path / "out.sarif"
    old = '{"version": "2.1.0", "runs": []}'
    target.write_text(old)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([sys.executable, "-c", WRITER, str(target), "300000"], env=env)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.sarif.*.tmp")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)  # wait until the temporary file exists: the write has begun
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    text = target.read_text()
    if text != old:
        assert json.loads(text)["runs"][0]["results"][-1]["ruleId"] == "r/299999"


def test_write_completes_to_valid_json(tmp_path: Path) -> None:
    """Unkilled, the same writer leaves complete JSON and no temporary file."""
    target = tmp_path / "out.sarif"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-c", WRITER, str(target), "1000"], env=env, check=True)
    assert len(json.loads(target.read_text())["runs"][0]["results"]) == 1000
    assert list(tmp_path.iterdir()) == [target]


CANARY = CANARY_TOKEN


def test_github_token_never_appears_in_audit_outputs(
    mixed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """GITHUB_TOKEN/GH_TOKEN set to a canary: absent from stdout, stderr, logs and every output file."""
    monkeypatch.setenv("GITHUB_TOKEN", CANARY)
    monkeypatch.setenv("GH_TOKEN", CANARY)
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []
    for fmt in FORMATS:
        out = tmp_path / f"report.{fmt}"
        code, stdout, stderr = _run(["audit", str(mixed), "--format", fmt, "--output", str(out)])
        assert code == 2
        seen += [stdout, stderr, out.read_text()]
        code, stdout, stderr = _run(["audit", str(mixed), "--format", fmt])
        seen += [stdout, stderr]
    for args in (
        ["audit", str(mixed / "nope")],
        ["audit", str(mixed), "--format", "nope"],
        ["graph", str(mixed)],
    ):
        code, stdout, stderr = _run(args)
        seen += [stdout, stderr]
    env = {**os.environ, "PYTHONPATH": str(REPO), "GITHUB_TOKEN": CANARY}
    done = subprocess.run(
        [sys.executable, "-m", "auditor", "audit", str(mixed), "--format", "sarif"],
        env=env,
        capture_output=True,
        text=True,
    )
    seen += [done.stdout, done.stderr, caplog.text]
    assert all(CANARY not in text for text in seen)
    assert all(CANARY[4:20] not in text for text in seen)  # nor a fragment of it


UPLOAD_PATH = "/repos/octo-org/app/code-scanning/sarifs"


@pytest.mark.parametrize(
    "reply",
    [
        Reply(401, {"message": f"Bad credentials: {CANARY_TOKEN}"}),
        Reply(403, {"message": "Resource not accessible", "token": CANARY_TOKEN}),
        Reply(422, {"message": "Invalid SARIF", "errors": [f"Authorization: token {CANARY_TOKEN}"]}),
        Reply(500, f"<html>token={CANARY_TOKEN}</html>".encode()),
    ],
    ids=["401", "403", "422", "500"],
)
def test_audit_then_upload_to_a_failing_api_never_prints_the_token(mixed: Path, tmp_path: Path, reply: Reply) -> None:
    """audit -> SARIF -> upload to a 127.0.0.1 fake that fails and even echoes the token: no token anywhere."""
    sarif = tmp_path / "report.sarif"
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "GITHUB_TOKEN": CANARY_TOKEN,
        "GITHUB_REPOSITORY": "octo-org/app",
        "GITHUB_REF": "refs/heads/main",
        "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567",
    }
    audit_run = subprocess.run(
        [sys.executable, "-m", "auditor", "audit", str(mixed), "--format", "sarif", "--output", str(sarif)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert audit_run.returncode == 2
    with FakeGitHub() as fake:
        fake.add("POST", UPLOAD_PATH, reply)
        upload_run = subprocess.run(
            [sys.executable, "-m", "auditor", "upload", str(sarif), "--api-url", fake.url, "--timeout", "5"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert fake.requests, "the upload never reached the fake API"
        assert fake.requests[0].headers.get("authorization", "").endswith(CANARY_TOKEN)  # it was really used
    assert upload_run.returncode == 2
    assert upload_run.stderr.strip(), "the failure must be reported"
    assert_no_canary(audit_run.stdout, audit_run.stderr, sarif.read_text(), upload_run.stdout, upload_run.stderr)
