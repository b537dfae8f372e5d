"""Containment: the audit reads only files inside the audited root, fetches nothing, executes nothing.

Includes (``-r``/``-c``) that leave the root, absolute paths, URLs, symlinks
out of the root or in a loop are reported (a skipped entry or a located
failure) and not followed; a profile's ``extends`` stays in its folder.
The CLI runs with every socket entry point patched to fail, and as a
subprocess inside a booby-trapped tree that writes a marker if any of its
code is imported or run.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from auditor.audit import AuditOptions, audit, load_project_graphs
from auditor.cli import app
from auditor.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]


def _skipped(root: Path) -> dict[str, str]:
    _root, projects = load_project_graphs(root, AuditOptions())
    return {s.name: s.reason for p in projects for s in p.graph.skipped}


def _packages(root: Path) -> set[str]:
    _root, projects = load_project_graphs(root, AuditOptions())
    return {node.name for p in projects for node in p.graph}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """An audited root ``tmp/repo`` with a secret requirements file beside it, outside the root."""
    (tmp_path / "outside.txt").write_text("secret-package==6.6.6\n")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "requirements.txt").write_text("secret-package==6.6.6\n")
    root = tmp_path / "repo"
    root.mkdir()
    return root


def test_relative_include_out_of_root_is_reported_not_followed(tree: Path) -> None:
    """``-r ../outside.txt`` and ``-c ../outside.txt``: a skipped entry each, no package from outside."""
    (tree / "requirements.txt").write_text("-r ../outside.txt\n-c ../outside/requirements.txt\ndjango==5.1.4\n")
    skipped = _skipped(tree)
    assert skipped["../outside.txt"] == "include leaves the audited root: not followed"
    assert skipped["../outside/requirements.txt"] == "include leaves the audited root: not followed"
    assert "secret-package" not in _packages(tree)


def test_absolute_and_url_includes_are_reported_not_followed(tree: Path) -> None:
    """``-r /abs/path`` and ``-r https://...``: skipped with their reason, nothing read or fetched."""
    absolute = (tree.parent / "outside.txt").as_posix()
    (tree / "requirements.txt").write_text(f"-r {absolute}\n-r https://example.invalid/r.txt\ndjango==5.1.4\n")
    skipped = _skipped(tree)
    assert skipped[absolute] == "absolute include path: not followed"
    assert skipped["https://example.invalid/r.txt"] == "URL include: not fetched"
    assert _packages(tree) >= {"django"}
    assert "secret-package" not in _packages(tree)


def test_include_through_symlink_out_of_root_is_not_followed(tree: Path) -> None:
    """An include whose target is a symlink leading out of the root is refused like a ``..`` path."""
    (tree / "linked.txt").symlink_to(tree.parent / "outside.txt")
    (tree / "requirements.txt").write_text("-r linked.txt\ndjango==5.1.4\n")
    assert _skipped(tree)["linked.txt"] == "include leaves the audited root: not followed"
    assert "secret-package" not in _packages(tree)


def test_include_loop_terminates(tree: Path) -> None:
    """``a -r b``, ``b -r a`` and a self-include: each file is read once, no hang."""
    (tree / "requirements.txt").write_text("-r requirements-dev.txt\n-r requirements.txt\ndjango==5.1.4\n")
    (tree / "requirements-dev.txt").write_text("-r requirements.txt\npytest==8.3.4\n")
    assert _packages(tree) >= {"django", "pytest"}


def test_symlinked_manifest_out_of_root_is_a_located_failure(tree: Path) -> None:
    """A manifest that is a symlink out of the root is reported (exit 2 material), never read."""
    (tree / "requirements.txt").symlink_to(tree.parent / "outside.txt")
    report = audit(tree, AuditOptions())
    assert [str(f) for f in report.failures] == [
        "requirements.txt: symlink leads out of the audited root: not followed"
    ]
    assert all(view.name != "secret-package" for p in report.projects for view in p.packages)


def test_symlink_loop_is_a_located_failure(tree: Path) -> None:
    """``requirements.txt -> loop.txt -> requirements.txt``: a failure naming the file, no hang."""
    (tree / "requirements.txt").symlink_to(tree / "loop.txt")
    (tree / "loop.txt").symlink_to(tree / "requirements.txt")
    report = audit(tree, AuditOptions())
    assert [str(f) for f in report.failures] == ["requirements.txt: cannot read file: missing, or a symlink loop"]


def test_symlinked_directory_out_of_root_is_not_walked(tree: Path) -> None:
    """A folder symlink leading out of the root (and one looping back into it) is not descended."""
    (tree / "requirements.txt").write_text("django==5.1.4\n")
    (tree / "vendor").symlink_to(tree.parent / "outside", target_is_directory=True)
    (tree / "again").symlink_to(tree, target_is_directory=True)
    report = audit(tree, AuditOptions())
    assert report.failures == []
    assert [p.path for p in report.projects] == ["."]
    assert "secret-package" not in _packages(tree)


