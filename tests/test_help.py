"""Help that helps: choices listed, config names intact, options grouped, -h, two examples per command."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.cli_options import AUDIT_OPTIONS, PANELS
from auditor.render import FORMATS as OUTPUT_FORMATS
from auditor.resolvers import FORMATS as INPUT_FORMATS

COMMANDS = [
    [],
    ["audit"],
    ["graph"],
    ["why"],
    ["upload"],
    ["sweep"],
    ["merge"],
    ["profiles", "list"],
    ["profiles", "show"],
    ["profiles", "check"],
    ["rules", "list"],
    ["rules", "show"],
]


def help_of(command: list[str], flag: str = "--help") -> str:
    result = CliRunner().invoke(app, [*command, flag], env={"COLUMNS": "250", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.output


def test_audit_help_lists_the_choices_and_keeps_config_names() -> None:
    text = help_of(["audit"])
    assert ", ".join(OUTPUT_FORMATS) in text
    assert ", ".join(entry.name for entry in INPUT_FORMATS) in text
    assert "[tool.stack-auditor]" in text  # not eaten as rich markup
    assert "django-monolith" in text  # the shipped profiles, for --profile


def test_audit_options_are_grouped_in_panels_in_order() -> None:
    text = help_of(["audit"])
    positions = [text.index(f"─ {panel} ─") for panel in PANELS]
    assert positions == sorted(positions)
    for option in AUDIT_OPTIONS:
        assert option.flags[0] in text


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "root")
def test_every_help_takes_h_and_ends_with_two_examples(command: list[str]) -> None:
    text = help_of(command, "-h")
    assert text == help_of(command, "--help")
    tail = text[text.rindex("Examples:") :]
    assert len(re.findall(r"^\s*\$ stack-auditor ", tail, re.M)) == 2, tail
