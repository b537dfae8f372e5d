"""``--format text``: findings grouped by project, readable in a terminal or a CI log."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from auditor.findings import Finding, ProjectReport, Report, Severity, counted_noun, excluded_summary
from auditor.render.base import RenderOptions
from auditor.render.escape import terminal as clean

__all__ = ["TextRenderer"]

Paint = Callable[[str, str], str]

# Plain ANSI: rich would cost ~60 ms of start-up on every audit for three colours.
_COLOURS = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[33m", Severity.NOTE: "\x1b[36m"}
_DIM = "\x1b[2m"
_BOLD = "\x1b[1m"
_RESET = "\x1b[0m"


class TextRenderer:
    name: ClassVar[str] = "text"
    suffix: ClassVar[str] = ".txt"

    def render(self, report: Report, options: RenderOptions) -> str:
        paint = _painter(options.color)
        out: list[str] = []
        for project in report.projects:
            title = project.path if project.name is None else f"{project.path} ({project.name})"
            out.append(paint(_BOLD, clean(title)))
            profile = project.profile or "none"
            out.append(clean(f"  profile: {profile} — {project.profile_reason}"))
            out.append(clean(f"  files: {', '.join(project.files)}; {counted_noun(len(project.packages), 'package')}"))
            if not project.findings:
                out.append("  no findings")
            for finding in sorted(project.findings, key=_order):
                out.extend(_finding_lines(finding, paint))
            if project.not_checkable:
                keys = sorted({f"{n.key} ({n.token})" if n.token != n.key else n.key for n in project.not_checkable})
                out.append(paint(_DIM, clean(f"  not checkable from dependencies: {', '.join(keys)}")))
            if report.explain and project.judgements:
                out.extend(_judgement_lines(project, paint))
            for skipped in project.skipped:
                where = f"{skipped.provenance}: " if skipped.provenance else ""
                out.append(paint(_DIM, clean(f"  skipped: {where}{skipped.name}: {skipped.reason}")))
            out.append("")
        for failure in report.failures:
            out.append(paint(_COLOURS[Severity.ERROR], "input error: ") + clean(str(failure)))
        for notice in report.notices:
            out.append(clean(f"note: {notice}"))
        for skipped in report.skipped:
            out.append(paint(_DIM, clean(f"skipped: {skipped.name}: {skipped.reason}")))
        excluded = excluded_summary(report.excluded)
        if excluded:
            out.append(paint(_DIM, f"{excluded}: not audited (--include GLOB or --no-default-excludes to read them)"))
        counted = report.counted()
        tally = [(sum(1 for f in counted if f.severity is s), s.value) for s in reversed(Severity)]
        counts = ", ".join(counted_noun(n, word) for n, word in tally)
        suppressed = len(report.findings) - len(counted)
        tail = f"; {suppressed} suppressed" if suppressed else ""
        errors = f"; {counted_noun(len(report.failures), 'input error')}" if report.failures else ""
        out.append(f"{counted_noun(len(report.projects), 'project')}: {counts}{tail}{errors}")
        return "\n".join(out) + "\n"


def _judgement_lines(project: ProjectReport, paint: Paint) -> list[str]:
    """--explain-profile: how each key of the profile was judged, runtime figures said once."""
    out = [f"  evidence: {project.evidence_summary}"] if project.evidence_summary else []
    out.append("  profile keys:")
    said: set[str] = set()
    for judgement in project.judgements:
        state = f"{judgement.status}: {judgement.outcome}" if judgement.outcome else judgement.status
        detail = judgement.detail
        if judgement.status == "not-checkable" and detail in said:
            detail = "(as above)"
        said.add(judgement.detail)
        out.append(paint(_DIM, f"    {judgement.key} [{state}] {detail}"))
    return out


def _order(finding: Finding) -> tuple[int, tuple[str, str, int, int, str, str]]:
    return (-finding.severity.rank, finding.sort_key())


def _finding_lines(finding: Finding, paint: Paint) -> list[str]:
    where = f"{finding.location.file}:{finding.location.line}" if finding.location else "-"
    label = paint(_COLOURS[finding.severity], f"{finding.severity.value:<7}")
    state = " [suppressed]" if finding.suppression else ""
    lines = [f"  {label} {clean(where)}  {clean(finding.rule_id)}{state}", f"          {clean(finding.message)}"]
    for related in finding.related:
        lines.append(clean(f"          also: {related.location.file}:{related.location.line}: {related.message}"))
    if finding.why_path:
        lines.append(clean(f"          why: {' -> '.join(finding.why_path)}"))
    if finding.suppression:
        lines.append(clean(f"          suppressed: {finding.suppression.justification}"))
    return lines


def _painter(color: bool) -> Paint:
    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    return paint
