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

from importlib import import_module
from typing import Protocol

from auditor.evidence.model import Evidence, EvidenceOptions, Fact
from auditor.evidence.source import SourceFile

__all__ = ["COLLECTORS", "Collector", "CollectorEntry", "Evidence", "EvidenceOptions", "Fact", "SourceFile"]


class Collector(Protocol):
    def __call__(self, source: SourceFile, options: EvidenceOptions) -> list[Fact]: ...


class CollectorEntry:
    """One collector: its name, the needles that make a file worth parsing for it, and where it lives."""

    __slots__ = ("_function", "_implementation", "name", "needles")

    def __init__(self, name: str, implementation: str, needles: tuple[bytes, ...]) -> None:
        self.name = name
        self.needles = needles
        self._implementation = implementation
        self._function: Collector | None = None

    def wants(self, data: bytes) -> bool:
        return any(needle in data for needle in self.needles)

    @property
    def collect(self) -> Collector:
        if self._function is None:
            module, _, attribute = self._implementation.partition(":")
            self._function = getattr(import_module(f"auditor.evidence.{module}"), attribute)
        assert self._function is not None
        return self._function

    def __repr__(self) -> str:
        return f"CollectorEntry({self.name!r})"


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
    CollectorEntry("urlconf", "urlconf:collect", (b"urlpatterns", b".urls")),
    CollectorEntry("rate-limiting", "ratelimit:collect", (b"throttle", b"ratelimit", b"imiter", b"RateLimit")),
    CollectorEntry("threads", "threads:collect", (b"Thread", b"start_new_thread", b"Process", b"Timer")),
    CollectorEntry(
        "raw-sql", "raw_sql:collect", (b"execute", b".raw(", b"RawSQL", b".extra(", b"exec_driver_sql", b"text(")
    ),
    CollectorEntry("fastapi-routes", "fastapi_routes:collect", (b"FastAPI", b"APIRouter")),
    CollectorEntry(
        "web-services",
        "services:collect",
        (b"get_wsgi_application", b"get_asgi_application", b"FastAPI(", b"Flask(", b"Starlette("),
    ),
)
