"""One base exception per concern; every message names the file and line first."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AuditorError", "ConfigError", "InputError", "InstallError", "UsageError"]


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
