"""Graph + profile + catalog + rules -> findings.

Rule ids are a contract: ``<profile>/<anti_recommendation_key>`` for an
anti-recommendation, ``<profile>/stack/<stack_key>`` for a stack deviation,
and a rule file's own id for everything else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from auditor.findings import Finding, NotCheckable, Related, RuleMeta, Severity
from auditor.graph import GraphNode, ProjectGraph
from auditor.model import canonical_name
from auditor.policy.catalog import AntiEntry, Catalog, Token
from auditor.policy.conditions import Condition, Match, _in, _specifier
from auditor.policy.profiles import Profile
from auditor.policy.rules import Rule

__all__ = ["Evaluation", "ProfileFit", "evaluate", "rank_profiles", "stack_help"]

HELP_BASE = "https://github.com/stack-auditor/stack-auditor/blob/main/docs"
FRAMEWORK_KEYS = ("framework",)


@dataclass(slots=True)
class Evaluation:
    findings: list[Finding] = field(default_factory=list)
    not_checkable: list[NotCheckable] = field(default_factory=list)
    rules: dict[str, RuleMeta] = field(default_factory=dict)


@dataclass(slots=True)
class TokenResult:
    """How one token fares on a graph."""

    token: str
    status: str  # ok | version | alternative | missing | not-checkable | unknown
    node: GraphNode | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ProfileFit:
    name: str
    score: int
    fits: bool
    reasons: tuple[str, ...]


def evaluate(graph: ProjectGraph, profile: Profile | None, catalog: Catalog, rules: Iterable[Rule]) -> Evaluation:
    """Every finding for one project graph."""
    out = Evaluation()
    if profile is not None:
        _evaluate_stack(graph, profile, catalog, out)
        _evaluate_anti(graph, profile, catalog, out)
    for rule in rules:
        for match in rule.condition.evaluate(graph):
            out.rules[rule.id] = rule.meta
            out.findings.append(_finding(graph, rule.id, rule.meta.severity, rule.message, match, rule.meta.summary, ""))
    out.findings.sort(key=Finding.sort_key)
    return out


# ----------------------------------------------------------------- stack tokens


def token_result(graph: ProjectGraph, token_name: str, catalog: Catalog) -> TokenResult:
    token = catalog.tokens.get(token_name)
    if token is None:
        return TokenResult(token_name, "unknown", detail="no catalog entry for this token")
    if token.not_checkable:
        return TokenResult(token_name, "not-checkable", detail=token.not_checkable)
    if token.python is not None:
        if not graph.requires_python:
            return TokenResult(token_name, "not-checkable", detail="the project declares no requires-python")
        bad = Condition({"requires-python": dict(token.python)}).evaluate(graph)
        return TokenResult(token_name, "version" if bad else "ok", detail=f"requires-python {graph.requires_python}")
    if token.files:
        formats = {path_format for path_format in graph.formats}
        if formats & set(token.files):
            return TokenResult(token_name, "ok")
        return TokenResult(token_name, "missing", detail="no " + " or ".join(token.files) + " file")
    present = [graph.find(canonical_name(name)) for name in token.packages]
    found = [node for node in present if node is not None]
    if found:
        if token.version:
            spec = _specifier(token.version)
            good = [n for n in found if n.versions and all(_in(spec, v) for v in n.versions)]
            if good or not any(n.versions for n in found):
                return TokenResult(token_name, "ok", good[0] if good else found[0])
            return TokenResult(token_name, "version", found[0], detail=f"{found[0].label()} is outside {token.version}")
        return TokenResult(token_name, "ok", found[0])
    for name in token.alternatives:
        node = graph.find(canonical_name(name))
        if node is not None and node.direct:
            return TokenResult(token_name, "alternative", node, detail=f"{node.label()} chosen instead")
    return TokenResult(token_name, "missing")


def options_of(value: str | list[str]) -> list[list[str]]:
    """A stack entry as options (any one suffices), each a list of tokens (all needed)."""
    options = value if isinstance(value, list) else [value]
    return [[part.strip() for part in option.split(" + ")] for option in options]


def _evaluate_stack(graph: ProjectGraph, profile: Profile, catalog: Catalog, out: Evaluation) -> None:
    for key, value in profile.stack.items():
        rule_id = f"{profile.name}/stack/{key}"
        options = options_of(value)
        results = [[token_result(graph, token, catalog) for token in option] for option in options]
        for option in results:
            for result in option:
                if result.status in ("not-checkable", "unknown"):
                    out.not_checkable.append(NotCheckable(f"stack/{key}", result.token, result.detail))
        checkable = [[r for r in option if r.status not in ("not-checkable", "unknown")] for option in results]
        if any(option and all(r.status == "ok" for r in option) for option in checkable):
            continue
        if not any(checkable):
            continue  # nothing here can be judged; reported as not checkable above
        flat = [r for option in checkable for r in option]
        expected = " or ".join(" + ".join(option) for option in options_of(value))
        meta = _stack_meta(profile, key, expected, catalog)
        out.rules[rule_id] = meta
        bad = next((r for r in flat if r.status == "version"), None) or next(
            (r for r in flat if r.status == "alternative"), None
        )
        if bad is not None and bad.node is not None:
            verb = "is outside the stack" if bad.status == "version" else "was chosen instead"
            message = f"{key}: {bad.node.label()} {verb}; the {profile.name} profile expects {expected}"
            out.findings.append(_finding(graph, rule_id, Severity.WARNING, message, Match([bad.node]), meta.summary, ""))
        elif bad is not None:  # requires-python outside
            message = f"{key}: requires-python {graph.requires_python} is outside {expected}"
            out.findings.append(_finding(graph, rule_id, Severity.WARNING, message, Match(python=True), meta.summary, ""))
        else:
            missing = sorted({r.token for r in flat if r.status == "missing"})
            message = f"{key}: no {', '.join(missing)} in the dependencies; the {profile.name} profile expects {expected}"
            out.findings.append(
                _finding(graph, rule_id, Severity.WARNING, message, Match(missing=missing), meta.summary, "")
            )


def _stack_meta(profile: Profile, key: str, expected: str, catalog: Catalog) -> RuleMeta:
    return RuleMeta(
        id=f"{profile.name}/stack/{key}",
        name=f"stack-{key}".replace("_", "-"),
        severity=Severity.WARNING,
        summary=f"{key} deviates from the {profile.name} stack ({expected})",
        help_markdown=stack_help(profile, key, expected, catalog),
        help_uri=f"{HELP_BASE}/profiles/{profile.name}.md",
        tags=("architecture", "stack-profile", profile.name),
        origin=f"profile:{profile.name}",
    )


def stack_help(profile: Profile, key: str, expected: str, catalog: Catalog) -> str:
    lines = []
    for option in options_of(profile.stack[key]):
        for token_name in option:
            token = catalog.tokens.get(token_name)
            if token is None:
                lines.append(f"- `{token_name}`: unknown token (no catalog entry)")
            elif token.not_checkable:
                lines.append(f"- `{token_name}`: not checkable — {token.not_checkable}")
            else:
                what = ", ".join(f"`{p}`" for p in token.packages) or ", ".join(token.files) or "requires-python"
                version = f" ({token.version})" if token.version else ""
                note = f" Note: {token.note}." if token.note else ""
                lines.append(f"- `{token_name}` ({token.summary}): satisfied by {what}{version}.{note}")
    return (
        f"## What it flags\nThe `{key}` entry of the `{profile.name}` stack expects {expected}; the project's "
        f"dependencies are missing it, chose another package, or pin a version outside it.\n\n"
        f"## Why it matters\nA profile is the team's architecture contract: every deviation is a second way of doing "
        f"one thing that reviewers, on-call and upgrades have to know about.\n\n"
        f"## How to fix\nUse the expected component, or record the exception with an ignore that carries a reason.\n\n"
        f"## Example\n" + "\n".join(lines)
    )


# ----------------------------------------------------------------- anti-recommendations


def _evaluate_anti(graph: ProjectGraph, profile: Profile, catalog: Catalog, out: Evaluation) -> None:
    for key, anti in profile.anti.items():
        entry = catalog.anti.get(key)
        if entry is None:
            out.not_checkable.append(NotCheckable(key, key, "no catalog entry for this anti-recommendation key"))
            continue
        if entry.condition is None:
            out.not_checkable.append(NotCheckable(key, key, entry.not_checkable))
            continue
        rule_id = f"{profile.name}/{key}"
        matches = entry.condition.evaluate(graph)
        if not matches:
            continue
        out.rules[rule_id] = anti_meta(profile, entry)
        for match in matches:
            out.findings.append(_finding(graph, rule_id, anti.severity, entry.message, match, entry.summary, anti.reason))


def anti_meta(profile: Profile, entry: AntiEntry) -> RuleMeta:
    anti = profile.anti[entry.key]
    verdict = {"error": "kill", "warning": "warn", "note": "note"}[anti.severity.value]
    help_text = f"{entry.help}\n\n## Profile\n`{profile.name}` marks this `{verdict}`: {anti.reason}"
    return RuleMeta(
        id=f"{profile.name}/{entry.key}",
        name=entry.key,
        severity=anti.severity,
        summary=entry.summary,
        help_markdown=help_text,
        help_uri=f"{HELP_BASE}/profiles/{profile.name}.md#{entry.key}",
        tags=("architecture", "anti-recommendation", profile.name, *entry.tags),
        origin=f"profile:{profile.name}",
    )


# ----------------------------------------------------------------- findings


def _finding(
    graph: ProjectGraph, rule_id: str, severity: Severity, template: str, match: Match, summary: str, reason: str
) -> Finding:
    packages = match.packages
    primary = packages[-1] if match.conflict and packages else (packages[0] if packages else None)
    others = [p for p in packages if p is not primary]
    labels = [p.label() for p in ([*others, primary] if primary else others)]
    values = {
        "packages": " and ".join(labels) if len(labels) <= 2 else ", ".join(labels[:-1]) + " and " + labels[-1],
        "package": primary.label() if primary else "",
        "missing": ", ".join(match.missing),
        "requires_python": graph.requires_python or "",
        "reason": reason or summary,
        "summary": summary,
        "project": graph.name or graph.path,
    }
    try:
        message = template.format(**values)
    except (KeyError, IndexError, ValueError):
        message = template
    if match.python:
        location = graph.requires_python_at or graph.dependencies_at
    elif primary is not None:
        location = primary.location or graph.dependencies_at
    else:
        location = graph.dependencies_at
    related = [Related(p.location, _declared_here(graph, p)) for p in others if p.location]
    why: list[str] = []
    if primary is not None and not primary.direct:
        why = graph.why_path(primary)
        if why:
            message += f" (pulled in by {' -> '.join(why[1:-1]) or graph.name})"
    return Finding(
        rule_id=rule_id,
        severity=severity,
        message=message,
        project=graph.path,
        package=primary.name if primary else None,
        version=primary.version if primary else None,
        location=location,
        related=related,
        why_path=why,
        scope=",".join(sorted(primary.scopes)) if primary else "",
    )


def _declared_here(graph: ProjectGraph, node: GraphNode) -> str:
    if node.direct:
        return f"{node.label()} is declared here"
    why = graph.why_path(node)
    return f"{node.label()} is pulled in here by {' -> '.join(why[:-1])}" if why else f"{node.label()} is locked here"


# ----------------------------------------------------------------- inference


def rank_profiles(graph: ProjectGraph, profiles: Iterable[Profile], catalog: Catalog) -> list[ProfileFit]:
    """Profiles ordered by how well the project matches their stack; a fit needs its framework."""
    fits = []
    for profile in profiles:
        score = 0
        reasons = []
        framework_ok = False
        for key, value in profile.stack.items():
            results = [[token_result(graph, t, catalog) for t in option] for option in options_of(value)]
            # A component present at another version still shows which stack this is (Django 2 is a Django shop).
            satisfied = [
                option for option in results
                if any(r.status in ("ok", "version") for r in option)
                and all(r.status in ("ok", "version", "not-checkable", "unknown") for r in option)
            ]
            if satisfied:
                hit = next(r for r in satisfied[0] if r.status in ("ok", "version"))
                if key in FRAMEWORK_KEYS and hit.node is not None and not hit.node.direct:
                    reasons.append(f"{key}: {hit.node.label()} is only transitive (+0)")
                    continue  # a framework some library drags in is not the project's framework
                weight = 5 if key in FRAMEWORK_KEYS else 1
                score += weight
                framework_ok = framework_ok or key in FRAMEWORK_KEYS
                reasons.append(f"{key}: {hit.node.label() if hit.node else hit.token} (+{weight})")
        if not framework_ok:
            reasons.append("framework: not present")
        fits.append(ProfileFit(profile.name, score, framework_ok, tuple(reasons)))
    return sorted(fits, key=lambda fit: (not fit.fits, -fit.score, fit.name))
