"""Line location of keys in TOML and JSON text, used by every located config, rule and profile error."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.config import parse_config
from auditor.errors import ConfigError
from auditor.locate.json import json_key_line
from auditor.locate.toml import toml_line
from auditor.resolvers.pyproject import PyprojectResolver

TOML = """# header
[[rule]]
id = "A"
condition = { present = ["x"] }

[[rule]]
id = "B"
condition = { present = ["y"], bogus = 1 }

[tool.stack-auditor]
profile = "x"
[[tool.stack-auditor.ignore]]
rule = "r"
[[tool.stack-auditor.ignore]]
rule = "s"
until = 2020-01-01
"""


def test_toml_array_of_tables() -> None:
    """The n-th [[rule]] and a key inside it, including one nested in an inline table."""
    assert toml_line(TOML, ("rule", 0)) == 2
    assert toml_line(TOML, ("rule", 1, "id")) == 7
    assert toml_line(TOML, ("rule", 1, "condition", "bogus")) == 8


def test_toml_dotted_tables() -> None:
    """Keys of [tool.stack-auditor] and of its second [[...ignore]] entry."""
    assert toml_line(TOML, ("tool", "stack-auditor", "profile")) == 11
    assert toml_line(TOML, ("tool", "stack-auditor", "ignore", 1, "until")) == 16
    assert toml_line(TOML, ("tool", "stack-auditor", "ignore", 1)) == 14


def test_json_key_line() -> None:
    """The deepest named key, searched after its parents."""
    text = '{\n  "stack": {\n    "queue": "a"\n  },\n  "anti": {\n    "queue": "b"\n  }\n}\n'
    assert json_key_line(text, ("anti", "queue")) == 6
    assert json_key_line(text, ("stack", "queue")) == 3
    assert json_key_line(text, ()) == 1


# The two wrong lines of issue 14: text inside a multi-line string, and a quoted table name.
QUOTED_CONFIG = '''[project]
name = "x"
description = """
A service.
fail-on = "no, this is prose"
"""

[tool.'stack-auditor']
profile = "django-monolith"
fail-on = "sometimes"
'''

LOOKALIKE_DEPENDENCIES = '''[project]
name = "x"
description = """
Install it with:
dependencies = ["django>=5"]
"""
version = "1"
requires-python = ">=3.10"
dependencies = ["django>=5"]
'''


def test_quoted_table_key_error_is_on_its_line(tmp_path: Path) -> None:
    """A bad fail-on under [tool.'stack-auditor'] is reported on line 10, not inside the description."""
    with pytest.raises(ConfigError) as raised:
        parse_config(QUOTED_CONFIG, "pyproject.toml", tmp_path)
    assert (raised.value.line, "fail-on" in raised.value.message) == (10, True)


def test_requirement_lookalike_in_a_string_is_not_the_declaration() -> None:
    """django is declared on line 9; line 5 is text inside the multi-line description."""
    result = PyprojectResolver().parse(LOOKALIKE_DEPENDENCIES, "pyproject.toml")
    assert [(e.child, e.provenance.line if e.provenance else 0) for e in result.edges] == [("django", 9)]
    assert result.projects[0].dependencies_at is not None
    assert result.projects[0].dependencies_at.line == 9


def test_json_path_ignores_lookalike_text() -> None:
    """A key is found by its path: text in a string value or under another parent never matches."""
    text = (
        '{\n  "description": "set \\"anti\\": {\\"queue\\": 1}",\n  "stack": {"queue": "a"},\n'
        '  "items": [\n    {"queue": 1},\n    {"name": "x",\n     "queue": 2}\n  ],\n'
        '  "anti": {\n    "queue": "b"\n  }\n}\n'
    )
    assert json_key_line(text, ("anti", "queue")) == 10
    assert json_key_line(text, ("stack", "queue")) == 3
    assert json_key_line(text, ("items", 1, "queue")) == 7
    assert json_key_line(text, ("items", 1)) == 6
    assert json_key_line(text, ("anti", "missing")) == 9  # the deepest written part
    assert json_key_line(text, ("missing",), 0) == 0
    assert json_key_line("not json", ("a",), 0) == 0


def test_toml_inline_arrays_and_dotted_keys() -> None:
    """Indexes into inline arrays, keys of inline tables, dotted keys and CRLF line ends."""
    text = (
        '[tool."stack-auditor"]\r\nignore = [\r\n  { rule = "A", reason = "x" },\r\n'
        '  { rule = "B",\r\n    reason = "y" },\r\n]\r\nseverity.SA104 = "off"\r\n'
    )
    assert toml_line(text, ("tool", "stack-auditor", "ignore", 1, "reason")) == 5
    assert toml_line(text, ("tool", "stack-auditor", "ignore", 0)) == 3
    assert toml_line(text, ("tool", "stack-auditor", "severity", "SA104")) == 7
    assert toml_line(text, ("tool", "stack-auditor", "ignore", 5)) == 2  # past the end: the array's key
    assert toml_line(text, ("nothing",), 0) == 0


def test_profile_entries_are_located_under_their_parent(tmp_path: Path) -> None:
    """A stack key is found under "stack", an anti-recommendation under its object, not at earlier text."""
    from auditor.policy.profiles import load_profile

    text = """{
  "profile_name": "lines-test",
  "extends": "django-monolith",
  "description": "say \\"queue\\" and \\"testing\\" early",
  "anti_recommendations": {
    "queue": "warn — a key named like a stack entry"
  },
  "stack": {
    "queue": "celery-or-django-rq"
  }
}
"""
    (tmp_path / "lines-test.json").write_text(text, encoding="utf-8")
    profile = load_profile(str(tmp_path / "lines-test.json"))
    assert profile.stack_lines["queue"] == 9
    assert profile.anti["queue"].line == 6
