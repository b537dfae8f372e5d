"""The growth scenario (does 10x the packages cost at most 10x the time?) and the sweep scenario."""

from __future__ import annotations

import math
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks._measure import Command, measure
from benchmarks._report import Row, Section

if TYPE_CHECKING:
    from benchmarks.run import Bench

__all__ = ["fit_exponent", "growth_section", "sweep_section"]

_FLOOR_TOML = "import tomli,sys; tomli.load(open(sys.argv[1],'rb'))"


def fit_exponent(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of log(time) on log(size): time ~ size**k. None with fewer than 2 usable points."""
    usable = [(math.log(n), math.log(t)) for n, t in points if n > 0 and t > 0]
    if len(usable) < 2:
        return None
    mx = sum(x for x, _ in usable) / len(usable)
    my = sum(y for _, y in usable) / len(usable)
    var = sum((x - mx) ** 2 for x, _ in usable)
    return sum((x - mx) * (y - my) for x, y in usable) / var if var else None


def _k(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def growth_section(bench: Bench) -> Section:
    """Audit generated locks of several sizes; fit the exponent on total time and net of the fixed cost."""
    rows: list[Row] = []
    extra: list[str] = []
    sizes = sorted({int(k.rsplit("-", 1)[1]) for k in bench.inputs if k.startswith("growth-uv-") and k[-1].isdigit()})
    for kind in ("uv", "poetry"):
        locks = [bench.inputs[f"growth-{kind}-{n}"] for n in sizes]
        commands = [bench.audit(f"audit {kind} 1 package (fixed cost)", bench.inputs[f"growth-{kind}-base"])]
        for n, lock in zip(sizes, locks, strict=False):
            commands += [
                Command(f"floor: tomli.load {kind} {n}", bench.floor("", _FLOOR_TOML, lock).argv),
                bench.audit(f"audit {kind} {n}", lock),
            ]
        results = measure(commands, bench.args.repeats, bench.logs)
        base, pairs = results[0], list(zip(results[1::2], results[2::2], strict=False))
        if not base.ok or not all(t.ok for _, t in pairs):
            failed = next(r for r in [base, *(t for _, t in pairs)] if not r.ok)
            rows.append(Row(f"growth-{kind}", failed, "tool"))
            continue
        extra += [
            f"{kind}.lock sizes (fixed cost = audit of a 1-package {kind}.lock, {base.median:.3f} s):",
            "",
            "| Packages | Floor s | Audit s | Audit − fixed cost s | Audit ÷ floor |",
            "|---:|---:|---:|---:|---:|",
        ]
        for n, (floor, tool) in zip(sizes, pairs, strict=False):
            extra.append(
                f"| {n} | {floor.median:.3f} | {tool.median:.3f} | {tool.median - base.median:.3f} | "
                f"{tool.median / floor.median:.2f}× |"
            )
        total = fit_exponent([(n, t.median) for n, (_, t) in zip(sizes, pairs, strict=False)])
        net = fit_exponent([(n, t.median - base.median) for n, (_, t) in zip(sizes, pairs, strict=False)])
        floor_k = fit_exponent([(n, f.median) for n, (f, _) in zip(sizes, pairs, strict=False)])
        size_ratio = sizes[-1] / sizes[0]
        time_ratio = pairs[-1][1].median / pairs[0][1].median
        extra += [
            "",
            f"Fitted exponent k (time ∝ packages^k): total {_k(total)}, net of fixed cost {_k(net)}, "
            f"floor {_k(floor_k)}.",
            "",
        ]
        rows.append(
            Row.metric(
                f"growth-{kind}",
                f"time({sizes[-1]}) ÷ time({sizes[0]})",
                f"{time_ratio:.2f}×",
                f"≤ {size_ratio:g}× (packages ×{size_ratio:g})",
                "yes" if time_ratio <= size_ratio else "**no**",
            )
        )
        if net is not None:
            rows.append(
                Row.metric(
                    f"growth-{kind}",
                    "exponent, net of fixed cost",
                    f"{net:.2f}",
                    "≤ 1.0",
                    "yes" if net <= 1.0 else "**no**",
                )
            )
    return Section("growth", rows, extra=extra)


def sweep_section(bench: Bench) -> Section:
    """``stack-auditor sweep`` over the generated repos at --jobs 1 and 2: repos/s and peak memory."""
    root = bench.inputs.get("sweep-root")
    if root is None:
        return Section("sweep", [Row.skipped("sweep", "sweep", "repositories not generated")])
    if not bench.sweep_available:
        return Section(
            "sweep",
            [Row.skipped("sweep", "stack-auditor sweep", "the `sweep` command does not exist yet in this checkout")],
        )
    count = sum(1 for p in Path(root).iterdir() if (p / ".git").exists())
    rows: list[Row] = []
    extra = [
        f"{count} repositories under `{Path(root).name}/`; one run per setting, a fresh --out each time.",
        "",
        "| Jobs | Wall s | Repos/s | Peak RSS MiB |",
        "|---:|---:|---:|---:|",
    ]
    for jobs in (1, 2):
        out = bench.work / f"sweep-out-j{jobs}"
        shutil.rmtree(out, ignore_errors=True)
        command = Command(
            f"sweep --jobs {jobs}",
            (*bench.tool, "sweep", "--root", root, "--out", str(out), "--jobs", str(jobs)),
            ok=(0, 1),
            timeout=3600,
        )
        (result,) = measure([command], 1, bench.logs, warmup=False)
        rows.append(Row("sweep", result, "tool"))
        if result.ok:
            extra.append(f"| {jobs} | {result.median:.2f} | {count / result.median:.1f} | {result.rss_mb:.0f} |")
            rows.append(Row.metric("sweep", f"repos/s at --jobs {jobs}", f"{count / result.median:.1f}", "", ""))
    return Section("sweep", rows, extra=extra)
