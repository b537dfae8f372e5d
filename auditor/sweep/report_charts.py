"""The charts of ``report.html``: inline SVG, each in a ``<figure>`` with its numbers as a data table.

The SVG is drawn on a fixed ``viewBox`` and stretched to the page's width;
screen readers get the same numbers from the table under each chart (the
SVG itself is one labelled image). Colours are chosen for text contrast on
white (WCAG AA) because the legends are coloured text.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

__all__ = ["COLORS", "bars", "data_table", "figure", "stacked", "trend"]

COLORS = {"error": "#c62828", "warning": "#b45309", "note": "#1565c0", "ok": "#2e7d32", "muted": "#616161"}
_WIDTH = 960


def _svg_open(chart_id: str, title: str, height: int) -> str:
    return (
        f'<svg id="{chart_id}" role="img" aria-label="{escape(title)}" viewBox="0 0 {_WIDTH} {height}"'
        f' preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    )


def data_table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """The chart's numbers for people who cannot see it, folded under the chart."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<th scope="row">{escape(str(c))}</th>' if i == 0 else f'<td class="n">{escape(str(c))}</td>'
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return (
        f'<details class="data"><summary>Data table: {escape(caption)}</summary><table>'
        f"<caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>"
    )


def figure(chart_id: str, caption: str, svg: str, table: str) -> str:
    """A chart with its caption and data table."""
    return (
        f'<figure id="fig-{chart_id}" aria-labelledby="cap-{chart_id}">'
        f'<figcaption id="cap-{chart_id}">{escape(caption)}</figcaption>{svg}{table}</figure>'
    )


def bars(chart_id: str, title: str, rows: list[tuple[str, int, str]]) -> str:
    """A horizontal bar chart: ``(label, value, colour)`` per row."""
    if not rows:
        return f'<p class="muted" id="{chart_id}-empty">{escape(title)}: nothing to show.</p>'
    label_w, bar_h, gap = 380, 18, 6
    top = max(value for _, value, _ in rows) or 1
    height = len(rows) * (bar_h + gap) + gap
    parts = [_svg_open(chart_id, title, height)]
    span = _WIDTH - label_w - 70
    for i, (label, value, color) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        w = max(1, round(span * value / top)) if value else 0
        short = label if len(label) <= 50 else label[:47] + "..."
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{escape(short)}'
            f"<title>{escape(label)}</title></text>"
            f'<rect class="bar" x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="{color}"'
            f' data-label="{escape(label)}" data-value="{value}"/>'
            f'<text x="{label_w + w + 6}" y="{y + 13}">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def stacked(chart_id: str, title: str, rows: list[tuple[str, int, int]]) -> str:
    """Conforming vs drifting projects per profile, as stacked horizontal bars with a legend."""
    if not rows:
        return f'<p class="muted" id="{chart_id}-empty">{escape(title)}: no projects.</p>'
    label_w, bar_h, gap = 240, 20, 8
    top = max(total for _, total, _ in rows) or 1
    height = len(rows) * (bar_h + gap) + gap + 24
    span = _WIDTH - label_w - 160
    parts = [_svg_open(chart_id, title, height)]
    for i, (label, total, good) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        w_good = round(span * good / top)
        w_bad = round(span * (total - good) / top)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{escape(label)}</text>'
            f'<rect class="bar" x="{label_w}" y="{y}" width="{w_good}" height="{bar_h}" fill="{COLORS["ok"]}"'
            f' data-label="{escape(label)} conforming" data-value="{good}"/>'
            f'<rect class="bar" x="{label_w + w_good}" y="{y}" width="{w_bad}" height="{bar_h}"'
            f' fill="{COLORS["warning"]}" data-label="{escape(label)} drifting" data-value="{total - good}"/>'
            f'<text x="{label_w + w_good + w_bad + 6}" y="{y + 14}">{good}/{total} conform</text>'
        )
    legend_y = height - 8
    parts.append(
        f'<text class="legend" x="{label_w}" y="{legend_y}" fill="{COLORS["ok"]}">■ conforming</text>'
        f'<text class="legend" x="{label_w + 120}" y="{legend_y}" fill="{COLORS["warning"]}">■ drifting</text></svg>'
    )
    return "".join(parts)


def trend(chart_id: str, points: list[dict[str, Any]], height: int = 240) -> str:
    """Findings by severity across sweeps: one polyline per severity, one point per sweep."""
    if not points:
        return f'<p class="muted" id="{chart_id}-empty">No past sweeps yet.</p>'
    left, right, top_pad, bottom = 50, 20, 16, 40
    top = max(max(t["error"], t["warning"], t["note"]) for t in points) or 1
    n = len(points)

    def x(i: int) -> float:
        return left + (_WIDTH - left - right) * (i / (n - 1) if n > 1 else 0.5)

    def y(v: int) -> float:
        return top_pad + (height - top_pad - bottom) * (1 - v / top)

    parts = [
        _svg_open(chart_id, "Findings across sweeps", height),
        f'<line x1="{left}" y1="{y(0)}" x2="{_WIDTH - right}" y2="{y(0)}" stroke="#9e9e9e"/>',
        f'<text x="{left - 6}" y="{y(top) + 4}" text-anchor="end">{top}</text>',
        f'<text x="{left - 6}" y="{y(0) + 4}" text-anchor="end">0</text>',
    ]
    for severity in ("error", "warning", "note"):
        line = " ".join(f"{x(i):.1f},{y(t[severity]):.1f}" for i, t in enumerate(points))
        parts.append(
            f'<polyline class="series" data-series="{severity}" fill="none" stroke="{COLORS[severity]}"'
            f' stroke-width="2" points="{line}"/>'
        )
        for i, t in enumerate(points):
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(t[severity]):.1f}" r="3" fill="{COLORS[severity]}">'
                f"<title>sweep {t['sweep_id']}: {t[severity]} {severity}s</title></circle>"
            )
    for i, t in enumerate(points):
        if n <= 12 or i % max(1, n // 12) == 0 or i == n - 1:
            parts.append(f'<text x="{x(i):.1f}" y="{height - 22}" text-anchor="middle">#{t["sweep_id"]}</text>')
    for j, severity in enumerate(("error", "warning", "note")):
        parts.append(
            f'<text class="legend" x="{left + j * 110}" y="{height - 4}" fill="{COLORS[severity]}">— {severity}s</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
