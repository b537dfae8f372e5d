"""The ``audit`` command's options, each declared once.

One row per option: its spellings, the parameter of
:func:`auditor.audit_command.run_audit_command` it fills, how its value is
read, its help and its help panel. Both ways in are built from this table:
``auditor.entry`` (the start-up fast path, no Typer) reads argv with it, and
``auditor.cli`` makes the Typer command from it. Defaults are
``run_audit_command``'s. This module imports nothing heavy.

To add an option: a row here and a parameter of ``run_audit_command`` with
the same name (``tests/test_entry.py`` checks that the two agree and that
both parsers read every spelling alike).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["AUDIT_OPTIONS", "PANELS", "AuditOption", "Kind", "spellings"]

# How a value is read. "str"/"path": one value (the last one given wins, as in Click);
# "strs"/"paths": repeatable; "positive-int": an int >= 1; "flag": True when given;
# "switch": --name sets True, its ``negative`` spelling False, absent None.
Kind = Literal["str", "path", "strs", "paths", "positive-int", "flag", "switch"]

# Help panels, in the order `audit --help` shows them.
PANELS = ("Input", "Policy", "Output", "CI gating", "Limits")


@dataclass(frozen=True)
class AuditOption:
    name: str
    flags: tuple[str, ...]
    kind: Kind
    panel: str
    help: str
    metavar: str | None = None
    negative: str | None = None  # the "off" spelling of a switch


AUDIT_OPTIONS: tuple[AuditOption, ...] = (
    # Input
    AuditOption(
        "input_format",
        ("--input-format",),
        "str",
        "Input",
        "Read a single file as this format instead of going by its name: {input_formats}.",
        "NAME",
    ),
    AuditOption("exclude", ("--exclude",), "strs", "Input", "Skip paths matching this glob (repeatable).", "GLOB"),
    AuditOption(
        "no_config",
        ("--no-config",),
        "flag",
        "Input",
        "Ignore the project's configuration ([tool.stack-auditor] in pyproject.toml, .stack-auditor.toml).",
    ),
    AuditOption(
        "include",
        ("--include",),
        "strs",
        "Input",
        "Audit paths matching this glob even where a default exclude would skip them (repeatable).",
        "GLOB",
    ),
    AuditOption(
        "no_default_excludes",
        ("--no-default-excludes",),
        "flag",
        "Input",
        "Read every folder: no default excludes (test fixtures, templates, virtual environments, build outputs).",
    ),
    AuditOption(
        "no_code",
        ("--no-code",),
        "flag",
        "Input",
        "Judge dependencies only: read no Python source (the code-evidence stage is off).",
    ),
    AuditOption(
        "no_git", ("--no-git",), "flag", "Input", "Do not run `git log` (team size from recent commit authors)."
    ),
    # Policy
    AuditOption(
        "profile",
        ("--profile", "-p"),
        "str",
        "Policy",
        "Stack profile: a shipped name ({profiles}) or a profile JSON file. Default: the configured one, "
        "else the best match, said in the output.",
        "NAME|FILE",
    ),
    AuditOption(
        "policy_from_org_only",
        ("--policy-from-org-only",),
        "flag",
        "Policy",
        "Ignore the audited repository's own weakening settings (severity off, profiles, catalog overrides).",
    ),
    AuditOption(
        "rules", ("--rules",), "paths", "Policy", "Extra folder of rule files and catalog entries (repeatable).", "DIR"
    ),
    AuditOption("explain_profile", ("--explain-profile",), "flag", "Policy", "Show how each profile scored."),
    # Output
    AuditOption("output_format", ("--format", "-f"), "str", "Output", "Report format: {formats}.", "FORMAT"),
    AuditOption(
        "output", ("--output", "-o"), "path", "Output", "Write the report here (atomically), not stdout.", "FILE"
    ),
    AuditOption(
        "color",
        ("--color",),
        "switch",
        "Output",
        "Colour the text report (default: when stdout is a terminal).",
        negative="--no-color",
    ),
    AuditOption(
        "link_base", ("--link-base",), "str", "Output", "Markdown: base URL that file links start with.", "URL"
    ),
    AuditOption(
        "category",
        ("--category",),
        "str",
        "Output",
        "SARIF: code scanning category (written as runAutomationDetails.id '<category>/').",
        "NAME",
    ),
    AuditOption(
        "sarif_per_project",
        ("--sarif-per-project",),
        "path",
        "Output",
        "Also write one SARIF per project, each with its own category, into DIR.",
        "DIR",
    ),
    # CI gating
    AuditOption(
        "fail_on",
        ("--fail-on",),
        "str",
        "CI gating",
        "Exit 1 on a finding at or above: error, warning, note, or never. Default: the configured one, else error.",
        "LEVEL",
    ),
    AuditOption(
        "baseline",
        ("--baseline",),
        "path",
        "CI gating",
        "A previous SARIF report: mark each result new, unchanged, updated or absent.",
        "SARIF",
    ),
    AuditOption(
        "fail_on_new", ("--fail-on-new",), "flag", "CI gating", "Exit 1 only for new findings (needs --baseline)."
    ),
    # Limits
    AuditOption(
        "max_file_bytes",
        ("--max-file-bytes",),
        "positive-int",
        "Limits",
        "Report a larger input file as too large, unread.",
        "BYTES",
    ),
    AuditOption(
        "max_packages",
        ("--max-packages",),
        "positive-int",
        "Limits",
        "Report a project with more packages as too large.",
        "N",
    ),
)


def spellings() -> dict[str, tuple[str, Kind | bool]]:
    """Every spelling -> (parameter, kind); a switch's spellings map to the bool they set."""
    table: dict[str, tuple[str, Kind | bool]] = {}
    for option in AUDIT_OPTIONS:
        if option.kind == "switch":
            table[option.flags[0]] = (option.name, True)
            assert option.negative is not None
            table[option.negative] = (option.name, False)
            continue
        for flag in option.flags:
            table[flag] = (option.name, True if option.kind == "flag" else option.kind)
    return table
