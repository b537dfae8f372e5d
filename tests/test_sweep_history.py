"""History and status: failed repos keep what was known (stale, never "fixed"), their findings are
recorded, --fail-on-failed, per-repo excludes, and output files readable as the umask allows."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.render.escape import md_text
from auditor.sweep.drift import drift_score
from auditor.sweep.history import History
from auditor.sweep.model import AuditOutcome, FindingRow, ProjectRow, RepoSpec
from auditor.sweep.outputs import write_outputs
from tests.sweep_helpers import by_name, commit_as, git, make_repo, sweep

ROOT = Path(__file__).resolve().parents[1]


def _break_lock(repo: Path) -> None:
    """Append a malformed table to the repo's uv.lock and commit: its other files still parse."""
    with (repo / "uv.lock").open("a") as lock:
        lock.write("\n[[package]\nname = broken\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "break the lock")


def _stored(out: Path, repo: str) -> dict[str, int]:
    """``{fingerprint: stale}`` of the repo in the latest sweep of the history."""
    with sqlite3.connect(out / "sweep.db") as db:
        rows = db.execute(
            "SELECT fingerprint, stale FROM findings WHERE repo=? AND sweep_id=(SELECT max(id) FROM sweeps)",
            (repo,),
        ).fetchall()
    return dict(rows)


def test_a_repo_that_fails_after_a_good_run_keeps_its_findings_as_stale(tmp_path: Path) -> None:
    """Good sweep, then the lock breaks: the findings the partial audit cannot confirm stay, marked
    stale and counted, nothing is "fixed"; when the repo is repaired they are confirmed again."""
    root = tmp_path / "root"
    repo = make_repo(root / "shop", "django-transitive")
    out = tmp_path / "out"
    _, first = sweep(out, roots=(root,))
    good = by_name(first)["shop"]
    assert good["status"] == "ok" and good["findings"]["warning"] >= 1
    known = {c["fingerprint"]: c for c in good["new"]}
    in_lock = {fp for fp, c in known.items() if c["file"] == "uv.lock"}
    assert in_lock, "the example must have findings on uv.lock for this test to mean anything"

    _break_lock(repo)
    _, second = sweep(out, roots=(root,))
    failed = by_name(second)["shop"]
    assert failed["status"] == "failed" and failed["error_kind"] == "input"
    assert failed["failed_files"] == ["uv.lock"]
    assert failed["fixed"] == [] and second["totals"]["fixed"] == 0
    assert all(c["file"] != "uv.lock" for c in failed["new"])  # what the partial audit saw may be new
    assert _stored(out, "shop") == {**dict.fromkeys(known, 0), **dict.fromkeys(in_lock, 1)} | {
        c["fingerprint"]: 0 for c in failed["new"]
    }
    assert failed["stale"] == len(in_lock) and second["totals"]["stale"] == len(in_lock)
    md = (out / "summary.md").read_text()
    # summary.md escapes repository-controlled text: the entry renders as written, brackets and all.
    assert f"{len(in_lock)} stale" in md and md_text('[[exclude]] repos = ["shop"] paths = ["uv.lock"]') in md

    # Failing again keeps them (stale is carried from stale).
    git(repo, "commit", "-q", "--allow-empty", "-m", "still broken")
    _, third = sweep(out, roots=(root,))
    assert by_name(third)["shop"]["stale"] == len(in_lock) and by_name(third)["shop"]["fixed"] == []

    # Repaired: confirmed again, nothing new, nothing fixed.
    commit_as(repo, "django-transitive")
    _, fourth = sweep(out, roots=(root,))
    repaired = by_name(fourth)["shop"]
    assert repaired["status"] == "ok" and repaired["stale"] == 0
    assert repaired["new"] == [] and repaired["findings"] == good["findings"]
    assert {c["fingerprint"] for c in repaired["fixed"]} == {c["fingerprint"] for c in failed["new"]}

    # Now really fixed: a clean project.
    commit_as(repo, "django-monolith")
    _, fifth = sweep(out, roots=(root,))
    assert {c["fingerprint"] for c in by_name(fifth)["shop"]["fixed"]} >= in_lock


def test_a_repo_that_cannot_be_fetched_keeps_everything_as_stale(tmp_path: Path) -> None:
    """A clone failure after a good run: every earlier finding and project is kept, stale."""
    origin = make_repo(tmp_path / "git" / "shop", "fastapi-on-django")
    listing = tmp_path / "repos.txt"
    listing.write_text(f"{origin.as_uri()}\n")
    out = tmp_path / "out"
    _, first = sweep(out, repo_files=(listing,))
    (name,) = by_name(first)
    good = by_name(first)[name]
    shutil.rmtree(origin)
    _, second = sweep(out, repo_files=(listing,))
    gone = by_name(second)[name]
    assert gone["status"] == "failed" and gone["error_kind"] == "clone"
    assert gone["findings"] == good["findings"] and gone["fixed"] == []
    assert gone["stale"] == sum(good["findings"].values()) + good["suppressed"]
    assert [p["path"] for p in gone["projects"]] == [p["path"] for p in good["projects"]]
    assert "the token can read the repository" in (out / "summary.md").read_text()


def test_per_repo_exclude_skips_the_unreadable_file(tmp_path: Path) -> None:
    """The advice works: [[exclude]] for that repo only makes it audit cleanly; other repos unaffected."""
    root = tmp_path / "root"
    _break_lock(make_repo(root / "shop", "django-transitive"))
    make_repo(root / "other", "django-transitive")
    config = tmp_path / "sweep.toml"
    config.write_text('[[exclude]]\nrepos = ["shop"]\npaths = ["uv.lock"]\n')
    _, summary = sweep(tmp_path / "out", roots=(root,), config=config)
    repos = by_name(summary)
    assert repos["shop"]["status"] == "ok"
    assert all(c["file"] != "uv.lock" for c in repos["shop"]["new"])
    assert any(c["file"] == "uv.lock" for c in repos["other"]["new"])


def test_no_dependency_files_is_its_own_state(tmp_path: Path) -> None:
    root = tmp_path / "root"
    make_repo(root / "docs-only", "bare-readme")
    make_repo(root / "api", "fastapi-service")
    _, summary = sweep(tmp_path / "out", roots=(root,))
    assert by_name(summary)["docs-only"]["state"] == "no dependency files"
    assert by_name(summary)["api"]["state"] == "ok"
    assert "| docs-only | no dependency files |" in (tmp_path / "out" / "summary.md").read_text()


def test_drift_ranks_errors_first_and_caps_noisy_rules() -> None:
    """Forty unpinned requirements weigh as three; an anti-recommendation outweighs a stack gap."""
    assert drift_score([("SA104", "warning", 40)]) == 3
    assert drift_score([("p/anti", "warning", 1)]) > drift_score([("p/stack/queue", "warning", 1)])
    assert drift_score([("p/stack/queue", "warning", 1)]) > drift_score([("SA103", "warning", 1)])
    assert drift_score([("SA103", "error", 5), ("SA105", "note", 9)]) == 0  # errors rank first, notes weigh 0


def test_summary_ranks_by_errors_then_drift(tmp_path: Path) -> None:
    root = tmp_path / "root"
    make_repo(root / "erroring", "fastapi-on-django")
    make_repo(root / "warning-only", "django-transitive")  # 6 warnings: more drift, no error
    make_repo(root / "clean", "django-monolith")
    _, summary = sweep(tmp_path / "out", roots=(root,))
    table = [line for line in (tmp_path / "out" / "summary.md").read_text().splitlines() if line.startswith("| ")]
    order = [line.split("|")[1].strip() for line in table[2:5]]
    drift = {r["name"]: r["drift"] for r in summary["repos"]}
    assert drift["warning-only"] > drift["erroring"]
    assert order.index("erroring") < order.index("warning-only") < order.index("clean")


def _cli(*args: str, umask: int | None = None) -> subprocess.CompletedProcess[str]:
    def preexec() -> None:
        if umask is not None:
            os.umask(umask)

    return subprocess.run(
        [sys.executable, "-m", "auditor", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "CI": "true"},
        check=False,
        preexec_fn=preexec,
    )


def test_fail_on_failed_and_help_documents_exit_codes(tmp_path: Path) -> None:
    root = tmp_path / "root"
    make_repo(root / "api", "fastapi-service")
    out = str(tmp_path / "o")
    assert _cli("sweep", "--root", str(root), "--out", out, "--fail-on-failed", "-j", "1").returncode == 0
    _break_lock(make_repo(root / "shop", "fastapi-on-django"))
    assert _cli("sweep", "--root", str(root), "--out", out, "-j", "1").returncode == 0
    failing = _cli("sweep", "--root", str(root), "--out", out, "--fail-on-failed", "-j", "1")
    assert failing.returncode == 1, failing.stderr
    helptext = " ".join(_cli("sweep", "--help").stdout.split())
    assert "--fail-on-failed" in helptext and "Exit codes: 0" in helptext and "2 usage error" in helptext


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640)])
def test_outputs_are_as_readable_as_the_umask_allows(tmp_path: Path, umask: int, mode: int) -> None:
    """A shared report folder works: summaries, report and SARIF files follow the umask, not 0600."""
    root = tmp_path / "root"
    make_repo(root / "api", "fastapi-on-django")
    out = tmp_path / "o"
    done = _cli("sweep", "--root", str(root), "--out", str(out), "-j", "1", umask=umask)
    assert done.returncode == 0, done.stderr
    files = [out / n for n in ("summary.json", "summary.md", "summary.csv", "report.html")]
    files += list((out / "sarif").glob("*.sarif"))
    assert len(files) == 5
    for file in files:
        assert stat.S_IMODE(file.stat().st_mode) == mode, file


