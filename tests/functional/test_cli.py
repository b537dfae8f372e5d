"""The CLI's contracts: exit codes, malformed input, atomic output, inspection commands."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from auditor.cli import app
from tests.conftest import EXAMPLES

runner = CliRunner()


def test_version() -> None:
    """--version prints the version and exits 0."""
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("stack-auditor ")


def test_malformed_file_is_located_and_other_projects_still_reported(tmp_path: Path) -> None:
    """One broken lock: exit 2, `file:line: message` on stderr, and the healthy project is still in the report."""
    shutil.copytree(EXAMPLES / "fastapi-on-django", tmp_path / "good")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "uv.lock").write_text('version = 1\n\n[[package]]\nname = "x"\nversion = [1]\n')
    result = runner.invoke(app, ["audit", str(tmp_path), "--format", "json"])
    assert result.exit_code == 2
    assert "broken/uv.lock:4: 'version' of 'x' must be a string" in result.stderr
    data = json.loads(result.stdout)
    paths = [p["path"] for p in data["projects"]]
    assert "good" in paths
    good = next(p for p in data["projects"] if p["path"] == "good")
    assert any(f["rule_id"] == "django-monolith/fastapi-on-top-of-django" for f in good["findings"])
    assert data["failures"] == [{"file": "broken/uv.lock", "line": 4, "message": "'version' of 'x' must be a string"}]


def test_sarif_records_input_failures_as_notifications(tmp_path: Path) -> None:
    """SARIF keeps the results of good files and marks the run unsuccessful with a located notification."""
    shutil.copytree(EXAMPLES / "drf-no-ratelimit", tmp_path / "web")
    (tmp_path / "requirements.txt").write_text("django==5.1\nflask>>2\n")
    result = runner.invoke(app, ["audit", str(tmp_path), "--format", "sarif"])
    assert result.exit_code == 2
    run = json.loads(result.stdout)["runs"][0]
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    location = note["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "requirements.txt"
    assert location["region"]["startLine"] == 2
    assert any(r["ruleId"] == "django-monolith/no-rate-limiting" for r in run["results"])


def test_output_file_is_written_atomically(tmp_path: Path) -> None:
    """-o writes the whole document (and leaves no temporary file behind)."""
    out = tmp_path / "out" / "results.sarif"
    result = runner.invoke(app, ["audit", str(EXAMPLES / "fastapi-on-django"), "--format", "sarif", "-o", str(out)])
    assert result.exit_code == 1
    assert json.loads(out.read_text())["version"] == "2.1.0"
    assert [p.name for p in out.parent.iterdir()] == ["results.sarif"]


def test_unknown_format_and_profile_are_usage_errors() -> None:
    """Asking for an unknown format or profile exits 2 with a message, not a traceback."""
    result = runner.invoke(app, ["audit", str(EXAMPLES / "fastapi-service"), "--format", "yaml"])
    assert result.exit_code == 2
    assert "unknown --format 'yaml'" in result.stderr
    result = runner.invoke(app, ["audit", str(EXAMPLES / "fastapi-service"), "--profile", "nope"])
    assert result.exit_code == 2
    assert "no such profile" in result.stderr


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    """A path that does not exist exits 2 naming it."""
    result = runner.invoke(app, ["audit", str(tmp_path / "absent")])
    assert result.exit_code == 2
    assert "no such file or directory" in result.stderr


def test_graph_shows_direct_transitive_scopes_and_lines() -> None:
    """`graph` lists each package with version, direct/transitive, scopes and its declaring line."""
    result = runner.invoke(app, ["graph", str(EXAMPLES / "django-monolith")])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    django = next(line for line in lines if line.strip().startswith("django 5."))
    assert " direct " in django and "main" in django and "pyproject.toml:" in django
    asgiref = next(line for line in lines if line.strip().startswith("asgiref "))
    assert " transitive " in asgiref and "uv.lock:" in asgiref
    pytest_line = next(line for line in lines if line.strip().startswith("pytest "))
    assert " dev" in pytest_line


def test_graph_json_is_machine_readable() -> None:
    """`graph --format json` gives packages with dependencies (edges) and locations."""
    result = runner.invoke(app, ["graph", str(EXAMPLES / "django-transitive"), "--format", "json"])
    assert result.exit_code == 0
    [project] = json.loads(result.stdout)["projects"]
    by_name = {p["name"]: p for p in project["packages"]}
    assert "django" in by_name["dj-database-url"]["dependencies"]
    assert by_name["django"]["direct"] is False
    assert by_name["django"]["version"] == "5.2.19, 6.1.3"


def test_why_prints_the_path() -> None:
    """`why django` prints the chain from the project to Django; an absent package exits 1."""
    result = runner.invoke(app, ["why", "django", str(EXAMPLES / "django-transitive")])
    assert result.exit_code == 0
    assert "catalog-service -> dj-database-url 3.1.2 -> django 5.2.19/6.1.3" in result.stdout
    result = runner.invoke(app, ["why", "flask", str(EXAMPLES / "django-transitive")])
    assert result.exit_code == 1


def test_profiles_list_and_show() -> None:
    """`profiles list` names the shipped profiles; `profiles show` marks each token checked or not checkable."""
    listed = runner.invoke(app, ["profiles", "list"]).stdout.split()
    assert {"django-monolith", "fastapi-python"} <= set(listed)
    shown = runner.invoke(app, ["profiles", "show", "django-monolith"]).stdout
    assert "django-5: checks django >=5,<6" in shown
    assert "django-admin-customized: checked from the code" in shown
    assert "tenancy: \"shared-multi-tenant\"\n    not checkable" in shown
    assert "rule id: django-monolith/fastapi-on-top-of-django" in shown


def test_rules_show_profile_derived_id() -> None:
    """`rules show` works for profile-derived ids, in text and JSON."""
    result = runner.invoke(app, ["rules", "show", "django-monolith/no-rate-limiting", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["severity"] == "error"
    assert "## Why it matters" in data["help"]
    assert runner.invoke(app, ["rules", "show", "nope/nothing"]).exit_code == 2


def test_several_files_are_audited_together(monkeypatch: object) -> None:
    """A pre-commit hook passes changed files: manifest + lock of one folder merge into one project."""
    import os

    folder = EXAMPLES / "fastapi-psycopg2"
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        result = runner.invoke(app, ["audit", "pyproject.toml", "uv.lock", "--format", "json"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 1
    [project] = json.loads(result.stdout)["projects"]
    assert project["files"] == ["pyproject.toml", "uv.lock"]
    assert project["packages"] == 28


def test_output_to_a_device_is_written_in_place(tmp_path: Path) -> None:
    """-o /dev/null (or a FIFO) is written, never renamed over: the device stays a device."""
    import os
    import stat

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    import threading

    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = runner.invoke(app, ["audit", str(EXAMPLES / "fastapi-service"), "--format", "json", "-o", str(fifo)])
    reader.join(timeout=10)
    assert result.exit_code == 0
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert json.loads(received[0])["schema_version"] == 1
    runner.invoke(app, ["audit", str(EXAMPLES / "fastapi-service"), "-o", os.devnull])
    assert stat.S_ISCHR(Path(os.devnull).stat().st_mode)
