"""Stack entries of a profile against a graph: which tokens hold, and one deviation per fact.

A token is ``ok``, at another ``version`` (older than the contract, or newer:
then the profile may need a new version), replaced by an ``alternative``,
``missing``, or cannot be judged. Stack entries whose tokens fill the same
slot (``queue_options`` and ``background_jobs`` both name arq) make one
deviation, with every key named in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from auditor.evidence.model import Evidence
from auditor.findings import Judgement, NotCheckable, Severity
from auditor.graph import GraphNode, ProjectGraph
from auditor.model import Provenance, canonical_name
from auditor.policy.catalog import Catalog
from auditor.policy.conditions import KNOWN_PYTHONS, Condition, Match
from auditor.policy.judged import why_unread
from auditor.policy.judges import TOKEN_JUDGES
from auditor.policy.profile_keys import stack_judgement
from auditor.policy.profiles import Profile
from auditor.versions import compare, contains, is_version

__all__ = ["Deviation", "StackIssue", "TokenResult", "options_of", "stack_issues", "token_result", "why_unread"]

_NUMBERS = re.compile(r"\d+(?:\.\d+)*")
NEWER_NOTE = "the profile may need a new version"


class TokenResult(NamedTuple):
    """How one token fares on a graph."""

    token: str
    status: str  # ok | version | alternative | missing | not-checkable | unknown
    node: GraphNode | None = None
    detail: str = ""
    at: Provenance | None = None  # where the code shows it (evidence-judged tokens)
    newer: bool = False  # status "version": above the token's range, not below it


class Deviation(NamedTuple):
    """One stack key that is not satisfied, with the results of its checkable tokens."""

    key: str
    expected: str
    results: tuple[TokenResult, ...]
    slot: frozenset[str]  # every package the key's tokens name (packages and alternatives)


class StackIssue(NamedTuple):
    """One finding's worth of stack deviation: the keys it covers, what to say, and where."""

    keys: tuple[str, ...]
    severity: Severity
    message: str
    match: Match
    shown_at: TokenResult | None = None  # a missing/alternative result the code shows (evidence), if any


def options_of(value: str | list[str]) -> list[list[str]]:
    """A stack entry as options (any one suffices), each a list of tokens (all needed)."""
    options = value if isinstance(value, list) else [value]
    return [[part.strip() for part in option.split(" + ")] for option in options]


def token_result(
    graph: ProjectGraph, token_name: str, catalog: Catalog, evidence: Evidence | None = None
) -> TokenResult:
    token = catalog.tokens.get(token_name)
    if token is None:
        return TokenResult(token_name, "unknown", detail="no catalog entry for this token")
    if token.evidence and evidence is not None and evidence.read and token.evidence in TOKEN_JUDGES:
        verdict = TOKEN_JUDGES[token.evidence](graph, evidence)
        return TokenResult(token_name, verdict.status, verdict.node, verdict.detail, verdict.at)
    if token.evidence and token.not_checkable:
        reason = f"{token.not_checkable} (needs the source: {why_unread(evidence)})"
        return TokenResult(token_name, "not-checkable", detail=reason)
    if token.not_checkable:
        return TokenResult(token_name, "not-checkable", detail=token.not_checkable)
    if token.python is not None:
        if not graph.requires_python:
            return TokenResult(token_name, "not-checkable", detail="the project declares no requires-python")
        bad = Condition({"requires-python": dict(token.python)}).evaluate(graph)
        detail = f"requires-python {graph.requires_python}"
        if not bad:
            return TokenResult(token_name, "ok", detail=detail)
        return TokenResult(
            token_name, "version", detail=detail, newer=_python_newer(graph.requires_python, token.python)
        )
    if token.files:
        if set(graph.formats) & set(token.files):
            return TokenResult(token_name, "ok")
        return TokenResult(token_name, "missing", detail="no " + " or ".join(token.files) + " file")
    found = [node for node in (graph.find(canonical_name(name)) for name in token.packages) if node is not None]
    if found:
        if not token.version:
            return TokenResult(token_name, "ok", found[0])
        judged = [(node, _judge(token.version, node)) for node in found]
        good = next((node for node, side in judged if side == "ok"), None)
        if good is not None:
            return TokenResult(token_name, "ok", good)
        node, side = judged[0]
        return TokenResult(token_name, "version", node, f"outside {token.version}", newer=side == "newer")
    for name in token.alternatives:
        other = graph.find(canonical_name(name))
        if other is not None and other.direct:
            return TokenResult(token_name, "alternative", other, detail=f"{other.label()} chosen instead")
    return TokenResult(token_name, "missing")


