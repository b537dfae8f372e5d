"""``report.html``: the org at a glance and every repo's findings, in one self-contained page.

Sections (each a landmark the ``<nav>`` links to): totals; the most
actionable findings (errors first, then the warnings found in the most
repos), each rule by its title with a link to its documentation; charts
(inline SVG with a data table each); failed repos, each with what failed and
what to do; and the repo table, where each repo expands to its findings
(rule, file:line, message, new / unchanged / stale) and links its SARIF.
Repos are ranked by errors, then drift (:mod:`auditor.sweep.drift`).

The page loads nothing: a Content-Security-Policy allows only the page's own
styles and its one inline script (by hash, :mod:`auditor.sweep.report_assets`),
which adds sorting, search and a filter; without it every finding is still
there. Everything a repo controls (names, messages, paths) is escaped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import escape
from typing import Any

from auditor.findings import counted_noun
from auditor.sweep.advice import exclude_entry, failure_advice, failure_title
from auditor.sweep.queries import Queries, RepoRecord, repo_state
from auditor.sweep.report_assets import CSP, CSS, SCRIPT
from auditor.sweep.report_charts import COLORS, bars, data_table, figure, stacked, trend

__all__ = ["MAX_FINDINGS_PER_REPO", "ReportInputs", "render_html"]

MAX_FINDINGS_PER_REPO = 200  # the rest are in the repo's SARIF, which the page links
_STATE_LABEL = {"new": "new", "unchanged": "unchanged", "stale": "stale (not re-checked)", "suppressed": "suppressed"}
_UNSURE = frozenset({"tie", "narrow", "none"})  # a profile choice worth pinning in configuration
_CONFIDENCE = {
    "given": "set by configuration",
    "inferred": "inferred",
    "narrow": "inferred, narrow win",
    "tie": "tie",
    "none": "no profile fits",
}


@dataclass(frozen=True, slots=True)
class ReportInputs:
    """What the page reads besides the summary's aggregates."""

    queries: Queries
    sweep_id: int
    previous: int | None
    counts: dict[str, tuple[int, int]]  # repo -> (new, fixed)
    sarif_link: Callable[[str], str | None]  # repo -> relative path of its SARIF, if written


class _Rules:
    """Rule titles and documentation links, as the history recorded them."""

    def __init__(self, rules: dict[str, tuple[str, str, str]]) -> None:
        self.rules = rules

    def title(self, rule_id: str) -> str:
        meta = self.rules.get(rule_id)
        return meta[1] if meta and meta[1] else (meta[0] if meta else "")

    def cell(self, rule_id: str) -> str:
        """``<a href=doc><code>id</code></a> title`` (no link for a URL that is not http(s))."""
        meta = self.rules.get(rule_id)
        code = f"<code>{escape(rule_id)}</code>"
        if meta and meta[2].startswith(("https://", "http://")):
            code = f'<a href="{escape(meta[2])}" rel="noreferrer">{code}</a>'
        title = self.title(rule_id)
        return code + (f' <span class="rule-title">{escape(title)}</span>' if title else "")


def render_html(head: dict[str, Any], inputs: ReportInputs) -> Iterator[str]:
    """The page, in pieces (repos are streamed from the history one at a time)."""
    rules = _Rules(inputs.queries.rules())
    sweep = head["sweep"]
    yield (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>stack-auditor sweep {sweep['id']}</title><style>{CSS}</style></head><body>\n"
    )
    yield _header(head)
    yield '<main id="main">\n'
    yield _totals(head)
    yield _top(inputs, rules)
    yield _charts(head, inputs, rules)
    yield from _failed(inputs)
    yield from _repo_table(inputs, rules)
    yield "</main>\n<footer><p>Drift ranks repos by counted errors, then by warnings weighted by rule"
    yield " (anti-recommendation 5, stack gap 3, generic rule 2, per-package hygiene 1; at most 3 findings"
    yield " of a rule count). Stale findings belong to repos whose latest audit failed: they are kept from"
    yield " the last audit that read them.</p></footer>\n"
    yield f"<script>{SCRIPT}</script>\n</body></html>\n"


