"""Rows, sections and the Markdown report that ``run.py`` prints and writes to RESULTS.md.

Ratios: ``× floor`` is the command's median over the floor's median (lower is
better; the floor is a fresh Python that only reads and parses the same file).
``peer ÷ auditor`` is the peer's time over stack-auditor's median on the same
input (higher is better for stack-auditor). A peer killed by its timeout gives
a lower bound (``≥``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchmarks._measure import Result
    from benchmarks.generate import Sizes

__all__ = ["MAX_RSS_MB", "Row", "Section", "render"]

MAX_RSS_MB = 150.0
REPO = Path(__file__).resolve().parents[1]
_HEAD = (
    "| Scenario | Command | Median s (min–max) | Peak RSS MiB | × floor | Peer ÷ auditor | Target | Met |",
    "|---|---|---:|---:|---:|---:|---|---|",
)


def _short(error: str) -> str:
    """An error message on one line, with the checkout's absolute paths made relative."""
    return error.replace(f"{REPO}/", "").replace("|", "\\|").splitlines()[0][:200] if error else error


@dataclass
class Row:
    """One line of the main table; ``kind`` is floor, tool, peer, memory, metric or skip."""

    scenario: str
    result: Result | None
    kind: str
    floor: Result | None = None
    tool: Result | None = None
    max_floor: float | None = None
    min_speedup: float | None = None
    label: str = ""
    note: str = ""
    custom: tuple[str, ...] = ()
    verdict: str = ""

    @classmethod
    def skipped(cls, scenario: str, label: str, note: str) -> Row:
        """A command that could not run (peer absent, input absent, command not implemented yet)."""
        return cls(scenario, None, "skip", label=label, note=note)

    @classmethod
    def metric(cls, scenario: str, label: str, value: str, target: str, verdict: str) -> Row:
        """A derived number (a growth exponent, repos/s) with its own target and verdict."""
        return cls(scenario, None, "metric", label=label, custom=(value, target), verdict=verdict)

    def cells(self) -> list[str]:
        """The Markdown cells of this row."""
        name = self.label or (self.result.command.label if self.result else "")
        if self.kind == "skip":
            return [self.scenario, name, "—", "—", "—", "—", "", f"skipped: {self.note}"]
        if self.kind == "metric":
            return [self.scenario, name, self.custom[0], "", "", "", self.custom[1], self.verdict]
        res = self.result
        assert res is not None
        if not res.ok and not res.timed_out:
            return [self.scenario, name, "—", "—", "—", "—", self._target(), f"error: {_short(res.error)}"]
        if self.kind == "memory":
            ok = res.rss_mb < MAX_RSS_MB
            return [
                self.scenario,
                f"peak RSS of {name}",
                "",
                f"{res.rss_mb:.0f}",
                "",
                "",
                f"< {MAX_RSS_MB:.0f} MiB",
                "yes" if ok else "**no**",
            ]
        lo, hi = res.spread
        timing = f"≥ {res.median:.2f} (timeout)" if res.timed_out else f"{res.median:.3f} ({lo:.3f}–{hi:.3f})"
        return [
            self.scenario,
            name,
            timing,
            f"{res.rss_mb:.0f}" if res.rss_mb else "—",  # a run killed by the timeout reports no RSS
            self._vs_floor(),
            self._vs_peer(),
            self._target(),
            self._met(),
        ]

    def _vs_floor(self) -> str:
        if self.floor is None or not self.floor.ok or self.result is None or self.kind == "peer":
            return ""
        return f"{self.result.median / self.floor.median:.2f}×"

    def _speedup(self) -> float | None:
        if self.tool is None or not self.tool.ok or self.result is None:
            return None
        return self.result.median / self.tool.median

    def _vs_peer(self) -> str:
        speed = self._speedup()
        if self.kind != "peer" or speed is None:
            return ""
        return f"{'≥ ' if self.result and self.result.timed_out else ''}{speed:.1f}×"

    def _target(self) -> str:
        if self.max_floor is not None:
            return f"≤ {self.max_floor:g}× floor"
        if self.min_speedup is not None:
            return f"auditor ≥ {self.min_speedup:g}× faster"
        return ""

    def _met(self) -> str:
        if self.max_floor is not None and self.floor is not None and self.floor.ok and self.result is not None:
            return "yes" if self.result.median <= self.max_floor * self.floor.median else "**no**"
        if self.min_speedup is not None:
            speed = self._speedup()
            if speed is None:
                return "unknown (auditor failed)"
            if speed >= self.min_speedup:
                return "yes"
            timed_out = self.result is not None and self.result.timed_out
            return "unknown (peer timed out)" if timed_out else "**no**"
        return ""

    @property
    def outcome(self) -> str:
        """The Met cell, for the summary."""
        return self.cells()[-1]

    def why_missed(self) -> str:
        """What the numbers say about a missed target: the parse floor's share, or the bound it sets on a speedup."""
        res, floor = self.result, self.floor
        if res is None or floor is None or not res.ok or not floor.ok:
            return ""
        if self.kind == "peer" and self.min_speedup is not None and not res.timed_out:
            tool = self.tool
            budget = res.median / self.min_speedup
            took = f"it took {tool.median:.3f} s" if tool is not None and tool.ok else "it did not finish"
            # The audit may beat the floor: lock resolvers skip decoding the hash lists (resolvers/_hash_lists.py).
            return (
                f"the audit must finish within {budget:.3f} s of this peer's {res.median:.1f} s; {took} "
                f"(a full parse alone: {floor.median:.3f} s)"
            )
        if self.max_floor is not None:
            return (
                f"the audit adds {res.median - floor.median:.3f} s to a {floor.median:.3f} s parse floor "
                f"(the target allows {(self.max_floor - 1) * floor.median:.3f} s)"
            )
        return ""


