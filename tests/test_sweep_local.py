"""Sweeps over real git repositories on disk: ``--root``, ``--repos`` with file:// URLs, history, shards."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from auditor.sweep.history import History
from auditor.sweep.merge import merge_outputs
from auditor.sweep.model import AuditJob, AuditOutcome
from auditor.sweep.progress import Progress
from auditor.sweep.worker import audit_job
from tests.sweep_helpers import build_org, by_name, commit_as, git, make_repo, stable, sweep

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "auditor" / "schemas" / "sweep-summary.schema.json"


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """33 real repositories (ten kinds, three copies, plus three more monorepos) built once for the module."""
    root = tmp_path_factory.mktemp("org")
    names = build_org(root / "checkouts", copies=3)
    for n in (4, 5, 6):
        make_repo(root / "checkouts" / f"acme/monorepo-{n}", "monorepo")
        names[f"acme/monorepo-{n}"] = "monorepo"
    return root / "checkouts", names


@pytest.fixture
def checkouts(org: tuple[Path, dict[str, str]], tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A private copy of the org, so a test may commit to it."""
    root, names = org
    copy = tmp_path / "checkouts"
    shutil.copytree(root, copy, symlinks=True)
    return copy, names


def _sarif(out: Path, name: str) -> dict[str, Any]:
    return json.loads((out / "sarif" / f"{name.replace('/', '__')}.sarif").read_text())