def _outcome(name: str, *projects: ProjectRow, findings: tuple[FindingRow, ...] = ()) -> AuditOutcome:
    return AuditOutcome(name, True, findings=list(findings), projects=list(projects))


def test_report_shows_profile_confidence_and_escapes_what_repos_control(tmp_path: Path) -> None:
    """ProfileInference statuses as the audit recorded them (tie, narrow, none, unknown), and hostile
    names and messages escaped in report.html."""
    out = tmp_path / "out"
    hostile = '<img src=x onerror=alert(1)>"'
    with History(out / "sweep.db") as history:
        sweep_id = history.begin_sweep(None, "test")
        rows = [
            ProjectRow(".", "django-monolith", 0, 1, 0, "tie", "django-ninja-async", 0, "pin the profile"),
            ProjectRow("svc", "fastapi-python", 0, 0, 0, "narrow", "django-monolith", 1),
            ProjectRow("lib", None, 0, 0, 0, "none"),
            ProjectRow("old", "flask-legacy", 0, 0, 0, None),
        ]
        finding = FindingRow("f1", "SA103", "warning", ".", "pytest", "pyproject.toml", 3, hostile, False)
        history.record_outcome(
            sweep_id, RepoSpec(f"acme/{hostile}", "local", "/nowhere"), "k", _outcome("x", *rows, findings=(finding,))
        )
        history.finish_sweep(sweep_id)
        write_outputs(history, sweep_id, out)
    page = (out / "report.html").read_text()
    assert "tie with django-ninja-async" in page and '<span class="muted">pin the profile</span>' in page
    assert "narrow win over django-monolith by 1" in page and "no profile fits" in page
    assert "old: flask-legacy</li>" in page  # no confidence recorded: the profile alone
    assert 'data-unsure="1"' in page and '<option value="unsure">' in page
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


