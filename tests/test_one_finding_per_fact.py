"""One finding per fact, at the right strength, in words people read (issue 16).

Each test audits a small real project layout written to a temporary folder (requirements files are
real pip syntax; nothing is fetched).
"""

from __future__ import annotations

import json
from pathlib import Path

from auditor.audit import AuditOptions, audit
from auditor.findings import Finding, Report, Severity
from auditor.render import RenderOptions, by_name


def _audit(tmp_path: Path, files: dict[str, str], profile: str | None = None) -> Report:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return audit(tmp_path, AuditOptions(profile=profile, use_config=False))


def _by_rule(report: Report) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for finding in report.findings:
        out.setdefault(finding.rule_id, []).append(finding)
    return out


FASTAPI = "fastapi==0.115.0\npydantic==2.9.0\nsqlalchemy==2.0.35\nasyncpg==0.29.0\n"


def test_queue_options_and_background_jobs_are_one_finding(tmp_path: Path) -> None:
    """No queue at all: one finding on queue_options that names background_jobs, not two."""
    found = _by_rule(_audit(tmp_path, {"requirements.txt": FASTAPI}, "fastapi-python"))
    assert "fastapi-python/stack/background_jobs" not in found
    [queue] = found["fastapi-python/stack/queue_options"]
    assert "background_jobs" in queue.message and "is missing" in queue.message
    assert queue.profile_entry == "profile fastapi-python: stack.queue_options, stack.background_jobs"


def test_a_known_queue_is_chosen_instead_not_missing(tmp_path: Path) -> None:
    """dramatiq, huey and rq are queues: "chosen instead", never "none of … is in the dependencies"."""
    for queue in ("dramatiq==1.17.0", "huey==2.5.2", "rq==2.0.0"):
        found = _by_rule(_audit(tmp_path, {"requirements.txt": FASTAPI + queue + "\n"}, "fastapi-python"))
        [finding] = found["fastapi-python/stack/queue_options"]
        assert finding.package == queue.split("==")[0]
        assert "was chosen instead of" in finding.message and "missing" not in finding.message


def test_requests_alone_is_one_finding_in_an_async_profile(tmp_path: Path) -> None:
    """requests without an async client: the anti-recommendation says it once, naming the http_client entry."""
    django = "django==5.2.1\ndjango-ninja==1.3.0\n"
    found = _by_rule(_audit(tmp_path, {"requirements.txt": django + "requests==2.32.3\n"}, "django-ninja-async"))
    assert "django-ninja-async/stack/http_client" not in found
    [anti] = found["django-ninja-async/sync-http-client-in-async-service"]
    assert "http_client entry" in anti.message and anti.profile_entry.endswith(", stack.http_client")


def test_aiohttp_is_an_async_client(tmp_path: Path) -> None:
    """aiohttp next to requests: no sync-client finding; the http_client entry says aiohttp was chosen."""
    django = "django==5.2.1\ndjango-ninja==1.3.0\nrequests==2.32.3\naiohttp==3.10.5\n"
    found = _by_rule(_audit(tmp_path, {"requirements.txt": django}, "django-ninja-async"))
    assert "django-ninja-async/sync-http-client-in-async-service" not in found
    [client] = found["django-ninja-async/stack/http_client"]
    assert client.package == "aiohttp" and "chosen instead of httpx-client" in client.message


def test_no_x_instead_of_y_when_y_is_there(tmp_path: Path) -> None:
    """psycopg2 satisfies postgresql-16+ but not psycopg-3: the message names only the token it replaces."""
    django = "django==5.2.1\ndjango-ninja==1.3.0\npsycopg2-binary==2.9.9\n"
    found = _by_rule(_audit(tmp_path, {"requirements.txt": django}, "django-ninja-async"))
    [database] = found["django-ninja-async/stack/database"]
    assert database.message.startswith("database: psycopg2-binary 2.9.9 was chosen instead of psycopg-3")
    assert "postgresql-16+" not in database.message


def test_newer_than_the_contract_is_a_note(tmp_path: Path) -> None:
    """Django 6 against django-5: a note that the profile may need a new version; Django 4: a warning."""
    found = _by_rule(_audit(tmp_path / "new", {"requirements.txt": "django==6.0.1\n"}, "django-monolith"))
    [framework] = found["django-monolith/stack/framework"]
    assert framework.severity is Severity.NOTE
    assert (
        framework.message
        == "framework: django 6.0.1 is newer than django-5 (>=5,<6): the profile may need a new version"
    )
    found = _by_rule(_audit(tmp_path / "old", {"requirements.txt": "django==4.2.16\n"}, "django-monolith"))
    [framework] = found["django-monolith/stack/framework"]
    assert framework.severity is Severity.WARNING and "is older than django-5" in framework.message


