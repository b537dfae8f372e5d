"""One repo's audit, run in a worker process: SARIF text and compact rows out, nothing else.

The report and its graphs die with the call, so the parent's memory does
not grow with the number of repos. ``--repo-timeout`` is enforced in the
worker with ``SIGALRM`` (the pool cannot kill a single task).
"""

from __future__ import annotations

import signal
import time
from pathlib import Path
from types import FrameType

from auditor.errors import AuditorError
from auditor.findings import Report, Severity
from auditor.render.base import RenderOptions
from auditor.render.sarif import SarifRenderer
from auditor.sweep.model import AuditJob, AuditOutcome, FindingRow, ProjectRow, RuleRow
from auditor.weakening import WEAKENED

__all__ = ["RepoTimeout", "audit_job", "outcome_from_report", "warm_up"]


class RepoTimeout(Exception):
    """The audit of one repo ran past ``--repo-timeout``."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise RepoTimeout


def warm_up() -> bool:
    """A no-op task: makes the pool start its processes before any I/O thread exists."""
    return True


def audit_job(job: AuditJob) -> AuditOutcome:
    """Audit one checkout; every failure becomes an outcome with its error, never an exception."""
    from auditor.audit import AuditOptions, audit
    from auditor.config import load_config
    from auditor.policy.profiles import profile_names

    started = time.monotonic()
    use_alarm = job.timeout > 0 and hasattr(signal, "setitimer")
    if use_alarm:
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, job.timeout)
    try:
        checkout = Path(job.path)
        # The repo's own [tool.stack-auditor] profile wins over the sweep's assignment: leave the
        # profile unset and the pipeline takes it from the config (confined to the checkout).
        org_only = job.policy_from_org_only
        own = load_config(checkout).profile
        # Under an org policy a repo may still pick a shipped profile, never a profile file of its own.
        keeps_own = own is not None and (not org_only or own in profile_names())
        profile = None if keeps_own else job.profile
        options = AuditOptions(
            profile=profile,
            rule_dirs=tuple(Path(d) for d in job.rule_dirs),
            excludes=job.excludes,
            policy_from_org_only=org_only,
            default_profile=job.default_profile,
        )
        report = audit(checkout, options)
        outcome = outcome_from_report(job.name, report)
    except RepoTimeout:
        outcome = AuditOutcome(
            job.name, False, f"audit timed out after {job.timeout:g}s (--repo-timeout)", "timeout"
        )
    except AuditorError as error:
        outcome = AuditOutcome(job.name, False, str(error), "input")
    except RecursionError:
        outcome = AuditOutcome(job.name, False, "input nested too deeply", "input")
    except Exception as error:
        outcome = AuditOutcome(job.name, False, f"internal error: {type(error).__name__}: {error}", "crash")
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    outcome.seconds = time.monotonic() - started
    return outcome


def outcome_from_report(name: str, report: Report) -> AuditOutcome:
    """The SARIF (URIs relative to the repo root) and the rows the history keeps."""
    report.source_prefix = ""  # each repo is its own root: SARIF URIs are relative to it
    sarif = SarifRenderer().render(report, RenderOptions())
    findings = []
    projects = []
    for project in report.projects:
        counts = dict.fromkeys(Severity, 0)
        for finding in project.findings:
            location = finding.location
            findings.append(
                FindingRow(
                    finding.fingerprint,
                    finding.rule_id,
                    finding.severity.value,
                    finding.project,
                    finding.package,
                    location.file if location else "",
                    location.line if location else 0,
                    finding.message,
                    finding.suppression is not None,
                )
            )
            if finding.suppression is None:
                counts[finding.severity] += 1
        inference = project.inference
        projects.append(
            ProjectRow(
                project.path,
                project.profile,
                counts[Severity.ERROR],
                counts[Severity.WARNING],
                counts[Severity.NOTE],
                inference.status if inference else None,
                inference.runner_up if inference else None,
                inference.margin if inference else None,
                inference.decided_by if inference else "",
            )
        )
    rules = [RuleRow(m.id, m.name, m.summary, m.help_uri) for m in report.rules.values()]
    weakened = [notice for notice in report.notices if notice.startswith(WEAKENED)]
    if report.failures:
        error = "; ".join(str(failure) for failure in report.failures[:5])
        if len(report.failures) > 5:
            error += f"; and {len(report.failures) - 5} more"
        failed = sorted({failure.file for failure in report.failures})
        return AuditOutcome(
            name, False, error, "input", sarif, findings, projects, rules=rules, failed_files=failed, weakened=weakened
        )
    return AuditOutcome(name, True, None, None, sarif, findings, projects, rules=rules, weakened=weakened)