def _header(head: dict[str, Any]) -> str:
    sweep = head["sweep"]
    since = (
        f"compared with sweep {sweep['previous_id']}"
        if sweep["previous_id"] is not None
        else "first sweep in this history"
    )
    shard = f" (shard {escape(sweep['shard'])})" if sweep["shard"] else ""
    links = [
        ("totals", "Totals"), ("top", "Top findings"), ("charts", "Charts"), ("failed", "Failed repos"),
        ("repos-section", "Repos"),
    ]  # fmt: skip
    return (
        "<header><h1>stack-auditor: org sweep</h1>"
        f'<p class="muted">Sweep {sweep["id"]}{shard}, {escape(str(sweep["finished_at"] or sweep["started_at"]))},'
        f" {since}; stack-auditor {escape(head['tool']['version'])}.</p>"
        '<nav aria-label="Sections"><ul>'
        + "".join(f'<li><a href="#{target}">{label}</a></li>' for target, label in links)
        + "</ul></nav></header>\n"
    )


def _totals(head: dict[str, Any]) -> str:
    totals = head["totals"]
    f = totals["findings"]
    cards = [
        ("repos", totals["repos"]), ("audited", totals["audited"]), ("unchanged", totals["reused"]),
        ("failed", totals["failed"]), ("errors", f["error"]), ("warnings", f["warning"]), ("notes", f["note"]),
        ("new", totals["new"]), ("fixed", totals["fixed"]), ("stale", totals.get("stale", 0)),
    ]  # fmt: skip
    items = "".join(f'<li class="card" data-key="{k}"><b>{v}</b><span class="muted">{k}</span></li>' for k, v in cards)
    return (
        '<section id="totals" aria-labelledby="totals-h"><h2 id="totals-h">Totals</h2>'
        f'<ul class="cards">{items}</ul></section>\n'
    )


def _top(inputs: ReportInputs, rules: _Rules) -> str:
    top = inputs.queries.top_findings(inputs.sweep_id)
    head = (
        '<section id="top" aria-labelledby="top-h"><h2 id="top-h">Top actionable findings</h2>'
        '<p class="muted">Errors first (they fail builds), then the warnings found in the most repos.</p>'
    )
    if not top:
        return head + '<p id="top-empty">No errors or warnings: nothing to act on.</p></section>\n'
    rows = "".join(
        f'<tr data-rule="{escape(rule)}"><td>{rules.cell(rule)}</td>'
        f'<td class="sev-{escape(severity)}">{escape(severity)}</td><td class="n">{repos}</td>'
        f'<td class="n">{count}</td><td>{_repo_links(names, repos)}</td><td>{escape(example)}</td></tr>'
        for rule, severity, repos, count, example, names in top
    )
    return (
        head + '<div class="table-wrap"><table id="top-findings"><caption>Rules to fix first</caption>'
        '<thead><tr><th scope="col">rule</th><th scope="col">severity</th><th scope="col" class="n">repos</th>'
        '<th scope="col" class="n">findings</th><th scope="col">in</th><th scope="col">example</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div></section>\n"
    )


def _repo_links(names: list[str], total: int) -> str:
    """The first repos with the finding, each linking to its row in the repo table."""
    links = ", ".join(f'<a href="#repo-{_anchor(n)}">{escape(n)}</a>' for n in names)
    return links + (f" and {total - len(names)} more" if total > len(names) else "")


def _anchor(name: str) -> str:
    """A unique id for a repo's row: a readable part of its name and a short hash of all of it."""
    readable = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in name)
    return f"{readable}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"


