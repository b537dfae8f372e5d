"""The start-up fast path reads an ``audit`` command line exactly as the Typer app does.

Both ways end in ``run_audit_command``; these tests capture the call each one
makes and require them to be the same, for hand-picked and generated argv.
"""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, NoReturn

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.main import get_command
from typer.testing import CliRunner

import auditor.audit_command
from auditor.cli import app
from auditor.entry import AUDIT_OPTIONS, parse_audit_argv
from tests.conftest import EXAMPLES

SIGNATURE = inspect.signature(auditor.audit_command.run_audit_command)


def _typer_call(args: list[str], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any] | None:
    """The keyword arguments Typer passes to run_audit_command, or None when Typer refuses ``args``."""
    calls: list[dict[str, Any]] = []

    def capture(**kwargs: Any) -> int:
        calls.append(kwargs)
        return 0

    monkeypatch.setattr(auditor.audit_command, "run_audit_command", capture)
    result = CliRunner().invoke(app, ["audit", *args])
    if not calls:
        assert result.exit_code == 2, result.output  # a usage error, never a crash
        return None
    return calls[0]


def _fast_call(args: list[str]) -> dict[str, Any] | None:
    parsed = parse_audit_argv(args)
    if parsed is None:
        return None
    bound = SIGNATURE.bind(**parsed)
    bound.apply_defaults()
    return dict(bound.arguments)


def _normal(call: dict[str, Any]) -> dict[str, Any]:
    """Click passes an absent repeatable option as ``None`` or ``[]`` depending on version: both mean none.

    ``hard_exit`` is no command-line option: the console entry point adds it after parsing.
    """
    return {key: (None if value == [] else value) for key, value in call.items() if key != "hard_exit"}


ACCEPTED = [
    [],
    ["."],
    ["a", "b/uv.lock", "-"],
    ["--format", "sarif", "-o", "out.sarif", "proj"],
    ["-fjson", "-oout.json", "-pdjango-monolith"],
    ["--format=markdown", "--output=-", "--link-base=https://example.invalid/x"],
    ["--rules", "r1", "--rules=r2", "--exclude", "*.txt", "--exclude", "vendor/**"],
    ["--color", "--no-color", "--explain-profile", "--no-config", "--fail-on-new", "--baseline", "old.sarif"],
    ["--max-file-bytes", "10", "--max-packages=1_000", "--fail-on", "warning", "--category", "c"],
    ["--input-format", "uv-lock", "--sarif-per-project", "per", "x", "--", "-weird-name", "--format"],
    ["-o", "-x"],  # Click takes the next token as the value, dash or not
    ["--output="],
    ["--fail-on", "nonsense", "--format", "nonsense"],  # values are checked by run_audit_command, for both
]

REFUSED = [
    ["--help"],
    ["--unknown"],
    ["--format"],
    ["--no-config=yes"],
    ["--max-packages", "0"],
    ["--max-file-bytes", "ten"],
    ["-5"],
    ["-x"],
]


@pytest.mark.parametrize("args", ACCEPTED, ids=lambda a: " ".join(a) or "(none)")
def test_fast_path_reads_argv_as_typer_does(args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Each common command line is accepted by the fast path and means the same call as under Typer."""
    fast = _fast_call(args)
    assert fast is not None
    assert _normal(fast) == _normal(_typer_call(args, monkeypatch) or {})


@pytest.mark.parametrize("args", REFUSED, ids=lambda a: " ".join(a))
def test_fast_path_leaves_help_and_usage_errors_to_typer(args: list[str]) -> None:
    """Help, unknown options and malformed values go to Typer, which owns their messages."""
    assert parse_audit_argv(args) is None


TOKENS = st.sampled_from(
    [*AUDIT_OPTIONS, "--", "-", "path", "p=q", "7", "0", "-x", "--nope", "--format=json", "-ofile", "--color=1"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(TOKENS, max_size=8))
def test_generated_command_lines_agree(args: list[str]) -> None:
    """On generated argv, whenever the fast path accepts, Typer accepts and makes the same call."""
    fast = _fast_call(args)
    if fast is None:
        return
    with pytest.MonkeyPatch.context() as monkeypatch:
        typer_call = _typer_call(args, monkeypatch)
    assert typer_call is not None, args
    assert _normal(fast) == _normal(typer_call)


def test_the_table_covers_every_typer_audit_option() -> None:
    """Every spelling of every audit option is in AUDIT_OPTIONS, so no option silently falls back to Typer."""
    command = get_command(app).commands["audit"]  # type: ignore[attr-defined]
    spellings = {
        spelling
        for param in command.params
        if param.param_type_name == "option"
        for spelling in (*param.opts, *param.secondary_opts)
    } - {"--help"}
    assert spellings == set(AUDIT_OPTIONS)


def test_typer_defaults_are_run_audit_command_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    """An audit with no options passes run_audit_command's own defaults."""
    defaults = _normal({name: p.default for name, p in SIGNATURE.parameters.items()})
    assert _normal(_typer_call([], monkeypatch) or {}) == defaults


def test_console_script_runs_an_audit_through_the_fast_path(tmp_path: Path) -> None:
    """`python -m auditor audit …` writes the report and ends with the audit's code (a hard exit), without Typer."""
    out = tmp_path / "report.sarif"
    probe = (
        "import os, sys, runpy\n"
        "real_exit = os._exit\n"
        "def hard_exit(code):\n    print('typer' in sys.modules, code, flush=True)\n    real_exit(code)\n"
        "os._exit = hard_exit\n"
        f"sys.argv = ['stack-auditor', 'audit', {str(EXAMPLES / 'fastapi-on-django')!r}, '-f', 'sarif', '-o', "
        f"{str(out)!r}]\n"
        "runpy.run_module('auditor', run_name='__main__')\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert result.stdout.split() == ["False", "1"]
    assert '"ruleId": "django-monolith/fastapi-on-top-of-django"' in out.read_text()


def test_usage_error_on_the_fast_path_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """An unknown --format value is reported by run_audit_command: one line, exit 2, no traceback."""
    result = subprocess.run(
        [sys.executable, "-m", "auditor", "audit", str(tmp_path), "--format", "nope"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("stack-auditor: unknown --format 'nope' (choose from: text, ")
    assert "Traceback" not in result.stderr


def test_entry_main_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """In one process: the fast path's exit code, output and GC thresholds (mypy's); Typer for everything else.

    A finished fast-path audit ends the process with ``os._exit`` (nothing freed);
    here that exit is turned back into ``SystemExit`` so the test survives it.
    """
    import gc

    from auditor import entry

    hard_exits: list[int] = []

    def record_hard_exit(code: int) -> NoReturn:
        hard_exits.append(code)
        raise SystemExit(code)

    monkeypatch.setattr(os, "_exit", record_hard_exit)
    before = gc.get_threshold()
    try:
        monkeypatch.setattr(sys, "argv", ["stack-auditor", "audit", str(EXAMPLES / "fastapi-on-django"), "-f", "json"])
        with pytest.raises(SystemExit) as exited:
            entry.main()
        assert exited.value.code == 1
        assert hard_exits == [1]
        assert '"rule_id": "django-monolith/fastapi-on-top-of-django"' in capsys.readouterr().out
        assert gc.get_threshold() == (200_000, 30, 30)
        monkeypatch.setattr(sys, "argv", ["stack-auditor", "rules", "list"])
        with pytest.raises(SystemExit) as exited:
            entry.main()
        assert exited.value.code == 0
        assert hard_exits == [1]  # Typer's commands return normally
        assert "SA101" in capsys.readouterr().out
    finally:
        gc.set_threshold(*before)
