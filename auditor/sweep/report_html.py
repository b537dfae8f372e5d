"""``report.html``: the org at a glance, one self-contained page (no scripts, fonts or remote files).

Charts are inline SVG drawn here: findings by severity and by rule, repos
ranked by drift, conformance per profile, and the trend across past sweeps.
A Content-Security-Policy forbids every remote load, so the page shows the
same offline, in a CI artifact, or attached to an e-mail.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from html import escape
from typing import Any

from auditor.sweep.queries import RepoRecord

__all__ = ["render_html"]

# Nothing may load from anywhere: no script, font, image or stylesheet outside this file.
_CSP = "default-src 'none'; style-src 'unsafe-inline'"
_COLORS = {"error": "#c62828", "warning": "#ef6c00", "note": "#1565c0", "ok": "#2e7d32", "muted": "#9e9e9e"}
_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#212121;
max-width:1100px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #e0e0e0}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0}
.card{border:1px solid #e0e0e0;border-radius:6px;padding:8px 14px;min-width:90px}
.card b{display:block;font-size:20px} .muted{color:#757575}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{padding:4px 8px;border-bottom:1px solid #eee;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums} .failed{color:#c62828}
svg text{font:12px system-ui,sans-serif;fill:#424242}
"""


def _bars(chart_id: str, title: str, rows: list[tuple[str, int, str]], width: int = 760) -> str:
    """A horizontal bar chart: (label, value, colour) per row."""
    if not rows:
        return f'<p class="muted" id="{chart_id}-empty">{escape(title)}: nothing to show.</p>'
    label_w, bar_h, gap = 300, 18, 6
    top = max(value for _, value, _ in rows) or 1
    height = len(rows) * (bar_h + gap) + gap
    parts = [
        f'<svg id="{chart_id}" role="img" aria-label="{escape(title)}" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    span = width - label_w - 60
    for i, (label, value, color) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        w = max(1, round(span * value / top)) if value else 0
        short = label if len(label) <= 44 else label[:41] + "..."
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{escape(short)}'
            f"<title>{escape(label)}</title></text>"
            f'<rect class="bar" x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="{color}"'
            f' data-label="{escape(label)}" data-value="{value}"/>'
            f'<text x="{label_w + w + 6}" y="{y + 13}">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _stacked(chart_id: str, title: str, rows: list[tuple[str, int, int]], width: int = 760) -> str:
    """Conforming vs drifting projects per profile, as stacked horizontal bars."""
    if not rows:
        return f'<p class="muted" id="{chart_id}-empty">{escape(title)}: no projects.</p>'
    label_w, bar_h, gap = 200, 20, 8
    top = max(total for _, total, _ in rows) or 1
    height = len(rows) * (bar_h + gap) + gap + 20
    span = width - label_w - 140
    parts = [
        f'<svg id="{chart_id}" role="img" aria-label="{escape(title)}" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i, (label, total, good) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        w_good = round(span * good / top)
        w_bad = round(span * (total - good) / top)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{escape(label)}</text>'
            f'<rect class="bar" x="{label_w}" y="{y}" width="{w_good}" height="{bar_h}"'
            f' fill="{_COLORS["ok"]}"'
            f' data-label="{escape(label)} conforming" data-value="{good}"/>'
            f'<rect class="bar" x="{label_w + w_good}" y="{y}" width="{w_bad}" height="{bar_h}"'
            f' fill="{_COLORS["warning"]}" data-label="{escape(label)} drifting"'
            f' data-value="{total - good}"/>'
            f'<text x="{label_w + w_good + w_bad + 6}" y="{y + 14}">{good}/{total} conform</text>'
        )
    legend_y = height - 8
    parts.append(
        f'<text x="{label_w}" y="{legend_y}" fill="{_COLORS["ok"]}">■ conforming</text>'
        f'<text x="{label_w + 110}" y="{legend_y}" fill="{_COLORS["warning"]}">■ drifting</text></svg>'
    )
    return "".join(parts)


def _trend(chart_id: str, trend: list[dict[str, Any]], width: int = 760, height: int = 220) -> str:
    """Findings by severity across sweeps: one polyline per severity, one point per sweep."""
    if not trend:
        return f'<p class="muted" id="{chart_id}-empty">No past sweeps yet.</p>'
    left, right, top_pad, bottom = 50, 20, 16, 36
    top = max(max(t["error"], t["warning"], t["note"]) for t in trend) or 1
    n = len(trend)

    def x(i: int) -> float:
        return left + (width - left - right) * (i / (n - 1) if n > 1 else 0.5)

    def y(v: int) -> float:
        return top_pad + (height - top_pad - bottom) * (1 - v / top)

    parts = [
        f'<svg id="{chart_id}" role="img" aria-label="Findings across sweeps"'
        f' width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        "<title>Findings across sweeps</title>",
        f'<line x1="{left}" y1="{y(0)}" x2="{width - right}" y2="{y(0)}" stroke="#bdbdbd"/>',
        f'<text x="{left - 6}" y="{y(top) + 4}" text-anchor="end">{top}</text>',
        f'<text x="{left - 6}" y="{y(0) + 4}" text-anchor="end">0</text>',
    ]
    for severity in ("error", "warning", "note"):
        points = " ".join(f"{x(i):.1f},{y(t[severity]):.1f}" for i, t in enumerate(trend))
        parts.append(
            f'<polyline class="series" data-series="{severity}" fill="none" stroke="{_COLORS[severity]}"'
            f' stroke-width="2" points="{points}"/>'
        )
        for i, t in enumerate(trend):
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(t[severity]):.1f}" r="3" fill="{_COLORS[severity]}">'
                f"<title>sweep {t['sweep_id']}: {t[severity]} {severity}s</title></circle>"
            )
    for i, t in enumerate(trend):
        if n <= 12 or i % max(1, n // 12) == 0 or i == n - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - 18}" text-anchor="middle">#{t["sweep_id"]}</text>'
            )
    for j, severity in enumerate(("error", "warning", "note")):
        parts.append(
            f'<text x="{left + j * 90}" y="{height - 2}" fill="{_COLORS[severity]}">— {severity}s</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def render_html(
    head: dict[str, Any], top: list[RepoRecord], rows: Iterable[tuple[RepoRecord, tuple[int, int], str]]
) -> Iterator[str]:
    """The page, in pieces: the summary's aggregates, the 25 most drifting repos, then every repo's row."""
    totals, sweep = head["totals"], head["sweep"]
    f = totals["findings"]
    cards = [
        ("repos", totals["repos"]), ("audited", totals["audited"]), ("unchanged", totals["reused"]),
        ("failed", totals["failed"]), ("errors", f["error"]), ("warnings", f["warning"]),
        ("notes", f["note"]),
        ("new", totals["new"]), ("fixed", totals["fixed"]),
    ]  # fmt: skip
    severity_rows = [(s + "s", f[s], _COLORS[s]) for s in ("error", "warning", "note")]
    rule_rows = [
        (r["rule_id"], r["findings"], _COLORS.get(r["severity"], _COLORS["muted"]))
        for r in head["by_rule"][:25]
    ]
    drift_rows = [
        (r.name, r.drift, _COLORS["error"] if r.errors else _COLORS["warning"]) for r in top if r.drift > 0
    ]
    profile_rows = [(p["profile"], p["projects"], p["conforming"]) for p in head["profiles"]]
    since = (
        f"compared with sweep {sweep['previous_id']}"
        if sweep["previous_id"] is not None
        else "first sweep in this history"
    )
    shard = f" (shard {escape(sweep['shard'])})" if sweep["shard"] else ""
    yield (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>stack-auditor sweep {sweep['id']}</title><style>{_CSS}</style></head><body>\n"
    )
    yield "\n".join([
        "<h1>stack-auditor: org sweep</h1>",
        f'<p class="muted">Sweep {sweep["id"]}{shard},'
        f" {escape(str(sweep['finished_at'] or sweep['started_at']))}, {since}; stack-auditor"
        f" {escape(head['tool']['version'])}.</p>",
        '<div class="cards" id="totals">'
        + "".join(f'<div class="card" data-key="{k}"><b>{v}</b><span class="muted">{k}</span></div>'
                  for k, v in cards)
        + "</div>",
        "<h2>Findings by severity</h2>",
        _bars("chart-severity", "Findings by severity", severity_rows),
        "<h2>Findings by rule</h2>",
        _bars("chart-rules", "Findings by rule", rule_rows),
        "<h2>Repos ranked by drift</h2>",
        '<p class="muted">Drift = 10 × errors + 3 × warnings + notes (counted findings); the top 25.</p>',
        _bars("chart-drift", "Repos ranked by drift", drift_rows),
        "<h2>Conformance per profile</h2>",
        _stacked("chart-profiles", "Conformance per profile", profile_rows),
        "<h2>Trend across sweeps</h2>",
        _trend("chart-trend", head["trend"]),
        "<h2>Repos</h2>",
    ])  # fmt: skip
    yield from _repo_table(rows)
    yield "\n</body></html>\n"


def _repo_table(rows: Iterable[tuple[RepoRecord, tuple[int, int], str]]) -> Iterator[str]:
    yield (
        '<table id="repos"><thead><tr><th>repo</th><th>status</th><th>errors</th><th>warnings</th>'
        "<th>notes</th><th>drift</th><th>new</th><th>fixed</th><th>profiles</th></tr></thead><tbody>\n"
    )
    for record, (new, fixed), profiles in rows:
        status = escape(record.status) + (" (unchanged)" if record.reused else "")
        if record.error:
            error = record.error
            status = f'<span class="failed" title="{escape(error)}">{status}: {escape(error[:160])}</span>'
        yield (
            f'<tr data-repo="{escape(record.name)}"><td>{escape(record.name)}</td><td>{status}</td>'
            f'<td class="n">{record.errors}</td><td class="n">{record.warnings}</td>'
            f'<td class="n">{record.notes}</td>'
            f'<td class="n">{record.drift}</td><td class="n">{new}</td>'
            f'<td class="n">{fixed}</td><td>{escape(profiles.replace(";", ", "))}</td></tr>\n'
        )
    yield "</tbody></table>"
