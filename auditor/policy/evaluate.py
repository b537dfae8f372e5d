"""Graph + profile + catalog + rules -> findings.

Rule ids are a contract: ``<profile>/<anti_recommendation_key>`` for an
anti-recommendation, ``<profile>/stack/<stack_key>`` for a stack deviation,
and a rule file's own id for everything else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from auditor.findings import Finding, NotCheckable, Related, RuleMeta, Severity
from auditor.graph import GraphNode, ProjectGraph
from auditor.model import canonical_name
from auditor.policy.catalog import AntiEntry, Catalog
from auditor.policy.conditions import Condition, Match
from auditor.policy.profiles import Profile
from auditor.policy.rules import RULE_DOCS_BASE, Rule, rule_doc_path
from auditor.policy.template import fill
from auditor.versions import contains

# A finding's message, whatever its template and names (bounded output per finding).
MAX_MESSAGE_CHARS = 2000

__all__ = [
    "Evaluation",
    "TokenResult",
    "evaluate",
    "options_of",
    "profile_rule_ids",
    "stack_help",
    "token_result",
    "unknown_entries",
]

HELP_BASE = RULE_DOCS_BASE


@dataclass(slots=True)
class Evaluation:
    findings: list[Finding] = field(default_factory=list)
    not_checkable: list[NotCheckable] = field(default_factory=list)
    rules: dict[str, RuleMeta] = field(default_factory=dict)


class TokenResult(NamedTuple):
    """How one token fares on a graph."""

    token: str
    status: str  # ok | version | alternative | missing | not-checkable | unknown
    node: GraphNode | None = None
    detail: str = ""


def evaluate(graph: ProjectGraph, profile: Profile | None, catalog: Catalog, rules: Iterable[Rule]) -> Evaluation:
    """Every finding for one project graph."""
    out = Evaluation()
    if profile is not None:
        _evaluate_stack(graph, profile, catalog, out)
        _evaluate_anti(graph, profile, catalog, out)
    # Where the profile already made an architecture point about a package, a generic
    # architecture rule on the same package and line would only say it twice.
    profiled = {(f.package, f.location) for f in out.findings if f.package}
    for rule in rules:
        for match in rule.condition.evaluate(graph):
            finding = _finding(
                graph,
                rule.id,
                rule.meta.severity,
                rule.message,
                match,
                rule.meta.summary,
                reason="",
                use_instead=rule.use_instead,
            )
            if "architecture" in rule.meta.tags and (finding.package, finding.location) in profiled:
                continue
            out.rules[rule.id] = rule.meta
            out.findings.append(finding)
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
        formats = set(graph.formats)
        if formats & set(token.files):
            return TokenResult(token_name, "ok")
        return TokenResult(token_name, "missing", detail="no " + " or ".join(token.files) + " file")
    present = [graph.find(canonical_name(name)) for name in token.packages]
    found = [node for node in present if node is not None]
    if found:
        if token.version:
            good = [n for n in found if n.versions and all(contains(token.version, v) for v in n.versions)]
            if good or not any(n.versions for n in found):
                return TokenResult(token_name, "ok", good[0] if good else found[0])
            return TokenResult(token_name, "version", found[0], detail=f"{found[0].label()} is outside {token.version}")
        return TokenResult(token_name, "ok", found[0])
    for name in token.alternatives:
        node = graph.find(canonical_name(name))
        if node is not None and node.direct:
            return TokenResult(token_name, "alternative", node, detail=f"{node.label()} chosen instead")
    return TokenResult(token_name, "missing")


def profile_rule_ids(profile: Profile) -> set[str]:
    """Every rule id a profile can produce: ``<name>/<anti key>`` and ``<name>/stack/<stack key>``."""
    return {f"{profile.name}/{key}" for key in profile.anti} | {f"{profile.name}/stack/{key}" for key in profile.stack}


def unknown_entries(profile: Profile, catalog: Catalog) -> list[str]:
    """Stack tokens and anti-recommendation keys of ``profile`` that the catalog does not know, as notices."""
    out: list[str] = []
    for key, value in profile.stack.items():
        for option in options_of(value):
            out.extend(
                f"{profile.source}:{profile.stack_lines.get(key, 0)}: unknown stack token {token!r}"
                f" in {key!r} (no catalog entry): not checkable"
                for token in option
                if token not in catalog.tokens
            )
    for key, anti in profile.anti.items():
        if key not in catalog.anti:
            out.append(
                f"{anti.file}:{anti.line}: unknown anti-recommendation key {key!r} (no catalog entry): not checkable"
            )
    return out


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
        meta = stack_meta(profile, key, expected, catalog)
        out.rules[rule_id] = meta
        before = len(out.findings)
        bad = next((r for r in flat if r.status == "version"), None) or next(
            (r for r in flat if r.status == "alternative"), None
        )
        if bad is not None and bad.node is not None:
            if bad.status == "version":
                message = f"{key}: {bad.node.label()} is outside {bad.token} ({_version_of(bad.token, catalog)})"
            else:
                message = f"{key}: {bad.node.label()} was chosen instead of {expected}"
            match = Match([bad.node])
        elif bad is not None:  # requires-python outside
            message = f"{key}: requires-python {graph.requires_python} is outside {expected}"
            match = Match(python=True)
        else:
            missing = sorted({r.token for r in flat if r.status == "missing"})
            looked = sorted({p for t in missing for p in _packages_of(t, catalog)})
            if set(missing) == {r.token for r in flat}:
                message = f"{key}: {expected} is missing"
            else:
                message = f"{key}: {' and '.join(missing)} missing (expected {expected})"
            message += f"; none of {', '.join(looked)} is in the dependencies" if looked else ""
            match = Match(missing=missing)
        out.findings.append(_finding(graph, rule_id, Severity.WARNING, message, match, meta.summary, ""))
        for finding in out.findings[before:]:
            finding.message += f" [profile {profile.name}: stack.{key}]"


def _version_of(token: str, catalog: Catalog) -> str:
    entry = catalog.tokens.get(token)
    return entry.version or "" if entry is not None else ""


def _packages_of(token: str, catalog: Catalog) -> tuple[str, ...]:
    entry = catalog.tokens.get(token)
    if entry is None:
        return ()
    return entry.packages or tuple(f"a {f} file" for f in entry.files)


def stack_meta(profile: Profile, key: str, expected: str, catalog: Catalog) -> RuleMeta:
    return RuleMeta(
        id=f"{profile.name}/stack/{key}",
        name=f"stack-{key}".replace("_", "-"),
        severity=Severity.WARNING,
        summary=f"{key} deviates from the {profile.name} stack ({expected})",
        help_markdown=stack_help(profile, key, expected, catalog),
        help_uri=f"{HELP_BASE}/{rule_doc_path(f'{profile.name}/stack/{key}')}",
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
        f"## What it flags\nThe `{key}` entry of the `{profile.name}` stack expects {expected}; "
        f"the project's dependencies are missing it, chose another package, or pin a version outside it.\n\n"
        f"## Why it matters\nA profile is the team's architecture contract: every deviation is a second "
        f"way of doing one thing that reviewers, on-call and upgrades have to know about.\n\n"
        f"## How to fix\nUse the expected component, or record the exception with an ignore that carries "
        f"a reason.\n\n"
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
            finding = _finding(graph, rule_id, anti.severity, entry.message, match, entry.summary, anti.reason)
            verdict = {"error": "kill", "warning": "warn", "note": "note"}[anti.severity.value]
            finding.message += f" [profile {profile.name}: anti_recommendations.{key} = {verdict}]"
            out.findings.append(finding)


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
        help_uri=f"{HELP_BASE}/{rule_doc_path(f'{profile.name}/{entry.key}')}",
        tags=("architecture", "anti-recommendation", profile.name, *entry.tags),
        origin=f"profile:{profile.name}",
    )


# ----------------------------------------------------------------- findings


def _finding(
    graph: ProjectGraph,
    rule_id: str,
    severity: Severity,
    template: str,
    match: Match,
    summary: str,
    reason: str,
    use_instead: str = "",
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
        "use_instead": use_instead,
        "project": graph.name or graph.path,
    }
    message = fill(template, values)
    if primary is not None:
        location = primary.location or graph.dependencies_at
    elif match.python:
        location = graph.requires_python_at or graph.dependencies_at
    else:
        location = graph.dependencies_at
    related = [Related(p.location, _declared(graph, p)) for p in others if p.location]
    if match.python and primary is not None and graph.requires_python_at is not None:
        related.append(Related(graph.requires_python_at, f"requires-python {graph.requires_python} is declared here"))
    why: list[str] = []
    if primary is not None and not primary.direct:
        why = graph.why_path(primary, bounded=True)
        if why:
            message += f" (pulled in by {' -> '.join(why[1:-1]) or graph.name})"
    if len(message) > MAX_MESSAGE_CHARS:  # a template over many long names: bounded like the path
        message = message[: MAX_MESSAGE_CHARS - 1] + "…"
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


def _declared(graph: ProjectGraph, node: GraphNode) -> str:
    if node.direct:
        return f"{node.label()} is declared here"
    via = graph.why_path(node, bounded=True)[1:-1]
    return f"{node.label()} is resolved here, pulled in by {' -> '.join(via) or graph.name}"