def _charts(head: dict[str, Any], inputs: ReportInputs, rules: _Rules) -> str:
    f = head["totals"]["findings"]
    severity_rows = [(s + "s", f[s], COLORS[s]) for s in ("error", "warning", "note")]
    by_rule = head["by_rule"][:25]
    rule_rows = [
        (_rule_label(r["rule_id"], rules), r["findings"], COLORS.get(r["severity"], COLORS["muted"])) for r in by_rule
    ]
    top = list(inputs.queries.repos(inputs.sweep_id, by_drift=True, limit=25))
    ranked = [r for r in top if r.errors or r.drift]
    drift_rows = [(r.name, r.errors * 10 + r.drift, COLORS["error"] if r.errors else COLORS["warning"]) for r in ranked]
    profile_rows = [(p["profile"], p["projects"], p["conforming"]) for p in head["profiles"]]
    charts = [
        figure(
            "chart-severity", "Findings by severity", bars("chart-severity", "Findings by severity", severity_rows),
            data_table("findings by severity", ("severity", "findings"), [(r[0], r[1]) for r in severity_rows]),
        ),
        figure(
            "chart-rules", "Findings by rule (top 25)", bars("chart-rules", "Findings by rule", rule_rows),
            data_table("findings by rule", ("rule", "severity", "findings", "repos"),
                       [(_rule_label(r["rule_id"], rules), r["severity"], r["findings"], r["repos"]) for r in by_rule]),
        ),
        figure(
            "chart-drift", "Repos ranked by errors, then drift (top 25)",
            bars("chart-drift", "Repos ranked by errors, then drift", drift_rows),
            data_table("repos ranked by errors, then drift", ("repo", "errors", "warnings", "drift"),
                       [(r.name, r.errors, r.warnings, r.drift) for r in ranked]),
        ),
        figure(
            "chart-profiles", "Conformance per profile",
            stacked("chart-profiles", "Conformance per profile", profile_rows),
            data_table("conformance per profile", ("profile", "projects", "conforming"), profile_rows),
        ),
        figure(
            "chart-trend", "Findings across sweeps", trend("chart-trend", head["trend"]),
            data_table("findings across sweeps", ("sweep", "errors", "warnings", "notes", "failed repos"),
                       [(f"#{t['sweep_id']}", t["error"], t["warning"], t["note"], t["failed"])
                        for t in head["trend"]]),
        ),
    ]  # fmt: skip
    return (
        '<section id="charts" aria-labelledby="charts-h"><h2 id="charts-h">Charts</h2>'
        '<p class="muted">The drift chart\'s bar is 10 &#215; errors + drift, so errors always rank first.</p>'
        f'<div class="charts">{"".join(charts)}</div></section>\n'
    )


def _rule_label(rule_id: str, rules: _Rules) -> str:
    title = rules.title(rule_id)
    return f"{rule_id}: {title}" if title else rule_id


def _failed(inputs: ReportInputs) -> Iterator[str]:
    yield '<section id="failed" aria-labelledby="failed-h"><h2 id="failed-h">Failed repos</h2>'
    any_failed = False
    for record in inputs.queries.repos(inputs.sweep_id):
        if record.status == "ok":
            continue
        any_failed = True
        files = record.failed_file_list
        fix = ""
        if files:
            fix = f'<p class="advice">To skip: <code>{escape(exclude_entry(record.name, files))}</code></p>'
        stale = f" {record.stale} earlier findings are kept as stale." if record.stale else ""
        yield (
            f'<div class="failure" data-repo="{escape(record.name)}"><h3>{escape(record.name)}:'
            f" {escape(failure_title(record))}</h3>"
            f"<p>Error: <code>{escape(record.error or '')}</code></p>"
            f"<p>{escape(failure_advice(record))}{escape(stale)}</p>{fix}</div>\n"
        )
    if not any_failed:
        yield '<p id="failed-none">Every repo was audited.</p>'
    yield "</section>\n"


def _profiles_cell(projects: list[tuple[Any, ...]]) -> str:
    parts = []
    for path, profile, *_, confidence, runner_up, margin, decided_by in projects:
        name = escape(profile or "(none)")
        label = _CONFIDENCE.get(confidence or "", escape(confidence or ""))
        if confidence == "tie" and runner_up:
            label = f"tie with {escape(runner_up)}"
        elif confidence == "narrow" and runner_up:
            label = f"narrow win over {escape(runner_up)}" + (f" by {margin}" if margin is not None else "")
        detail = f' <span class="confidence conf-{escape(confidence or "unknown")}">({label})</span>' if label else ""
        hint = f' title="{escape(decided_by)}"' if decided_by else ""
        where = "" if path == "." else f"{escape(path)}: "
        why = f'<br><span class="muted">{escape(decided_by)}</span>' if decided_by and confidence in _UNSURE else ""
        parts.append(f"<li{hint}>{where}{name}{detail}{why}</li>")
    return f'<ul class="profiles">{"".join(parts)}</ul>' if parts else ""