# The history as stack-auditor wrote it before stale findings, rule titles and profile confidence.
_V1_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sweeps(
  id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL,
  shard TEXT, sources TEXT NOT NULL DEFAULT '', tool_version TEXT NOT NULL, merged_from TEXT);
CREATE TABLE IF NOT EXISTS repos(
  sweep_id INTEGER NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, head TEXT, config_key TEXT,
  status TEXT NOT NULL, reused INTEGER NOT NULL DEFAULT 0, error TEXT, error_kind TEXT,
  errors INTEGER NOT NULL DEFAULT 0, warnings INTEGER NOT NULL DEFAULT 0, notes INTEGER NOT NULL DEFAULT 0,
  suppressed INTEGER NOT NULL DEFAULT 0, drift INTEGER NOT NULL DEFAULT 0, seconds REAL NOT NULL DEFAULT 0,
  full_name TEXT, default_branch TEXT, upload TEXT,
  PRIMARY KEY(sweep_id, name));
CREATE INDEX IF NOT EXISTS repos_by_name ON repos(name, sweep_id);
CREATE TABLE IF NOT EXISTS projects(
  sweep_id INTEGER NOT NULL, repo TEXT NOT NULL, path TEXT NOT NULL, profile TEXT,
  errors INTEGER NOT NULL, warnings INTEGER NOT NULL, notes INTEGER NOT NULL,
  PRIMARY KEY(sweep_id, repo, path));