def _judge(specifier: str, node: GraphNode) -> str:
    """``ok``, ``newer`` or ``older``: resolved versions when known, else the declared ranges."""
    if node.versions:
        outside = [v for v in node.versions if is_version(v) and not contains(specifier, v)]
        if not outside:
            return "ok"
        admitted = _admitted_probes(specifier, (specifier,))
        return "newer" if admitted and all(_above(v, admitted) for v in outside) else "older"
    declared = [s for s in node.specifiers if s and s != "*"]
    if not declared:
        return "ok"  # a bare name: nothing to judge
    probes = _admitted_probes(specifier, (specifier, *declared))
    both = [p for p in probes if all(_contains(d, p) for d in declared)]
    if both:
        return "ok"
    theirs = _admitted_probes(",".join(declared), (specifier, *declared))
    return "newer" if theirs and probes and all(_above(v, probes) for v in theirs) else "older"


def _admitted_probes(specifier: str, sources: Iterable[str]) -> list[str]:
    """Versions a specifier admits among probes built from every number in ``sources`` (5 -> 5, 5.0.1, 5.1)."""
    probes: set[str] = set()
    for text in sources:
        for number in _NUMBERS.findall(text):
            probes.update((number, f"{number}.0.1", f"{number}.1"))
    return sorted((p for p in probes if _contains(specifier, p)), key=lambda p: tuple(int(x) for x in p.split(".")))


def _contains(specifier: str, version: str) -> bool:
    try:
        return contains(specifier, version)
    except ValueError:
        return False


def _above(version: str, admitted: list[str]) -> bool:
    try:
        return all(compare(version, other) > 0 for other in admitted)
    except ValueError:
        return False


def _python_newer(requires_python: str, rule: Mapping[str, Any]) -> bool:
    """Every Python the project admits is above every Python the token admits (>=3.14 against 3.11-3.12)."""
    wanted = [str(v) for v in rule.get("admits-any", []) if is_version(str(v))]
    admitted = [python for python in KNOWN_PYTHONS if _contains(requires_python, python)]
    return bool(wanted and admitted) and all(_above(python, wanted) for python in admitted)


def stack_issues(
    graph: ProjectGraph,
    profile: Profile,
    catalog: Catalog,
    notes: tuple[list[NotCheckable], list[Judgement]],
    covered: set[str],
    evidence: Evidence | None = None,
) -> list[StackIssue]:
    """One issue per fact: deviations whose slots share a package are reported together.

    ``notes`` receives what cannot be judged and every key's judgement. ``covered``
    holds tokens an anti-recommendation that fired already speaks for
    (``sync-http-client-in-async-service`` for ``httpx-client``): their keys stay quiet.
    """
    groups: list[list[Deviation]] = []
    for deviation in _deviations(graph, profile, catalog, notes, evidence):
        if any(r.token in covered for r in deviation.results):
            continue
        group = next((g for g in groups if any(d.slot & deviation.slot for d in g)), None)
        if group is None:
            groups.append([deviation])
        else:
            group.append(deviation)
    return [_issue(graph, group, catalog) for group in groups]


def _deviations(
    graph: ProjectGraph,
    profile: Profile,
    catalog: Catalog,
    notes: tuple[list[NotCheckable], list[Judgement]],
    evidence: Evidence | None,
) -> Iterable[Deviation]:
    not_checkable, judgements = notes
    for key, value in profile.stack.items():
        options = options_of(value)
        results = [[token_result(graph, token, catalog, evidence) for token in option] for option in options]
        for option in results:
            unjudged = [r for r in option if r.status in ("not-checkable", "unknown")]
            not_checkable.extend(NotCheckable(f"stack/{key}", r.token, r.detail) for r in unjudged)
        # A token that does not apply (no social login, no HTML) is met by not being needed.
        skip = ("not-checkable", "unknown", "not-applicable")
        checkable = [[r for r in option if r.status not in skip] for option in results]
        judgements.append(stack_judgement(key, results, checkable))
        if any(option and all(r.status == "ok" for r in option) for option in checkable):
            continue
        if not any(checkable):
            continue  # nothing here can be judged; reported as not checkable above
        flat = tuple(r for option in checkable for r in option)
        # The slot is what the failing tokens name: framework and orm both fail on a missing
        # Django (one fact), while auth failing on social login is another fact beside it.
        slot = frozenset(
            canonical_name(p)
            for r in flat
            if r.status != "ok" and (t := catalog.tokens.get(r.token)) is not None
            for p in (*t.packages, *t.alternatives)
        )
        expected = " or ".join(" + ".join(option) for option in options)
        yield Deviation(key, expected, flat, slot)