def test_ranges_are_judged_like_pins(tmp_path: Path) -> None:
    """Without a lock, a declared range is judged: Django>=6.0,<6.1 is newer, Django>=4,<4.3 older, >=5 fine."""
    manifest = '[project]\nname = "x"\nversion = "1"\ndependencies = ["{0}"]\n'
    cases = {"Django>=6.0,<6.1": Severity.NOTE, "Django>=4,<4.3": Severity.WARNING, "Django>=5.1": None}
    for n, (requirement, severity) in enumerate(cases.items()):
        report = _audit(tmp_path / str(n), {"pyproject.toml": manifest.format(requirement)}, "django-monolith")
        framework = _by_rule(report).get("django-monolith/stack/framework", [])
        assert [f.severity for f in framework] == ([severity] if severity else []), requirement
    report = _audit(tmp_path / "0", {}, "django-monolith")
    [framework] = _by_rule(report)["django-monolith/stack/framework"]
    assert framework.message.startswith("framework: django <6.1,>=6.0 admits only versions newer than django-5")


def test_requires_python_newer_is_a_note(tmp_path: Path) -> None:
    """requires-python >=3.14 against python-3.11-or-3.12 is newer (note); >=3.10 is outside (warning)."""
    manifest = '[project]\nname = "x"\nversion = "1"\nrequires-python = "{0}"\ndependencies = ["fastapi>=0.110"]\n'
    new = _by_rule(_audit(tmp_path / "a", {"pyproject.toml": manifest.format(">=3.14")}, "fastapi-python"))
    [runtime] = new["fastapi-python/stack/runtime"]
    assert runtime.severity is Severity.NOTE and "may need a new version" in runtime.message
    old = _by_rule(_audit(tmp_path / "b", {"pyproject.toml": manifest.format(">=3.10")}, "fastapi-python"))
    [runtime] = old["fastapi-python/stack/runtime"]
    assert runtime.severity is Severity.WARNING and "is outside python-3.11-or-3.12" in runtime.message


def test_missing_is_anchored_on_the_runtime_declaration(tmp_path: Path) -> None:
    """Requirements files only: a "missing" finding points at the first runtime requirement, not at
    line 1 of requirements-dev.txt (which sorts first)."""
    files = {
        "requirements.txt": "# app\n\ndjango==5.2.1\n",
        "requirements-dev.txt": "-r requirements.txt\npytest==8.3.3\n",
    }
    found = _by_rule(_audit(tmp_path, files, "django-monolith"))
    [queue] = found["django-monolith/stack/queue"]
    assert queue.location is not None and (queue.location.file, queue.location.line) == ("requirements.txt", 3)


def test_unpinned_requirements_are_one_finding_per_file(tmp_path: Path) -> None:
    """SA104: three unpinned lines make one finding on the first, the others as related locations."""
    report = _audit(tmp_path, {"requirements.txt": "django==5.2.1\nrequests\ncelery>=5\nredis~=5.0\n"})
    [sa104] = _by_rule(report)["SA104"]
    assert sa104.location is not None and sa104.location.line == 2
    assert sa104.message.startswith("3 requirements in requirements.txt are not pinned with == (requests, celery")
    assert [r.location.line for r in sa104.related] == [3, 4]


def test_text_and_markdown_read_plainly(tmp_path: Path) -> None:
    """Counts are pluralized; the profile-entry notation stays in JSON and SARIF properties."""
    report = _audit(tmp_path, {"requirements.txt": "django==5.2.1\ndjangorestframework==3.15.2\n"}, "django-monolith")
    text = by_name("text").render(report, RenderOptions())  # type: ignore[union-attr]
    markdown = by_name("markdown").render(report, RenderOptions())  # type: ignore[union-attr]
    for output in (text, markdown):
        assert "anti_recommendations." not in output and "[profile " not in output
    assert "1 project: 1 error, 4 warnings, 0 notes" in text
    assert "**1 project** · 1 error · 4 warnings · 0 notes" in markdown
    data = json.loads(by_name("json").render(report, RenderOptions()))  # type: ignore[union-attr]
    entries = {f["rule_id"]: f["profile_entry"] for f in data["projects"][0]["findings"]}
    assert entries["django-monolith/no-rate-limiting"] == (
        "profile django-monolith: anti_recommendations.no-rate-limiting = kill"
    )
    sarif = json.loads(by_name("sarif").render(report, RenderOptions()))  # type: ignore[union-attr]
    assert any(r["properties"].get("profileEntry") for r in sarif["runs"][0]["results"])
