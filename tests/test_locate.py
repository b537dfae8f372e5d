"""Line location of keys in TOML and JSON text, used by every located config, rule and profile error."""

from __future__ import annotations

from auditor.policy.locate import json_key_line, toml_line

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
