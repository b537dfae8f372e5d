"""Text for the inspection commands: ``graph``, ``why``, ``profiles show/check``, ``rules list/show``."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from auditor.audit import ProjectAudit
from auditor.errors import UsageError
from auditor.findings import RuleMeta
from auditor.model import canonical_name
from auditor.policy.catalog import load_catalog
from auditor.policy.evaluate import anti_meta, options_of, stack_meta
from auditor.policy.profile_keys import describe_extra_key
from auditor.policy.profiles import load_profile, profile_names
from auditor.policy.rules import load_rules
from auditor.render.packages import packages_json
from auditor.views import package_views

__all__ = [
    "all_rule_metas",
    "describe_python",
    "graph_json",
    "graph_text",
    "profile_check",
    "profile_text",
    "rule_details",
    "rule_show",
    "why_text",
]


def graph_text(projects: Sequence[ProjectAudit]) -> str:
    out = []
    for project in projects:
        graph = project.graph
        views = package_views(graph)
        out.append(
            f"{project.path} ({graph.name or 'unnamed'}): {len(views)} packages"
            f" from {', '.join(sorted(set(graph.files)))}"
        )
        if graph.requires_python:
            out.append(f"  requires-python {graph.requires_python}")
        for view in sorted(views, key=lambda v: (v.direct is not True, v.ecosystem, v.name)):
            kind = "unknown" if view.direct is None else "direct" if view.direct else "transitive"
            eco = "" if view.ecosystem == "pypi" else f" [{view.ecosystem}]"
            where = f"  {view.location}" if view.location else ""
            scopes = ",".join(view.scopes) or "unknown"
            out.append(f"  {view.name}{eco} {view.version or '(unresolved)'}  {kind}  {scopes}{where}")
        for failure in project.failures:
            out.append(f"  input error: {failure}")
        out.append("")
    return "\n".join(out)


def graph_json(projects: Sequence[ProjectAudit]) -> str:
    data = [
        {
            "path": project.path,
            "name": project.graph.name,
            "files": sorted(set(project.graph.files)),
            "requires_python": project.graph.requires_python,
            "direct_known": project.graph.direct_known,
            "packages": packages_json(package_views(project.graph)),
            "failures": [str(f) for f in project.failures],
        }
        for project in projects
    ]
    return json.dumps({"projects": data}, indent=2) + "\n"


WHY_ALL_LIMIT = 20  # paths per scope with --all: enough to see every route a package takes in


def why_text(projects: Sequence[ProjectAudit], package: str, all_paths: bool = False) -> tuple[str, bool]:
    """Per project and per scope that reaches it, the shortest path to ``package`` (``all_paths``: up to 20)."""
    name = canonical_name(package)
    out = []
    found = False
    for project in projects:
        graph = project.graph
        for edge in graph.missing_from_lock:
            if edge.child == name:
                found = True
                where = f" at {edge.provenance}" if edge.provenance else ""
                out.append(f"{project.path}: {edge.child} is declared{where} but the lock does not list it (stale)")
        for node in (n for n in graph if n.name == name):
            found = True
            kind = "unknown whether direct" if node.direct is None else "direct" if node.direct else "transitive"
            scopes = ",".join(sorted(node.scopes)) or "scopes unknown"
            out.append(f"{project.path}: {node.label()} ({kind}, {scopes})")
            by_scope = graph.why_paths(node, limit=WHY_ALL_LIMIT if all_paths else 0)
            if not by_scope:
                out.append("  (not reachable from the project root)")
            for scope, paths in by_scope.items():
                for path in paths:
                    out.append(f"  {scope}: {' -> '.join(path)}")
                if all_paths and len(paths) == WHY_ALL_LIMIT:
                    out.append(f"  {scope}: (first {WHY_ALL_LIMIT} paths shown)")
            if node.location:
                out.append(f"  {'declared' if node.declared else 'resolved'} at {node.location}")
    if not found:
        out.append(f"{package}: not in any project's dependency graph")
    return "\n".join(out) + "\n", found


def profile_text(ref: str, rule_dirs: tuple[Path, ...] = ()) -> str:
    profile = load_profile(ref)
    catalog = load_catalog(rule_dirs)
    out = [f"{profile.name} {profile.version} ({profile.source})"]
    if profile.extends:
        out.append(f"extends: {' -> '.join(profile.extends)}")
    out.append(profile.description)
    out.append("")
    out.append("stack:")
    for key, value in profile.stack.items():
        shown = " | ".join(value) if isinstance(value, list) else value
        out.append(f"  {key}: {shown}")
        for option in options_of(value):
            for token_name in option:
                token = catalog.tokens.get(token_name)
                if token is None:
                    out.append(f"    {token_name}: UNKNOWN TOKEN (no catalog entry)")
                elif token.evidence:
                    out.append(f"    {token_name}: checked from the code ({EVIDENCE_HOW[token.evidence]})")
                elif token.not_checkable:
                    out.append(f"    {token_name}: not checkable — {token.not_checkable}")
                else:
                    if token.python is not None:
                        what = describe_python(token.python)
                    elif token.files:
                        what = "a " + " or ".join(token.files) + " file"
                    else:
                        what = " or ".join(token.packages) + (f" {token.version}" if token.version else "")
                    note = f" (note: {token.note})" if token.note else ""
                    out.append(f"    {token_name}: checks {what}{note}")
    out.append("")
    out.append("anti-recommendations:")
    for key, anti in profile.anti.items():
        entry = catalog.anti.get(key)
        if entry is None:
            state = "UNKNOWN KEY (no catalog entry): not checkable"
        elif entry.evidence:
            fallback = "the dependency condition" if entry.condition is not None else "not checkable"
            state = f"checked from the code: {EVIDENCE_HOW[entry.evidence]} (without code: {fallback})"
        elif entry.condition is None:
            state = f"not checkable — {entry.not_checkable}"
        else:
            state = f"checked: {entry.summary}"
        out.append(f"  {key} [{anti.severity.value}] {state}")
        out.append(f"    rule id: {profile.name}/{key}")
    said: set[str] = set()
    for section in ("constraints", "success_thresholds", "named_approver_chain"):
        entries = profile.raw.get(section)
        if not isinstance(entries, dict):
            continue
        out.append("")
        out.append(f"{section}:")
        for key, value in entries.items():
            out.append(f"  {key}: {json.dumps(value, ensure_ascii=False)}")
            how = describe_extra_key(section, key, value)
            out.append(f"    {'not checkable — a runtime figure (see above)' if how in said else how}")
            if how.startswith("not checkable — a runtime"):
                said.add(how)
    return "\n".join(out) + "\n"


# How each evidence judge (auditor/policy/judges.py) decides, for `profiles show`.
EVIDENCE_HOW = {
    "rate-limiting": "django-ratelimit in the dependencies, or DRF DEFAULT_THROTTLE_CLASSES/RATES, throttle_classes"
    " on views, @ratelimit, django-axes; satisfied by any of them",
    "django-admin": "django.contrib.admin in INSTALLED_APPS and admin.site.urls routed by a URLconf",
    "threads": "threads or processes started by application code, and whether a task queue is a dependency",
    "raw-sql": "cursor.execute, Manager.raw, RawSQL, .extra(), SQLAlchemy text() without a"
    " `# raw-sql: <reason>` comment",
    "services": "more than one deployable web application (WSGI/ASGI entry points, FastAPI/Flask apps) in the project",
    "fastapi-bodies": "routes whose body is dict/Any or `await request.json()` instead of a Pydantic model",
    "sync-http": "requests called inside async def routes",
    "templates": "TEMPLATES backends in the settings (no TEMPLATES: not applicable)",
    "social-auth": "allauth, or another social login, in INSTALLED_APPS / AUTHENTICATION_BACKENDS"
    " (none: not applicable)",
}


def describe_python(rule: Mapping[str, Any]) -> str:
    """A requires-python check in words, e.g. ``requires-python admits 3.11 or 3.12, nothing below 3.11``."""
    parts = []
    if rule.get("admits-any"):
        parts.append(f"admits {' or '.join(rule['admits-any'])}")
    if rule.get("lowest-at-least"):
        parts.append(f"nothing below {rule['lowest-at-least']}")
    if rule.get("only-at-least"):
        parts.append(f"only {rule['only-at-least']} and later")
    return "requires-python " + ", ".join(parts)


def profile_check(file: Path, rule_dirs: tuple[Path, ...] = ()) -> list[str]:
    """Problems with a profile file: unknown tokens and keys (schema and load errors raise ConfigError)."""
    profile = load_profile(str(file))
    catalog = load_catalog(rule_dirs)
    problems = []
    for key, value in profile.stack.items():
        for option in options_of(value):
            for token in option:
                if token not in catalog.tokens:
                    line = profile.stack_lines.get(key, 0)
                    problems.append(f"{file}:{line}: unknown stack token {token!r} in {key!r}")
    for key, anti in profile.anti.items():
        if key not in catalog.anti:
            problems.append(f"{file}:{anti.line}: unknown anti-recommendation key {key!r} (it will be not checkable)")
    return problems


def all_rule_metas(rule_dirs: tuple[Path, ...] = ()) -> list[RuleMeta]:
    """Rule-file rules, then every id the shipped profiles can produce."""
    metas = [rule.meta for rule in load_rules(rule_dirs)]
    catalog = load_catalog(rule_dirs)
    for name in profile_names():
        profile = load_profile(name)
        for key, value in profile.stack.items():
            expected = " or ".join(" + ".join(option) for option in options_of(value))
            metas.append(stack_meta(profile, key, expected, catalog))
        for key in profile.anti:
            entry = catalog.anti.get(key)
            if entry is not None and (entry.condition is not None or entry.evidence):
                metas.append(anti_meta(profile, entry))
    return sorted(metas, key=lambda m: m.id)


def rule_details(rule_id: str, rule_dirs: tuple[Path, ...] = ()) -> dict[str, Any]:
    """What a rule checks beyond its metadata: the condition table and ``use-instead``, where it has them."""
    rule = next((r for r in load_rules(rule_dirs) if r.id == rule_id), None)
    if rule is not None:
        return {"condition": dict(rule.condition.table), "use_instead": rule.use_instead or None}
    key = rule_id.rsplit("/", 1)[-1]
    entry = load_catalog(rule_dirs).anti.get(key) if "/stack/" not in rule_id else None
    if entry is not None and entry.condition is not None:
        return {"condition": dict(entry.condition.table), "use_instead": None, "evidence": entry.evidence or None}
    if entry is not None and entry.evidence:
        return {"condition": None, "use_instead": None, "evidence": entry.evidence}
    return {"condition": None, "use_instead": None}


def rule_show(rule_id: str, as_json: bool, rule_dirs: tuple[Path, ...] = ()) -> str:
    """``rules show ID``: metadata, condition and help, as text or JSON (profile-derived ids too)."""
    meta = next((m for m in all_rule_metas(rule_dirs) if m.id == rule_id), None)
    if meta is None:
        raise UsageError(f"unknown rule id {rule_id!r} (see `stack-auditor rules list`)")
    details = rule_details(rule_id, rule_dirs)
    if as_json:
        data = {
            "id": meta.id,
            "name": meta.name,
            "severity": meta.severity.value,
            "summary": meta.summary,
            "help": meta.help_markdown,
            "help_uri": meta.help_uri,
            "tags": list(meta.tags),
            "origin": meta.origin,
            **details,
        }
        return json.dumps(data, indent=2) + "\n"
    lines = [f"{meta.id} ({meta.name}) [{meta.severity.value}]", meta.summary]
    if details["condition"] is not None:
        lines.append(f"condition: {json.dumps(details['condition'])}")
    if details["use_instead"]:
        lines.append(f"use instead: {details['use_instead']}")
    lines.append(f"docs: {meta.help_uri}")
    return "\n".join(lines) + f"\n\n{meta.help_markdown}\n"
