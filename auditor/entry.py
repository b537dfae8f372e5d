"""The console-script entry point: answer the common command lines before Typer is loaded.

Importing Typer and building its command tree costs about 90 ms, more than
reading a typical lockfile. ``--version`` and ``audit`` command lines made
only of the options in :data:`AUDIT_OPTIONS` are parsed here, with the same
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

__all__ = ["AUDIT_OPTIONS", "main", "parse_audit_argv"]

# Option spelling -> (parameter of run_audit_command, kind). Kinds: "str" and
# "path" take one value (the last one given wins, as in Click), "strs" and
# "paths" are repeatable, "positive-int" is an int of at least 1, and a bool
# is the value a flag sets.
AUDIT_OPTIONS: dict[str, tuple[str, str | bool]] = {
    "--profile": ("profile", "str"),
    "-p": ("profile", "str"),
    "--format": ("output_format", "str"),
    "-f": ("output_format", "str"),
    "--output": ("output", "path"),
    "-o": ("output", "path"),
    "--fail-on": ("fail_on", "str"),
    "--rules": ("rules", "paths"),
    "--exclude": ("exclude", "strs"),
    "--input-format": ("input_format", "str"),
    "--category": ("category", "str"),
    "--explain-profile": ("explain_profile", True),
    "--link-base": ("link_base", "str"),
    "--color": ("color", True),
    "--no-color": ("color", False),
    "--baseline": ("baseline", "path"),
    "--fail-on-new": ("fail_on_new", True),
    "--sarif-per-project": ("sarif_per_project", "path"),
    "--no-config": ("no_config", True),
    "--max-file-bytes": ("max_file_bytes", "positive-int"),
    "--max-packages": ("max_packages", "positive-int"),
    "--policy-from-org-only": ("policy_from_org_only", True),
}


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
    from auditor.audit_command import error_line, run_audit_command
    from auditor.errors import AuditorError

    try:
        code = run_audit_command(**parsed, hard_exit=True)
    except AuditorError as error:
        error_line(str(error))
        code = 2
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