def _issue(graph: ProjectGraph, group: list[Deviation], catalog: Catalog) -> StackIssue:
    first = group[0]
    keys = tuple(d.key for d in group)
    also = f" (also {'; '.join(f'{d.key}: {d.expected}' for d in group[1:])})" if len(group) > 1 else ""
    flat = [r for d in group for r in d.results]
    bad = next((r for r in flat if r.status == "version"), None) or next(
        (r for r in flat if r.status == "alternative"), None
    )
    owner = next(d for d in group if bad is None or bad in d.results)
    if bad is not None and bad.status == "version":
        severity = Severity.NOTE if bad.newer else Severity.WARNING
        message = _version_message(graph, owner.key, bad, catalog) + also
        return StackIssue(keys, severity, message, Match([bad.node]) if bad.node else Match(python=True))
    shown = next((r for r in flat if r.status in ("missing", "alternative") and r.at is not None), None)
    if bad is not None and bad.node is not None:
        message = f"{owner.key}: {bad.node.label()} was chosen instead of {_failing(owner, bad)}{also}"
        return StackIssue(keys, Severity.WARNING, message, Match([bad.node]), shown)
    if bad is not None:  # shown by the code, no package behind it
        message = f"{owner.key}: {bad.detail} instead of {_failing(owner, bad)}{also}"
        return StackIssue(keys, Severity.WARNING, message, Match(), shown)
    missing = sorted({r.token for r in flat if r.status == "missing"})
    looked = sorted({p for t in missing for p in _packages_of(t, catalog)})
    if all(r.status == "missing" for r in first.results):
        message = f"{first.key}: {first.expected} is missing"
    else:
        wanting = [r.token for r in first.results if r.status == "missing"]
        message = f"{first.key}: {' and '.join(wanting)} missing (expected {first.expected})"
    message += also
    message += f"; none of {', '.join(looked)} is in the dependencies" if looked else ""
    return StackIssue(keys, Severity.WARNING, message, Match(missing=missing), shown)


def _failing(deviation: Deviation, alternative: TokenResult) -> str:
    """What the alternative replaces: the failing token alone when its option's other tokens hold
    (never "X instead of Y" about a Y that is there)."""
    held = [r.token for r in deviation.results if r.status == "ok"]
    return alternative.token if held else deviation.expected


def _version_message(graph: ProjectGraph, key: str, bad: TokenResult, catalog: Catalog) -> str:
    token = catalog.tokens.get(bad.token)
    spec = token.version if token is not None and token.version else ""
    if bad.node is None:  # requires-python
        if bad.newer:
            return f"{key}: requires-python {graph.requires_python} is newer than {bad.token}: {NEWER_NOTE}"
        return f"{key}: requires-python {graph.requires_python} is outside {bad.token}"
    node = bad.node
    what = node.label() if node.versions else f"{node.display_name} {','.join(node.specifiers)}"
    admits = "is" if node.versions else "admits no version of"
    if bad.newer:
        where = "is newer than" if node.versions else "admits only versions newer than"
        return f"{key}: {what} {where} {bad.token} ({spec}): {NEWER_NOTE}"
    if node.versions:
        return f"{key}: {what} {admits} older than {bad.token} ({spec})"
    return f"{key}: {what} {admits} {bad.token} ({spec})"


def _packages_of(token: str, catalog: Catalog) -> tuple[str, ...]:
    entry = catalog.tokens.get(token)
    if entry is None:
        return ()
    return entry.packages or tuple(f"a {f} file" for f in entry.files)