CREATE TABLE IF NOT EXISTS findings(
  sweep_id INTEGER NOT NULL, repo TEXT NOT NULL, fingerprint TEXT NOT NULL, rule_id TEXT NOT NULL,
  severity TEXT NOT NULL, project TEXT NOT NULL, package TEXT, file TEXT NOT NULL, line INTEGER NOT NULL,
  message TEXT NOT NULL, suppressed INTEGER NOT NULL,
  PRIMARY KEY(sweep_id, repo, fingerprint));
CREATE TABLE IF NOT EXISTS errors(
  sweep_id INTEGER NOT NULL, repo TEXT NOT NULL, kind TEXT NOT NULL, message TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS results(
  name TEXT PRIMARY KEY, head TEXT, config_key TEXT, sarif BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS http_cache(
  url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, status INTEGER NOT NULL, headers TEXT NOT NULL,
  body BLOB NOT NULL);
"""


def test_a_history_from_the_previous_schema_is_upgraded_and_compared(tmp_path: Path) -> None:
    """Last night's sweep.db (schema 1, e.g. from a CI cache) gains the new columns on open; tonight's
    sweep compares against it and a repo failing now keeps last night's findings as stale."""
    root = tmp_path / "root"
    repo = make_repo(root / "shop", "django-transitive")
    out = tmp_path / "out"
    out.mkdir()
    with sqlite3.connect(out / "sweep.db") as db:
        db.executescript(_V1_SCHEMA)
        db.execute(
            "INSERT INTO sweeps VALUES(1, '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', 'complete', NULL, '',"
            " '0.0.1', NULL)"
        )
        db.execute(
            "INSERT INTO repos(sweep_id, name, kind, head, config_key, status, errors, warnings, notes)"
            " VALUES(1, 'shop', 'local', 'old', 'old', 'ok', 0, 1, 0)"
        )
        db.execute(
            "INSERT INTO findings VALUES(1, 'shop', 'fp-old', 'SA110', 'warning', '.', 'django', 'uv.lock', 3,"
            " 'an old finding', 0)"
        )
    _break_lock(repo)
    _, summary = sweep(out, roots=(root,))
    shop = by_name(summary)["shop"]
    assert summary["sweep"]["previous_id"] == 1
    assert shop["status"] == "failed" and shop["stale"] == 1 and shop["fixed"] == []
    assert _stored(out, "shop")["fp-old"] == 1
    with sqlite3.connect(out / "sweep.db") as db:
        assert db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == "2"
