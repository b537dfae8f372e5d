"""One error base per layer; every message names the file and line first.

Each layer raises its own base (or a subclass of it), all under
:class:`AuditorError`:

- Face (the command line): :class:`UsageError`, raised before any work;
- Read (input files): :class:`InputError`, ``file:line: what was expected``;
- Judge (configuration, rules, profiles): :class:`ConfigError`;
- the installation itself (shipped rules, profiles): :class:`InstallError`;
- GitHub: :class:`auditor.github.errors.GitHubError`.

An input that cannot be read does not stop an audit: it becomes a failure in
the report (exit code 2, every other project still audited). Everything else
propagates to one handler per way in (the Typer app's command group and the
console script's fast path), and both end in :func:`report_error`: one
``stack-auditor: message`` line on stderr, never a traceback, exit code 2.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

__all__ = [
    "EXIT_CLEAN",
    "EXIT_ERROR",
    "EXIT_FINDINGS",
    "EXIT_INTERNAL_ERROR",
    "AuditorError",
    "ConfigError",
    "InputError",
    "InstallError",
    "UsageError",
    "error_line",
    "internal_error",
    "report_error",
]

EXIT_CLEAN = 0  # nothing at or above --fail-on
EXIT_FINDINGS = 1  # findings at or above --fail-on
EXIT_ERROR = 2  # a usage error, an unreadable input or configuration, an output that cannot be written
# An unexpected exception (a bug in stack-auditor), never 1: CI must not take a crash for findings.
EXIT_INTERNAL_ERROR = 3


class AuditorError(Exception):
    """Base of every error stack-auditor reports to the user (exit code 2)."""


@dataclass(eq=False)
class InputError(AuditorError):
    """An input file could not be read as its format: ``file:line: message``.

    ``line`` is 1-based; 0 means the problem concerns the whole file.
    """

    file: str
    line: int
    message: str
    column: int = 0

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass(eq=False)
class ConfigError(AuditorError):
    """A configuration, rule or profile file is invalid."""

    file: str
    line: int
    message: str

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class UsageError(AuditorError):
    """The command line asks for something that cannot be done."""


def error_line(message: str) -> None:
    """One ``stack-auditor: message`` line on stderr (every command reports errors this way)."""
    from auditor.render.escape import terminal  # a message may quote a hostile file's text

    sys.stderr.write(f"stack-auditor: {terminal(message)}\n")


def internal_error(error: BaseException) -> int:
    """Report an unexpected exception in one line (the traceback with ``STACK_AUDITOR_DEBUG=1``).

    Returns :data:`EXIT_INTERNAL_ERROR`; an :class:`OSError` that escaped (an output that could
    not be written) is the user's environment, not a bug: exit code 2.
    """
    import os

    if os.environ.get("STACK_AUDITOR_DEBUG"):
        import traceback

        traceback.print_exception(type(error), error, error.__traceback__, file=sys.stderr)
    if isinstance(error, OSError):
        where = f" {error.filename}" if error.filename else ""
        sys.stderr.write(f"stack-auditor:{where} {error.strerror or error}\n")
        return 2
    text = str(error).encode("unicode_escape").decode("ascii")[:500]
    sys.stderr.write(
        f"stack-auditor: internal error: {type(error).__name__}: {text}\n"
        f"(a bug in stack-auditor: please report it; STACK_AUDITOR_DEBUG=1 shows the traceback)\n"
    )
    return EXIT_INTERNAL_ERROR


class InstallError(AuditorError):
    """stack-auditor's own shipped files (rules, profiles, schemas) are missing or empty."""


def report_error(error: AuditorError) -> int:
    """The one place an error becomes what the user sees: a line on stderr, and the exit code."""
    error_line(str(error))
    return EXIT_ERROR
