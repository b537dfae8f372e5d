"""Profile inference: rank every profile against a project graph and pick the best fit, with reasons.

A profile declares its *identity* (``"identity": [stack keys]``; by default
its ``framework`` entry): the entries without which it cannot be the right
contract. Only a profile whose whole identity is in the dependencies fits,
so a profile whose identity is absent never beats one whose identity is
present, however many generic entries (pytest, PostgreSQL) it matches.
Among the fits, the profile with the most identity entries present wins
(django-ninja-async, whose identity is Django *and* django-ninja, over
django-monolith when both are there), then the higher score. A child
profile (``extends``) beats its ancestor only on what it adds: when they
score the same, the ancestor is chosen. Ties and narrow wins are reported
as such, with the runner-up and what would decide it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from auditor.findings import ProfileInference
from auditor.graph import ProjectGraph
from auditor.policy.catalog import Catalog
from auditor.policy.evaluate import TokenResult, options_of, token_result
from auditor.policy.profiles import Profile

__all__ = [
    "FRAMEWORK_KEYS",
    "NARROW_MARGIN",
    "ProfileChoice",
    "ProfileFit",
    "choose",
    "choose_profile",
    "rank_profiles",
]

FRAMEWORK_KEYS = ("framework",)
IDENTITY_WEIGHT = 5
# A win by less than this many points is "narrow": one more or one fewer dependency would change it.
NARROW_MARGIN = 2
SET_PROFILE = "set `profile` in [tool.stack-auditor] (or --profile) to decide"


class ProfileFit(NamedTuple):
    """One profile's score on a project: whether it fits, and why."""

    name: str
    score: int
    fits: bool
    reasons: tuple[str, ...]
    identity: tuple[str, ...] = ()  # identity entries present, as "key: package"
    missing_identity: tuple[str, ...] = ()  # identity entries absent, as "key (token)"
    own_score: int = 0  # points from entries the profile itself declares (not inherited)
    ancestors: tuple[str, ...] = ()

    def rank_key(self) -> tuple[bool, int, int]:
        return (not self.fits, -len(self.identity), -self.score)


class ProfileChoice(NamedTuple):
    """The profile to apply, the one-line (or, explained, multi-line) reason, and how sure the choice is."""

    profile: Profile | None
    reason: str
    inference: ProfileInference


def rank_profiles(graph: ProjectGraph, profiles: Iterable[Profile], catalog: Catalog) -> list[ProfileFit]:
    """Profiles ordered by how well the project matches them (best first; see the module docstring).

    Each satisfied identity entry scores 5, every other satisfied stack entry 1.
    A component present at another version still shows which stack this is
    (Django 2 is a Django shop), but a ``requires-python`` outside a language
    entry is not credited: the same run reports it as a deviation. A profile
    without identity (``python-library``) is never inferred.
    """
    fits = [_fit(graph, profile, catalog) for profile in profiles]
    ordered = sorted(fits, key=lambda fit: (*fit.rank_key(), fit.name))
    return _ancestors_first(ordered)


def _fit(graph: ProjectGraph, profile: Profile, catalog: Catalog) -> ProfileFit:
    identity_keys = profile.identity_keys()
    own_keys = set(profile.own_stack_keys)
    score = own = 0
    reasons: list[str] = []
    present: list[str] = []
    for key, value in profile.stack.items():
        hit = _satisfied(graph, value, catalog)
        if hit is None:
            continue
        node = hit.node
        if key in identity_keys and key in FRAMEWORK_KEYS and node is not None and node.direct is False:
            reasons.append(f"{key}: {node.label()} is only transitive (+0)")
            continue  # a framework some library drags in is not the project's framework
        weight = IDENTITY_WEIGHT if key in identity_keys else 1
        score += weight
        own += weight if key in own_keys else 0
        what = node.label() if node else hit.token
        if key in identity_keys:
            present.append(f"{key}: {what}")
        reasons.append(f"{key}: {what} (+{weight})")
    missing = tuple(
        f"{key} ({_expected(profile.stack[key])})"
        for key in identity_keys
        if key in profile.stack and not any(p.startswith(f"{key}: ") for p in present)
    )
    fits = bool(identity_keys) and not missing
    if not identity_keys:
        reasons.insert(0, "never inferred: the profile declares no identity (choose it with --profile)")
    elif missing:
        reasons.insert(0, f"does not fit: its identity {', '.join(missing)} is not in the dependencies")
    return ProfileFit(profile.name, score, fits, tuple(reasons), tuple(present), missing, own, tuple(profile.extends))


def _satisfied(graph: ProjectGraph, value: str | list[str], catalog: Catalog) -> TokenResult | None:
    """The first result that satisfies one option of a stack entry, or None."""
    for option in options_of(value):
        results = [token_result(graph, t, catalog) for t in option]
        credited = [r for r in results if r.status == "ok" or (r.status == "version" and r.node is not None)]
        if credited and all(r in credited or r.status in ("not-checkable", "unknown") for r in results):
            return credited[0]
    return None


def _expected(value: str | list[str]) -> str:
    return " or ".join(" + ".join(option) for option in options_of(value))


