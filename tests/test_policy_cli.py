"""End to end from the CLI: an org profile extending django-monolith, a custom rules dir with a catalog,
a project config with an expired ignore, inline ignores, fail-on from config, and the inspection commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from tests.conftest import REPO

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "policy"
EXAMPLES = ROOT / "examples"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout


def audit_json(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code, out = run("audit", *args, "--format", "json")
    return code, json.loads(out)


def findings(data: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    return {f["rule_id"]: f for p in data["projects"] for f in p["findings"]}


def test_org_profile_extends_django_monolith() -> None:
    """acme.json extends django-monolith, downgrading one key: FastAPI beside Django warns under its id."""
    code, data = audit_json(EXAMPLES / "fastapi-on-django", "--profile", FIXTURES / "org" / "acme.json", "--no-config")
    found = findings(data)
    anti = found["acme-django/fastapi-on-top-of-django"]
    assert anti["severity"] == "warning"
    assert "tolerated during the migration" in anti["message"]
    assert "anti_recommendations.fastapi-on-top-of-django" not in anti["message"]  # internal notation: JSON only
    assert anti["profile_entry"] == "profile acme-django: anti_recommendations.fastapi-on-top-of-django = warn"
    assert "django-monolith/fastapi-on-top-of-django" not in found
    assert data["projects"][0]["profile"] == "acme-django"
    # everything else of django-monolith is kept: its not-checkable keys are still reported
    assert {"microservices", "raw-sql-without-justification"} <= {
        n["key"] for n in data["projects"][0]["not_checkable"]
    }
    assert code == (1 if any(f["severity"] == "error" for f in found.values()) else 0)


def test_profile_chain_overrides_stack_entry() -> None:
    """A profile extending acme.json by relative path overrides one stack entry and keeps the rest."""
    _code, data = audit_json(
        EXAMPLES / "fastapi-on-django", "--profile", FIXTURES / "org" / "acme-team.json", "--no-config"
    )
    found = findings(data)
    assert "arq-on-redis" in found["acme-payments/stack/queue"]["message"]
    assert found["acme-payments/fastapi-on-top-of-django"]["severity"] == "warning"


def test_custom_rules_dir_with_catalog() -> None:
    """--rules DIR adds its rule files and its catalog.toml overrides a token (Huey counts as the queue)."""
    app_dir = FIXTURES / "huey-app"
    _code, plain = audit_json(app_dir, "--profile", "django-monolith", "--no-config")
    assert "django-monolith/stack/queue" in findings(plain)
    _code, custom = audit_json(
        app_dir, "--profile", "django-monolith", "--no-config", "--rules", FIXTURES / "custom-rules"
    )
    assert "django-monolith/stack/queue" not in findings(custom)
    code, out = run("rules", "show", "ACME001", "--rules", FIXTURES / "custom-rules")
    assert code == 0 and "requests-in-service" in out


def test_config_with_expired_ignore() -> None:
    """An expired ignore stops applying: the finding counts, a notice says so; unmatched ones are reported."""
    code, data = audit_json(FIXTURES / "configured")
    found = findings(data)
    rate = found["django-monolith/no-rate-limiting"]
    assert rate["suppression"] is None
    assert "ACME001" in found  # the config's rules folder
    assert "SA109" not in found  # severity = off in the config
    notices = data["notices"]
    assert any("expired on 2020-06-30; its findings are reported again" in n for n in notices)
    assert any("the ignore of SA105 matched no finding" in n for n in notices)
    assert code == 1


def test_config_suppression_in_json_and_sarif() -> None:
    """A live ignore and an inline ignore suppress findings, which stay in JSON and SARIF with a reason."""
    folder = FIXTURES / "configured-warn"
    code, data = audit_json(folder)
    found = findings(data)
    assert (
        found["django-monolith/no-rate-limiting"]["suppression"]["justification"]
        == "rate limits are enforced at the API gateway"
    )
    assert found["SA108"]["suppression"]["kind"] == "inSource"
    assert data["summary"]["suppressed"] == 2
    assert code == 1  # fail-on = "warning" from the config: SA106 (nose) is a warning
    code, out = run("audit", folder, "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    suppressed = [r for r in results if r.get("suppressions")]
    assert {s["suppressions"][0]["justification"] for s in suppressed} == {
        "rate limits are enforced at the API gateway",
        "zoneinfo migration tracked in ACME-1234",
    }


def test_cli_fail_on_wins_over_config() -> None:
    """--fail-on on the command line wins over fail-on in the config."""
    code, _out = run("audit", FIXTURES / "configured-warn", "--fail-on", "error")
    assert code == 0


def test_config_severity_override() -> None:
    """A severity override in the config changes the finding and its rule metadata."""
    folder = FIXTURES / "configured-warn"
    _code, data = audit_json(folder, "--profile", "django-monolith")
    testing = findings(data).get("django-monolith/stack/testing")
    assert testing is None or testing["severity"] == "note"


def test_config_error_exit_2(tmp_path: Path) -> None:
    """A malformed config is a located error and exit code 2."""
    (tmp_path / ".stack-auditor.toml").write_text('profile = "django-monolith"\nfail-on = "maybe"\n')
    (tmp_path / "requirements.txt").write_text("flask==3.1.2\n")
    result = CliRunner().invoke(app, ["audit", str(tmp_path)])
    assert result.exit_code == 2
    assert ".stack-auditor.toml:2: fail-on: must be one of" in result.stderr


def test_inline_ignores_in_requirements() -> None:
    """An inline ignore with a reason suppresses; one without a reason is not applied and is reported."""
    _code, data = audit_json(FIXTURES / "inline", "--no-config")
    sa104 = [f for p in data["projects"] for f in p["findings"] if f["rule_id"] == "SA104"]
    assert sorted((f["package"], f["suppression"] is not None) for f in sa104) == [
        ("gunicorn", True),
        ("requests", False),
    ]
    assert any("has no reason: not applied" in n for n in data["notices"])


def test_lists_one_entry_a_line() -> None:
    """rules list and profiles list print one entry a line; profile-derived ids are listed."""
    code, out = run("profiles", "list")
    assert code == 0
    # The shipped profiles are the JSON files of profiles/ (a new profile needs no edit here).
    assert out.split() == sorted(p.stem for p in (REPO / "profiles").glob("*.json"))
    assert "django-monolith" in out.split()
    code, out = run("rules", "list")
    ids = [line.split("\t")[0] for line in out.splitlines()]
    assert code == 0 and ids == sorted(ids)
    assert {
        "SA101",
        "SA110",
        "django-monolith/fastapi-on-top-of-django",
        "fastapi-python/stack/queue_options",
    } <= set(ids)


@pytest.mark.parametrize("rule_id", ["SA104", "django-monolith/no-rate-limiting", "flask-legacy/stack/orm"])
def test_rules_show(rule_id: str) -> None:
    """rules show ID prints help as text and metadata as JSON, for file rules and profile-derived ids."""
    code, text = run("rules", "show", rule_id)
    assert code == 0 and text.startswith(rule_id) and "## What it flags" in text
    code, out = run("rules", "show", rule_id, "--json")
    data = json.loads(out)
    assert code == 0 and data["id"] == rule_id
    assert data["help_uri"].endswith(f"docs/rules/{rule_id}.md")


def test_rules_show_unknown() -> None:
    """An unknown rule id is a usage error (exit 2)."""
    code, _out = run("rules", "show", "SA999")
    assert code == 2


def test_profiles_show_checkable_and_not() -> None:
    """profiles show names each token's check, or 'not checkable' and why."""
    code, out = run("profiles", "show", "django-monolith")
    assert code == 0
    assert "django-5: checks django >=5,<6" in out
    assert "django-admin-customized: checked from the code (django.contrib.admin in INSTALLED_APPS" in out
    assert "p95_api_latency_ms: 350\n    not checkable — a runtime figure" in out
    assert "rule id: django-monolith/no-rate-limiting" in out


