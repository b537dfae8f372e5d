"""The ``audit`` command's behaviour, independent of the command-line library.

``auditor.cli`` (the Typer command) and ``auditor.entry`` (the start-up fast
path) both call :func:`run_audit_command`, so the two ways in cannot drift
apart. The defaults here are the documented ones; ``tests/test_entry.py``
checks that Typer's match.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from auditor.errors import AuditorError
from auditor.limits import DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_PACKAGES

if TYPE_CHECKING:
    from auditor.findings import Report

__all__ = [
    "error_line",
    "exit_code",
    "run_audit_command",
    "write_output",
]


def write_output(text: str, output: Path | None) -> None:
    """Print, or write atomically: a temp file in the same folder, then a rename."""
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        return
    from auditor.atomic import write_atomic

    write_atomic(output, text)


def error_line(message: str) -> None:
    """One ``stack-auditor: message`` line on stderr."""
    from auditor.render.escape import terminal

    sys.stderr.write(f"stack-auditor: {terminal(message)}\n")


def run_audit_command(
    paths: list[Path] | None = None,
    profile: str | None = None,
    output_format: str = "text",
    output: Path | None = None,
    fail_on: str | None = None,
    rules: list[Path] | None = None,
    exclude: list[str] | None = None,
    input_format: str | None = None,
    category: str | None = None,
    explain_profile: bool = False,
    link_base: str | None = None,
    color: bool | None = None,
    baseline: Path | None = None,
    fail_on_new: bool = False,
    sarif_per_project: Path | None = None,
    no_config: bool = False,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    max_packages: int = DEFAULT_MAX_PACKAGES,
    policy_from_org_only: bool = False,
    hard_exit: bool = False,
) -> int:
    """Audit ``paths``, write the report, and return the exit code (0, 1 or 2).

    With ``hard_exit``, a completed audit ends the process instead of returning
    (the console script's fast path; see :func:`_hard_exit`).
    """
    from auditor.audit import AuditOptions
    from auditor.audit import audit as run_audit
    from auditor.config import FAIL_ON_VALUES
    from auditor.render import FORMATS, RenderOptions, by_name

    renderer = by_name(output_format)
    if renderer is None:
        names = ", ".join(FORMATS)
        return _usage_failure(f"unknown --format {output_format!r} (choose from: {names})")
    if fail_on is not None and fail_on not in FAIL_ON_VALUES:
        return _usage_failure(f"unknown --fail-on {fail_on!r} (choose from: {', '.join(FAIL_ON_VALUES)})")
    options = AuditOptions(
        profile=profile,
        rule_dirs=tuple(rules or ()),
        excludes=tuple(exclude or ()),
        input_format=input_format,
        explain_profile=explain_profile,
        use_config=not no_config,
        fail_on=fail_on,
        max_file_bytes=max_file_bytes,
        max_packages=max_packages,
        policy_from_org_only=policy_from_org_only,
    )
    try:
        targets = list(paths or [Path()])
        report = run_audit(targets if len(targets) > 1 else targets[0], options)
    except AuditorError as error:
        return _usage_failure(str(error))
    if fail_on_new and baseline is None:
        return _usage_failure("--fail-on-new needs --baseline")
    if baseline is not None:
        from auditor.baseline import apply_baseline

        try:
            apply_baseline(report, baseline)
        except AuditorError as error:
            return _usage_failure(str(error))
    if sarif_per_project is not None:
        from auditor.render.sarif import write_per_project

        write_per_project(report, sarif_per_project)
    use_color = (
        color if color is not None else (output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    )
    render_options = RenderOptions(color=use_color, category=category, link_base=link_base)
    write_output(renderer.render(report, render_options), output)
    for failure in report.failures:
        error_line(str(failure))
    code = exit_code(report, options.fail_on or "error", only_new=fail_on_new)
    if hard_exit:
        _hard_exit(code)
    return code


def _hard_exit(code: int) -> NoReturn:
    """End the process without freeing the report, the graph, or the interpreter.

    As mypy's ``--fast-exit``: Python would otherwise spend about 0.1 s after a
    5,000-package audit deallocating objects one by one. Nothing else is pending:
    the report file is written and closed (renamed into place), and the standard
    streams are flushed here.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _usage_failure(message: str) -> int:
    error_line(message)
    return 2


def exit_code(report: Report, fail_on: str, only_new: bool = False) -> int:
    """2 when an input failed, else 1 when a counted (with ``only_new``: new) finding reaches ``fail_on``."""
    from auditor.findings import Severity

    if report.failures:
        return 2
    if fail_on == "never":
        return 0
    threshold = Severity(fail_on)
    counted = [f for f in report.counted() if not only_new or f.baseline_state == "new"]
    return 1 if any(f.severity >= threshold for f in counted) else 0
