"""Exit codes and outputs under failure (issue 18, classes 8 and 7's output part, and file modes).

An unexpected exception is exit 3 with one line (never 1, the code for
findings); an output that cannot be written is exit 2 naming the path; and
output files are created as any other tool creates them (0666 less the umask).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import auditor.audit_command
import auditor.cli
from auditor import entry
from auditor.atomic import OutputError, write_atomic
from auditor.errors import EXIT_INTERNAL_ERROR

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "django-monolith"


def _boom(*_args: Any, **_kwargs: Any) -> int:
    raise RuntimeError("unexpected \x1b[2Jstate")


def _exit_code(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> int:
    monkeypatch.setattr(sys, "argv", ["stack-auditor", *argv])
    with pytest.raises(SystemExit) as raised:
        entry.main()
    code = raised.value.code
    assert isinstance(code, int)
    return code


def test_an_internal_error_in_audit_is_exit_3_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("STACK_AUDITOR_DEBUG", raising=False)
    monkeypatch.setattr(auditor.audit_command, "run_audit_command", _boom)
    assert _exit_code(monkeypatch, ["audit", str(EXAMPLE)]) == EXIT_INTERNAL_ERROR == 3
    err = capsys.readouterr().err
    assert "internal error: RuntimeError" in err and "Traceback" not in err and "\x1b" not in err


def test_an_internal_error_in_any_other_command_is_exit_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("STACK_AUDITOR_DEBUG", raising=False)
    monkeypatch.setattr(auditor.cli, "app", _boom)
    assert _exit_code(monkeypatch, ["sweep", "--root", str(EXAMPLE)]) == 3
    assert "internal error" in capsys.readouterr().err


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "auditor", *args], capture_output=True, text=True, check=False, cwd=REPO
    )


def test_output_to_a_folder_is_exit_2_naming_it(tmp_path: Path) -> None:
    for output_format in ("text", "json"):
        done = _cli("audit", str(EXAMPLE), "-f", output_format, "-o", str(tmp_path))
        assert done.returncode == 2, done.stderr
        assert f"cannot write {tmp_path}: it is a folder" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux) to fill a disk")
def test_a_full_disk_is_exit_2_naming_the_output() -> None:
    done = _cli("audit", str(EXAMPLE), "-o", "/dev/full")
    assert done.returncode == 2, done.stderr
    assert "cannot write /dev/full: No space left on device" in done.stderr and "Traceback" not in done.stderr


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.mark.usefixtures("umask")
def test_outputs_honour_the_umask_and_keep_an_existing_mode(tmp_path: Path) -> None:
    fresh = tmp_path / "report.sarif"
    write_atomic(fresh, "{}\n")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
    os.umask(0o077)
    private = tmp_path / "private.json"
    write_atomic(private, "{}\n")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    os.umask(0o022)
    fresh.chmod(0o640)
    write_atomic(fresh, "[]\n")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640 and fresh.read_text() == "[]\n"


def test_cli_output_file_mode(tmp_path: Path) -> None:
    out = tmp_path / "a.txt"
    done = subprocess.run(
        ["sh", "-c", f'umask 022 && exec "{sys.executable}" -m auditor audit "{EXAMPLE}" -o "{out}"'],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert done.returncode in (0, 1), done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_write_failure_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot write"):
        write_atomic(blocker / "below" / "out.json", "{}")
