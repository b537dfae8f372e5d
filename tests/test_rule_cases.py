"""Every shipped rule and profile key has a hit and a miss case on a real project layout.

Case folders: ``tests/rules/<rule-id>/{hit,miss}/`` (an id with ``/`` is nested
folders). A profile-derived id (``<profile>/<key>``, ``<profile>/stack/<key>``)
is audited with that profile; a rule-file id with profile inference off.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from auditor.audit import AuditOptions, audit
from auditor.explain import all_rule_metas
from auditor.findings import Finding
from auditor.policy.catalog import load_catalog
from auditor.policy.evaluate import options_of
from auditor.policy.profiles import load_profile, profile_names

CASES = Path(__file__).resolve().parent / "rules"
TODAY = dt.date(2026, 11, 26)


def _case_ids() -> list[str]:
    return sorted({p.parent.relative_to(CASES).as_posix() for p in CASES.rglob("hit") if p.is_dir()})


def _audit(folder: Path, rule_id: str) -> list[Finding]:
    # A profile-derived id is judged under its profile; a rule-file id under whatever is inferred.
    profile = rule_id.split("/", 1)[0] if "/" in rule_id else None
    options = AuditOptions(profile=profile, use_config=False, today=TODAY)
    report = audit(folder, options)
    assert not report.failures, report.failures
    return report.findings


@pytest.mark.parametrize("rule_id", _case_ids())
def test_hit(rule_id: str) -> None:
    """The hit case of each rule produces at least one finding with that rule id, or (one fact, one
    finding) a finding of another entry of the same profile that names this one in its profile entry."""
    findings = _audit(CASES / rule_id / "hit", rule_id)
    profile, _, entry = rule_id.partition("/")
    named = f"stack.{entry.removeprefix('stack/')}" if entry.startswith("stack/") else entry
    hits = [
        f
        for f in findings
        if f.rule_id == rule_id or (f.profile_entry.startswith(f"profile {profile}:") and named in f.profile_entry)
    ]
    assert hits, [(f.rule_id, f.profile_entry) for f in findings]


@pytest.mark.parametrize("rule_id", _case_ids())
def test_miss(rule_id: str) -> None:
    """The miss case of each rule produces no finding with that rule id."""
    findings = _audit(CASES / rule_id / "miss", rule_id)
    assert rule_id not in {f.rule_id for f in findings}


def _checkable_ids() -> set[str]:
    catalog = load_catalog()
    ids = {meta.id for meta in all_rule_metas() if "/" not in meta.id}
    for name in profile_names():
        profile = load_profile(name)
        for key, anti in profile.anti.items():
            entry = catalog.anti.get(key)
            if entry is not None and entry.condition is not None:
                ids.add(f"{name}/{anti.key}")
        for key, value in profile.stack.items():
            tokens = [t for option in options_of(value) for t in option]
            if any(catalog.tokens[t].not_checkable == "" for t in tokens if t in catalog.tokens):
                ids.add(f"{name}/stack/{key}")
    return ids


def test_every_checkable_rule_has_cases() -> None:
    """No shipped rule or checkable profile key lacks a hit and a miss folder; no folder is orphaned."""
    have = set(_case_ids())
    missing = sorted(_checkable_ids() - have)
    assert not missing, f"rules without tests/rules/<id>/{{hit,miss}}: {missing}"
    for rule_id in have:
        assert (CASES / rule_id / "miss").is_dir(), rule_id
    assert not sorted(have - _checkable_ids()), "case folders for unknown rule ids"


def test_not_checkable_keys_are_reported() -> None:
    """Every profile key that cannot be judged from dependencies shows up as not checkable, never silently."""
    catalog = load_catalog()
    folder = CASES / "django-monolith" / "no-rate-limiting" / "miss"
    for name in profile_names():
        report = audit(folder, AuditOptions(profile=name, use_config=False, today=TODAY))
        reported = {n.key for n in report.projects[0].not_checkable}
        profile = load_profile(name)
        for key in profile.anti:
            entry = catalog.anti.get(key)
            if entry is None or entry.condition is None:
                assert key in reported, (name, key)
        for key, value in profile.stack.items():
            for option in options_of(value):
                for token in option:
                    if catalog.tokens[token].not_checkable:
                        assert f"stack/{key}" in reported, (name, key)
