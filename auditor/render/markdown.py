"""``--format markdown``: a summary fit for a pull-request comment or ``$GITHUB_STEP_SUMMARY``.

Counts by severity, one table of findings (file:line links with
``--link-base``), and each rule's help in a collapsed ``<details>`` block.
"""

from __future__ import annotations

import html
import re
from typing import ClassVar

from auditor.findings import Report, Severity, counted_noun, excluded_summary
from auditor.model import Provenance
from auditor.render.base import RenderOptions, inference_words
from auditor.render.escape import md_code, md_text, terminal, uri_path

__all__ = ["MarkdownRenderer"]

_ICON = {Severity.ERROR: "🔴 error", Severity.WARNING: "🟠 warning", Severity.NOTE: "🔵 note"}


def _cell(text: str) -> str:
    """Input-derived text as a literal table cell: no pipes, newlines or Markdown of its own."""
    return md_text(text)


class MarkdownRenderer:
    name: ClassVar[str] = "markdown"
    suffix: ClassVar[str] = ".md"

    def render(self, report: Report, options: RenderOptions) -> str:
        counted = report.counted()
        lines = ["## stack-auditor", ""]
        counts = " · ".join(
            counted_noun(sum(1 for f in counted if f.severity is s), s.value) for s in reversed(Severity)
        )
        suppressed = len(report.findings) - len(counted)
        lines.append(
            f"**{counted_noun(len(report.projects), 'project')}** · {counts}"
            + (f" · {suppressed} suppressed" if suppressed else "")
            + (f" · {counted_noun(len(report.failures), 'input error')}" if report.failures else "")
            + (f" · {excluded_summary(report.excluded)}" if report.excluded else "")
        )
        lines.append("")
        lines.append("| project | profile | findings |")
        lines.append("|---|---|---|")
        for project in report.projects:
            n = sum(1 for f in project.findings if f.suppression is None)
            profile = (project.profile or "—") + inference_words(project.inference)
            lines.append(f"| {md_code(project.path)} | {_cell(profile)} | {n} |")
        lines.append("")
        findings = sorted(report.findings, key=lambda f: (-f.severity.rank, *f.sort_key()))
        if findings:
            lines.append("| severity | rule | where | message |")
            lines.append("|---|---|---|---|")
            for finding in findings:
                severity = _ICON[finding.severity] + (" (suppressed)" if finding.suppression else "")
                lines.append(
                    f"| {severity} | {md_code(finding.rule_id)} | {self._where(finding.location, report, options)} "
                    f"| {_cell(finding.message)} |"
                )
            lines.append("")
        else:
            lines.append("No findings. ✅")
            lines.append("")
        if report.failures:
            lines.append("### Input errors")
            lines.extend(f"- {md_code(str(failure))}" for failure in report.failures)
            lines.append("")
        for rule_id in sorted({f.rule_id for f in findings}):
            meta = report.rules.get(rule_id)
            if meta is None:
                continue
            summary = html.escape(terminal(meta.summary))
            lines.append(f"<details><summary><code>{html.escape(rule_id)}</code>: {summary}</summary>")
            lines.append("")
            # The help's own "## " sections sit under this summary's "## stack-auditor".
            lines.append(re.sub(r"^## ", "#### ", meta.help_markdown, flags=re.M))
            lines.append("")
            lines.append("</details>")
            lines.append("")
        return "\n".join(lines)

    @staticmethod
    def _where(at: Provenance | None, report: Report, options: RenderOptions) -> str:
        if at is None:
            return "—"
        label = md_code(f"{at.file}:{at.line}")
        if options.link_base:
            base = options.link_base.rstrip("/")
            return f"[{label}]({base}/{uri_path(report.source_prefix + at.file)}#L{at.line})"
        return label