@dataclass
class Section:
    """A scenario's rows, plus Markdown it wants printed under its own heading (growth, sweep)."""

    name: str
    rows: list[Row]
    note: str = ""
    extra: list[str] = field(default_factory=list)


def _sizes_lines(sizes: Sizes) -> list[str]:
    return [
        "## Inputs",
        "",
        f"- uv-large: generated `uv.lock` (revision 3), {sizes.uv_packages} packages + editable root.",
        f"- poetry-large: generated `poetry.lock` (lock-version 2.1), {sizes.poetry_packages} packages, "
        "with its `pyproject.toml`.",
        "- uv-real: `../shared/corpus/uv-lock/pydantic-ai/uv.lock` (347 packages).",
        "- poetry-real: `../shared/corpus/poetry-lock/saleor-2025-lock21/poetry.lock` (236 packages).",
        f"- requirements: generated pip-compile tree of {sizes.requirement_lines} lines (`-r`, `-c`, hashes, "
        "markers); the floor reads every file of the tree.",
        f"- cyclonedx: generated CycloneDX 1.6 JSON, {sizes.cyclonedx_components} components.",
        f"- growth: generated locks of {', '.join(map(str, sizes.growth))} packages.",
        f"- sweep: {sizes.sweep_repos} generated git repositories (pyproject.toml + uv.lock each).",
        "",
    ]


def render(sections: list[Section], sizes: Sizes) -> str:
    """The report: inputs, the main table, each section's extra Markdown, and a summary of targets."""
    lines = [*_sizes_lines(sizes), "## Results", "", *_HEAD]
    for section in sections:
        lines += ["| " + " | ".join(row.cells()) + " |" for row in section.rows]
    for section in sections:
        if section.extra:
            lines += ["", f"### {section.name}", "", *section.extra]
    targets = [r for s in sections for r in s.rows if r.cells()[-2] or r.kind == "memory"]
    missed = [r for r in targets if not r.outcome.startswith("yes")]
    met = f"{len(targets) - len(missed)} of {len(targets)} targets met."
    lines += ["", "## Targets", "", met if targets else "No target in these scenarios."]
    for row in missed:
        why = row.why_missed()
        lines.append(
            f"- missed or unknown: {row.scenario} / {row.cells()[1]}: {row.cells()[-2]} → {row.outcome}"
            + (f"; {why}" if why else "")
        )
    if missed:
        lines += ["", "Why each miss happens, and what would close it: benchmarks/README.md, *Targets not met*."]
    skipped = [r for s in sections for r in s.rows if r.kind == "skip"]
    if skipped:
        lines += ["", "Skipped:"] + [f"- {r.scenario} / {r.label}: {r.note}" for r in skipped]
    return "\n".join(lines)
