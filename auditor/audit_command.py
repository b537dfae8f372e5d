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

from auditor.errors import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, UsageError, error_line
from auditor.limits import DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_PACKAGES

if TYPE_CHECKING:
    from auditor.findings import Report
    from auditor.render.base import Renderer

__all__ = [
    "automation_id",
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
    include: list[str] | None = None,
    no_default_excludes: bool = False,
    no_code: bool = False,
    no_git: bool = False,
    policy_from_org_only: bool = False,
    hard_exit: bool = False,
) -> int:
    """Audit ``paths``, write the report, and return the exit code (0, 1 or 2).

    An input that cannot be read is reported in the report and makes the exit
    code 2; anything that stops the audit itself (a bad option value, checked
    before any work, or an unreadable configuration) is raised as an
    :class:`~auditor.errors.AuditorError`, for the caller's one handler
    (:func:`auditor.errors.report_error`). With ``hard_exit``, a completed
    audit ends the process instead of returning (the console script's fast
    path; see :func:`_hard_exit`).

    (long: the usage checks, then the run and its outputs)
    """
    from auditor.audit import AuditOptions
    from auditor.audit import audit as run_audit
    from auditor.render import RenderOptions

    renderer = _check_usage(output_format, fail_on, input_format, baseline, fail_on_new)
    options = AuditOptions(
        profile=profile,
        rule_dirs=tuple(rules or ()),
        excludes=tuple(exclude or ()),
        includes=tuple(include or ()),
        default_excludes=not no_default_excludes,
        input_format=input_format,
        explain_profile=explain_profile,
        use_config=not no_config,
        fail_on=fail_on,
        max_file_bytes=max_file_bytes,
        max_packages=max_packages,
        read_code=not no_code,
        read_git=not no_git,
        policy_from_org_only=policy_from_org_only,
    )
    targets = list(paths or [Path()])
    report = run_audit(targets if len(targets) > 1 else targets[0], options)
    if baseline is not None:
        from auditor.baseline import apply_baseline

        apply_baseline(report, baseline)
    if sarif_per_project is not None:
        from auditor.atomic import write_atomic
        from auditor.render.sarif import render_per_project

        for name, text in render_per_project(report).items():
            write_atomic(sarif_per_project / name, text)
    use_color = (
        color if color is not None else (output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    )
    render_options = RenderOptions(color=use_color, category=automation_id(category), link_base=link_base)
    write_output(renderer.render(report, render_options), output)
    for failure in report.failures:
        error_line(str(failure))
    if report.no_dependency_files:
        from auditor.discover import no_dependency_files_message

        error_line(no_dependency_files_message(report.root, report.excluded, report.skipped))
    code = exit_code(report, options.fail_on or "error", only_new=fail_on_new)
    if hard_exit:
        _hard_exit(code)
    return code


def _check_usage(
    output_format: str, fail_on: str | None, input_format: str | None, baseline: Path | None, fail_on_new: bool
) -> Renderer:
    """The renderer, once every option value is known good: a :class:`UsageError` before any work."""
    from auditor.config import FAIL_ON_VALUES
    from auditor.render import FORMATS, by_name
    from auditor.resolvers import FORMATS as INPUT_FORMATS
    from auditor.resolvers import format_named

    renderer = by_name(output_format)
    if renderer is None:
        raise UsageError(f"unknown --format {output_format!r} (choose from: {', '.join(FORMATS)})")
    if fail_on is not None and fail_on not in FAIL_ON_VALUES:
        raise UsageError(f"unknown --fail-on {fail_on!r} (choose from: {', '.join(FAIL_ON_VALUES)})")
    if input_format is not None and format_named(input_format) is None:
        names = ", ".join(entry.name for entry in INPUT_FORMATS)
        raise UsageError(f"unknown input format {input_format!r} (known: {names})")
    if fail_on_new and baseline is None:
        raise UsageError("--fail-on-new needs --baseline")
    if baseline is not None and not baseline.is_file():
        raise UsageError(f"{baseline}: --baseline file not found")
    return renderer


def automation_id(category: str | None) -> str | None:
    """``--category api`` as codeql-action writes it: ``api/``.

    GitHub reads ``runAutomationDetails.id`` as ``<category>/<run id>``: an id
    without a ``/`` is a run of the *empty* category, so two jobs with
    ``--category api`` and ``--category web`` would replace each other.
    codeql-action appends the ``/`` to its ``category`` input and never
    overrides an id that is set; writing the same id keeps the two in step.
    """
    if not category:
        return None
    return category if category.endswith("/") else f"{category}/"


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


def exit_code(report: Report, fail_on: str, only_new: bool = False) -> int:
    """2 when an input failed or nothing was found to audit, else 1 when a counted
    (with ``only_new``: new) finding reaches ``fail_on``."""
    from auditor.findings import Severity

    if report.failures or report.no_dependency_files:
        return EXIT_ERROR
    if fail_on == "never":
        return EXIT_CLEAN
    threshold = Severity(fail_on)
    counted = [f for f in report.counted() if not only_new or f.baseline_state == "new"]
    return EXIT_FINDINGS if any(f.severity >= threshold for f in counted) else EXIT_CLEAN
