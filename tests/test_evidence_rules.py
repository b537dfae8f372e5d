"""Rules that read code: what the evidence stage's facts make of no-rate-limiting, the admin, threads,
raw SQL and services, where the findings point, and how every profile key ends an audit."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from auditor.audit import AuditOptions, audit
from auditor.cli import app
from auditor.findings import Report
from auditor.policy.profiles import load_profile, profile_names
from auditor.render.base import RenderOptions
from auditor.render.sarif import report_to_sarif
from tests.files import write_files

REQUIREMENTS = "django==5.1.4\ndjangorestframework==3.15.2\n"
SETTINGS = """\
INSTALLED_APPS = [
    "django.contrib.auth",
    "rest_framework",
]
REST_FRAMEWORK = {
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
}
"""
URLS = """\
from django.urls import include, path

urlpatterns = [path("api/", include("shop.api.urls"))]
"""
MANAGE = """\
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
"""


def _django(root: Path, **changes: str) -> Path:
    files = {
        "requirements.txt": REQUIREMENTS,
        "manage.py": MANAGE,
        "shop/__init__.py": "",
        "shop/settings.py": SETTINGS,
        "shop/urls.py": URLS,
    }
    for name, text in changes.items():  # shop__views_py -> shop/views.py
        folder_and_stem, _, suffix = name.rpartition("_")
        files[
            f"{folder_and_stem.replace('__', '/')}.{suffix}"
            if suffix in ("py", "txt", "xml")
            else name.replace("__", "/")
        ] = text
    return write_files(root, files)


def _audit(root: Path, **options: object) -> Report:
    return audit(root, AuditOptions(profile="django-monolith", use_config=False, **options))  # type: ignore[arg-type]


def _by_rule(report: Report, rule: str) -> list[object]:
    return [f for f in report.findings if f.rule_id == f"django-monolith/{rule}"]


def test_drf_without_ratelimit_or_throttling_is_an_error_at_the_settings_line(tmp_path: Path) -> None:
    report = _audit(_django(tmp_path))
    [finding] = _by_rule(report, "no-rate-limiting")
    assert finding.severity.value == "error"  # type: ignore[attr-defined]
    assert finding.package == "djangorestframework"  # type: ignore[attr-defined]
    assert (finding.location.file, finding.location.line) == ("shop/settings.py", 5)  # type: ignore[attr-defined]
    related = [(r.location.file, r.location.line) for r in finding.related]  # type: ignore[attr-defined]
    assert related == [("requirements.txt", 2)]
    sarif = report_to_sarif(report, RenderOptions())
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "django-monolith/no-rate-limiting")
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "shop/settings.py"
    assert result["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "requirements.txt"


def test_drf_throttling_satisfies_no_rate_limiting_and_says_where(tmp_path: Path) -> None:
    settings = SETTINGS.replace(
        '"DEFAULT_PAGINATION',
        '"DEFAULT_THROTTLE_RATES": {"login": os.getenv("RATE", "5/min")},\n    "DEFAULT_PAGINATION',
    )
    report = _audit(_django(tmp_path, shop__settings_py=settings))
    assert _by_rule(report, "no-rate-limiting") == []
    judgement = next(j for j in report.projects[0].judgements if j.key == "anti_recommendations.no-rate-limiting")
    assert (judgement.status, judgement.outcome) == ("checked", "satisfied")
    assert "REST_FRAMEWORK.DEFAULT_THROTTLE_RATES at shop/settings.py:6" in judgement.detail


def test_throttle_classes_on_a_view_satisfy_it_too(tmp_path: Path) -> None:
    view = "class Login(APIView):\n    throttle_classes = [ScopedRateThrottle]\n"
    report = _audit(_django(tmp_path, shop__views_py=view))
    assert _by_rule(report, "no-rate-limiting") == []


def test_no_code_keeps_the_dependency_only_judgement(tmp_path: Path) -> None:
    settings = SETTINGS.replace(
        '"DEFAULT_PAGINATION', '"DEFAULT_THROTTLE_CLASSES": ["x.Throttle"],\n    "DEFAULT_PAGINATION'
    )
    report = _audit(_django(tmp_path, shop__settings_py=settings), read_code=False)
    [finding] = _by_rule(report, "no-rate-limiting")
    assert finding.location.file == "requirements.txt"  # type: ignore[attr-defined]
    reasons = {n.key: n.reason for n in report.projects[0].not_checkable}
    assert "needs the source: --no-code" in reasons["deleting-django-admin"]
    assert "needs the source: --no-code" in reasons["no-celery-but-spawning-threads"]


def test_admin_removed_and_never_routed(tmp_path: Path) -> None:
    report = _audit(_django(tmp_path))
    [deleted] = _by_rule(report, "deleting-django-admin")
    assert deleted.location.file == "shop/settings.py"  # type: ignore[attr-defined]
    assert "no django.contrib.admin" in deleted.message  # type: ignore[attr-defined]
    # One fact, one finding (issue 16): the admin stack entry is named in it, not reported again.
    assert _by_rule(report, "stack/admin") == []
    assert deleted.profile_entry.endswith(", stack.admin")  # type: ignore[attr-defined]


def test_admin_installed_and_routed_is_kept(tmp_path: Path) -> None:
    settings = SETTINGS.replace('"rest_framework",', '"rest_framework",\n    "django.contrib.admin",')
    urls = URLS.replace(
        "urlpatterns = [", "from django.contrib import admin\nurlpatterns = [path('admin/', admin.site.urls), "
    )
    report = _audit(_django(tmp_path, shop__settings_py=settings, shop__urls_py=urls))
    assert _by_rule(report, "deleting-django-admin") == []
    assert _by_rule(report, "stack/admin") == []
    judgement = next(j for j in report.projects[0].judgements if j.key == "stack.admin")
    assert (judgement.status, judgement.outcome) == ("checked", "satisfied")


def test_threads_without_a_queue_are_an_error_at_the_thread(tmp_path: Path) -> None:
    mail = "from threading import Thread\n\nclass EmailThread(Thread):\n    pass\n\n"
    mail += "def send(m):\n    EmailThread(m).start()\n"
    report = _audit(_django(tmp_path, shop__mail_py=mail))
    [finding] = _by_rule(report, "no-celery-but-spawning-threads")
    assert (finding.location.file, finding.location.line) == ("shop/mail.py", 7)  # type: ignore[attr-defined]
    assert finding.severity.value == "error"  # type: ignore[attr-defined]
    assert "EmailThread" in finding.message  # type: ignore[attr-defined]


def test_threads_with_celery_are_a_note_naming_the_thread(tmp_path: Path) -> None:
    mail = "import threading\n\ndef send(m):\n    threading.Thread(target=m.send).start()\n"
    report = _audit(_django(tmp_path, shop__mail_py=mail, requirements_txt=REQUIREMENTS + "celery==5.4.0\n"))
    [finding] = _by_rule(report, "no-celery-but-spawning-threads")
    assert finding.severity.value == "note"  # type: ignore[attr-defined]
    assert "threading.Thread in send()" in finding.message  # type: ignore[attr-defined]
    assert "celery 5.4.0" in finding.message  # type: ignore[attr-defined]
    assert [r.location.file for r in finding.related] == ["requirements.txt"]  # type: ignore[attr-defined]


def test_raw_sql_needs_its_marker(tmp_path: Path) -> None:
    code = (
        "def stats(cursor):\n"
        '    cursor.execute("SELECT 1")\n'
        "    # raw-sql: the planner needs a hint the ORM cannot give\n"
        '    cursor.execute("SELECT 2")\n'
    )
    report = _audit(_django(tmp_path, shop__stats_py=code))
    [finding] = _by_rule(report, "raw-sql-without-justification")
    assert (finding.location.file, finding.location.line) == ("shop/stats.py", 2)  # type: ignore[attr-defined]
    assert finding.severity.value == "warning"  # type: ignore[attr-defined]


def test_two_web_services_in_one_project_are_microservices(tmp_path: Path) -> None:
    wsgi = "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"
    fastapi = "from fastapi import FastAPI\napp = FastAPI()\n"
    one = _audit(_django(tmp_path / "one", shop__wsgi_py=wsgi, shop__asgi_py=wsgi.replace("wsgi", "asgi")))
    assert _by_rule(one, "microservices") == []
    two = _audit(_django(tmp_path / "two", shop__wsgi_py=wsgi, billing__main_py=fastapi))
    [finding] = _by_rule(two, "microservices")
    assert "2 deployable web applications" in finding.message  # type: ignore[attr-defined]


def test_every_key_of_every_shipped_profile_ends_judged(tmp_path: Path) -> None:
    root = _django(tmp_path)
    for name in profile_names():
        profile = load_profile(name)
        report = audit(root, AuditOptions(profile=name, use_config=False, read_git=False))
        judged = {j.key: j for j in report.projects[0].judgements}
        expected = {f"stack.{k}" for k in profile.stack} | {f"anti_recommendations.{k}" for k in profile.anti}
        for section in ("constraints", "success_thresholds", "named_approver_chain"):
            expected |= {f"{section}.{k}" for k in profile.raw.get(section, {})}
        assert set(judged) == expected, name
        for judgement in judged.values():
            assert judgement.status in ("checked", "not-applicable", "not-checkable")
            assert judgement.detail, judgement
            assert (judgement.outcome in ("satisfied", "violated")) == (judgement.status == "checked"), judgement
        team = judged["constraints.team_size_min"]
        assert (team.status, team.detail) == (
            "not-checkable",
            "commit authors unknown: --no-git: commit history not read",
        )


def test_repository_facts_codeowners_and_coverage(tmp_path: Path) -> None:
    root = _django(
        tmp_path,
        _github__CODEOWNERS="* @shop/leads\n*/migrations/ @shop/dba\n",
        coverage_xml='<?xml version="1.0" ?>\n<coverage version="7.6" line-rate="0.81" branch-rate="0">\n</coverage>\n',
    )
    (root / "_github").rename(root / ".github")
    judged = {j.key: j for j in _audit(root, read_git=False).projects[0].judgements}
    assert judged["success_thresholds.test_coverage_min"].outcome == "satisfied"
    assert "81% line coverage in coverage.xml" in judged["success_thresholds.test_coverage_min"].detail
    schema = judged["named_approver_chain.schema_change_production"]
    assert (schema.outcome, schema.detail) == ("satisfied", ".github/CODEOWNERS: */migrations/ is owned by @shop/dba")
    assert judged["success_thresholds.p95_api_latency_ms"].status == "not-checkable"


def test_cli_no_code_flag_and_profiles_show(tmp_path: Path) -> None:
    root = _django(tmp_path)
    runner = CliRunner()
    args = ["audit", str(root), "--profile", "django-monolith", "--format", "json", "--no-config", "--no-git"]
    with_code = json.loads(runner.invoke(app, args).stdout)
    without = json.loads(runner.invoke(app, [*args, "--no-code"]).stdout)
    assert with_code["projects"][0]["evidence"].startswith("4 of 4 Python file(s) parsed") is False
    assert "Python file(s) parsed" in with_code["projects"][0]["evidence"]
    assert without["projects"][0]["evidence"] == "code not read: --no-code: dependencies only"
    rules_with = {f["rule_id"] for f in with_code["projects"][0]["findings"]}
    rules_without = {f["rule_id"] for f in without["projects"][0]["findings"]}
    assert "django-monolith/deleting-django-admin" in rules_with - rules_without
    shown = runner.invoke(app, ["profiles", "show", "django-monolith"]).stdout
    profile = load_profile("django-monolith")
    for section in ("constraints", "success_thresholds", "named_approver_chain"):
        assert f"{section}:" in shown
        for key in profile.raw[section]:
            assert f"  {key}: " in shown
    assert shown.count("measured in production, not in a repository") == 1


def test_raw_sql_marker_from_the_configuration(tmp_path: Path) -> None:
    code = 'def stats(cursor):\n    cursor.execute("SELECT 1")  # sql-ok: a report the ORM cannot express\n'
    root = _django(tmp_path, shop__stats_py=code)
    assert len(_by_rule(_audit(root), "raw-sql-without-justification")) == 1
    (root / ".stack-auditor.toml").write_text('raw-sql-marker = "# sql-ok:"\n', encoding="utf-8")
    configured = audit(root, AuditOptions(profile="django-monolith"))
    assert [f for f in configured.findings if f.rule_id.endswith("raw-sql-without-justification")] == []


def test_fastapi_untyped_bodies_and_blocking_calls_point_at_the_route(tmp_path: Path) -> None:
    code = (Path(__file__).parent / "evidence" / "code" / "fastapi_hit.py").read_text(encoding="utf-8")
    root = write_files(
        tmp_path, {"requirements.txt": "fastapi==0.115.0\npydantic==2.9.2\nrequests==2.32.3\n", "api/main.py": code}
    )
    report = audit(root, AuditOptions(profile="fastapi-python", use_config=False, read_git=False))
    [bodies] = [f for f in report.findings if f.rule_id == "fastapi-python/no-pydantic-validation"]
    assert (bodies.location.file, bodies.location.line) == ("api/main.py", 12)
    assert "and 2 more in this file" in bodies.message
    assert [(r.location.file, r.location.line) for r in bodies.related] == [
        ("api/main.py", 18),
        ("api/main.py", 23),
        ("requirements.txt", 2),
    ]
    [blocking] = [f for f in report.findings if f.rule_id == "fastapi-python/sync-http-client-in-async-service"]
    assert (blocking.location.line, blocking.package) == (29, "requests")
    without = audit(root, AuditOptions(profile="fastapi-python", use_config=False, read_code=False))
    assert [f.location.file for f in without.findings if "sync-http" in f.rule_id] == ["requirements.txt"]
