"""The evidence stage: facts read from a project's Python sources with ``ast``, never run.

Sits between Find and Judge. A collector is one module under
``auditor/evidence/`` plus one :class:`CollectorEntry` line in
:data:`COLLECTORS`. An entry declares the byte strings a file must contain
for the collector to find anything there (``needles``): the scanner reads
each candidate file's bytes once, and only files holding a needle are parsed
(once, whatever the number of collectors that want them). The collector's
module is imported the first time a file needs it.

Audited code is data: it is parsed, never imported, executed or compiled.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib import import_module
from typing import Protocol

from auditor.evidence.model import Evidence, EvidenceOptions, Fact
from auditor.evidence.source import SourceFile

__all__ = ["COLLECTORS", "Collector", "CollectorEntry", "Evidence", "EvidenceOptions", "Fact", "SourceFile"]


class Collector(Protocol):
    def __call__(self, source: SourceFile, options: EvidenceOptions) -> list[Fact]: ...


class CollectorEntry:
    """One collector: its name, the needles that make a file worth parsing for it, and where it lives."""

    __slots__ = ("_function", "_implementation", "name", "needles", "refine")

    def __init__(
        self,
        name: str,
        implementation: str,
        needles: tuple[bytes, ...],
        refine: Callable[[bytes], bool] | None = None,
    ) -> None:
        """``refine``: a second, stricter byte-level test for files that hold a needle."""
        self.name = name
        self.needles = needles
        self.refine = refine
        self._implementation = implementation
        self._function: Collector | None = None

    def wants(self, data: bytes) -> bool:
        if not any(needle in data for needle in self.needles):
            return False
        return self.refine is None or self.refine(data)

    @property
    def collect(self) -> Collector:
        if self._function is None:
            module, _, attribute = self._implementation.partition(":")
            self._function = getattr(import_module(f"auditor.evidence.{module}"), attribute)
        assert self._function is not None
        return self._function

    def __repr__(self) -> str:
        return f"CollectorEntry({self.name!r})"


_RAW_SQL_SURE = (b"cursor", b".raw(", b"RawSQL", b".extra(", b"exec_driver_sql")
_SQL_LITERAL_CALL = re.compile(rb"execute(?:many)?\(\s*[rfbuRFBU]*[\"']")
_BARE_TEXT = re.compile(rb"(?<![\w.])text\(")
_SCHEMA_KEYWORD = re.compile(rb"(?:default|onupdate|_where)\s*=\s*$")


def _raw_sql_wants(data: bytes) -> bool:
    """Raw SQL is possible: a cursor or raw()/RawSQL/extra(), SQL text passed to execute(), or a
    bare ``text(`` that is not a column default (``server_default=text("now()")`` is DDL)."""
    if any(needle in data for needle in _RAW_SQL_SURE):
        return True
    if b"execute" in data and _SQL_LITERAL_CALL.search(data):
        return True
    return any(
        _SCHEMA_KEYWORD.search(data, max(0, m.start() - 24), m.start()) is None for m in _BARE_TEXT.finditer(data)
    )


def _fastapi_wants(data: bytes) -> bool:
    """A route module can show an untyped body or a blocking call only with one of these words."""
    return any(word in data for word in (b"dict", b"Dict", b"Any", b"Mapping", b".json()", b"requests"))


COLLECTORS: tuple[CollectorEntry, ...] = (
    CollectorEntry(
        "django-settings",
        "django_settings:collect",
        (
            b"INSTALLED_APPS",
            b"REST_FRAMEWORK",
            b"MIDDLEWARE",
            b"AUTHENTICATION_BACKENDS",
            b"CACHES",
            b"DATABASES",
            b"TEMPLATES",
            b"DJANGO_SETTINGS_MODULE",
        ),
    ),
    CollectorEntry("urlconf", "urlconf:collect", (b"urlpatterns", b"site.urls")),
    CollectorEntry("rate-limiting", "ratelimit:collect", (b"throttle", b"ratelimit", b"Limiter", b"limiter")),
    CollectorEntry("threads", "threads:collect", (b"Thread", b"threading", b"start_new_thread", b"multiprocessing")),
    # cursor.execute(...), execute("SELECT ..."), Manager.raw, RawSQL, .extra(), SQLAlchemy text() and exec_driver_sql
    CollectorEntry(
        "raw-sql",
        "raw_sql:collect",
        (b"cursor", b"execute", b".raw(", b"RawSQL", b".extra(", b"exec_driver_sql", b"text("),
        _raw_sql_wants,
    ),
    CollectorEntry("fastapi-routes", "fastapi_routes:collect", (b"FastAPI", b"APIRouter"), _fastapi_wants),
    CollectorEntry(
        "web-services",
        "services:collect",
        (b"get_wsgi_application", b"get_asgi_application", b"FastAPI(", b"Flask(", b"Starlette("),
    ),
)
