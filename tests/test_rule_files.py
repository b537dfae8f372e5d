"""Rule files: the schema rejects unknown keys with file:line; help sections are enforced; no doc drift."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from auditor import docs
from auditor.errors import ConfigError
from auditor.policy.rules import HELP_SECTIONS, check_help, load_rule_file, load_rules
from auditor.policy.schema import load_schema, validate

ROOT = Path(__file__).resolve().parents[1]

HELP = '''help = """
## What it flags
x
## Why it matters
x
## How to fix
x
## Example
x
"""
'''


def rule_text(extra: str = "", condition: str = 'condition = { present = ["requests"] }') -> str:
    return (
        '# a comment\n[[rule]]\nid = "X001"\nname = "some-rule"\nseverity = "warning"\nsummary = "s"\n'
        f'{condition}\nmessage = "m"\n{extra}{HELP}'
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (rule_text('colour = "red"\n'), ":9: rule[0].colour: unknown key 'colour'"),
        (
            rule_text(condition='condition = { present = ["a"], bogus = true }'),
            ":7: rule[0].condition.bogus: unknown key 'bogus'",
        ),
        (
            rule_text().replace('severity = "warning"', 'severity = "fatal"'),
            ":5: rule[0].severity: must be one of error, warning, note",
        ),
        (
            rule_text().replace('name = "some-rule"', 'name = "Some Rule"'),
            ":4: rule[0].name: must be kebab-case",
        ),
        (rule_text().replace('summary = "s"\n', ""), ":2: rule[0]: missing required key 'summary'"),
        (
            rule_text(condition='condition = { present = ["a"], version = "~~1" }'),
            ":7: invalid version specifier",
        ),
        (
            rule_text(condition='condition = { present = ["a"], scopes = ["prod"] }'),
            ":7: rule[0].condition.scopes[0]: must be runtime",
        ),
        (rule_text().replace("## How to fix\nx\n", ""), "help lacks the section '## How to fix'"),
        ("[[rule]]\nid = 3\n", ":2: rule[0].id: must be a string"),
        ("[rules]\n", ":1: rules: unknown key 'rules'"),
        ("[[rule]\n", "invalid TOML"),
    ],
)
def test_rule_file_errors_are_located(tmp_path: Path, text: str, expected: str) -> None:
    """A bad rule file gives one ConfigError naming the file, the line and the key path."""
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_rule_file(path)
    assert expected in str(caught.value)
    assert str(caught.value).startswith(path.as_posix())


def test_duplicate_rule_id_across_dirs(tmp_path: Path) -> None:
    """A rule id defined twice (shipped and custom) is an error naming both files."""
    (tmp_path / "dup.toml").write_text(rule_text().replace('"X001"', '"SA101"'))
    with pytest.raises(ConfigError, match="duplicate rule id 'SA101'"):
        load_rules([tmp_path])


def test_help_sections_order() -> None:
    """Sections must all be present and in the fixed order."""
    good = "\n".join(f"## {s}\nx" for s in HELP_SECTIONS)
    assert check_help(good) is None
    swapped = "\n".join(f"## {s}\nx" for s in reversed(HELP_SECTIONS))
    assert "out of order" in (check_help(swapped) or "")


def test_shipped_rules_and_catalog_help() -> None:
    """Every shipped rule and every checkable catalog entry has the four help sections."""
    from auditor.policy.catalog import load_catalog

    assert len(load_rules()) >= 10
    for entry in load_catalog().anti.values():
        if entry.condition is not None or entry.evidence:
            assert check_help(entry.help) is None, entry.key


def test_shipped_files_pass_the_checks_skipped_at_run_time() -> None:
    """Shipped rule files and the catalog load the same with every check on; shipped profiles pass the schema."""
    from auditor.policy.catalog import CATALOG_FILE, Catalog, _merge
    from auditor.resources import shipped_rules_dir

    files = sorted(shipped_rules_dir().glob("*.toml"))
    assert len(files) >= 4
    for path in files:
        if path.name == CATALOG_FILE:
            checked, trusted = Catalog({}, {}), Catalog({}, {})
            _merge(checked, path)
            _merge(trusted, path, shipped=True)
            assert checked == trusted
        else:
            assert load_rule_file(path) == load_rule_file(path, shipped=True)
    profiles = sorted((ROOT / "profiles").glob("*.json"))
    assert len(profiles) >= 6
    for profile in profiles:
        assert validate(json.loads(profile.read_text()), load_schema("profile")) == [], profile.name


def test_an_extra_rules_folder_is_checked_in_full(tmp_path: Path) -> None:
    """Only stack-auditor's own files skip the checks: an extra folder's bad specifier is still refused."""
    (tmp_path / "catalog.toml").write_text(
        '[anti.x]\nsummary = "x"\ncondition = { present = ["django"], version = ">=>5" }\n'
    )
    from auditor.policy.catalog import load_catalog

    with pytest.raises(ConfigError, match="invalid version specifier"):
        load_catalog([tmp_path])


@pytest.mark.parametrize("name", ["rule-file", "profile", "catalog"])
def test_schemas_are_valid_json_schema(name: str) -> None:
    """The shipped schemas are real JSON Schema (checked by jsonschema's meta-schema)."""
    jsonschema.Draft202012Validator.check_schema(load_schema(name))


def test_builtin_validator_agrees_with_jsonschema() -> None:
    """On every shipped profile and a few broken ones, the small validator and jsonschema agree."""
    schema = load_schema("profile")
    full = jsonschema.Draft202012Validator(schema)
    samples = [json.loads(p.read_text()) for p in sorted((ROOT / "profiles").glob("*.json"))]
    samples += [
        {"profile_name": "x", "stak": {}},
        {"profile_name": 3},
        {"profile_name": "x", "stack": {"a": [1]}},
        {},
    ]
    for sample in samples:
        assert bool(validate(sample, schema)) == bool(list(full.iter_errors(sample))), sample


def test_generated_docs_are_current() -> None:
    """docs/rules and docs/profiles match what `python -m auditor.docs` generates (the CI --check)."""
    assert docs.main(["--check", "--out", str(ROOT / "docs")]) == 0


def test_docs_check_detects_drift(tmp_path: Path) -> None:
    """--check fails on a missing page and on a stale one; writing fixes both."""
    assert docs.main(["--out", str(tmp_path)]) == 0
    assert docs.main(["--check", "--out", str(tmp_path)]) == 0
    (tmp_path / "rules" / "SA101.md").write_text("edited by hand\n")
    (tmp_path / "rules" / "SA999.md").write_text("stale\n")
    assert docs.main(["--check", "--out", str(tmp_path)]) == 1
    assert docs.main(["--out", str(tmp_path)]) == 0
    assert not (tmp_path / "rules" / "SA999.md").exists()


def test_sarif_rule_metadata_points_at_docs() -> None:
    """The rule metadata that feeds SARIF rules[] links to the generated page, which exists."""
    for rule in load_rules():
        relative = rule.meta.help_uri.split("/blob/main/", 1)[1]
        assert (ROOT / relative).is_file(), relative