def test_profiles_check_reports_unknown_tokens(tmp_path: Path) -> None:
    """profiles check validates the schema and reports unknown stack tokens and keys with lines."""
    good = FIXTURES / "org" / "acme.json"
    assert run("profiles", "check", good)[0] == 0
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{\n  "profile_name": "bad",\n  "extends": "django-monolith",\n'
        '  "stack": {\n    "queue": "carrier-pigeon"\n  },\n'
        '  "anti_recommendations": {\n    "using-cobol": "kill — no"\n  }\n}\n'
    )
    code, out = run("profiles", "check", bad)
    assert code == 1
    assert f"{bad}:5: unknown stack token 'carrier-pigeon' in 'queue'" in out
    assert f"{bad}:8: unknown anti-recommendation key 'using-cobol'" in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{\n  "profile_name": "x",\n  "stak": {}\n}\n', ":3: stak: unknown key 'stak'"),
        ('{\n  "profile_name": "Bad Name"\n}\n', ":2: profile_name: must be a kebab-case name"),
        (
            '{\n  "profile_name": "x",\n  "anti_recommendations": {\n    "a": "maybe — hmm"\n  }\n}\n',
            ":4: anti_recommendations.a: must read 'kill — reason'",
        ),
        (
            '{\n  "profile_name": "x",\n  "stack": {\n    "queue": 3\n  }\n}\n',
            ":4: stack.queue: must be a string",
        ),
        ('{\n  "profile_name": "x",\n  "extends": "nope"\n}\n', ":3: extends 'nope': no such profile"),
    ],
)
def test_profile_schema_errors_are_located(tmp_path: Path, text: str, expected: str) -> None:
    """A profile that breaks the schema is rejected with file:line and the offending key."""
    path = tmp_path / "p.json"
    path.write_text(text)
    result = CliRunner().invoke(app, ["profiles", "check", str(path)])
    assert result.exit_code == 2
    assert expected in result.stderr


def test_extends_cycle(tmp_path: Path) -> None:
    """A cycle of extends is an error, not a hang."""
    (tmp_path / "a.json").write_text('{"profile_name": "a", "extends": "b.json"}')
    (tmp_path / "b.json").write_text('{"profile_name": "b", "extends": "a.json"}')
    result = CliRunner().invoke(app, ["profiles", "check", str(tmp_path / "a.json")])
    assert result.exit_code == 2 and "cycle" in result.stderr


def test_explain_profile_ranking() -> None:
    """--explain-profile prints every profile's score with reasons; flask-greenfield infers flask-legacy."""
    _code, out = run("audit", EXAMPLES / "flask-greenfield", "--explain-profile", "--no-config")
    assert "profile: flask-legacy — inferred: best match, identity framework: flask" in out
    assert "1. flask-legacy score 10 (fits): framework: flask" in out
    assert "python-library score 2 (no fit): never inferred" in out
    assert (
        "fastapi-python score 4 (no fit): does not fit: its identity framework (fastapi-0.110+)"
        " is not in the dependencies" in out
    )


def test_no_profile_fits(tmp_path: Path) -> None:
    """A project without any profile's framework says so and gets only generic rules."""
    (tmp_path / "requirements.txt").write_text("attrs==24.2.0\n")
    _code, data = audit_json(tmp_path, "--no-config")
    assert data["projects"][0]["profile"] is None
    assert data["projects"][0]["profile_reason"].startswith("no profile fits")
