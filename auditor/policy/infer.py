"""Profile inference: rank every profile against a project graph and pick the best fit, with reasons."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from auditor.graph import ProjectGraph
from auditor.policy.catalog import Catalog
from auditor.policy.evaluate import options_of, token_result
from auditor.policy.profiles import Profile

__all__ = ["FRAMEWORK_KEYS", "ProfileFit", "choose_profile", "rank_profiles"]

FRAMEWORK_KEYS = ("framework",)


class ProfileFit(NamedTuple):
    """One profile's score on a project: whether it fits, and why."""

    name: str
    score: int
    fits: bool
    reasons: tuple[str, ...]


def rank_profiles(graph: ProjectGraph, profiles: Iterable[Profile], catalog: Catalog) -> list[ProfileFit]:
    """Profiles ordered by how well the project matches their stack.

    Each satisfied stack entry scores 1, the framework 5. A profile *fits* only
    when its framework entry is satisfied: matching on generic entries
    (pytest, PostgreSQL) alone says nothing about the architecture. A profile
    without a framework entry (``python-library``) is never inferred; choose it
    with ``--profile`` or ``profile =`` in the config. Ties break by name, so
    the ranking is deterministic.
    """
    fits = []
    for profile in profiles:
        score = 0
        reasons = []
        framework_ok = False
        has_framework = any(key in FRAMEWORK_KEYS for key in profile.stack)
        for key, value in profile.stack.items():
            results = [[token_result(graph, t, catalog) for t in option] for option in options_of(value)]
            # A component present at another version still shows which stack this is (Django 2 is a Django shop).
            satisfied = [
                option
                for option in results
                if any(r.status in ("ok", "version") for r in option)
                and all(r.status in ("ok", "version", "not-checkable", "unknown") for r in option)
            ]
            if satisfied:
                hit = next(r for r in satisfied[0] if r.status in ("ok", "version"))
                if key in FRAMEWORK_KEYS and hit.node is not None and hit.node.direct is False:
                    reasons.append(f"{key}: {hit.node.label()} is only transitive (+0)")
                    continue  # a framework some library drags in is not the project's framework
                weight = 5 if key in FRAMEWORK_KEYS else 1
                score += weight
                framework_ok = framework_ok or key in FRAMEWORK_KEYS
                reasons.append(f"{key}: {hit.node.label() if hit.node else hit.token} (+{weight})")
        if not has_framework:
            reasons.insert(0, "never inferred: the profile has no framework entry (choose it with --profile)")
        elif not framework_ok:
            expected = " or ".join(
                " + ".join(o)
                for key in FRAMEWORK_KEYS
                if key in profile.stack
                for o in options_of(profile.stack[key])
            )
            reasons.insert(0, f"does not fit: framework {expected} is not in the dependencies")
        fits.append(ProfileFit(profile.name, score, framework_ok, tuple(reasons)))
    return sorted(fits, key=lambda fit: (not fit.fits, -fit.score, fit.name))


def choose_profile(
    graph: ProjectGraph, forced: Profile | None, candidates: list[Profile], catalog: Catalog, explain: bool
) -> tuple[Profile | None, str]:
    """The profile to apply and a one-line reason; with ``explain`` the ranking follows on new lines."""
    if forced is not None:
        return forced, "given with --profile or in the configuration"
    ranking = rank_profiles(graph, candidates, catalog)
    table = "; ".join(f"{fit.name}={fit.score}" for fit in ranking)
    best = ranking[0] if ranking and ranking[0].fits else None
    if best is None:
        reason = (
            f"no profile fits: no profile's framework is in the dependencies (scores: {table});"
            " only generic rules apply"
        )
    else:
        ties = [fit.name for fit in ranking[1:] if fit.fits and fit.score == best.score]
        tie = f", tied with {', '.join(ties)} (first by name wins; set the profile to decide)" if ties else ""
        reason = f"inferred: best match{tie} (scores: {table})"
    if explain:
        lines = [reason, "    ranking:"]
        for n, fit in enumerate(ranking, 1):
            state = "fits" if fit.fits else "no fit"
            lines.append(
                f"    {n}. {fit.name} score {fit.score} ({state}): "
                f"{'; '.join(fit.reasons) or 'nothing matched'}"
            )
        reason = "\n".join(lines)
    chosen = next((p for p in candidates if best is not None and p.name == best.name), None)
    return chosen, reason
