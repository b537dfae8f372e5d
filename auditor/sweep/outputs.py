"""The summaries in ``--out``: ``summary.json`` (schema: ``auditor/schemas/sweep-summary.schema.json``),
``summary.md``, ``summary.csv`` and ``report.html``, written from the history, atomically.

Every summary says, per repo and overall, what is new and what was fixed
since the previous complete sweep in the same history. Repos are streamed
from SQLite into the files one at a time: the summaries of a sweep of any
size never sit in memory whole.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from auditor import __version__
from auditor.atomic import write_atomic_chunks
from auditor.render.escape import csv_cell, md_code, md_text
from auditor.sweep.advice import failure_advice
from auditor.sweep.history import History
from auditor.sweep.model import safe_name
from auditor.sweep.queries import CHANGE_KEYS, Queries, RepoRecord, repo_state

__all__ = ["CSV_COLUMNS", "SUMMARY_SCHEMA_VERSION", "summary_head", "write_outputs"]

SUMMARY_SCHEMA_VERSION = 1
CSV_COLUMNS = (
    "repo", "status", "reused", "head", "errors", "warnings", "notes", "suppressed", "weakened", "drift", "new",
    "fixed", "profiles", "error",
)  # fmt: skip


class _Context:
    """One sweep's identity and its baseline, shared by the writers."""

    def __init__(self, history: History, sweep_id: int, out: Path) -> None:
        self.history = history
        self.queries = Queries(history.db)
        self.sweep_id = sweep_id
        self.out = out
        self.previous = history.previous_sweep(sweep_id)
        self.counts = self.queries.change_counts(sweep_id, self.previous)

    def changes(self, repo: str, new: bool) -> list[dict[str, Any]]:
        if self.counts.get(repo, (0, 0))[0 if new else 1] == 0:
            return []
        rows = self.queries.changes(self.sweep_id, self.previous, new, repo)
        return [{k: c[k] for k in CHANGE_KEYS if k != "repo"} for c in rows]

    def entry(self, record: RepoRecord) -> dict[str, Any]:
        """One repo of ``summary.json``."""
        sarif = Path("sarif") / f"{safe_name(record.name)}.sarif"
        projects = self.queries.projects(self.sweep_id, record.name)
        return {
            "name": record.name,
            "status": record.status,
            "head": record.head,
            "reused": record.reused,
            "error": record.error,
            "error_kind": record.error_kind,
            "sarif": sarif.as_posix() if (self.out / sarif).is_file() else None,
            "findings": {"error": record.errors, "warning": record.warnings, "note": record.notes},
            "suppressed": record.suppressed,
            "drift": record.drift,
            "state": repo_state(record, bool(projects)),
            "stale": record.stale,
            "failed_files": record.failed_file_list,
            "weakened": record.weakening_list,
            "projects": [
                {
                    "path": p[0],
                    "profile": p[1],
                    "confidence": p[5],
                    "runner_up": p[6],
                    "margin": p[7],
                    "decided_by": p[8] or "",
                    "findings": {"error": p[2], "warning": p[3], "note": p[4]},
                }
                for p in projects
            ],
            "new": self.changes(record.name, True),
            "fixed": self.changes(record.name, False),
            "upload": record.upload,
        }

    def profiles_of(self, record: RepoRecord) -> str:
        return ";".join(sorted({p[1] or "(none)" for p in self.queries.projects(self.sweep_id, record.name)}))


def summary_head(history: History, sweep_id: int) -> dict[str, Any]:
    """``summary.json`` without its ``repos`` list: every aggregate (small whatever the sweep's size)."""
    queries = Queries(history.db)
    info = history.sweep_info(sweep_id)
    previous = history.previous_sweep(sweep_id)
    counts = queries.change_counts(sweep_id, previous)
    totals = queries.totals(sweep_id)
    totals["new"] = sum(pair[0] for pair in counts.values())
    totals["fixed"] = sum(pair[1] for pair in counts.values())
    return {
        "schema_version": SUMMARY_SCHEMA_VERSION,
        "tool": {"name": "stack-auditor", "version": __version__},
        "sweep": {
            "id": sweep_id,
            "started_at": info.get("started_at"),
            "finished_at": info.get("finished_at"),
            "status": info.get("status"),
            "shard": info.get("shard"),
            "sources": info.get("sources") or "",
            "merged_from": json.loads(info["merged_from"]) if info.get("merged_from") else None,
            "previous_id": previous,
        },
        "totals": totals,
        "by_rule": [
            {"rule_id": r[0], "severity": r[1], "findings": r[2], "repos": r[3]}
            for r in queries.by_rule(sweep_id)
        ],
        "by_severity": dict(totals["findings"]),
        "profiles": [
            {"profile": p[0], "projects": p[1], "conforming": p[2]} for p in queries.conformance(sweep_id)
        ],
        "trend": queries.trend(sweep_id),
    }


