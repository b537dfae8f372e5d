"""One base exception per concern; every message names the file and line first."""

from __future__ import annotations

import sys
from dataclasses import dataclass

__all__ = [
    "EXIT_INTERNAL_ERROR",
    "AuditorError",
    "ConfigError",
    "InputError",
    "UsageError",
    "error_line",
    "internal_error",
]

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
    sys.stderr.write(f"stack-auditor: {message}\n")


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
