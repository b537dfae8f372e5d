"""Configuration: [tool.stack-auditor] / .stack-auditor.toml, located errors, paths kept inside the root."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from auditor.config import find_config, load_config, parse_config
from auditor.errors import ConfigError

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "policy"


def test_full_config(tmp_path: Path) -> None:
    """Every key of the documented shape is read, with the ignore's date and declaring line."""
    (tmp_path / "rules").mkdir()
    text = """[project]
name = "x"

[tool.stack-auditor]
profile = "django-monolith"
rules = ["rules"]
fail-on = "warning"

[tool.stack-auditor.severity]
SA104 = "error"

[[tool.stack-auditor.ignore]]
rule = "django-monolith/no-rate-limiting"
package = "djangorestframework"
paths = ["services/legacy/**"]
reason = "rate limits are enforced at the API gateway"
until = 2027-06-30
"""
    config = parse_config(text, "pyproject.toml", tmp_path)
    assert config.profile == "django-monolith"
    assert config.rule_dirs == [(tmp_path / "rules").resolve()]
    assert config.fail_on == "warning"
    assert config.severity == {"SA104": "error"}
    (ignore,) = config.ignores
    assert ignore.until == dt.date(2027, 6, 30)
    assert ignore.paths == ("services/legacy/**",)
    assert ignore.declared_at.line == 12


def test_dotfile_top_level_keys(tmp_path: Path) -> None:
    """.stack-auditor.toml takes the keys at the top level and wins over pyproject.toml."""
    (tmp_path / "pyproject.toml").write_text('[tool.stack-auditor]\nprofile = "fastapi-python"\n')
    (tmp_path / ".stack-auditor.toml").write_text(
        'profile = "flask-legacy"\n[[ignore]]\nrule = "SA104"\nreason = "r"\n'
    )
    assert find_config(tmp_path) == tmp_path / ".stack-auditor.toml"
    config = load_config(tmp_path)
    assert config.profile == "flask-legacy"
    assert config.ignores[0].declared_at.line == 2


def test_no_config(tmp_path: Path) -> None:
    """A pyproject.toml without the table gives the empty configuration."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert load_config(tmp_path).file == ""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("bogus = 1\n", "pyproject.toml:2: tool.stack-auditor.bogus: unknown key 'bogus'"),
        (
            'fail-on = "sometimes"\n',
            "pyproject.toml:2: tool.stack-auditor.fail-on: must be one of error, warning, note, never",
        ),
        (
            '[tool.stack-auditor.severity]\nSA104 = "fatal"\n',
            "pyproject.toml:3: tool.stack-auditor.severity.SA104: must be one of",
        ),
        (
            '[[tool.stack-auditor.ignore]]\nrule = "SA104"\n',
            "pyproject.toml:2: tool.stack-auditor.ignore: the ignore of 'SA104' needs a non-empty 'reason'",
        ),
        (
            '[[tool.stack-auditor.ignore]]\nrule = "SA104"\nreason = "r"\nuntil = "soon"\n',
            "pyproject.toml:5: tool.stack-auditor.ignore.until: must be a date",
        ),
        (
            '[[tool.stack-auditor.ignore]]\nrule = "SA104"\nreason = "r"\nwhy = "x"\n',
            "pyproject.toml:5: tool.stack-auditor.ignore.why: unknown key 'why'",
        ),
        (
            '[[tool.stack-auditor.ignore]]\nreason = "r"\n',
            "pyproject.toml:2: tool.stack-auditor.ignore: needs a 'rule'",
        ),
        (
            'profile = "no-such-profile"\n',
            "pyproject.toml:2: tool.stack-auditor.profile: no shipped profile or file",
        ),
        ('rules = "x"\n', "pyproject.toml:2: tool.stack-auditor.rules: must be an array"),
    ],
)
def test_config_errors_are_located(tmp_path: Path, body: str, expected: str) -> None:
    """Every config error names the file and the line of the offending key."""
    text = "[tool.stack-auditor]\n" + body
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "pyproject.toml", tmp_path)
    assert str(caught.value).startswith(expected)


def test_paths_outside_root_are_not_followed() -> None:
    """A profile path or rules folder that leaves the audited root is reported, not followed."""
    config = load_config(FIXTURES / "escaping" / "app")
    assert config.profile is None
    assert config.rule_dirs == []
    assert any("'../acme.json' is outside the audited root" in n for n in config.notices)
    assert any("'../rules' is outside the audited root" in n for n in config.notices)


def test_symlink_escape_is_not_followed(tmp_path: Path) -> None:
    """A rules folder that is a symlink to outside the root is caught after resolving it."""
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "root"
    root.mkdir()
    (root / "rules").symlink_to(outside, target_is_directory=True)
    config = parse_config('rules = ["rules"]\n', ".stack-auditor.toml", root)
    assert config.rule_dirs == []
    assert config.notices


def test_profile_path_inside_root(tmp_path: Path) -> None:
    """A profile path inside the root is resolved against the config file's folder."""
    (tmp_path / "acme.json").write_text((FIXTURES / "org" / "acme.json").read_text())
    config = parse_config('profile = "acme.json"\n', ".stack-auditor.toml", tmp_path)
    assert config.profile == str((tmp_path / "acme.json").resolve())


def test_config_profile_extends_cannot_leave_root(tmp_path: Path) -> None:
    """A profile named in the audited repo's config may not extend a file outside the audited root."""
    from auditor.audit import AuditOptions, audit

    outside = tmp_path / "evil.json"
    outside.write_text('{"profile_name": "evil"}')
    root = tmp_path / "repo"
    root.mkdir()
    (root / "mine.json").write_text('{\n  "profile_name": "mine",\n  "extends": "../evil.json"\n}\n')
    (root / ".stack-auditor.toml").write_text('profile = "mine.json"\n')
    (root / "requirements.txt").write_text("flask==3.1.2\n")
    expected = r"mine.json:3: extends '../evil.json': profile file is outside the audited root"
    with pytest.raises(ConfigError, match=expected):
        audit(root, AuditOptions())
    # the same profile given on the command line is trusted
    report = audit(root, AuditOptions(profile=str(root / "mine.json")))
    assert report.projects[0].profile == "mine"


def test_extends_is_relative_to_the_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """extends resolves next to the extending file, not in the working directory."""
    from auditor.policy.profiles import load_profile

    (tmp_path / "cwd").mkdir()
    (tmp_path / "cwd" / "base.json").write_text('{"profile_name": "wrong-base"}')
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "base.json").write_text('{"profile_name": "right-base"}')
    (tmp_path / "p" / "child.json").write_text('{"profile_name": "child", "extends": "base.json"}')
    monkeypatch.chdir(tmp_path / "cwd")
    assert load_profile(str(tmp_path / "p" / "child.json")).extends == ["right-base"]
