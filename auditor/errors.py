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
    "AuditorError",
    "ConfigError",
    "InputError",
    "InstallError",
    "UsageError",
    "report_error",
]

EXIT_CLEAN = 0  # nothing at or above --fail-on
EXIT_FINDINGS = 1  # findings at or above --fail-on
EXIT_ERROR = 2  # a usage error, an unreadable input or configuration


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


class InstallError(AuditorError):
    """stack-auditor's own shipped files (rules, profiles, schemas) are missing or empty."""


def report_error(error: AuditorError) -> int:
    """The one place an error becomes what the user sees: a line on stderr, and the exit code."""
    sys.stderr.write(f"stack-auditor: {error}\n")
    return EXIT_ERROR
