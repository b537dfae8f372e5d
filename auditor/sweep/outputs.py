"""The summaries in ``--out``: ``summary.json`` (schema: ``auditor/schemas/sweep-summary.schema.json``),
``summary.md``, ``summary.csv`` and ``report.html``, all built from the history and written atomically.

Every summary says, per repo and overall, what is new and what was fixed
since the previous complete sweep in the same history.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from auditor import __version__
from auditor.atomic import write_atomic
from auditor.sweep.history import History, RepoRecord
from auditor.sweep.model import safe_name

__all__ = ["SUMMARY_SCHEMA_VERSION", "build_summary", "summary_csv", "summary_markdown", "write_outputs"]

SUMMARY_SCHEMA_VERSION = 1
_CHANGE_KEYS = ("fingerprint", "rule_id", "severity", "project", "package", "file", "line", "message")


def _repo_entry(
    history: History,
    sweep_id: int,
    record: RepoRecord,
    out: Path,
    new: list[dict[str, Any]],
    fixed: list[dict[str, Any]],
) -> dict[str, Any]:
    sarif = Path("sarif") / f"{safe_name(record.name)}.sarif"
    return {
        "name": record.name,
        "status": record.status,
        "head": record.head,
        "reused": record.reused,
        "error": record.error,
        "error_kind": record.error_kind,
        "sarif": sarif.as_posix() if (out / sarif).is_file() else None,
        "findings": {"error": record.errors, "warning": record.warnings, "note": record.notes},
        "suppressed": record.suppressed,
        "drift": record.drift,
        "projects": [
            {"path": p[0], "profile": p[1], "findings": {"error": p[2], "warning": p[3], "note": p[4]}}
            for p in history.projects(sweep_id, record.name)
        ],
        "new": [{k: c[k] for k in _CHANGE_KEYS} for c in new],
        "fixed": [{k: c[k] for k in _CHANGE_KEYS} for c in fixed],
        "upload": record.upload,
    }


def build_summary(history: History, sweep_id: int, out: Path) -> dict[str, Any]:
    """The whole ``summary.json`` document for one sweep."""
    info = history.sweep_info(sweep_id)
    previous = history.previous_sweep(sweep_id)
    new_by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    fixed_by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for change in history.changes(sweep_id, previous, new=True):
        new_by[change["repo"]].append(change)
    for change in history.changes(sweep_id, previous, new=False):
        fixed_by[change["repo"]].append(change)
    repos = [
        _repo_entry(
            history, sweep_id, record, out, new_by.get(record.name, []), fixed_by.get(record.name, [])
        )
        for record in history.repos(sweep_id)
    ]
    totals = {
        "repos": len(repos),
        "audited": sum(1 for r in repos if not r["reused"] and r["error_kind"] in (None, "input")),
        "reused": sum(1 for r in repos if r["reused"]),
        "failed": sum(1 for r in repos if r["status"] != "ok"),
        "projects": sum(len(r["projects"]) for r in repos),
        "findings": {s: sum(r["findings"][s] for r in repos) for s in ("error", "warning", "note")},
        "suppressed": sum(r["suppressed"] for r in repos),
        "new": sum(len(r["new"]) for r in repos),
        "fixed": sum(len(r["fixed"]) for r in repos),
    }
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
            for r in history.by_rule(sweep_id)
        ],
        "by_severity": totals["findings"],
        "profiles": [
            {"profile": p[0], "projects": p[1], "conforming": p[2]} for p in history.conformance(sweep_id)
        ],
        "trend": history.trend(sweep_id),
        "repos": repos,
    }


def _md_cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def summary_markdown(summary: dict[str, Any]) -> str:
    """``summary.md``: totals, new/fixed overall and per repo, drift ranking, failures."""
    totals = summary["totals"]
    f = totals["findings"]
    lines = [
        f"# stack-auditor sweep {summary['sweep']['id']}",
        "",
        f"{totals['repos']} repos: {totals['audited']} audited, {totals['reused']} unchanged (stored result),"
        f" {totals['failed']} failed. Findings: {f['error']} errors, {f['warning']} warnings,"
        f" {f['note']} notes"
        f" ({totals['suppressed']} suppressed).",
        "",
        f"Since sweep {summary['sweep']['previous_id']}:"
        f" **{totals['new']} new**, **{totals['fixed']} fixed**."
        if summary["sweep"]["previous_id"] is not None
        else f"First sweep in this history: {totals['new']} findings, all new.",
        "",
        "| repo | status | errors | warnings | notes | drift | new | fixed |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for repo in sorted(summary["repos"], key=lambda r: (-r["drift"], r["name"])):
        c = repo["findings"]
        status = repo["status"] + (" (unchanged)" if repo["reused"] else "")
        lines.append(
            f"| {_md_cell(repo['name'])} | {status} | {c['error']} | {c['warning']} | {c['note']}"
            f" | {repo['drift']}"
            f" | {len(repo['new'])} | {len(repo['fixed'])} |"
        )
    changed = [r for r in summary["repos"] if r["new"] or r["fixed"]]
    if changed:
        lines += ["", "## New and fixed findings", ""]
        for repo in changed:
            lines.append(f"### {_md_cell(repo['name'])}")
            lines += [
                f"- new: `{c['rule_id']}` {_md_cell(c['message'])} ({c['file']}:{c['line']})"
                for c in repo["new"]
            ]
            lines += [f"- fixed: `{c['rule_id']}` {_md_cell(c['message'])}" for c in repo["fixed"]]
            lines.append("")
    failed = [r for r in summary["repos"] if r["status"] != "ok"]
    if failed:
        lines += ["", "## Failed repos", ""]
        lines += [f"- **{_md_cell(r['name'])}** ({r['error_kind']}): {_md_cell(r['error'])}" for r in failed]
    if summary["profiles"]:
        lines += [
            "",
            "## Conformance by profile",
            "",
            "| profile | projects | conforming |",
            "| --- | ---: | ---: |",
        ]
        lines += [f"| {p['profile']} | {p['projects']} | {p['conforming']} |" for p in summary["profiles"]]
    return "\n".join(lines).rstrip() + "\n"


CSV_COLUMNS = (
    "repo",
    "status",
    "reused",
    "head",
    "errors",
    "warnings",
    "notes",
    "suppressed",
    "drift",
    "new",
    "fixed",
    "profiles",
    "error",
)


def summary_csv(summary: dict[str, Any]) -> str:
    """``summary.csv``: one row per repo (header first); a failed repo carries its error."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for repo in summary["repos"]:
        c = repo["findings"]
        profiles = ";".join(sorted({p["profile"] or "(none)" for p in repo["projects"]}))
        writer.writerow(
            [
                repo["name"],
                repo["status"],
                int(repo["reused"]),
                repo["head"] or "",
                c["error"],
                c["warning"],
                c["note"],
                repo["suppressed"],
                repo["drift"],
                len(repo["new"]),
                len(repo["fixed"]),
                profiles,
                repo["error"] or "",
            ]
        )
    return buffer.getvalue()


def write_outputs(history: History, sweep_id: int, out: Path) -> dict[str, Any]:
    """Write the four summaries for ``sweep_id`` into ``out``; returns the summary document."""
    from auditor.sweep.report_html import render_html

    summary = build_summary(history, sweep_id, out)
    write_atomic(out / "summary.json", json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    write_atomic(out / "summary.md", summary_markdown(summary))
    write_atomic(out / "summary.csv", summary_csv(summary))
    write_atomic(out / "report.html", render_html(summary))
    return summary
