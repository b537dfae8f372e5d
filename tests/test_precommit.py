"""The pre-commit hook: its ``files`` pattern against the resolvers' own, and the hook run by pre-commit.

``pre-commit try-repo`` would install the hook's own environment (``language:
python``: a venv and ``pip install`` of this repository and its dependencies
from the package registry), which a test may not do: no network in tests.
So the run here is the *local* equivalent: a throwaway git repository whose
``.pre-commit-config.yaml`` is ``repo: local`` with this repository's hook
definition copied field for field, except ``language: system`` (the CLI under
test is on PATH instead of in a venv pre-commit builds). ``try-repo`` itself,
with the install, runs in ``scripts/check-installs.sh`` (CI, with the registry).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml

from auditor.discover import resolver_for
from auditor.resolvers import FORMATS

ROOT = Path(__file__).resolve().parents[1]
HOOKS = ROOT / ".pre-commit-hooks.yaml"


def hook() -> dict[str, Any]:
    (only,) = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    return only  # type: ignore[no-any-return]


def segment_pattern(pattern: str) -> str:
    """A file-name pattern rewritten so that no wildcard crosses a ``/`` of a path."""
    out, position = [], 0
    while position < len(pattern):
        if pattern[position] == "\\":
            out.append(pattern[position : position + 2])
            position += 2
        elif pattern.startswith("[^", position):
            end = pattern.index("]", position + 2)
            out.append("[^/" + pattern[position + 2 : end + 1])
            position = end + 1
        else:
            out.append("[^/]" if pattern[position] == "." else pattern[position])
            position += 1
    return "".join(out)


def files_pattern() -> str:
    """The hook's ``files``, generated from every format's file-name patterns, in registry order."""
    names, folders = [], []
    for entry in FORMATS:
        names_pattern = segment_pattern(entry._names.pattern)
        names.append(f"(?i:{names_pattern})" if entry._names.flags & re.IGNORECASE else names_pattern)
        if entry._folder_files is not None:
            folders.append(segment_pattern(entry._folder_files.pattern))
    return f"(^|/)(?:{'|'.join(names + folders)})$"


def test_hook_definition() -> None:
    """One project audit (no file names passed), only when a dependency file changed."""
    spec = hook()
    assert spec["id"] == "stack-auditor"
    assert spec["language"] == "python"
    assert spec["entry"] == "stack-auditor audit"
    assert spec["pass_filenames"] is False
    assert spec["require_serial"] is True


def test_files_pattern_is_generated_from_the_resolvers() -> None:
    """On drift, paste the pattern this prints into .pre-commit-hooks.yaml."""
    assert hook()["files"] == files_pattern(), f"files: '{files_pattern()}'"


def every_known_name() -> list[str]:
    """Every file path under tests/ and examples/ (hundreds of real and crafted names), plus edge cases."""
    found = {
        path.relative_to(ROOT).as_posix()
        for folder in ("tests", "examples")
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    found |= {
        "dev-requirements.txt",
        "requirements_test.txt",
        "requirements/docs/conf.txt",
        "requirements.txt.bak",
        "MANIFEST.in",
        "sub/MANIFEST.in",
        "constraints.in",
        "pdm.dev.lock",
        "pdm.lock",
        "pylock.dev.toml",
        "pylock.a.b.toml",
        "mypyproject.toml",
        "BOM.JSON",
        "x/app.CDX.xml",
        "package.json",
        "setup.py",
    }
    return sorted(found)


def test_files_pattern_agrees_with_discovery() -> None:
    """pre-commit's ``re.search(files, path)`` triggers on exactly the files the audit reads by name."""
    pattern = hook()["files"]
    names = every_known_name()
    disagreeing = [name for name in names if bool(re.search(pattern, name)) is (resolver_for(Path(name)) is None)]
    assert disagreeing == []
    assert sum(resolver_for(Path(name)) is not None for name in names) > 100  # the sample is not trivial


@pytest.mark.parametrize(
    ("name", "matches"),
    [
        ("dev-requirements.txt", True),
        ("pdm.prod.lock", True),
        ("MANIFEST.in", False),
        ("requirements.in", True),
        ("requirements/docs/conf.txt", False),
        ("services/api/requirements/base.txt", True),
        ("README.md", False),
    ],
)
def test_files_pattern_cases_the_issue_named(name: str, matches: bool) -> None:
    assert bool(re.search(hook()["files"], PurePosixPath(name).as_posix())) is matches


# --- pre-commit itself, on a throwaway repository ------------------------------------

DJANGO_AND_FASTAPI = "django==5.2.1\nfastapi==0.115.0\n"
DJANGO_ONLY = "django==5.2.1\n"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, timeout=60)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    folder = tmp_path / "repo"
    folder.mkdir()
    git(folder, "init", "-q")
    git(folder, "config", "user.email", "test@example.invalid")
    git(folder, "config", "user.name", "test")
    local = {**hook(), "language": "system"}
    config = {"repos": [{"repo": "local", "hooks": [local]}]}
    (folder / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (folder / "README.md").write_text("# demo\n")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "start")
    return folder


def pre_commit(repo: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``pre-commit run`` on the staged files, with this checkout's CLI as ``stack-auditor``."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    cli = bin_dir / "stack-auditor"
    cli.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m auditor "$@"\n')
    cli.chmod(cli.stat().st_mode | stat.S_IEXEC)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_hook_fails_on_django_and_fastapi(repo: Path, tmp_path: Path) -> None:
    (repo / "requirements.txt").write_text(DJANGO_AND_FASTAPI)
    git(repo, "add", "requirements.txt")
    result = pre_commit(repo, tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "stack-auditor" in result.stdout and "Failed" in result.stdout
    assert "django-monolith/fastapi-on-top-of-django" in result.stdout


def test_hook_passes_on_a_clean_project(repo: Path, tmp_path: Path) -> None:
    (repo / "requirements.txt").write_text(DJANGO_ONLY)
    git(repo, "add", "requirements.txt")
    result = pre_commit(repo, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"stack-auditor\.+Passed", result.stdout)


def test_hook_is_skipped_when_no_dependency_file_changed(repo: Path, tmp_path: Path) -> None:
    """A broken requirements file already committed is not audited by a commit that changes only docs."""
    (repo / "requirements.txt").write_text(DJANGO_AND_FASTAPI)
    git(repo, "add", "requirements.txt")
    git(repo, "commit", "-q", "--no-verify", "-m", "deps")
    (repo / "README.md").write_text("# demo, edited\n")
    git(repo, "add", "README.md")
    result = pre_commit(repo, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"stack-auditor\.+\(no files to check\)Skipped", result.stdout)
