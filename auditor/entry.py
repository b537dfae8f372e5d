"""The console-script entry point: answer the common command lines before Typer is loaded.

Importing Typer and building its command tree costs about 90 ms, more than
reading a typical lockfile. ``--version`` and ``audit`` command lines made
only of the options in :data:`AUDIT_OPTIONS` (built from
:mod:`auditor.cli_options`, the table the Typer command is built from too)
are parsed here, with the same
meaning Click gives them, and run through the same
:func:`~auditor.audit_command.run_audit_command` as the Typer command.
Anything else (``--help``, an unknown or malformed option, another command)
goes to the Typer app, which owns help, completion and every usage error.
``tests/test_entry.py`` checks that both parsers produce the same call.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import Any

from auditor import __version__
from auditor.cli_options import spellings

__all__ = ["AUDIT_OPTIONS", "main", "parse_audit_argv"]

# Option spelling -> (parameter of run_audit_command, kind, or the bool a flag sets),
# from the one table of audit options (auditor.cli_options), as the Typer command is.
AUDIT_OPTIONS: dict[str, tuple[str, str | bool]] = dict(spellings())


def parse_audit_argv(args: list[str]) -> dict[str, Any] | None:
    """Keyword arguments for ``run_audit_command``, or None when Typer must handle ``args``.

    Accepted forms, as Click reads them: ``--opt value``, ``--opt=value``,
    ``-o value``, ``-ovalue``, flags, positional paths anywhere, and ``--``.
    """
    kwargs: dict[str, Any] = {}
    paths: list[Path] = []
    position = 0
    while position < len(args):
        word = args[position]
        position += 1
        if word == "--":
            paths.extend(Path(arg) for arg in args[position:])
            break
        if word == "-" or not word.startswith("-"):
            paths.append(Path(word))
            continue
        spelling, attached = _split_option(word)
        if spelling not in AUDIT_OPTIONS:
            return None
        name, kind = AUDIT_OPTIONS[spelling]
        if isinstance(kind, bool):
            if attached is not None:
                return None
            kwargs[name] = kind
            continue
        if attached is None:
            if position == len(args):
                return None
            attached = args[position]
            position += 1
        value = _convert(kind, attached)
        if value is None:
            return None
        if kind in ("paths", "strs"):
            kwargs.setdefault(name, []).append(value)
        else:
            kwargs[name] = value
    if paths:
        kwargs["paths"] = paths
    return kwargs


def _split_option(word: str) -> tuple[str, str | None]:
    """``--opt=value`` and ``-ovalue`` into spelling and attached value."""
    if word.startswith("--"):
        spelling, equals, value = word.partition("=")
        return spelling, value if equals else None
    if len(word) > 2:
        return word[:2], word[2:]
    return word, None


def _convert(kind: str, text: str) -> Path | str | int | None:
    if kind in ("path", "paths"):
        return Path(text)
    if kind == "positive-int":
        try:
            number = int(text)
        except ValueError:
            return None
        return number if number >= 1 else None
    return text


def main() -> None:
    """Console-script entry point (exit codes: 0 clean, 1 findings, 2 usage or input error, 3 a bug)."""
    args = sys.argv[1:]
    if args == ["--version"]:
        sys.stdout.write(f"stack-auditor {__version__}\n")
        return
    parsed = parse_audit_argv(args[1:]) if args[:1] == ["audit"] else None
    if parsed is None:
        from auditor.cli import main as typer_main

        typer_main()
        return
    # As mypy does: an audit allocates many long-lived objects and frees few cycles, and the
    # collector's default thresholds spent ~8% of a 5,000-package audit re-scanning them.
    # (Not for `sweep`: a long run keeps the default, and its peak memory with it.)
    gc.set_threshold(200_000, 30, 30)
    from auditor.audit_command import run_audit_command
    from auditor.errors import AuditorError, report_error

    try:
        code = run_audit_command(**parsed, hard_exit=True)
    except AuditorError as error:
        code = report_error(error)
    except KeyboardInterrupt:  # as Click reports it
        sys.stderr.write("\nAborted!\n")
        code = 1
    except BrokenPipeError:  # the reader went away (``| head``): quiet, as Click is
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 1
    except Exception as error:
        from auditor.errors import internal_error

        code = internal_error(error)
    sys.exit(code)