def _repo_table(inputs: ReportInputs, rules: _Rules) -> Iterator[str]:
    yield (
        '<section id="repos-section" aria-labelledby="repos-h"><h2 id="repos-h">Repos</h2>'
        '<div id="repo-controls" hidden><label>Search <input id="repo-search" type="search"'
        ' placeholder="repo, rule, file"></label><label>Show <select id="repo-show">'
        '<option value="">all repos</option><option value="errors">with errors</option>'
        '<option value="warnings">with warnings</option><option value="new">with new findings</option>'
        '<option value="failed">failed</option><option value="no dependency files">no dependency files</option>'
        '<option value="unsure">profile tie, narrow or none</option>'
        '</select></label><span id="repo-count" aria-live="polite"></span></div>'
        '<div class="table-wrap"><table id="repos"><caption>Every repo, ranked by errors then drift;'
        " expand a repo for its findings</caption><thead><tr>"
        + "".join(
            f'<th scope="col"{" class=" + chr(34) + "n" + chr(34) if numeric else ""}><button type="button">'
            f"{label}</button></th>"
            for label, numeric in (
                ("repo", False),
                ("state", False),
                ("errors", True),
                ("warnings", True),
                ("notes", True),
                ("drift", True),
                ("new", True),
                ("fixed", True),
                ("profiles", False),
            )
        )
        + "</tr></thead><tbody>\n"
    )
    for record in inputs.queries.repos(inputs.sweep_id, by_drift=True):
        yield _repo_row(record, inputs, rules)
    yield "</tbody></table></div></section>\n"


def _repo_row(record: RepoRecord, inputs: ReportInputs, rules: _Rules) -> str:
    projects = inputs.queries.projects(inputs.sweep_id, record.name)
    state = repo_state(record, bool(projects))
    new, fixed = inputs.counts.get(record.name, (0, 0))
    findings = inputs.queries.findings(inputs.sweep_id, inputs.previous, record.name)
    label = state + (" (unchanged)" if record.reused else "") + (f", {record.stale} stale" if record.stale else "")
    search = " ".join([record.name, state, *(f["rule_id"] + " " + f["file"] for f in findings[:MAX_FINDINGS_PER_REPO])])
    search += " " + " ".join(p[1] or "" for p in projects)
    numbers = (record.errors, record.warnings, record.notes, record.drift, new, fixed)
    unsure = any(p[5] in _UNSURE for p in projects)
    row = [
        f'<tr id="repo-{_anchor(record.name)}" data-repo="{escape(record.name)}" data-state="{escape(state)}"'
        f' data-errors="{record.errors}"'
        f' data-warnings="{record.warnings}" data-new="{new}" data-unsure="{int(unsure)}"'
        f' data-search="{escape(search.lower())}">',
        f'<th scope="row" data-v="{escape(record.name.lower())}"><span class="name">{escape(record.name)}</span>'
        f"{_drill_down(record, findings, inputs, rules)}</th>",
        f'<td class="state-{escape(state.split()[0])}" data-v="{escape(state)}">{escape(label)}</td>',
    ]
    row += [f'<td class="n" data-v="{n}">{n}</td>' for n in numbers]
    profiles = ", ".join(p[1] or "(none)" for p in projects)
    row.append(f'<td data-v="{escape(profiles)}">{_profiles_cell(projects)}</td></tr>\n')
    return "".join(row)


def _drill_down(record: RepoRecord, findings: list[dict[str, Any]], inputs: ReportInputs, rules: _Rules) -> str:
    sarif = inputs.sarif_link(record.name)
    link = f' <a href="{escape(sarif)}">SARIF</a>' if sarif else ""
    if not findings:
        return f'<div class="muted">no findings{link}</div>' if link else ""
    shown = findings[:MAX_FINDINGS_PER_REPO]
    more = len(findings) - len(shown)
    rows = "".join(
        f'<tr class="finding" data-state="{f["state"]}"><td>{rules.cell(f["rule_id"])}</td>'
        f'<td class="sev-{escape(f["severity"])}">{escape(f["severity"])}</td>'
        f"<td><code>{escape(f['file'])}:{f['line']}</code></td><td>{escape(f['message'])}</td>"
        f'<td class="state-{f["state"]}">{_STATE_LABEL[f["state"]]}</td></tr>'
        for f in shown
    )
    tail = f'<p class="muted">and {more} more in the SARIF.</p>' if more else ""
    return (
        f'<details class="drill"><summary>{counted_noun(len(findings), "finding")}</summary>'
        f'<table class="findings"><caption>Findings of {escape(record.name)}{link}</caption><thead><tr>'
        '<th scope="col">rule</th><th scope="col">severity</th><th scope="col">where</th>'
        '<th scope="col">message</th><th scope="col">since last sweep</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>{tail}</details>"
    )
