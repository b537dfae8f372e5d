"""Graph + profile + catalog + rules -> findings.

Rule ids are a contract: ``<profile>/<anti_recommendation_key>`` for an
anti-recommendation, ``<profile>/stack/<stack_key>`` for a stack deviation,
and a rule file's own id for everything else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from auditor.evidence.model import Evidence
from auditor.findings import Finding, Judgement, NotCheckable, Related, RuleMeta, Severity
from auditor.graph import ProjectGraph
from auditor.policy.catalog import AntiEntry, Catalog
from auditor.policy.conditions import Condition, needs_direct
from auditor.policy.finding import make_finding
from auditor.policy.judged import judge_anti
from auditor.policy.profile_keys import profile_key_judgements
from auditor.policy.profiles import Profile
from auditor.policy.rules import RULE_DOCS_BASE, Rule, rule_doc_path
from auditor.policy.stack import TokenResult, options_of, stack_issues, token_result, why_unread
from auditor.policy.template import fill

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
    judgements: list[Judgement] = field(default_factory=list)
    undecided: list[str] = field(default_factory=list)  # rules that need directness the graph lacks


def evaluate(
    graph: ProjectGraph,
    profile: Profile | None,
    catalog: Catalog,
    rules: Iterable[Rule],
    evidence: Evidence | None = None,
) -> Evaluation:
    """Every finding for one project graph; with ``evidence``, code facts judge the keys that need them."""
    out = Evaluation()
    if profile is not None:
        covered = _evaluate_anti(graph, profile, catalog, out, evidence)
        anti_judgements, out.judgements = out.judgements, []
        _evaluate_stack(graph, profile, catalog, out, covered, evidence)
        out.judgements.extend(anti_judgements)
        out.judgements.extend(profile_key_judgements(profile, graph, evidence))
    # Where the profile already made an architecture point about a package, a generic
    # architecture rule on the same package and line would only say it twice.
    profiled = {(f.package, f.location) for f in out.findings if f.package}
    for rule in rules:
        if _cannot_tell_direct(graph, rule.condition, rule.id, out):
            continue
        for match in rule.condition.evaluate(graph):
            if match.pulled and not rule.message_pulled:
                continue
            finding = make_finding(
                graph,
                rule.id,
                rule.meta.severity,
                rule.message_pulled if match.pulled else rule.message,
                match,
                rule.meta.summary,
                reason="",
                use_instead=rule.use_instead,
            )
            if "architecture" in rule.meta.tags and (finding.package, finding.location) in profiled:
                continue
            out.rules[rule.id] = rule.meta
            out.findings.append(finding)
    if out.undecided:
        reason = (
            "these rules need the project's direct dependencies, which none of its files records"
            f" ({', '.join(sorted(set(graph.files)))}); audit it with its manifest (pyproject.toml, Pipfile)"
        )
        out.not_checkable.append(NotCheckable("direct-dependencies", ", ".join(out.undecided), reason))
    out.findings.sort(key=Finding.sort_key)
    return out


# ----------------------------------------------------------------- stack tokens


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


def _evaluate_stack(
    graph: ProjectGraph,
    profile: Profile,
    catalog: Catalog,
    out: Evaluation,
    covered: set[str],
    evidence: Evidence | None = None,
) -> None:
    notes = (out.not_checkable, out.judgements)
    for issue in stack_issues(graph, profile, catalog, notes, covered, evidence):
        key = issue.keys[0]
        expected = " or ".join(" + ".join(option) for option in options_of(profile.stack[key]))
        meta = stack_meta(profile, key, expected, catalog)
        out.rules[meta.id] = meta
        finding = make_finding(graph, meta.id, issue.severity, issue.message, issue.match, meta.summary, "")
        shown = issue.shown_at
        if shown is not None and shown.at is not None:
            # The code shows it (evidence): the finding points there, the dependency list is related.
            finding.message = f"{key}: {shown.detail}" if shown.status == "missing" else finding.message
            if finding.location is not None and finding.location != shown.at:
                finding.related.append(Related(finding.location, "the dependencies are declared here"))
            finding.location = shown.at
        finding.profile_entry = f"profile {profile.name}: " + ", ".join(f"stack.{k}" for k in issue.keys)
        out.findings.append(finding)


# ----------------------------------------------------------------- anti-recommendations


def _evaluate_anti(
    graph: ProjectGraph, profile: Profile, catalog: Catalog, out: Evaluation, evidence: Evidence | None = None
) -> set[str]:
    """Findings of every anti-recommendation that fires; returns the stack tokens they speak for."""
    covered: set[str] = set()
    stack_keys = {token: key for key, value in profile.stack.items() for o in options_of(value) for token in o}
    for key, anti in profile.anti.items():
        entry = catalog.anti.get(key)
        judgement_key = f"anti_recommendations.{key}"
        if entry is None:
            reason = "no catalog entry for this anti-recommendation key"
            out.not_checkable.append(NotCheckable(key, key, reason))
            out.judgements.append(Judgement(judgement_key, "not-checkable", reason))
            continue
        rule_id = f"{profile.name}/{key}"
        verdict_word = {"error": "kill", "warning": "warn", "note": "note"}[anti.severity.value]
        entry_name = f"profile {profile.name}: anti_recommendations.{key} = {verdict_word}"
        judged = judge_anti(graph, evidence, entry.evidence, key, rule_id, anti.severity, anti.reason, entry_name)
        use_condition = judged is None or judged.use_condition
        if judged is not None:
            if judged.findings:
                out.rules[rule_id] = anti_meta(profile, entry)
                out.findings.extend(_same_fact(judged.findings, entry, stack_keys, covered))
            out.judgements.append(judged.judgement)
            if judged.not_checkable:
                out.not_checkable.append(NotCheckable(key, key, judged.not_checkable))
            if not use_condition:
                continue
        if entry.condition is None:
            why = f" (needs the source: {why_unread(evidence)})" if entry.evidence else ""
            out.not_checkable.append(NotCheckable(key, key, entry.not_checkable + why))
            out.judgements.append(Judgement(judgement_key, "not-checkable", entry.not_checkable + why))
            continue
        if _cannot_tell_direct(graph, entry.condition, rule_id, out):
            reason = "needs the project's direct dependencies, which its files do not record"
            out.judgements.append(Judgement(judgement_key, "not-checkable", reason))
            continue
        matches = [m for m in entry.condition.evaluate(graph) if not m.pulled]
        if judged is None:
            found = "; ".join(m.packages[0].label() for m in matches if m.packages)
            detail = f"{entry.summary}: {found or 'yes'}" if matches else f"not found: {entry.summary}"
            if entry.evidence:
                detail += f" (dependencies only: the code was not read: {why_unread(evidence)})"
            out.judgements.append(Judgement(judgement_key, "checked", detail, "violated" if matches else "satisfied"))
        if not matches:
            continue
        out.rules[rule_id] = anti_meta(profile, entry)
        findings = []
        for match in matches:
            finding = make_finding(graph, rule_id, anti.severity, entry.message, match, entry.summary, anti.reason)
            finding.profile_entry = entry_name
            findings.append(finding)
        out.findings.extend(_same_fact(findings, entry, stack_keys, covered))
    return covered


def _same_fact(
    findings: list[Finding], entry: AntiEntry, stack_keys: dict[str, str], covered: set[str]
) -> list[Finding]:
    """One fact, one finding: the stack entry naming the same choice is said here, not reported twice."""
    same = sorted({stack_keys[t] for t in entry.covers if t in stack_keys})
    if not same or not any(f.severity is not Severity.NOTE for f in findings):
        return findings
    covered.update(t for t in entry.covers if t in stack_keys)
    for finding in findings:
        finding.message += f" (the profile's {' and '.join(same)} entry)"
        finding.profile_entry += "".join(f", stack.{k}" for k in same)
    return findings


def _cannot_tell_direct(graph: ProjectGraph, condition: Condition, rule_id: str, out: Evaluation) -> bool:
    """A rule about direct dependencies on a graph whose files do not say which are direct: a note, no guess."""
    if graph.direct_known or not needs_direct(condition.table):
        return False
    out.undecided.append(rule_id)
    return True


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


def group_per_file(findings: list[Finding], rules: Iterable[Rule]) -> list[Finding]:
    """One finding per file for a rule with a per-file message that fired on several lines of it.

    Run after suppressions: a line ignored inline stays its own (suppressed) finding, and
    the rest of the file's lines become one finding with them as related locations.
    """
    templates = {rule.id: (rule.per_file_message, rule.meta.summary) for rule in rules if rule.per_file_message}
    by_file: dict[tuple[str, str], list[Finding]] = {}
    out: list[Finding] = []
    for finding in findings:
        if finding.rule_id in templates and finding.suppression is None and finding.location is not None:
            by_file.setdefault((finding.rule_id, finding.location.file), []).append(finding)
        else:
            out.append(finding)
    for (rule_id, file), group in by_file.items():
        if len(group) == 1:
            out.extend(group)
            continue
        template, summary = templates[rule_id]
        group.sort(key=Finding.sort_key)
        first = group[0]
        names = [f"{f.package} {f.version}" if f.version else str(f.package) for f in group]
        values = {"count": str(len(group)), "packages": ", ".join(names[:-1]) + " and " + names[-1], "file": file}
        message = fill(template, values)
        related = [
            Related(f.location, f"{name}: {summary}")
            for f, name in zip(group[1:], names[1:], strict=True)
            if f.location
        ]
        out.append(Finding(rule_id, first.severity, message, first.project, location=first.location, related=related))
    out.sort(key=Finding.sort_key)
    return out