def _ancestors_first(ordered: list[ProfileFit]) -> list[ProfileFit]:
    """A child that scores no more than its ancestor, on nothing of its own, goes after the ancestor."""
    result = list(ordered)
    moved = True
    while moved:
        moved = False
        for i, fit in enumerate(result):
            ancestor = next(
                (
                    j
                    for j in range(i + 1, len(result))
                    if result[j].name in fit.ancestors and result[j].rank_key() == fit.rank_key()
                ),
                None,
            )
            if ancestor is not None:
                result.insert(ancestor, result.pop(i))
                moved = True
                break
    return result


def choose(
    graph: ProjectGraph,
    forced: Profile | None,
    candidates: list[Profile],
    catalog: Catalog,
    explain: bool = False,
    preferred: Profile | None = None,
) -> ProfileChoice:
    """The profile for ``graph``.

    ``forced`` (--profile, the repo's configuration) as is; else ``preferred`` (the
    org's default profile) when it fits; else the best fit of ``candidates``.
    """
    if forced is not None:
        return ProfileChoice(forced, "given with --profile or in the configuration", ProfileInference("given"))
    ranking = rank_profiles(graph, candidates, catalog)
    table = _score_table(ranking)
    preamble = ""
    if preferred is not None:
        own = _fit(graph, preferred, catalog)
        # A default without identity (a library profile) applies wherever no identified profile fits.
        unidentified = not preferred.identity_keys() and not any(fit.fits for fit in ranking)
        if own.fits or unidentified:
            reason = f"the default profile, and it fits ({'; '.join(own.identity) or 'no other profile does'})"
            return ProfileChoice(
                preferred,
                _explained(reason, [own, *(f for f in ranking if f.name != own.name)], explain),
                ProfileInference("given"),
            )
        preamble = f"the default profile {preferred.name} does not fit ({', '.join(own.missing_identity)}); "
    best = ranking[0] if ranking and ranking[0].fits else None
    if best is None:
        inference = ProfileInference("none", decided_by="no profile's identity is in the dependencies; " + SET_PROFILE)
        reason = (
            f"{preamble}no profile fits: no profile's identity is in the dependencies (scores: {table});"
            " only generic rules apply"
        )
        return ProfileChoice(None, _explained(reason, ranking, explain), inference)
    inference = _inference(best, ranking[1:])
    reason = f"{preamble}inferred: {_status_words(best, inference)} (scores: {table})"
    chosen = next(p for p in candidates if p.name == best.name)
    return ProfileChoice(chosen, _explained(reason, ranking, explain), inference)


def _score_table(ranking: list[ProfileFit]) -> str:
    """``a=13; b=11; not fitting: c=13, d=3``: a score means nothing for a profile whose identity is absent."""
    fitting = "; ".join(f"{fit.name}={fit.score}" for fit in ranking if fit.fits)
    others = ", ".join(f"{fit.name}={fit.score}" for fit in ranking if not fit.fits)
    if not others:
        return fitting
    return f"{fitting}; not fitting: {others}" if fitting else f"not fitting: {others}"


def _inference(best: ProfileFit, others: list[ProfileFit]) -> ProfileInference:
    runner = next((fit for fit in others if fit.fits), None)
    if runner is None:
        return ProfileInference("inferred", decided_by=f"only {best.name} fits ({'; '.join(best.identity)})")
    margin = best.score - runner.score
    if best.rank_key() == runner.rank_key():
        if runner.name in best.ancestors or best.name in runner.ancestors:
            child = best if runner.name in best.ancestors else runner
            decided = f"{child.name} adds nothing found in the dependencies over what it extends; " + SET_PROFILE
        else:
            decided = SET_PROFILE
        return ProfileInference("tie", runner.name, 0, decided)
    if len(best.identity) > len(runner.identity):
        decided = f"{best.name}'s identity ({'; '.join(best.identity)}) is more specific"
        return ProfileInference("inferred", runner.name, margin, decided)
    if margin < NARROW_MARGIN:
        return ProfileInference(
            "narrow", runner.name, margin, f"one more matching entry would change it; {SET_PROFILE}"
        )
    return ProfileInference("inferred", runner.name, margin, f"{best.name} matches {margin} more stack entries")


def _status_words(best: ProfileFit, inference: ProfileInference) -> str:
    identity = "; ".join(best.identity)
    if inference.status == "tie":
        return f"tied with {inference.runner_up} ({inference.decided_by}); {best.name} chosen, identity {identity}"
    if inference.status == "narrow":
        return (
            f"narrow win over {inference.runner_up} by {inference.margin}, identity {identity} ({inference.decided_by})"
        )
    return f"best match, identity {identity}"


def _explained(reason: str, ranking: list[ProfileFit], explain: bool) -> str:
    if not explain:
        return reason
    lines = [reason, "    ranking:"]
    for n, fit in enumerate(ranking, 1):
        state = "fits" if fit.fits else "no fit"
        lines.append(f"    {n}. {fit.name} score {fit.score} ({state}): {'; '.join(fit.reasons) or 'nothing matched'}")
    return "\n".join(lines)


def choose_profile(
    graph: ProjectGraph, forced: Profile | None, candidates: list[Profile], catalog: Catalog, explain: bool
) -> tuple[Profile | None, str]:
    """The profile to apply and a one-line reason; with ``explain`` the ranking follows on new lines."""
    choice = choose(graph, forced, candidates, catalog, explain)
    return choice.profile, choice.reason