@pytest.mark.parametrize("kind", ["relative", "absolute", "url", "symlink"])
def test_repo_profile_extends_cannot_leave_the_root(tmp_path: Path, kind: str) -> None:
    """A profile named by the audited repo's config: ``extends`` out of the root is refused, located.

    (``tests/test_config.py`` covers the ``..`` case; here: absolute paths, URLs and symlinks too.)
    """
    outside = tmp_path / "evil.json"
    outside.write_text('{"profile_name": "evil"}')
    root = tmp_path / "repo"
    root.mkdir()
    (root / "link.json").symlink_to(outside)
    extends = {
        "relative": "../evil.json",
        "absolute": str(outside),
        "url": "https://example.invalid/evil.json",
        "symlink": "link.json",
    }[kind]
    (root / "mine.json").write_text(json.dumps({"profile_name": "mine", "extends": extends}, indent=2))
    (root / ".stack-auditor.toml").write_text('profile = "mine.json"\n')
    (root / "requirements.txt").write_text("flask==3.1.2\n")
    with pytest.raises(ConfigError) as caught:
        audit(root, AuditOptions())
    assert str(caught.value).startswith(f"{root / 'mine.json'}:3: extends {extends!r}: ")
    assert "outside the audited root" in str(caught.value) or "no such profile" in str(caught.value)


class NetworkUsed(AssertionError):
    """Raised by the patched socket entry points."""


def test_audit_cli_makes_no_network_access(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole CLI audit, over the examples and a tree of URL includes, with sockets patched to fail."""
    attempts: list[str] = []

    def refuse(name: str) -> Any:
        def patched(*args: object, **kwargs: object) -> None:
            attempts.append(f"{name}{args!r}")
            raise NetworkUsed(f"network access during audit: {name}")

        return patched

    monkeypatch.setattr(socket, "socket", refuse("socket"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("gethostbyname"))
    (tree / "requirements.txt").write_text(
        "-r https://example.invalid/r.txt\n-c http://example.invalid/c.txt\n"
        "--index-url https://index.invalid/simple\n--find-links https://example.invalid/links\n"
        "django @ https://example.invalid/django-5.1.4.tar.gz\nflask @ git+https://example.invalid/flask.git\n"
    )
    runner = CliRunner()
    for target, fmt in ((tree, "sarif"), (REPO / "examples", "json"), (REPO / "examples", "text")):
        result = runner.invoke(app, ["audit", str(target), "--format", fmt])
        assert result.exit_code in (0, 1), result.output
    assert attempts == []


TRAP = "import pathlib; pathlib.Path({marker!r}).write_text('executed: {name}')\n"


def test_nothing_from_the_audited_tree_is_executed(tmp_path: Path) -> None:
    """A booby-trapped repo (setup.py, conftest.py, sitecustomize.py, a .pth, a build backend): no marker."""
    root = tmp_path / "repo"
    (root / "src").mkdir(parents=True)
    marker = tmp_path / "MARKER"
    for name in (
        "setup.py",
        "conftest.py",
        "sitecustomize.py",
        "usercustomize.py",
        "backend.py",
        "src/app.py",
    ):
        (root / name).write_text(TRAP.format(marker=str(marker), name=name))
    (root / "evil.pth").write_text(f"import pathlib; pathlib.Path({str(marker)!r}).write_text('executed: pth')\n")
    (root / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "backend"\nbackend-path = ["."]\n\n'
        '[project]\nname = "app"\nversion = "0.1.0"\ndynamic = ["dependencies"]\n'
    )
    (root / "requirements.txt").write_text("-e .\n./src\ndjango==5.1.4\n")
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONSAFEPATH": "1"}
    for command in (
        ["audit", "."],
        ["audit", ".", "--format", "sarif"],
        ["graph", "."],
        ["why", "django", "."],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "auditor", *command],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode in (0, 1), done.stderr
        assert not marker.exists(), f"{command}: {marker.read_text()}"


def test_explicit_symlinked_file_out_of_its_folder_is_a_located_failure(tree: Path) -> None:
    """``audit repo/requirements.txt`` where that file is a symlink elsewhere: refused, located, no traceback."""
    (tree / "requirements.txt").symlink_to(tree.parent / "outside.txt")
    code = CliRunner().invoke(app, ["audit", str(tree / "requirements.txt"), "--format", "json"])
    assert code.exit_code == 2
    assert json.loads(code.stdout)["failures"] == [
        {"file": "requirements.txt", "line": 0, "message": "symlink leads out of the audited root: not followed"}
    ]
