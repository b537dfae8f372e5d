"""How every key of a profile ends an audit: checked (with evidence), not applicable, or not checkable.

Stack entries and anti-recommendations are judged in :mod:`auditor.policy.evaluate`; this module
judges the rest of the seed's schema — ``constraints``, ``success_thresholds`` and
``named_approver_chain`` — from repository facts (commit authors, a coverage report, CODEOWNERS)
and the code's evidence, and says plainly what no repository can show.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from auditor.evidence.model import Evidence
from auditor.findings import Judgement
from auditor.graph import ProjectGraph
from auditor.policy.judges import admin_state, services

if TYPE_CHECKING:
    from auditor.policy.evaluate import TokenResult
    from auditor.policy.profiles import Profile

__all__ = ["RUNTIME_REASON", "describe_extra_key", "profile_key_judgements", "stack_judgement"]

RUNTIME_REASON = (
    "a runtime figure (latency, uptime, success rate, RPO/RTO): measured in production, not in a repository"
)
_RUNTIME = ("latency", "uptime", "rpo_", "rto_", "success_rate")
_DECISIONS = {
    "tenancy": "a product decision that no file in a repository states",
    "data_sensitivity_tier_max": "a property of the data the service handles, not of its code",
}
_ORCHESTRATORS = ("dagster", "prefect", "apache-airflow")
# What each approval covers, as sample repository paths a CODEOWNERS rule must own.
_APPROVAL_PATHS = {
    "schema": ("app/migrations/0001_initial.py", "migrations/versions/0001.py", "alembic/versions/0001.py"),
    "auth": ("app/auth/views.py", "accounts/authentication.py", "auth.py"),
    "external-service": ("pyproject.toml", "requirements.txt", "uv.lock"),
    "release": ("pyproject.toml", "setup.py", "CHANGELOG.md"),
    "framework": ("pyproject.toml", "requirements.txt", "uv.lock"),
    "api": ("src/package/__init__.py",),
}


def stack_judgement(
    key: str, results: Sequence[Sequence[TokenResult]], checkable: Sequence[Sequence[TokenResult]]
) -> Judgement:
    name = f"stack.{key}"
    flat = [r for option in results for r in option]
    for option in checkable:
        if option and all(r.status == "ok" for r in option):
            detail = "; ".join(f"{r.token}: {r.detail or (r.node.label() if r.node else 'ok')}" for r in option)
            evidence = tuple(
                x
                for r in option
                for x in ((r.at,) if r.at else ((r.node.location,) if r.node and r.node.location else ()))
            )
            return Judgement(name, "checked", detail, "satisfied", evidence)
    if not any(checkable):
        if flat and all(r.status == "not-applicable" for r in flat):
            return Judgement(name, "not-applicable", "; ".join(r.detail for r in flat))
        reasons = "; ".join(f"{r.token}: {r.detail}" for r in flat if r.status in ("not-checkable", "unknown"))
        return Judgement(name, "not-checkable", reasons)
    detail = "; ".join(f"{r.token}: {r.status}{' — ' + r.detail if r.detail else ''}" for r in flat)
    return Judgement(name, "checked", detail, "violated")


def profile_key_judgements(profile: Profile, graph: ProjectGraph, evidence: Evidence | None) -> list[Judgement]:
    raw = profile.raw
    out: list[Judgement] = []
    for key, value in _section(raw, "constraints"):
        out.append(_constraint(key, value, graph, evidence))
    for key, value in _section(raw, "success_thresholds"):
        out.append(_threshold(key, value, evidence))
    for key, value in _section(raw, "named_approver_chain"):
        out.append(_approval(key, str(value), evidence))
    return out


def _section(raw: dict[str, Any], name: str) -> list[tuple[str, Any]]:
    section = raw.get(name)
    return list(section.items()) if isinstance(section, dict) else []


def _unread(evidence: Evidence | None) -> str:
    return evidence.why_unread if evidence is not None else "the source was not read"


def _constraint(key: str, value: Any, graph: ProjectGraph, evidence: Evidence | None) -> Judgement:
    name = f"constraints.{key}"
    if key in _DECISIONS:
        return Judgement(name, "not-checkable", _DECISIONS[key])
    if key in ("team_size_min", "team_size_max"):
        repo = evidence.repo if evidence is not None else None
        if repo is None or repo.authors is None:
            return Judgement(
                name, "not-checkable", f"commit authors unknown: {repo.authors_reason if repo else _unread(evidence)}"
            )
        ok = repo.authors >= value if key == "team_size_min" else repo.authors <= value
        detail = f"{repo.authors} distinct commit author(s) in the last 90 days (limit {value})"
        return Judgement(name, "checked", detail, "satisfied" if ok else "violated")
    if evidence is None or not evidence.read:
        return Judgement(name, "not-checkable", f"needs the source: {_unread(evidence)}")
    if key == "admin_panel_needed":
        if not value:
            return Judgement(name, "not-applicable", "the profile does not need the admin")
        state = admin_state(graph, evidence)
        status = "checked" if state.status in ("ok", "missing") else state.status
        outcome = {"ok": "satisfied", "missing": "violated"}.get(state.status, "")
        return Judgement(name, status, state.detail, outcome, (state.at,) if state.at else ())
    if key == "pattern":
        return _pattern(name, str(value), graph, evidence)
    return Judgement(name, "not-checkable", "no check is defined for this constraint")


def _pattern(name: str, value: str, graph: ProjectGraph, evidence: Evidence) -> Judgement:
    if "monolith" in value:
        verdict = services(graph, evidence)
        return Judgement(name, "checked", verdict.detail, "violated" if verdict.hits else "satisfied")
    if "pipeline" in value:
        found = [n.label() for n in (graph.find(p) for p in _ORCHESTRATORS) if n is not None]
        detail = f"orchestrated by {', '.join(found)}" if found else "no orchestrator in the dependencies"
        return Judgement(name, "checked", detail, "satisfied" if found else "violated")
    if "library" in value:
        apps = evidence.of("web-app")
        detail = f"web application entry point at {apps[0]}" if apps else "no web application entry point"
        return Judgement(name, "checked", detail, "violated" if apps else "satisfied")
    return Judgement(name, "not-checkable", f"no check is defined for the pattern {value!r}")


def _threshold(key: str, value: Any, evidence: Evidence | None) -> Judgement:
    name = f"success_thresholds.{key}"
    if any(word in key for word in _RUNTIME):
        return Judgement(name, "not-checkable", RUNTIME_REASON)
    if key == "security_scan_severity_max":
        return Judgement(
            name,
            "not-checkable",
            "needs a vulnerability scan's results (e.g. pip-audit); this audit reads no advisory data",
        )
    if key == "test_coverage_min":
        repo = evidence.repo if evidence is not None else None
        if repo is None or repo.coverage is None:
            return Judgement(name, "not-checkable", "no coverage report (coverage.xml or coverage.json) in the tree")
        detail = f"{repo.coverage:.0%} line coverage in {repo.coverage_file} (minimum {value:.0%})"
        return Judgement(name, "checked", detail, "satisfied" if repo.coverage >= value else "violated")
    return Judgement(name, "not-checkable", "no check is defined for this threshold")


def _approval(key: str, approvers: str, evidence: Evidence | None) -> Judgement:
    name = f"named_approver_chain.{key}"
    repo = evidence.repo if evidence is not None else None
    if repo is None:
        return Judgement(name, "not-checkable", f"needs the repository: {_unread(evidence)}")
    if repo.codeowners is None:
        return Judgement(
            name, "checked", f"no CODEOWNERS file: no approver ({approvers}) is named in the repository", "violated"
        )
    paths = next((sample for word, sample in _APPROVAL_PATHS.items() if word in key), ("README.md",))
    owners = [(pattern, who) for pattern, who in repo.owned if _covers(pattern, paths)]
    if owners:
        pattern, who = owners[-1]  # the last matching rule wins in CODEOWNERS
        return Judgement(name, "checked", f"{repo.codeowners}: {pattern} is owned by {who}", "satisfied")
    return Judgement(
        name,
        "checked",
        f"{repo.codeowners} names no owner for paths such as {paths[0]} (expected {approvers})",
        "violated",
    )


def _covers(pattern: str, paths: tuple[str, ...]) -> bool:
    return any(_owns(pattern, path) for path in paths)


def _owns(pattern: str, path: str) -> bool:
    """CODEOWNERS (gitignore-style) matching, enough for ownership questions."""
    anchored = pattern.startswith("/")
    bare = pattern.strip("/").replace("**", "*")
    if bare in ("", "*"):
        return True
    if "/" not in bare and not anchored:
        return any(fnmatch.fnmatch(part, bare) for part in path.split("/"))
    candidates = (bare, f"{bare}/*") if anchored else (bare, f"{bare}/*", f"*/{bare}", f"*/{bare}/*")
    return any(fnmatch.fnmatch(path, candidate) for candidate in candidates)


def describe_extra_key(section: str, key: str, value: Any) -> str:
    """How ``profiles show`` says a constraint, threshold or approval is judged."""
    if section == "constraints":
        if key in _DECISIONS:
            return f"not checkable — {_DECISIONS[key]}"
        if key.startswith("team_size"):
            return "checked against the distinct commit authors of the last 90 days (git log; --no-git skips)"
        if key == "admin_panel_needed":
            return "checked from the code: django.contrib.admin in INSTALLED_APPS and admin.site.urls routed"
        if key == "pattern":
            return f"checked from the code: {value} (web entry points, orchestrator or none)"
    if section == "success_thresholds":
        if any(word in key for word in _RUNTIME):
            return f"not checkable — {RUNTIME_REASON}"
        if key == "test_coverage_min":
            return "checked against a coverage report in the tree (coverage.xml / coverage.json), else not checkable"
        if key == "security_scan_severity_max":
            return "not checkable — needs a vulnerability scan's results"
    if section == "named_approver_chain":
        return "checked against CODEOWNERS: is the code this approval covers owned?"
    return "not checkable — no check is defined"
