"""How far a repo drifts from its profile, ranked so that noise never outranks what matters.

Repos are ranked by their counted **errors** first; ``drift`` only orders
repos with the same number of errors. ``drift`` is the sum, over the rules
that fired with severity ``warning``, of the rule's weight times its number
of findings *capped at* :data:`PER_RULE_CAP`: forty unpinned requirements are
one habit, not forty problems, and cannot outweigh a second framework.
Notes weigh nothing. Suppressed findings do not count.

Weights (a rule's kind, read from its id):

- a profile's anti-recommendation (``<profile>/<key>``): 5, a choice the
  profile argues against;
- a stack deviation (``<profile>/stack/<key>``): 3, a missing or different
  component;
- a generic rule (``SA1xx``): 2, except the per-package hygiene rules in
  :data:`LIGHT_RULES`: 1.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["LIGHT_RULES", "PER_RULE_CAP", "drift_score", "rule_weight"]

PER_RULE_CAP = 3
# One finding per package: many of them say one thing about the project.
LIGHT_RULES = frozenset({"SA104"})


def rule_weight(rule_id: str) -> int:
    """The weight of one warning of ``rule_id`` (see the module's documentation)."""
    if "/stack/" in rule_id:
        return 3
    if "/" in rule_id:
        return 5
    return 1 if rule_id in LIGHT_RULES else 2


def drift_score(by_rule: Iterable[tuple[str, str, int]]) -> int:
    """``drift`` from ``(rule_id, severity, count)`` of a repo's counted findings."""
    return sum(
        rule_weight(rule) * min(count, PER_RULE_CAP) for rule, severity, count in by_rule if severity == "warning"
    )