def _json_chunks(head: dict[str, Any], context: _Context) -> Iterator[str]:
    text = json.dumps(head, indent=2, ensure_ascii=False)
    yield text[: text.rindex("}")].rstrip() + ',\n  "repos": ['
    first = True
    for record in context.queries.repos(context.sweep_id):
        entry = json.dumps(context.entry(record), indent=2, ensure_ascii=False).replace("\n", "\n    ")
        yield ("\n    " if first else ",\n    ") + entry
        first = False
    yield "\n  ]\n}\n" if not first else "]\n}\n"


def _md_cell(value: object) -> str:
    return md_text(str(value))  # names and messages come from repos: no Markdown, HTML or escapes of theirs


def _markdown_chunks(head: dict[str, Any], context: _Context) -> Iterator[str]:
    totals, sweep = head["totals"], head["sweep"]
    f = totals["findings"]
    yield f"# stack-auditor sweep {sweep['id']}\n\n"
    yield (
        f"{totals['repos']} repos: {totals['audited']} audited, {totals['reused']} unchanged (stored result),"
        f" {totals['failed']} failed. Findings: {f['error']} errors, {f['warning']} warnings,"
        f" {f['note']} notes ({totals['suppressed']} suppressed"
        + (f"; {totals['stale']} kept as stale from failed repos" if totals["stale"] else "")
        + ").\n\n"
    )
    if sweep["previous_id"] is not None:
        yield f"Since sweep {sweep['previous_id']}: **{totals['new']} new**, **{totals['fixed']} fixed**.\n\n"
    else:
        yield f"First sweep in this history: {totals['new']} findings, all new.\n\n"
    yield "Repos rank by errors, then drift (weighted warnings: docs/sweep.md).\n\n"
    yield "| repo | status | errors | warnings | notes | drift | new | fixed |\n"
    yield "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    for record in context.queries.repos(context.sweep_id, by_drift=True):
        new, fixed = context.counts.get(record.name, (0, 0))
        has_projects = bool(context.queries.projects(context.sweep_id, record.name))
        status = repo_state(record, has_projects) + (" (unchanged)" if record.reused else "")
        if record.stale:
            status += f", {record.stale} stale"
        if record.weakened:
            status += ", policy weakened by its own config"
        yield (
            f"| {_md_cell(record.name)} | {status} | {record.errors} | {record.warnings} | {record.notes}"
            f" | {record.drift} | {new} | {fixed} |\n"
        )
    if context.counts:
        yield "\n## New and fixed findings\n"
        for record in context.queries.repos(context.sweep_id):
            if record.name not in context.counts:
                continue
            yield f"\n### {_md_cell(record.name)}\n\n"
            for c in context.changes(record.name, True):
                yield f"- new: {md_code(c['rule_id'])} {_md_cell(c['message'])} ({_md_cell(c['file'])}:{c['line']})\n"
            for c in context.changes(record.name, False):
                yield f"- fixed: {md_code(c['rule_id'])} {_md_cell(c['message'])}\n"
    if totals["failed"]:
        yield "\n## Failed repos\n\n"
        for record in context.queries.repos(context.sweep_id):
            if record.status != "ok":
                yield f"- **{_md_cell(record.name)}** ({record.error_kind}): {_md_cell(record.error)}\n"
                advice = failure_advice(record)
                if advice:
                    yield f"  {_md_cell(advice)}\n"
    if head["profiles"]:
        yield "\n## Conformance by profile\n\n| profile | projects | conforming |\n| --- | ---: | ---: |\n"
        for p in head["profiles"]:
            yield f"| {_md_cell(p['profile'])} | {p['projects']} | {p['conforming']} |\n"


def _csv_chunks(context: _Context) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in context.queries.repos(context.sweep_id):
        new, fixed = context.counts.get(record.name, (0, 0))
        writer.writerow([csv_cell(cell) for cell in [
            record.name, record.status, int(record.reused), record.head or "", record.errors, record.warnings,
            record.notes, record.suppressed, len(record.weakening_list), record.drift, new, fixed,
            context.profiles_of(record),
            record.error or "",
        ]])  # fmt: skip
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def write_outputs(history: History, sweep_id: int, out: Path) -> dict[str, Any]:
    """Write the four summaries for ``sweep_id`` into ``out``; returns the summary without its repos."""
    from auditor.sweep.report_html import ReportInputs, render_html

    context = _Context(history, sweep_id, out)
    head = summary_head(history, sweep_id)
    write_atomic_chunks(out / "summary.json", _json_chunks(head, context))
    write_atomic_chunks(out / "summary.md", _markdown_chunks(head, context))
    write_atomic_chunks(out / "summary.csv", _csv_chunks(context))
    def sarif_link(name: str) -> str | None:
        relative = Path("sarif") / f"{safe_name(name)}.sarif"
        return relative.as_posix() if (out / relative).is_file() else None

    inputs = ReportInputs(context.queries, sweep_id, context.previous, context.counts, sarif_link)
    write_atomic_chunks(out / "report.html", render_html(head, inputs))
    return head