def test_root_sweep_records_every_repo_then_reports_new_and_fixed(
    checkouts: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """A --root sweep audits all 33 repos; a second sweep re-audits only moved heads and reports new/fixed."""
    root, names = checkouts
    out = tmp_path / "out"
    run, summary = sweep(out, roots=(root,))
    assert summary["totals"]["repos"] == len(names) == 33
    assert run.audited == 33 and run.reused == 0
    jsonschema.validate(summary, json.loads(SCHEMA.read_text()))
    repos = by_name(summary)
    broken = repos["acme/broken-1"]
    assert broken["status"] == "failed" and broken["error_kind"] == "input"
    assert "uv.lock" in broken["error"]
    assert repos["acme/empty-1"]["status"] == "ok" and repos["acme/empty-1"]["projects"] == []
    assert {p["path"] for p in repos["acme/monorepo-1"]["projects"]} == {"services/api", "services/web"}
    assert repos["acme/fastapi-on-django-2"]["findings"]["error"] >= 1
    assert repos["acme/django-monolith-1"]["findings"] == {"error": 0, "warning": 0, "note": 0}
    assert summary["totals"]["failed"] == 3  # the three broken repos, each by name
    assert summary["totals"]["new"] == sum(len(r["new"]) for r in repos.values()) > 0
    # Per-repo SARIF: relative URIs, one run, the rule that fired.
    sarif = _sarif(out, "acme/fastapi-on-django-1")
    results = sarif["runs"][0]["results"]
    assert any(r["ruleId"] == "django-monolith/fastapi-on-top-of-django" for r in results)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris <= {"pyproject.toml", "uv.lock", "requirements.txt"}
    for file in ("summary.json", "summary.md", "summary.csv", "report.html"):
        assert (out / file).is_file()

    # Move three heads: one repo starts drifting, one is fixed, one breaks.
    commit_as(root / "acme/django-monolith-2", "fastapi-on-django")
    commit_as(root / "acme/fastapi-on-django-3", "django-monolith")
    commit_as(root / "acme/fastapi-service-1", "broken")
    run2, second = sweep(out, roots=(root,))
    assert (run2.audited, run2.reused) == (3, 30)
    assert sorted(run2.audited_names) == [
        "acme/django-monolith-2",
        "acme/fastapi-on-django-3",
        "acme/fastapi-service-1",
    ]
    repos2 = by_name(second)
    # The first sweep's findings are all new: they give each kind's full set of counted findings.
    drifting = {c["fingerprint"] for c in repos["acme/fastapi-on-django-1"]["new"]}
    clean = {c["fingerprint"] for c in repos["acme/django-monolith-1"]["new"]}
    assert "django-monolith/fastapi-on-top-of-django" in {c["rule_id"] for c in repos2["acme/django-monolith-2"]["new"]}
    assert {c["fingerprint"] for c in repos2["acme/django-monolith-2"]["new"]} == drifting - clean
    assert {c["fingerprint"] for c in repos2["acme/fastapi-on-django-3"]["fixed"]} == drifting - clean
    # A repo that now fails on a malformed file: what the partial audit saw is recorded as new (the
    # files that were read), and nothing is "fixed" by a failure.
    now_broken = repos2["acme/fastapi-service-1"]
    assert now_broken["status"] == "failed" and now_broken["fixed"] == []
    broken_seen = {c["fingerprint"] for c in repos["acme/broken-1"]["new"]}
    before = {c["fingerprint"] for c in repos["acme/fastapi-service-1"]["new"]}
    assert {c["fingerprint"] for c in now_broken["new"]} == broken_seen - before
    changed = {name for name, r in repos2.items() if r["new"] or r["fixed"]}
    assert changed == {"acme/django-monolith-2", "acme/fastapi-on-django-3"} | (
        {"acme/fastapi-service-1"} if broken_seen - before else set()
    )
    assert second["totals"]["fixed"] == len(drifting - clean) > 0
    assert second["totals"]["new"] == len(drifting - clean) + len(broken_seen - before)
    assert second["sweep"]["previous_id"] == summary["sweep"]["id"]
    assert (
        repos2["acme/monorepo-1"]["reused"]
        and repos2["acme/monorepo-1"]["findings"] == repos["acme/monorepo-1"]["findings"]
    )
    md = (out / "summary.md").read_text()
    count, new = len(drifting - clean), second["totals"]["new"]
    assert f"**{new} new**, **{count} fixed**" in md and "acme/fastapi-service-1" in md
    csv_rows = (out / "summary.csv").read_text().splitlines()
    assert len(csv_rows) == 34 and any(row.startswith("acme/django-monolith-2,ok,0,") for row in csv_rows)
    assert [t["sweep_id"] for t in second["trend"]] == [summary["sweep"]["id"], second["sweep"]["id"]]


def test_repos_file_clones_sparse_then_fetches(org: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    """--repos with file:// URLs: sparse clones of manifests only, ls-remote heads, fetch next time."""
    source_root, _ = org
    remotes = tmp_path / "remotes"
    chosen = [
        "acme/django-monolith-1",
        "acme/fastapi-on-django-1",
        "acme/monorepo-1",
        "acme/broken-1",
        "acme/empty-1",
        "acme/bare-readme-1",
    ]
    for name in chosen:
        shutil.copytree(source_root / name, remotes / name, symlinks=True)
    lines = [f"file://{remotes / name}" for name in chosen]
    lines += [f"file://{tmp_path}/nowhere/missing.git  # a remote that does not exist", "", "# a comment"]
    local = tmp_path / "local-project"
    make_repo(local, "drf-no-ratelimit")
    lines.append(str(local))
    listing = tmp_path / "repos.txt"
    listing.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    _run, summary = sweep(out, repo_files=(listing,))
    repos = by_name(summary)
    assert set(repos) == {*chosen, "nowhere/missing", str(local)}
    assert repos["nowhere/missing"]["status"] == "failed" and repos["nowhere/missing"]["error_kind"] == "clone"
    assert repos["acme/fastapi-on-django-1"]["findings"]["error"] >= 1
    assert repos["acme/empty-1"]["status"] == "ok"
    assert repos["acme/broken-1"]["status"] == "failed"
    clone = out / ".cache" / "repos" / "acme__monorepo-1"
    assert (clone / "services/api/uv.lock").is_file()
    assert not (clone / "src" / "app.js").exists()  # sparse: not checked out
    assert not (clone / "src" / "tests" / "test_app.py").exists()  # tests: the evidence stage skips them
    assert (clone / "src" / "app.py").is_file()  # application code: the evidence stage reads it
    assert "extraheader" not in (clone / ".git" / "config").read_text().lower()
    marker = clone / ".git" / "sweep-test-marker"
    marker.write_text("kept")
    commit_as(remotes / "acme/monorepo-1", "fastapi-on-django")
    run2, second = sweep(out, repo_files=(listing,))
    assert "acme/monorepo-1" in run2.audited_names and "acme/django-monolith-1" not in run2.audited_names
    assert marker.exists()  # fetched into the same clone, not cloned again
    assert by_name(second)["acme/monorepo-1"]["head"] == git(remotes / "acme/monorepo-1", "rev-parse", "HEAD")
    assert any(
        c["rule_id"] == "django-monolith/fastapi-on-top-of-django" for c in by_name(second)["acme/monorepo-1"]["new"]
    )


def test_shards_merged_equal_the_unsharded_sweep(org: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    """Three shards cover each repo once, and merging them gives the unsharded summary and SARIF files."""
    whole_org, all_names = org
    root = tmp_path / "subset"  # a dozen of the repos (symlinked checkouts) keeps the four sweeps quick
    names = sorted(all_names)[::3]
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).symlink_to(whole_org / name)
    _, whole = sweep(tmp_path / "whole", roots=(root,))
    outs = []
    seen: list[str] = []
    for index in (1, 2, 3):
        out = tmp_path / f"shard{index}"
        _, part = sweep(out, roots=(root,), shard=f"{index}/3")
        seen += [r["name"] for r in part["repos"]]
        outs.append(out)
    assert sorted(seen) == sorted(names)
    head = merge_outputs(outs, tmp_path / "merged")
    merged = json.loads((tmp_path / "merged" / "summary.json").read_text())
    assert head["totals"] == merged["totals"] and merged["sweep"]["merged_from"] is not None
    assert stable(merged) == stable(whole)
    whole_files = sorted(p.name for p in (tmp_path / "whole" / "sarif").iterdir())
    assert whole_files == sorted(p.name for p in (tmp_path / "merged" / "sarif").iterdir())
    for name in whole_files:
        assert (tmp_path / "whole/sarif" / name).read_bytes() == (tmp_path / "merged/sarif" / name).read_bytes()


class _Interrupt(Progress):
    """Raises KeyboardInterrupt (as a Ctrl-C would) after ``limit`` repos are recorded."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def show(self, name: str) -> None:
        if self.finished >= self.limit:
            raise KeyboardInterrupt


def test_resume_continues_an_interrupted_sweep(
    org: tuple[Path, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sweep interrupted after 5 repos keeps them; --resume audits only the rest, in the same sweep."""
    root, names = org
    out = tmp_path / "out"
    monkeypatch.setattr("auditor.sweep.app.make_progress", lambda mode: _Interrupt(5))
    with pytest.raises(KeyboardInterrupt):
        sweep(out, roots=(root,), jobs=1)
    with History(out / "sweep.db") as history:
        running = history.running_sweep(None)
        assert running is not None and len(history.done_names(running)) >= 5
        done_before = len(history.done_names(running))
    monkeypatch.setattr("auditor.sweep.app.make_progress", lambda mode: Progress())
    run, summary = sweep(out, roots=(root,), resume=True)
    assert run.sweep_id == running
    assert run.total == len(names) - done_before
    assert summary["totals"]["repos"] == len(names)
    assert summary["sweep"]["status"] == "complete"


def _slow_audit_job(job: AuditJob) -> AuditOutcome:
    """In the worker: the audit of "slow" sleeps far past any --repo-timeout the test sets."""
    import auditor.audit

    if job.name != "slow":
        return audit_job(job)
    real = auditor.audit.audit

    def sleeper(*args: Any, **kwargs: Any) -> Any:
        time.sleep(120)  # SIGALRM interrupts it
        return real(*args, **kwargs)

    auditor.audit.audit = sleeper
    try:
        return audit_job(job)
    finally:
        auditor.audit.audit = real


def test_repo_timeout_fails_the_repo_not_the_sweep(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--repo-timeout: a repo that takes too long is recorded with its error and the sweep completes.

    The slow repo is made slow (it sleeps in the worker), so the timeout is certain and the other
    repo, audited with the same limit, certainly finishes within it.
    """
    root = tmp_path / "root"
    make_repo(root / "slow", "monorepo")
    make_repo(root / "quick", "fastapi-on-django")
    monkeypatch.setattr("auditor.sweep.runner.audit_job", _slow_audit_job)
    started = time.monotonic()
    _, summary = sweep(tmp_path / "out", roots=(root,), repo_timeout=2.0, jobs=1)
    assert time.monotonic() - started < 60
    slow, quick = by_name(summary)["slow"], by_name(summary)["quick"]
    assert slow["status"] == "failed" and slow["error_kind"] == "timeout" and "--repo-timeout" in slow["error"]
    assert quick["status"] == "ok" and quick["findings"]["error"] >= 1
    assert summary["sweep"]["status"] == "complete"


def test_profiles_sweep_toml_repo_config_and_changes(tmp_path: Path) -> None:
    """sweep.toml assigns by glob and topic; a repo's own config wins; a changed assignment re-audits."""
    root = tmp_path / "root"
    make_repo(root / "flask-app", "flask-greenfield")
    make_repo(root / "shop", "django-monolith")
    own = make_repo(root / "own-config", "flask-greenfield")
    (own / ".stack-auditor.toml").write_text('profile = "django-monolith"\n')
    git(own, "add", "-A")
    git(own, "commit", "-qm", "own profile")
    config = tmp_path / "sweep.toml"
    config.write_text('[[assign]]\nrepos = ["flask-*", "own-*"]\nprofile = "fastapi-python"\n')
    _, summary = sweep(tmp_path / "out", roots=(root,), config=config)
    profiles = {r["name"]: {p["profile"] for p in r["projects"]} for r in summary["repos"]}
    assert profiles == {
        "flask-app": {"fastapi-python"},
        "own-config": {"django-monolith"},
        "shop": {"django-monolith"},
    }
    assert any(c["rule_id"] == "fastapi-python/flask-for-new-projects" for c in by_name(summary)["flask-app"]["new"])
    config.write_text(
        '[[assign]]\nrepos = ["flask-*"]\nprofile = "django-monolith"\n'
        '[[assign]]\nrepos = ["own-*"]\nprofile = "fastapi-python"\n'
    )
    run, second = sweep(tmp_path / "out", roots=(root,), config=config)
    assert run.audited_names == ["flask-app"]  # only its assignment changed
    assert {p["profile"] for p in by_name(second)["flask-app"]["projects"]} == {"django-monolith"}


def test_org_default_profile_is_a_preference_not_a_verdict(tmp_path: Path) -> None:
    """sweep.toml's top-level profile is chosen where it fits; a repo whose stack it is not gets its own match."""
    root = tmp_path / "root"
    make_repo(root / "api", "fastapi-service")
    make_repo(root / "shop", "django-monolith")
    config = tmp_path / "sweep.toml"
    config.write_text('profile = "fastapi-python"\n')
    _, summary = sweep(tmp_path / "out", roots=(root,), config=config)
    projects = {r["name"]: r["projects"] for r in summary["repos"]}
    assert {p["profile"] for p in projects["api"]} == {"fastapi-python"}
    assert {p["profile"] for p in projects["shop"]} == {"django-monolith"}  # fastapi-python's identity is absent
    assert not any(c["rule_id"].startswith("fastapi-python/") for c in by_name(summary)["shop"]["new"])


def test_sigkill_mid_sweep_then_resume(org: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    """A sweep killed by SIGKILL keeps each finished repo (WAL, a transaction each); --resume finishes it."""
    root, names = org
    out = tmp_path / "out"
    cli = [sys.executable, "-m", "auditor", "sweep", "--root", str(root), "--out", str(out), "-j", "1"]
    process = subprocess.Popen(
        cli, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    recorded = 0
    deadline = time.monotonic() + 60
    try:
        while recorded < 3 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
            if (out / "sweep.db").exists():
                try:
                    with sqlite3.connect(out / "sweep.db", timeout=1) as db:
                        recorded = db.execute("SELECT count(*) FROM repos").fetchone()[0]
                except sqlite3.OperationalError:
                    continue  # the schema is being created
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert 3 <= recorded < len(names)
    with sqlite3.connect(out / "sweep.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT status FROM sweeps").fetchall() == [("running",)]
    run, summary = sweep(out, roots=(root,), resume=True)
    assert run.total <= len(names) - recorded
    assert summary["totals"]["repos"] == len(names) and summary["sweep"]["status"] == "complete"


def _crash_on_first(job: AuditJob) -> AuditOutcome:
    """Kill the worker process (as a segfault would) when auditing ``crash-me``."""
    if job.name == "crash-me":
        os._exit(70)
    return audit_job(job)


def test_a_dying_worker_does_not_end_the_sweep(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker that dies breaks the pool: it is restarted, the repo is tried once more, then recorded."""
    root = tmp_path / "root"
    for name in ("a-ok", "crash-me", "z-ok"):
        make_repo(root / name, "fastapi-on-django")
    monkeypatch.setattr("auditor.sweep.runner.audit_job", _crash_on_first)
    _, summary = sweep(tmp_path / "out", roots=(root,), jobs=1)
    statuses = {r["name"]: (r["status"], r["error_kind"]) for r in summary["repos"]}
    assert statuses == {"a-ok": ("ok", None), "crash-me": ("failed", "crash"), "z-ok": ("ok", None)}
    assert summary["sweep"]["status"] == "complete"


def test_nightly_shards_reuse_the_merged_history(org: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    """The documented CI flow: shards start from last night's merged sweep.db, reuse what did not move,
    and the next merge reports new/fixed against last night's merge."""
    whole_org, all_names = org
    root = tmp_path / "subset"
    names = sorted(n for n in all_names if n.startswith(("acme/django-monolith", "acme/fastapi-on-django")))
    for name in names:
        shutil.copytree(whole_org / name, root / name, symlinks=True)
    merged = tmp_path / "merged"

    def night(label: str) -> tuple[list[int], dict[str, Any]]:
        audited, outs = [], []
        for index in (1, 2):
            out = tmp_path / label / str(index)
            out.mkdir(parents=True)
            if (merged / "sweep.db").exists():
                shutil.copy(merged / "sweep.db", out / "sweep.db")
            run, _ = sweep(out, roots=(root,), shard=f"{index}/2")
            audited.append(run.audited)
            outs.append(out)
        merge_outputs(outs, merged)
        return audited, json.loads((merged / "summary.json").read_text())

    audited, first = night("night1")
    assert sum(audited) == len(names) == 6 and first["sweep"]["previous_id"] is None
    commit_as(root / "acme/django-monolith-1", "fastapi-on-django")
    audited, second = night("night2")
    assert sum(audited) == 1  # the one moved head; the rest reused from the merged history
    assert second["sweep"]["previous_id"] == first["sweep"]["id"]
    changed = {r["name"] for r in second["repos"] if r["new"] or r["fixed"]}
    assert changed == {"acme/django-monolith-1"} and second["totals"]["fixed"] == 0
    assert [t["sweep_id"] for t in second["trend"]] == [first["sweep"]["id"], second["sweep"]["id"]]
