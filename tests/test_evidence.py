"""The evidence stage: each collector on hit and miss fixtures (real code patterns), and the scanner's bounds."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from auditor.evidence import COLLECTORS
from auditor.evidence.model import EvidenceOptions, Fact
from auditor.evidence.scan import collect_evidence
from auditor.evidence.source import SourceFile
from tests.files import write_files

CODE = Path(__file__).parent / "evidence" / "code"


def facts(collector: str, fixture: str, options: EvidenceOptions | None = None, path: str = "") -> list[Fact]:
    entry = next(e for e in COLLECTORS if e.name == collector)
    data = (CODE / fixture).read_bytes()
    source = SourceFile(path or f"app/{fixture}", data.decode(), ast.parse(data))
    return entry.collect(source, options or EvidenceOptions())


def test_settings_reads_split_settings_with_certainty() -> None:
    found = facts("django-settings", "settings_split_hit.py", path="shop/settings/production.py")
    apps = {f.detail: f.certainty for f in found if f.kind == "setting-item" and f.value == "INSTALLED_APPS"}
    assert apps["django.contrib.admin"] == "yes"  # through DJANGO_APPS + ...
    assert apps["allauth"] == "yes"
    assert apps["debug_toolbar"] == "possibly"  # under `if DEBUG`
    assert apps["django_extensions"] == "possibly"  # in a try block
    assert "commented_out_app" not in apps
    unknown = [f for f in found if f.kind == "setting-unknown" and f.value == "INSTALLED_APPS"]
    assert [(f.line, f.detail) for f in unknown] == [(20, "assigned a value that is not a literal list")]
    values = {f.value: f for f in found if f.kind == "setting"}
    assert values["REST_FRAMEWORK.DEFAULT_THROTTLE_CLASSES"].detail == "rest_framework.throttling.AnonRateThrottle"
    assert values["REST_FRAMEWORK.DEFAULT_THROTTLE_RATES.anon"].certainty == "unknown"  # os.getenv(...)
    assert values["REST_FRAMEWORK.DEFAULT_PAGINATION_CLASS"].line == 25
    assert values["CACHES.default.BACKEND"].detail == "django_redis.cache.RedisCache"
    assert values["TEMPLATES[].BACKEND"].detail.endswith("DjangoTemplates")
    star = [f for f in found if f.kind == "star-import"]
    assert [f.value for f in star] == ["shop/settings/base"]
    assert all(f.file == "shop/settings/production.py" and f.column >= 1 and f.text for f in found)


def test_settings_ignores_names_inside_functions_and_strings() -> None:
    assert facts("django-settings", "settings_miss.py") == []


@pytest.mark.parametrize(
    ("collector", "fixture", "expected"),
    [
        ("urlconf", "urls_hit.py", [("urlconf", "urlpatterns", 6), ("admin-route", "admin.site.urls", 7)]),
        ("urlconf", "urls_miss.py", [("urlconf", "urlpatterns", 4)]),
        (
            "rate-limiting",
            "ratelimit_hit.py",
            [
                ("rate-limit", "throttle_classes", 10),
                ("rate-limit", "throttle_scope", 11),
                ("rate-limit", "@ratelimit", 14),
                ("rate-limit", "slowapi Limiter", 19),
                ("rate-limit", "slowapi @limiter.limit", 22),
            ],
        ),
        ("rate-limiting", "ratelimit_miss.py", []),
        (
            "threads",
            "threads_hit.py",
            [
                ("thread", "EmailThread (a threading.Thread subclass)", 16),
                ("thread", "threading.Thread", 24),
                ("thread", "ThreadPoolExecutor", 28),
            ],
        ),
        ("threads", "threads_miss.py", []),
        (
            "raw-sql",
            "raw_sql_hit.py",
            [
                ("raw-sql", "cursor.execute", 9),
                ("raw-sql", "cursor.execute", 11),
                ("raw-sql", "cursor.execute", 12),
                ("raw-sql", "RawSQL", 17),
                ("raw-sql", "sqlalchemy text()", 21),
                ("raw-sql", "Manager.raw", 22),
            ],
        ),
        ("raw-sql", "raw_sql_miss.py", []),
        (
            "fastapi-routes",
            "fastapi_hit.py",
            [
                ("untyped-body", "create_item", 12),
                ("untyped-body", "update_item", 18),
                ("untyped-body", "hook", 23),
                ("sync-http", "requests.get", 29),
            ],
        ),
        ("fastapi-routes", "fastapi_miss.py", []),
        ("web-services", "services_hit.py", [("web-app", "django-wsgi", 7)]),
        ("web-services", "services_miss.py", []),
    ],
)
def test_collector_hit_and_miss(collector: str, fixture: str, expected: list[tuple[str, str, int]]) -> None:
    found = facts(collector, fixture)
    assert sorted((f.kind, f.value, f.line) for f in found) == sorted(expected)


def test_raw_sql_justification_marker_is_configurable() -> None:
    found = facts("raw-sql", "raw_sql_hit.py")
    reasons = {f.line: f.detail for f in found}
    assert reasons[11] == "pg_stat_activity has no model"  # comment on the line above
    assert reasons[12] == "maintenance command, no ORM equivalent"  # comment on the line
    assert reasons[9] == ""
    custom = facts("raw-sql", "raw_sql_hit.py", EvidenceOptions(raw_sql_marker="sql-ok:"))
    assert all(f.detail == "" for f in custom)


def test_threads_in_management_commands_are_not_application_code() -> None:
    assert facts("threads", "threads_hit.py", path="hc/api/management/commands/sendalerts.py") == []


def test_sync_route_with_requests_is_not_flagged_but_async_is() -> None:
    found = facts("fastapi-routes", "fastapi_hit.py")
    sync_http = [f for f in found if f.kind == "sync-http"]
    assert [(f.detail, f.text) for f in sync_http] == [
        ("weather", 'return requests.get("https://example.invalid/weather", timeout=5).json()')
    ]


# ----------------------------------------------------------------- scanner


def test_scanner_excludes_tests_migrations_venvs_and_generated_code(tmp_path: Path) -> None:
    thread = "import threading\nthreading.Thread(target=print).start()\n"
    root = write_files(
        tmp_path,
        {
            "app/jobs.py": thread,
            "app/tests/test_jobs.py": thread,
            "app/migrations/0001_initial.py": thread,
            "app/test_jobs.py": thread,
            "app/conftest.py": thread,
            "venv/lib/x.py": thread,
            "env2/pyvenv.cfg": "",
            "env2/lib/y.py": thread,
            "app/generated_pb2.py": thread,
            "app/gen.py": "# @generated by a tool. DO NOT EDIT.\n" + thread,
            "other/pyproject.toml": "[project]\nname='other'\n",
            "other/worker.py": thread,
        },
    )
    evidence = collect_evidence(root, ".", EvidenceOptions(), other_projects=[".", "other"])
    assert [f.file for f in evidence.of("thread")] == ["app/jobs.py"]
    nested = collect_evidence(root, "other", EvidenceOptions(), other_projects=[".", "other"])
    assert [f.file for f in nested.of("thread")] == ["other/worker.py"]
    everything = collect_evidence(root, ".", EvidenceOptions(default_excludes=False))
    assert len(everything.of("thread")) > 3


def test_scanner_parses_only_files_with_a_needle_and_skips_broken_ones(tmp_path: Path) -> None:
    files = {f"pkg/m{i}.py": f"VALUE = {i}\n" for i in range(50)}
    files["pkg/broken.py"] = "from threading import Thread\ndef broken(:\n"
    files["pkg/big.py"] = "from threading import Thread\n" + "x = 1\n" * 100
    root = write_files(tmp_path, files)
    evidence = collect_evidence(root, ".", EvidenceOptions(max_file_bytes=300))
    assert evidence.files_seen == 52
    assert evidence.files_parsed == 0  # the 50 plain modules hold no needle; the other two are not parsed
    assert any("pkg/broken.py:2: not parsed (SyntaxError)" in note for note in evidence.notes)
    assert any(note.startswith("pkg/big.py: ") and "over 300" in note for note in evidence.notes)


def test_scanner_count_limit_and_symlinks(tmp_path: Path) -> None:
    root = write_files(tmp_path, {f"m{i}.py": "import threading\nthreading.Thread()\n" for i in range(5)})
    (root / "link").symlink_to(root)
    evidence = collect_evidence(root, ".", EvidenceOptions(max_files=3))
    assert len(evidence.of("thread")) == 3
    assert any("more than 3 Python files" in note for note in evidence.notes)


def test_no_code_and_no_source_are_unread(tmp_path: Path) -> None:
    root = write_files(tmp_path, {"requirements.txt": "django\n"})
    assert not collect_evidence(root, ".", EvidenceOptions()).read
    assert collect_evidence(root, ".", EvidenceOptions(read_code=False)).why_unread == "--no-code: dependencies only"


def test_settings_module_named_in_pytest_config(tmp_path: Path) -> None:
    root = write_files(
        tmp_path,
        {
            "pytest.ini": "[pytest]\nDJANGO_SETTINGS_MODULE = config.settings.test\n",
            "config/settings/test.py": "INSTALLED_APPS = ['a']\n",
        },
    )
    evidence = collect_evidence(root, ".", EvidenceOptions())
    named = evidence.of("settings-module")
    assert [(f.value, f.file, f.line) for f in named] == [("config.settings.test", "pytest.ini", 2)]


def test_stricter_byte_tests_skip_column_defaults_and_plain_routes() -> None:
    raw_sql = next(e for e in COLLECTORS if e.name == "raw-sql")
    assert not raw_sql.wants(b'created = Column(DateTime, server_default=text("now()"))\n')
    assert not raw_sql.wants(b"await session.execute(\n    select(User))\n")
    assert raw_sql.wants(b'session.execute(text("SELECT 1"))\n')
    assert raw_sql.wants(b'conn.execute(\n    "DELETE FROM t")\n')
    routes = next(e for e in COLLECTORS if e.name == "fastapi-routes")
    assert not routes.wants(b"router = APIRouter()\n@router.post('/')\nasync def create(item: Item): ...\n")
    assert routes.wants(b"router = APIRouter()\n@router.post('/')\nasync def create(item: dict): ...\n")


def test_facts_keep_printable_text_only() -> None:
    code = 'INSTALLED_APPS = ["evil\\x1b[2J\\x07app"]\n'
    source = SourceFile("settings.py", code, ast.parse(code))
    [fact] = next(e for e in COLLECTORS if e.name == "django-settings").collect(source, EvidenceOptions())
    assert fact.detail == "evil?[2J?app"
    assert fact.text.isprintable()
