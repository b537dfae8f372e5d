"""Suppressions: config ignores (with reason and expiry) and inline ``# stack-auditor: ignore[...]`` comments.

A suppressed finding stays in the report (JSON and SARIF show it with its
justification); it only stops counting towards the exit code. Like
cargo-deny's ``unmatched-*`` diagnostics, an ignore that matched nothing is
reported, and an expired one is reported too: past its ``until`` date it no
longer applies, so the finding comes back and a notice says why.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from collections.abc import Iterable
from typing import NamedTuple

from auditor.findings import Finding, Related, Suppression
from auditor.model import Provenance, canonical_name

__all__ = ["INLINE", "IgnoreEntry", "suppress", "unknown_overrides"]

# `# stack-auditor: ignore[SA104, django-monolith/no-rate-limiting] the reason`
INLINE = re.compile(r"#\s*stack-auditor:\s*ignore\[([^\]]*)\]\s*(.*?)\s*$")


class IgnoreEntry(NamedTuple):
    """One ignore: a rule id, maybe narrowed to a package and path globs; a reason; maybe an expiry."""

    rule: str
    reason: str
    declared_at: Provenance
    package: str | None = None
    paths: tuple[str, ...] = ()
    until: dt.date | None = None


def unknown_overrides(overrides: dict[str, str], known: set[str], config_file: str) -> list[str]:
    """Notices for severity overrides naming no rule this run could produce (else a typo is silent)."""
    return [
        f"{config_file}: severity override for {rule_id!r} names no known rule (see `stack-auditor rules list`)"
        for rule_id in sorted(overrides)
        if rule_id not in known
    ]


def suppress(findings: Iterable[Finding], ignores: list[IgnoreEntry], today: dt.date) -> list[str]:
    """Mark suppressed findings in place; return notices (expired, unmatched, inline without reason)."""
    notices: list[str] = []
    used: set[int] = set()
    expired_hit: set[int] = set()
    for finding in findings:
        inline = _inline(finding, notices)
        if inline is not None:
            finding.suppression = inline
            continue
        for n, entry in enumerate(ignores):
            if not _matches(entry, finding):
                continue
            if entry.until is not None and entry.until < today:
                expired_hit.add(n)
                continue
            used.add(n)
            finding.suppression = Suppression(
                kind="external",
                justification=entry.reason,
                declared_at=entry.declared_at,
                until=entry.until.isoformat() if entry.until else None,
            )
            finding.related.append(Related(entry.declared_at, f"ignored here: {entry.reason}"))
            break
    first: dict[tuple[str, str | None, tuple[str, ...]], IgnoreEntry] = {}
    for n, entry in enumerate(ignores):
        where = f"{entry.declared_at.file}:{entry.declared_at.line}"
        what = _describe(entry)
        signature = (
            entry.rule,
            canonical_name(entry.package) if entry.package else None,
            tuple(sorted(entry.paths)),
        )
        if signature in first:
            notices.append(f"{where}: the ignore of {what} repeats the one at line {first[signature].declared_at.line}")
            continue
        first[signature] = entry
        if entry.until is not None and entry.until < today:
            again = "; its findings are reported again" if n in expired_hit else ""
            notices.append(f"{where}: the ignore of {what} expired on {entry.until.isoformat()}{again}")
        elif n not in used:
            notices.append(f"{where}: the ignore of {what} matched no finding (remove it, or check the rule id)")
    return notices


def _describe(entry: IgnoreEntry) -> str:
    parts = [entry.rule]
    if entry.package:
        parts.append(f"package {entry.package}")
    if entry.paths:
        parts.append(f"paths {', '.join(entry.paths)}")
    return " ".join(parts[:1]) + (f" ({'; '.join(parts[1:])})" if len(parts) > 1 else "")


def _matches(entry: IgnoreEntry, finding: Finding) -> bool:
    if entry.rule != finding.rule_id:
        return False
    if entry.package is not None and (finding.package is None or canonical_name(entry.package) != finding.package):
        return False
    if entry.paths:
        candidates = [finding.project]
        if finding.location is not None:
            candidates.append(finding.location.file)
        return any(
            fnmatch.fnmatchcase(c, glob) or fnmatch.fnmatchcase(c + "/", glob)
            for c in candidates
            for glob in entry.paths
        )
    return True


def _inline(finding: Finding, notices: list[str]) -> Suppression | None:
    at = finding.location
    if at is None or "stack-auditor" not in at.text:
        return None
    match = INLINE.search(at.text)
    if match is None:
        return None
    ids = {part.strip() for part in match.group(1).split(",") if part.strip()}
    if finding.rule_id not in ids:
        return None
    reason = match.group(2).strip()
    if not reason:
        notices.append(f"{at.file}:{at.line}: inline ignore of {finding.rule_id} has no reason: not applied")
        return None
    return Suppression(kind="inSource", justification=reason, declared_at=at)
