"""Output injection (issue 18, class 10): input-derived text is escaped for the medium it lands in.

File and folder names, project names, requirement lines and error messages
come from the audited repository. On a terminal they must not carry escape
sequences (a fake "0 errors" line); in Markdown (a PR comment) they must not
format, link or mention; in ``summary.csv`` they must not be formulas; in
SARIF a file name is a percent-encoded URI reference.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.render.escape import csv_cell, md_code, md_text, terminal, uri_path
from tests.sweep_helpers import make_repo, sweep

REPO = Path(__file__).resolve().parents[2]
DRIFTING = REPO / "examples" / "fastapi-on-django"
FAKE = "\x1b[2K\r0 errors, 0 warnings\x1b]8;;https://evil.example\x07"
OUR_SGR = re.compile(r"\x1b\[(?:1;31|33|36|2|1|0)m")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "auditor", *args], capture_output=True, text=True, check=False, cwd=REPO
    )


@pytest.fixture
def hostile_tree(tmp_path: Path) -> Path:
    root = tmp_path / "mono"
    shutil.copytree(DRIFTING, root / "svc\x1b[31m\r0 errors")
    shutil.copytree(DRIFTING, root / "[click me](https:evil.example) @acme/admins <img src=x>")
    (root / "named").mkdir()
    (root / "named" / "pyproject.toml").write_text(
        '[project]\nname = "x"\nversion = "1"\ndependencies = ["django", "fastapi"]\n'
    )
    (root / "named" / "requirements.txt").write_text(f"django==5.0\nnot a requirement {FAKE}\n")
    return root


def test_terminal_text_carries_no_escape_sequence_from_inputs(hostile_tree: Path) -> None:
    plain = _cli("audit", str(hostile_tree), "-f", "text", "--no-color")
    assert "\x1b" not in plain.stdout and "\r" not in plain.stdout and "\x07" not in plain.stdout
    assert "svc\\x1b[31m\\x0d0 errors" in plain.stdout  # shown, escaped
    coloured = _cli("audit", str(hostile_tree), "-f", "text", "--color")
    assert "\x1b" in coloured.stdout and "\r" not in coloured.stdout
    assert "\x1b" not in OUR_SGR.sub("", coloured.stdout)  # every escape left is one of ours
    assert "\x1b" not in plain.stderr and "\x1b" not in coloured.stderr


def test_markdown_renders_input_text_literally(hostile_tree: Path) -> None:
    done = _cli("audit", str(hostile_tree), "-f", "markdown", "--link-base", "https://github.com/acme/app/blob/main")
    text = done.stdout
    outside_code = re.sub(r"(`+)[^`].*?\1", "", text)  # code spans render literally
    assert not re.search(r"(?<!\\)\]\((?!https://github\.com/acme/app/blob/main/[^ )]+\))", outside_code)
    assert not re.search(r"(?<!\\)<img", outside_code) and "\x1b" not in text
    assert not re.search(r"(?<!\\)@acme", outside_code)  # no mention
    assert "[click me](https:evil.example)" in text  # still shown, in a code span
    columns = 0
    for line in text.splitlines():  # no input broke a table row into more cells
        if not line.startswith("|"):
            columns = 0
            continue
        pipes = len(re.findall(r"(?<!\\)\|", line))
        columns = columns or pipes
        assert pipes == columns, line


def test_sarif_uris_are_percent_encoded(tmp_path: Path) -> None:
    root = tmp_path / "mono"
    shutil.copytree(DRIFTING, root / "a #b?c%d e")
    done = _cli("audit", str(root), "-f", "sarif")
    sarif = json.loads(done.stdout)
    uris = {
        location["physicalLocation"]["artifactLocation"]["uri"]
        for result in sarif["runs"][0]["results"]
        for location in result["locations"]
    }
    assert uris and all(uri.startswith("a%20%23b%3Fc%25d%20e/") for uri in uris), uris


def test_summary_csv_cells_are_never_formulas(tmp_path: Path) -> None:
    root = tmp_path / "root"
    names = ["=HYPERLINK(1)", "+1+1", "-2+3", "@SUM(A1)"]
    for name in names:
        make_repo(root / name, "django-monolith")
    sweep(tmp_path / "out", roots=(root,))
    rows = list(csv.reader(io.StringIO((tmp_path / "out" / "summary.csv").read_text())))
    cells = [cell for row in rows[1:] for cell in row]
    assert {f"'{name}" for name in names} <= set(cells)
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_escape_helpers() -> None:
    assert terminal("a\x1bb\rc\u202ed\te") == "a\\x1bb\\x0dc\\u202ed\te"
    assert md_text("*x* [a](b) <i> @u a|b ~~s~~") == "\\*x\\* \\[a\\](b) \\<i\\> \\@u a\\|b \\~\\~s\\~\\~"
    assert md_code("a`b") == "`` a`b ``" and md_code("plain") == "`plain`"
    assert csv_cell("=1") == "'=1" and csv_cell("ok") == "ok" and csv_cell(-1) == -1
    assert uri_path("a b/#?%.txt") == "a%20b/%23%3F%25.txt"
