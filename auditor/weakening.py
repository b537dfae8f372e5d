"""An audited repository may tune its own policy, but never invisibly.

Its configuration can turn a rule ``off``, lower a severity, ignore
findings, or redefine catalog entries in its own rules folder. Each of those
weakens the gate that audits it, so each is reported: a notice (text, JSON,
SARIF notifications) that starts with :data:`WEAKENED`, and findings of a
rule turned off stay in the output as suppressed, with the reason, instead of
vanishing (so the sweep's ``suppressed`` column counts them too).

With ``--policy-from-org-only`` (a sweep's default when it has an org
``sweep.toml``) none of them applies: the notice says what was ignored.
"""

from __future__ import annotations

from dataclasses import replace

from auditor.config import Config
from auditor.findings import Finding, RuleMeta, Severity, Suppression
from auditor.model import Provenance
from auditor.policy.catalog import Catalog

__all__ = ["WEAKENED", "apply_severity_visibly", "catalog_overrides", "org_only_config"]

WEAKENED = "policy weakened by the audited repository"
IGNORED = "ignored (--policy-from-org-only)"


def apply_severity_visibly(
    findings: list[Finding],
    rules: dict[str, RuleMeta],
    config: Config,
    org_only: bool,
    notices: set[str],
) -> list[Finding]:
    """The config's per-rule severities applied; weakening ones reported (or, ``org_only``, refused)."""
    where = config.file or "configuration"
    for finding in findings:
        override = config.severity.get(finding.rule_id)
        if override is None:
            continue
        rule = finding.rule_id
        target = None if override == "off" else Severity(override)
        weakens = target is None or target < finding.severity
        if weakens and org_only:
            notices.add(f"{where}: severity {override!r} for {rule} {IGNORED}")
            continue
        if target is None:
            reason = f"{rule} is turned off in {where}"
            finding.suppression = finding.suppression or Suppression("external", reason, Provenance(where, 1))
            notices.add(f"{WEAKENED}: {where} turns {rule} off (its findings are shown as suppressed)")
            continue
        if weakens:
            notices.add(f"{WEAKENED}: {where} lowers {rule} from {finding.severity.value} to {target.value}")
        finding.severity = target
        if rule in rules:
            rules[rule] = rules[rule]._replace(severity=target)
    return findings


def org_only_config(config: Config) -> tuple[Config, list[str]]:
    """``config`` without what weakens the gate (ignores, a profile file of the repository's own)."""
    notices = []
    if config.ignores:
        count = len(config.ignores)
        notices.append(f"{config.file}: {count} ignore entr{'y' if count == 1 else 'ies'} {IGNORED}")
    from auditor.policy.profiles import profile_names

    profile = config.profile
    if profile is not None and profile not in profile_names():
        notices.append(f"{config.file}: the repository's own profile file {IGNORED}")
        profile = None
    if config.rule_dirs:
        notices.append(f"{config.file}: catalog entries redefined in the repository's rules folders {IGNORED}")
    return replace(config, ignores=[], profile=profile), notices


def catalog_overrides(base: Catalog, full: Catalog, org_only: bool) -> tuple[Catalog, list[str]]:
    """The catalog to use, and a notice for each shipped (or user) entry a repository folder redefined."""
    tokens = sorted(k for k, e in base.tokens.items() if full.tokens.get(k, e).declared_in != e.declared_in)
    anti = sorted(k for k, e in base.anti.items() if full.anti.get(k, e).declared_in != e.declared_in)
    if org_only:
        return Catalog(
            {**full.tokens, **{k: base.tokens[k] for k in tokens}}, {**full.anti, **{k: base.anti[k] for k in anti}}
        ), []
    places = [(k, full.tokens[k].declared_in) for k in tokens] + [(k, full.anti[k].declared_in) for k in anti]
    return full, [f"{WEAKENED}: catalog entry {key!r} redefined in {place}" for key, place in places]
