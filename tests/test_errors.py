"""Errors in one place: each layer raises its own base, one handler per way in reports it (exit 2).

The two ways in are the Typer app (its command group) and the console script's
fast path (``auditor.entry``); both end in ``auditor.errors.report_error``.
Usage errors are found before any work is done.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app

ROOT = Path(__file__).resolve().parents[1]
COMMAND_MODULES = ["auditor/cli.py", "auditor/entry.py", "auditor/audit_command.py", "auditor/github/cli.py"]


def handlers_of_auditor_error(path: Path) -> list[int]:
    """Lines of ``except AuditorError`` (alone or in a tuple) in a module."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            names = [n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)]
            if "AuditorError" in names:
                lines.append(node.lineno)
    return lines


def test_auditor_error_is_caught_once_per_way_in() -> None:
    """The command group and the fast path; the help text's profile list is the one tolerated extra:
    a broken install must still print its help."""
    found = {module: len(handlers_of_auditor_error(ROOT / module)) for module in COMMAND_MODULES}
    expected = {"auditor/cli.py": 2, "auditor/entry.py": 1, "auditor/audit_command.py": 0, "auditor/github/cli.py": 0}
    assert found == expected


def broken_tree(tmp_path: Path) -> Path:
    """A tree whose audit would report an unreadable lock: proof of work done, if it shows up."""
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "uv.lock").write_text('version = 1\n\n[[package]]\nname = "x"\nversion = [1]\n')
    return tmp_path


USAGE_ERRORS = [
    (["--fail-on-new"], "--fail-on-new needs --baseline"),
    (["--format", "yaml"], "unknown --format 'yaml'"),
    (["--fail-on", "fatal"], "unknown --fail-on 'fatal'"),
    (["--input-format", "setup-py"], "unknown input format 'setup-py'"),
    (["--baseline", "no-such.sarif"], "no-such.sarif: --baseline file not found"),
]


@pytest.mark.parametrize(("options", "message"), USAGE_ERRORS)
def test_usage_errors_come_before_any_work_on_the_fast_path(tmp_path: Path, options: list[str], message: str) -> None:
    """The console script: exactly one line on stderr, exit 2, and nothing audited (no input error)."""
    tree = broken_tree(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "auditor", "audit", str(tree), *options],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"stack-auditor: {message}")


@pytest.mark.parametrize(("options", "message"), USAGE_ERRORS)
def test_usage_errors_come_before_any_work_in_typer(tmp_path: Path, options: list[str], message: str) -> None:
    """The Typer command (``-h`` style lines, or ones the fast path does not take) says the same."""
    tree = broken_tree(tmp_path)
    result = CliRunner().invoke(app, ["audit", str(tree), *options], catch_exceptions=False)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "uv.lock" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["profiles", "show", "no-such-profile"], "no-such-profile"),
        (["rules", "list", "--rules", "no-such-folder"], "no-such-folder"),
        (["why", "django", "no-such-path"], "no-such-path"),
        (["graph", ".", "--format", "yaml"], "graph --format takes text or json"),
    ],
)
def test_every_command_reports_errors_as_one_line(args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("stack-auditor: ") and message in line
