"""Judges: what the evidence stage's facts mean for a catalog entry.

A catalog entry names its judge (``evidence = "rate-limiting"`` on an anti-recommendation,
``evidence = "django-admin"`` on a token); :data:`ANTI_JUDGES` and :data:`TOKEN_JUDGES` register
them, one line each. A judge reads facts and the graph and returns a :class:`Verdict`: checked
(with hits, the findings to report, or the evidence that the key is satisfied), not applicable,
or not checkable with the reason. Judges run only when the code was read; without it the
catalog's dependency condition (or its not-checkable reason) applies as before.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby
from typing import NamedTuple

from auditor.evidence.model import Evidence, Fact
from auditor.findings import Related
from auditor.graph import GraphNode, ProjectGraph
from auditor.model import Provenance
from auditor.policy.settings_view import SettingsView

__all__ = ["ANTI_JUDGES", "QUEUE_PACKAGES", "TOKEN_JUDGES", "Hit", "TokenVerdict", "Verdict", "admin_state"]

QUEUE_PACKAGES = (
    "celery",
    "django-rq",
    "rq",
    "dramatiq",
    "huey",
    "arq",
    "django-q",
    "django-q2",
    "procrastinate",
    "django-tasks",
    "taskiq",
    "django-celery-beat",
)
_API_PACKAGES = ("djangorestframework", "django-ninja")


class Hit(NamedTuple):
    """One finding a judge asks for: at a code line, about a package, with related locations."""

    location: Provenance
    message: str
    package: GraphNode | None = None
    related: tuple[Related, ...] = ()
    note: bool = False  # report as a note, not at the profile's severity


class Verdict(NamedTuple):
    status: str  # checked | not-applicable | not-checkable
    detail: str
    hits: tuple[Hit, ...] = ()
    evidence: tuple[Provenance, ...] = ()
    use_condition: bool = False  # the dependency condition still applies beside the hits


class TokenVerdict(NamedTuple):
    status: str  # ok | missing | alternative | not-applicable | not-checkable
    detail: str
    node: GraphNode | None = None
    at: Provenance | None = None


def _node(graph: ProjectGraph, *names: str) -> GraphNode | None:
    return next((n for n in (graph.find(name) for name in names) if n is not None), None)


def _declared(graph: ProjectGraph, node: GraphNode | None, what: str) -> tuple[Related, ...]:
    location = node.location if node is not None else graph.dependencies_at
    return (Related(location, what),) if location is not None else ()


def _where(facts: list[Fact], limit: int = 3) -> str:
    shown = ", ".join(f"{f.value} at {f}" for f in facts[:limit])
    return shown + (f" and {len(facts) - limit} more" if len(facts) > limit else "")


# ----------------------------------------------------------------- anti-recommendations


def rate_limiting(graph: ProjectGraph, evidence: Evidence) -> Verdict:
    api = _node(graph, *_API_PACKAGES)
    if api is None:
        return Verdict("not-applicable", "no Django API framework (djangorestframework, django-ninja)")
    limiter = _node(graph, "django-ratelimit")
    if limiter is not None:
        return Verdict("checked", f"{limiter.label()} is a dependency", evidence=_locs(limiter.location))
    settings = SettingsView(evidence)
    limits = [
        *settings.values("REST_FRAMEWORK.DEFAULT_THROTTLE_CLASSES", "REST_FRAMEWORK.DEFAULT_THROTTLE_RATES"),
        *evidence.of("rate-limit"),
        *[f for f in settings.items("INSTALLED_APPS", "MIDDLEWARE") if "axes" in f.detail or "ratelimit" in f.detail],
    ]
    limits = [f for f in limits if f.detail != "(empty)"]
    if limits:
        return Verdict("checked", f"throttled: {_where(limits)}", evidence=tuple(f.location for f in limits))
    anchor = settings.first("REST_FRAMEWORK") or settings.item("INSTALLED_APPS", "rest_framework", "ninja")
    location = anchor.location if anchor is not None else api.location or graph.dependencies_at
    if location is None:
        return Verdict("not-checkable", "no location to report at")
    where = f" ({anchor.file})" if anchor is not None else ""
    message = (
        f"{api.label()} without django-ratelimit and without throttling: REST_FRAMEWORK{where} sets no"
        " DEFAULT_THROTTLE_CLASSES or DEFAULT_THROTTLE_RATES and no view sets throttle_classes"
    )
    unknown = settings.unknown("REST_FRAMEWORK")
    if unknown:
        message += f" (REST_FRAMEWORK is also changed at {unknown[0]}, which static reading cannot follow)"
    related = _declared(graph, api, f"{api.label()} is declared here") if anchor is not None else ()
    detail = f"{api.label()} with no django-ratelimit, no throttling and no rate-limiting app or decorator"
    return Verdict("checked", detail, (Hit(location, message, api, related),))


def admin_state(graph: ProjectGraph, evidence: Evidence) -> TokenVerdict:
    """``ok`` (installed and routed), ``missing`` (not installed, or never routed), or why it cannot tell."""
    if _node(graph, "django") is None:
        return TokenVerdict("not-applicable", "not a Django project")
    settings = SettingsView(evidence)
    apps = settings.items("INSTALLED_APPS")
    urlconfs = evidence.of("urlconf")
    if not apps and not settings.unknown("INSTALLED_APPS"):
        return TokenVerdict("not-checkable", "no Django settings module with INSTALLED_APPS found in the source")
    admin = [f for f in apps if f.detail.startswith("django.contrib.admin") or f.detail.endswith("AdminConfig")]
    routes = evidence.of("admin-route")
    if routes:
        where = f"installed at {admin[0]}, " if admin else ""
        return TokenVerdict("ok", f"django.contrib.admin {where}routed at {routes[0]}", at=routes[0].location)
    if not urlconfs:
        return TokenVerdict("not-checkable", "no URLconf (urlpatterns) found in the source")
    anchor = (admin or apps or settings.unknown("INSTALLED_APPS"))[0]
    if admin:
        return TokenVerdict(
            "missing",
            f"django.contrib.admin is installed ({admin[0]}) but no URLconf routes admin.site.urls",
            at=admin[0].location,
        )
    detail = f"INSTALLED_APPS ({anchor.file}) has no django.contrib.admin and no URLconf routes admin.site.urls"
    unknown = settings.unknown("INSTALLED_APPS")
    if unknown:
        where = ", ".join(str(u) for u in unknown[:2])
        detail += f" (INSTALLED_APPS is also extended at {where} with values static reading cannot follow)"
    return TokenVerdict("missing", detail, at=anchor.location)


def deleting_admin(graph: ProjectGraph, evidence: Evidence) -> Verdict:
    state = admin_state(graph, evidence)
    if state.status == "missing" and state.at is not None:
        django = _node(graph, "django")
        return Verdict(
            "checked",
            state.detail,
            (Hit(state.at, state.detail, None, _declared(graph, django, "Django is declared here")),),
        )
    status = "checked" if state.status == "ok" else state.status
    return Verdict(status, state.detail, evidence=_locs(state.at))


def threads(graph: ProjectGraph, evidence: Evidence) -> Verdict:
    started = evidence.of("thread")
    if not started:
        return Verdict("checked", "application code starts no thread or process")
    queue = _node(graph, *QUEUE_PACKAGES)
    hits = []
    for file, group in groupby(sorted(started, key=lambda f: (f.file, f.line)), key=lambda f: f.file):
        facts = list(group)
        first = facts[0]
        more = f" (and {len(facts) - 1} more in this file)" if len(facts) > 1 else ""
        inside = f" in {first.detail}()" if first.detail else ""
        related = [Related(f.location, f"also starts {f.value}") for f in facts[1:]]
        if queue is not None:
            message = f"{file} starts {first.value}{inside}{more} although {queue.label()} is a dependency"
            message += ": move the work to a task"
            hits.append(
                Hit(
                    first.location,
                    message,
                    None,
                    (*related, *_declared(graph, queue, f"{queue.label()} is declared here")),
                    note=True,
                )
            )
        else:
            message = f"{file} starts {first.value}{inside}{more} and no task queue is in the dependencies"
            hits.append(
                Hit(
                    first.location,
                    message,
                    None,
                    (*related, *_declared(graph, None, "the dependencies, with no task queue")),
                )
            )
    detail = f"{len(started)} thread(s) started by application code" + (
        f"; {queue.label()} is the queue" if queue else ""
    )
    return Verdict("checked", detail, tuple(hits))


def raw_sql(graph: ProjectGraph, evidence: Evidence) -> Verdict:
    calls = evidence.of("raw-sql")
    bare = [f for f in calls if not f.detail]
    if not bare:
        return Verdict(
            "checked",
            f"{len(calls)} raw SQL call(s), all justified" if calls else "no raw SQL in application code",
            evidence=tuple(f.location for f in calls[:10]),
        )
    hits = []
    for file, group in groupby(sorted(bare, key=lambda f: (f.file, f.line)), key=lambda f: f.file):
        facts = list(group)
        lines = ", ".join(str(f.line) for f in facts[:8]) + (" ..." if len(facts) > 8 else "")
        message = f"{len(facts)} raw SQL call(s) in {file} without a `# {evidence.raw_sql_marker} <reason>` comment"
        message += f" (line {lines}): {facts[0].value}"
        related = tuple(Related(f.location, f"{f.value} without a justification") for f in facts[1:20])
        hits.append(Hit(facts[0].location, message, None, related))
    return Verdict("checked", f"{len(bare)} of {len(calls)} raw SQL call(s) unjustified", tuple(hits))


def services(graph: ProjectGraph, evidence: Evidence) -> Verdict:
    apps = evidence.of("web-app")
    groups: dict[str, list[Fact]] = {}
    for fact in apps:
        groups.setdefault(_service_of(fact.file), []).append(fact)
    if len(groups) <= 1:
        what = f"one deployable web application ({apps[0].value} at {apps[0]})" if apps else "no web entry point found"
        return Verdict("checked", what, evidence=tuple(f.location for f in apps))
    firsts = [facts[0] for _, facts in sorted(groups.items())]
    message = f"{len(firsts)} deployable web applications in one project: " + ", ".join(
        f"{f.value} at {f}" for f in firsts
    )
    related = tuple(Related(f.location, f"{f.value} entry point") for f in firsts[:-1])
    return Verdict("checked", message, (Hit(firsts[-1].location, message, None, related),))


def _service_of(file: str) -> str:
    """The folder that holds one deployable app: the first path part ('src/' skipped)."""
    parts = [p for p in file.split("/")[:-1] if p != "src"]
    return parts[0] if parts else "."


def fastapi_bodies(graph: ProjectGraph, evidence: Evidence) -> Verdict:
    bodies = evidence.of("untyped-body")
    pydantic = _node(graph, "pydantic")
    declared = _declared(graph, pydantic, f"{pydantic.label()} is declared here") if pydantic else ()
    hits = _per_file(
        bodies,
        lambda f: f"route {f.value}() takes its body as `{f.detail}` instead of a Pydantic model",
        pydantic,
        declared,
    )
    detail = f"{len(bodies)} route(s) without a body model" if bodies else "every route body found has a model"
    return Verdict("checked", detail, hits, use_condition=True)


def sync_http(graph: ProjectGraph, evidence: Evidence) -> Verdict:
    calls = evidence.of("sync-http")
    requests = _node(graph, "requests")
    if not calls:
        return Verdict("checked", "no requests call inside an async route")
    declared = _declared(graph, requests, f"{requests.label()} is declared here") if requests else ()
    hits = _per_file(
        calls, lambda f: f"{f.value}() blocks the event loop inside async route {f.detail}()", requests, declared
    )
    return Verdict("checked", f"{len(calls)} blocking requests call(s) in async routes", hits)


def _per_file(
    facts: list[Fact], say: Callable[[Fact], str], node: GraphNode | None, declared: tuple[Related, ...]
) -> tuple[Hit, ...]:
    """One hit per file (a finding's fingerprint is rule, file and package), the others related."""
    hits = []
    for _file, group in groupby(sorted(facts, key=lambda f: (f.file, f.line)), key=lambda f: f.file):
        first, *others = list(group)
        more = f" (and {len(others)} more in this file)" if others else ""
        related = tuple(Related(f.location, say(f)) for f in others)
        hits.append(Hit(first.location, say(first) + more, node, (*related, *declared)))
    return tuple(hits)


# ----------------------------------------------------------------- tokens


def admin_token(graph: ProjectGraph, evidence: Evidence) -> TokenVerdict:
    return admin_state(graph, evidence)


def templates_token(graph: ProjectGraph, evidence: Evidence) -> TokenVerdict:
    backends = SettingsView(evidence).values("TEMPLATES[].BACKEND")
    if not backends:
        return TokenVerdict("not-applicable", "no TEMPLATES setting: the project renders no HTML")
    if any("django.DjangoTemplates" in f.detail for f in backends) or _node(graph, "django-htmx"):
        return TokenVerdict("ok", f"Django templates configured at {backends[0]}", at=backends[0].location)
    other = backends[0]
    return TokenVerdict(
        "alternative", f"{other.detail or 'another backend'} at {other}", _node(graph, "jinja2"), other.location
    )


def social_auth_token(graph: ProjectGraph, evidence: Evidence) -> TokenVerdict:
    settings = SettingsView(evidence)
    items = settings.items("INSTALLED_APPS", "AUTHENTICATION_BACKENDS")
    allauth = [f for f in items if f.detail.startswith("allauth")]
    if allauth:
        return TokenVerdict("ok", f"allauth at {allauth[0]}", at=allauth[0].location)
    social = [
        f
        for f in items
        if f.detail.startswith(("social_django", "social_core", "oauth2_provider", "mozilla_django_oidc"))
    ]
    node = _node(graph, "social-auth-app-django", "django-oauth-toolkit", "mozilla-django-oidc")
    if social and node is not None:
        return TokenVerdict("alternative", f"{social[0].detail} at {social[0]}", node, social[0].location)
    if social:
        return TokenVerdict("not-checkable", f"social login through {social[0].detail} at {social[0]}")
    return TokenVerdict("not-applicable", "no social login configured (INSTALLED_APPS, AUTHENTICATION_BACKENDS)")


def _locs(*locations: Provenance | None) -> tuple[Provenance, ...]:
    return tuple(location for location in locations if location is not None)


ANTI_JUDGES: dict[str, Callable[[ProjectGraph, Evidence], Verdict]] = {
    "rate-limiting": rate_limiting,
    "django-admin": deleting_admin,
    "threads": threads,
    "raw-sql": raw_sql,
    "services": services,
    "fastapi-bodies": fastapi_bodies,
    "sync-http": sync_http,
}
TOKEN_JUDGES: dict[str, Callable[[ProjectGraph, Evidence], TokenVerdict]] = {
    "django-admin": admin_token,
    "templates": templates_token,
    "social-auth": social_auth_token,
}
