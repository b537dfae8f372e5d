"""Each example under examples/ reports exactly what examples/README.md says it reports.

These run the real CLI (in-process, through Typer's runner) on the committed
example projects: exit code, chosen profile, and the exact set of findings
(rule id, severity, file and line).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from tests.conftest import EXAMPLES

runner = CliRunner()

Finding = tuple[str, str, str, int]  # rule id, severity, file, line

EXPECTED: dict[str, tuple[str | None, int, set[Finding]]] = {
    # example: (profile it is audited with (None = inferred), exit code, findings)
    "django-monolith": (None, 0, set()),
    "fastapi-service": (None, 0, set()),
    "fastapi-on-django": (
        None,
        1,
        {("django-monolith/fastapi-on-top-of-django", "error", "pyproject.toml", 16)},
    ),
    "drf-no-ratelimit": (
        None,
        1,
        {
            ("django-monolith/no-rate-limiting", "error", "pyproject.toml", 9),
            ("django-monolith/stack/queue", "warning", "pyproject.toml", 7),
            ("django-monolith/stack/cache", "warning", "pyproject.toml", 7),
            ("django-monolith/stack/testing", "warning", "pyproject.toml", 7),
        },
    ),
    "fastapi-psycopg2": (
        None,
        1,
        {
            ("fastapi-python/sync-only-database-driver", "error", "pyproject.toml", 11),
            ("SA105", "note", "pyproject.toml", 11),
            ("fastapi-python/stack/auth_options", "warning", "pyproject.toml", 7),
            ("fastapi-python/stack/queue_options", "warning", "pyproject.toml", 7),
            ("fastapi-python/stack/testing", "warning", "pyproject.toml", 7),
        },
    ),
    "flask-greenfield-inferred": (
        None,
        0,
        {
            ("flask-legacy/stack/migrations", "warning", "pyproject.toml", 7),
            ("SA105", "note", "pyproject.toml", 10),
        },
    ),
    "flask-greenfield": (
        "fastapi-python",
        1,
        {
            ("fastapi-python/flask-for-new-projects", "error", "pyproject.toml", 8),
            ("fastapi-python/stack/framework", "warning", "pyproject.toml", 8),
            ("fastapi-python/sync-only-database-driver", "error", "pyproject.toml", 10),
            ("SA105", "note", "pyproject.toml", 10),
            ("fastapi-python/no-pydantic-validation", "error", "pyproject.toml", 7),
            ("fastapi-python/stack/validation", "warning", "pyproject.toml", 7),
            ("fastapi-python/stack/migrations", "warning", "pyproject.toml", 7),
            ("fastapi-python/stack/auth_options", "warning", "pyproject.toml", 7),
            ("fastapi-python/stack/queue_options", "warning", "pyproject.toml", 7),
            ("fastapi-python/stack/testing", "warning", "pyproject.toml", 7),
            ("fastapi-python/stack/tracing", "warning", "pyproject.toml", 7),
        },
    ),
    "django-transitive": (
        None,
        0,
        {
            ("fastapi-python/django-in-a-fastapi-service", "warning", "uv.lock", 203),
            ("fastapi-python/stack/auth_options", "warning", "pyproject.toml", 7),
            ("fastapi-python/stack/queue_options", "warning", "pyproject.toml", 7),
            ("fastapi-python/stack/testing", "warning", "pyproject.toml", 7),
        },
    ),
}


def audit_json(target: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(app, ["audit", str(target), "--format", "json", *args])
    assert result.exit_code in (0, 1, 2), result.output
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize("example", sorted(EXPECTED))
def test_example_reports_exactly_what_its_readme_says(example: str) -> None:
    """The example's findings (rule, severity, file, line) and exit code are exactly the documented ones."""
    profile, exit_code, expected = EXPECTED[example]
    args = ["--profile", profile] if profile else []
    code, data = audit_json(EXAMPLES / example.removesuffix("-inferred"), *args)
    [project] = data["projects"]
    found = {(f["rule_id"], f["severity"], f["location"]["file"], f["location"]["line"]) for f in project["findings"]}
    assert found == expected
    assert code == exit_code


def test_inferred_profiles_are_announced() -> None:
    """Without --profile the best-matching profile is chosen and the output says so and why."""
    cases = {
        "django-monolith": "django-monolith",
        "fastapi-service": "fastapi-python",
        "drf-no-ratelimit": "django-monolith",
    }
    for example, profile in cases.items():
        _code, data = audit_json(EXAMPLES / example)
        [project] = data["projects"]
        assert project["profile"] == profile
        assert project["profile_reason"].startswith("inferred: best match")


def test_transitive_django_has_a_why_path() -> None:
    """Django reached only through dj-database-url is reported with the path that pulls it in."""
    _code, data = audit_json(EXAMPLES / "django-transitive")
    [finding] = [f for f in data["projects"][0]["findings"] if f["rule_id"].endswith("django-in-a-fastapi-service")]
    assert finding["why_path"][0] == "catalog-service"
    assert finding["why_path"][1].startswith("dj-database-url ")
    assert finding["why_path"][-1].startswith("django ")


def test_conflict_points_at_the_second_framework_with_the_first_as_related() -> None:
    """FastAPI on Django: the primary location is FastAPI's line, the related location Django's."""
    _code, data = audit_json(EXAMPLES / "fastapi-on-django")
    [finding] = data["projects"][0]["findings"]
    assert finding["package"] == "fastapi"
    assert "fastapi" in finding["location"]["text"]
    [related] = finding["related"]
    assert "django" in related["location"]["text"].lower()


def test_monorepo_reports_each_project() -> None:
    """A folder with two services gives two projects, each with its own profile and findings."""
    code, data = audit_json(EXAMPLES / "monorepo")
    assert code == 1
    profiles = {p["path"]: p["profile"] for p in data["projects"]}
    assert profiles == {"services/api": "fastapi-python", "services/web": "django-monolith"}


def test_single_lockfile_is_audited_alone() -> None:
    """`audit path/to/uv.lock` audits that file as a project of its own."""
    code, data = audit_json(EXAMPLES / "fastapi-psycopg2" / "uv.lock", "--profile", "fastapi-python")
    assert code == 1
    [project] = data["projects"]
    assert project["files"] == ["uv.lock"]
    rules = {f["rule_id"] for f in project["findings"]}
    assert "fastapi-python/sync-only-database-driver" in rules


def test_fail_on_warning_and_never() -> None:
    """--fail-on lowers or disables the threshold for exit code 1."""
    assert audit_json(EXAMPLES / "django-transitive", "--fail-on", "warning")[0] == 1
    assert audit_json(EXAMPLES / "fastapi-on-django", "--fail-on", "never")[0] == 0
