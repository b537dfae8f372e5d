"""The README as a test: its console examples are what the tool prints, its quick start is what CI runs.

A ``console`` block whose lines start with ``$ stack-auditor`` is run from the
checkout's root and its output compared with the lines that follow. ``...``
stands for elided text: alone on a line, for any number of lines; inside a
line, for any text. On a mismatch the failure shows the real output to paste.
Links must work on a package index page too, where relative links do not.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
REPOSITORY = "https://github.com/stack-auditor/stack-auditor"

# Blocks that need what a test may not have: a folder of checkouts, GitHub and a token.
NOT_RUN = {
    "stack-auditor sweep --root ~/checkouts --out sweep-out --jobs 4": "needs a folder of real checkouts",
}


def console_blocks() -> list[tuple[int, str, list[str]]]:
    """(line, command, expected output lines) of every console block that shows a stack-auditor run."""
    blocks = []
    lines = README.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if line.strip() != "```console":
            continue
        end = lines.index("```", number + 1)
        body = lines[number + 1 : end]
        if body and body[0].startswith("$ stack-auditor "):
            blocks.append((number + 1, body[0][2:], body[1:]))
    return blocks


def pattern_of(expected: list[str]) -> re.Pattern[str]:
    parts = []
    for line in expected:
        if line.strip() == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append(".*?".join(re.escape(piece) for piece in line.split("...")) + r"[ \t]*\n")
    return re.compile("".join(parts))


def run(command: str) -> str:
    args = shlex.split(command)
    assert args[0] == "stack-auditor"
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    result = subprocess.run(
        [sys.executable, "-m", "auditor", *args[1:]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.stdout


BLOCKS = console_blocks()


def test_the_readme_has_console_examples() -> None:
    commands = [command for _, command, _ in BLOCKS]
    assert "stack-auditor audit examples/fastapi-on-django" in commands
    assert len(commands) >= 5


@pytest.mark.parametrize(("line", "command", "expected"), BLOCKS, ids=[command for _, command, _ in BLOCKS])
def test_console_example_is_what_the_tool_prints(line: int, command: str, expected: list[str]) -> None:
    if command in NOT_RUN:
        assert command in README.read_text(encoding="utf-8")
        return
    actual = run(command)
    assert pattern_of(expected).fullmatch(actual), f"README.md:{line}: `{command}` prints:\n{actual}"


def test_not_run_blocks_are_still_in_the_readme() -> None:
    """The list of blocks not run names only blocks that exist (no stale exemptions)."""
    commands = {command for _, command, _ in BLOCKS}
    assert set(NOT_RUN) <= commands


def quick_start() -> list[str]:
    """The commands of the quick start's first two console blocks."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Quick start") : text.index("\n## ", text.index("## Quick start") + 1)]
    blocks = re.findall(r"```console\n(.*?)```", section, re.DOTALL)
    return [line.removeprefix("$ ") for block in blocks for line in block.splitlines() if line.startswith("$ ")]


def test_quick_start_clones_makes_a_venv_installs_and_audits() -> None:
    commands = quick_start()
    assert commands[0].startswith(f"git clone {REPOSITORY}")
    assert any("python3 -m venv .venv" in command for command in commands)
    assert "pip install -e '.[test]' && stack-auditor audit examples/fastapi-on-django" in commands


def test_quick_start_and_ci_run_the_same_install_and_tests() -> None:
    """.ci/run installs what the quick start installs and runs its test command, word for word."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = quick_start()
    (test_command,) = [command for command in commands if command.startswith("python -m pytest")]
    assert test_command in ci.splitlines()
    assert "python -m pip install --quiet -e '.[test]'" in ci


def test_quick_start_audit_is_as_described() -> None:
    """'exit code 1, one error': the example the quick start audits."""
    result = subprocess.run(
        [sys.executable, "-m", "auditor", "audit", "examples/fastapi-on-django"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout.rstrip().endswith("1 project: 1 error, 0 warnings, 0 notes")


def test_links_work_on_a_package_index_page() -> None:
    """Every link is absolute (or an anchor); links into this repository name a file that exists."""
    text = README.read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)\s]+)\)", text)
    assert links
    for link in links:
        assert link.startswith(("https://", "#")), f"relative link {link!r} breaks on a package index page"
        prefix = f"{REPOSITORY}/blob/main/"
        if link.startswith(prefix):
            target = link.removeprefix(prefix).split("#")[0]
            assert (ROOT / target).exists(), link
        tree = f"{REPOSITORY}/tree/main/"
        if link.startswith(tree):
            assert (ROOT / link.removeprefix(tree)).is_dir(), link


def test_docs_point_at_no_release_that_does_not_exist() -> None:
    """No tag and no index release exists yet, so no doc may tell users to use one.

    When the release workflow has published the first version, this test goes (and the docs name it).
    """
    files = [README, ROOT / "action.yml", ROOT / ".pre-commit-hooks.yaml", *sorted((ROOT / "docs").glob("*.md"))]
    files += sorted((ROOT / "examples").rglob("*.yml")) + sorted((ROOT / "examples").rglob("*.md"))
    pointers = re.compile(r"stack-auditor/stack-auditor@v\d|rev: v\d|pip install stack-auditor\b|stack-auditor==\d")
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pointers.search(line)
    ]
    assert found == []
