"""Helpers for the sweep tests: real git repositories built from ``examples/``, and sweeps run in-process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from auditor.sweep.app import SweepRequest, run_request
from auditor.sweep.runner import SweepRun

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "sweep-test",
    "GIT_AUTHOR_EMAIL": "sweep@example.invalid",
    "GIT_COMMITTER_NAME": "sweep-test",
    "GIT_COMMITTER_EMAIL": "sweep@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": "/nonexistent-sweep-home",
}

# Kind of repo -> how to fill it. Drifting ones trip profile rules; "broken" has a malformed
# lock; "empty" has no commit; "bare-readme" has a commit but no dependency file.
KINDS = (
    "django-monolith",
    "fastapi-service",
    "fastapi-on-django",
    "drf-no-ratelimit",
    "fastapi-psycopg2",
    "flask-greenfield",
    "monorepo",
    "broken",
    "empty",
    "bare-readme",
)


def git(folder: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    done = subprocess.run(["git", *args], cwd=folder, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def fill(folder: Path, kind: str) -> None:
    """Replace the working tree (not ``.git``) with the files of ``kind``."""
    for child in folder.iterdir():
        if child.name != ".git":
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    if kind in ("empty", "bare-readme"):
        (folder / "README.md").write_text("nothing to audit\n")
        return
    source = EXAMPLES / ("django-monolith" if kind == "broken" else kind)
    shutil.copytree(source, folder, dirs_exist_ok=True)
    if kind == "broken":
        with (folder / "uv.lock").open("a") as lock:
            lock.write("\n[[package]\nname = broken\n")
    # Files no audit reads: a sparse clone must not fetch them (application .py files it does fetch).
    (folder / "src").mkdir(exist_ok=True)
    (folder / "src" / "app.js").write_text("console.log('never read')\n" * 50)
    (folder / "src" / "tests").mkdir(exist_ok=True)
    (folder / "src" / "tests" / "test_app.py").write_text("print('never read')\n" * 50)
    (folder / "src" / "app.py").write_text("import threading\n")


def make_repo(folder: Path, kind: str) -> Path:
    folder.mkdir(parents=True)
    git(folder, "init", "-q", "-b", "main")
    git(folder, "config", "uploadpack.allowFilter", "true")
    fill(folder, kind)
    if kind != "empty":
        git(folder, "add", "-A")
        git(folder, "commit", "-q", "-m", f"{kind}")
    return folder


def commit_as(folder: Path, kind: str) -> None:
    """Turn a repo into another kind, in a new commit on the default branch."""
    fill(folder, kind)
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", f"now {kind}")


def build_org(root: Path, copies: int = 3) -> dict[str, str]:
    """``root/acme/<kind>-<n>`` for every kind: ``copies`` * 10 real repositories; name -> kind."""
    names = {}
    for n in range(1, copies + 1):
        for kind in KINDS:
            name = f"acme/{kind}-{n}"
            make_repo(root / name, kind)
            names[name] = kind
    return names


def sweep(out: Path, **kwargs: Any) -> tuple[SweepRun, dict[str, Any]]:
    """Run a sweep in-process (quiet) and return it with its summary.json."""
    environ = kwargs.pop("environ", None) or dict(os.environ)
    tokens = kwargs.pop("tokens", None)
    kwargs.setdefault("jobs", 2)
    kwargs.setdefault("progress", "none")
    run = run_request(SweepRequest(out=out, **kwargs), environ, tokens)
    return run, json.loads((out / "summary.json").read_text())


def by_name(summary: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {repo["name"]: repo for repo in summary["repos"]}


def stable(summary: dict[str, Any]) -> dict[str, Any]:
    """A summary without what differs between two runs of the same sweep (ids, times, sources)."""
    copy = json.loads(json.dumps(summary))
    copy.pop("sweep")
    copy.pop("trend")
    return copy
