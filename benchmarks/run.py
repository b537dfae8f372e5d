"""Benchmark stack-auditor against the floor (parse only) and against peer tools.

Usage::

    python benchmarks/run.py [--quick] [--scenarios startup,uv-large,...] [--repeats N]
                             [--peer-timeout S] [--no-peers] [--fresh-peers] [--results PATH]
                             [--tool "CMD ..."]

Generates the inputs (``benchmarks/generate.py``), runs every scenario as whole
processes, prints a Markdown table and writes it to ``benchmarks/RESULTS.md``
(``--quick`` writes ``benchmarks/.work/RESULTS-quick.md`` instead). It reports;
it never fails on a missed target (exit 0). See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import hashlib
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._measure import Command, machine_info, measure, version_of
from benchmarks._peers import PEER_CACHE, peer_commands, peer_version, run_peer
from benchmarks._report import Row, Section, render
from benchmarks.generate import HERE, REPO, Sizes, generate_all

__all__ = ["SCENARIOS", "main"]

SCENARIOS = (
    "startup",
    "uv-large",
    "poetry-large",
    "uv-real",
    "poetry-real",
    "requirements",
    "cyclonedx",
    "growth",
    "sweep",
)
PY = sys.executable
FLOOR_TOML = "import tomli,sys; tomli.load(open(sys.argv[1],'rb'))"
FLOOR_JSON = "import json,sys; json.load(open(sys.argv[1],'rb'))"
FLOOR_READ = "import sys\nfor p in sys.argv[1:]: open(p,'rb').read().splitlines()"
AUDIT = "audit --format sarif"
AUDIT_OK = (0, 1)  # 1 = findings at or above --fail-on: still a complete audit


class Bench:
    """Everything a scenario needs: how to call the tool, the inputs, the options, the log folder."""

    def __init__(self, args: argparse.Namespace, inputs: dict[str, str], work: Path) -> None:
        self.args = args
        self.inputs = inputs
        self.work = work
        self.logs = work / "logs"
        self.out = work / "out"
        self.out.mkdir(parents=True, exist_ok=True)
        self.tool, self.tool_how = _tool_prefix(args.tool)
        help_text = _run_text([*self.tool, "audit", "--help"])
        self.output_flag = "--output" in help_text
        self.sweep_available = bool(help_text) and bool(_run_text([*self.tool, "sweep", "--help"]))

    def floor(self, label: str, code: str, *files: str) -> Command:
        """A fresh Python that only reads (and parses) the same input: the cost to beat."""
        return Command(f"floor: {label}", (PY, "-c", code, *files))

    def audit(self, label: str, path: str, *extra: str) -> Command:
        """``stack-auditor audit PATH --format sarif``, the SARIF written to a file under ``.work/out``.

        Not ``-o /dev/null``: the tool writes atomically (a temporary file, then
        a rename over the target), which would replace ``/dev/null`` itself.
        """
        sarif = self.out / f"audit-{hashlib.sha1(path.encode()).hexdigest()[:10]}.sarif"
        out = ("-o", str(sarif)) if self.output_flag else ()
        return Command(label, (*self.tool, "audit", path, "--format", "sarif", *out, *extra), cwd=REPO, ok=AUDIT_OK)


def _run_text(argv: list[str]) -> str:
    try:
        out = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return out.stdout if out.returncode == 0 else ""


def _tool_prefix(override: str | None) -> tuple[list[str], str]:
    """Prefer the ``stack-auditor`` script when it runs this checkout; else ``python -m auditor``.

    The script beside ``sys.executable`` comes first: a ``PATH`` entry may be a
    shim (pyenv's is a bash script) whose own start-up would be billed to the tool.
    """
    if override:
        return shlex.split(override), f"`{override}` (--tool)"
    fallback = f"`{Path(PY).name} -m auditor` in the checkout"
    for script in (Path(PY).parent / "stack-auditor", Path(shutil.which("stack-auditor") or "/nonexistent")):
        if not script.is_file():
            continue
        first = script.read_bytes()[:300].split(b"\n", 1)[0]
        interp = first[2:].decode(errors="replace").strip() if first.startswith(b"#!") else ""
        if not interp or " " in interp or "python" not in Path(interp).name:
            continue  # a shim or wrapper, not a console script
        where = subprocess.run(
            [interp, "-c", "import auditor; print(auditor.__file__)"],
            cwd="/",
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        if where.startswith(str(REPO / "auditor")):
            return [str(script)], f"console script `{script}`"
        fallback += f" (the console script `{script}` imports `{where or '?'}`, not this checkout)"
        break
    return [PY, "-m", "auditor"], fallback


def _lock_scenario(
    bench: Bench, name: str, key: str, kind: str, max_floor: float, speedups: dict[str, float]
) -> Section:
    lock = bench.inputs.get(key)
    if lock is None:
        return Section(name, [Row.skipped(name, "input", "input absent (../shared/corpus not found)")])
    floor, tool = measure(
        [bench.floor("tomli.load", FLOOR_TOML, lock), bench.audit(AUDIT, lock)],
        bench.args.repeats,
        bench.logs,
    )
    rows = [Row(name, floor, "floor", floor=floor), Row(name, tool, "tool", floor=floor, max_floor=max_floor)]
    if name.endswith("-large") and tool.ok:
        rows.append(Row(name, tool, "memory"))
    peers = [] if bench.args.no_peers else peer_commands(kind, lock, bench.out, bench.args.peer_timeout)
    for peer, command, why in peers:
        if command is None:
            rows.append(Row.skipped(name, peer, why))
            continue
        result = run_peer(command, lock, peer, bench.logs, fresh=bench.args.fresh_peers)
        rows.append(Row(name, result, "peer", floor=floor, tool=tool, min_speedup=speedups.get(peer)))
    return Section(name, rows, note=f"{Path(lock).relative_to(bench.work.parent.parent)}")


def _simple(bench: Bench, name: str, floor: Command, tool: Command, max_floor: float | None) -> Section:
    floor_r, tool_r = measure([floor, tool], bench.args.repeats, bench.logs)
    return Section(
        name,
        [
            Row(name, floor_r, "floor", floor=floor_r),
            Row(name, tool_r, "tool", floor=floor_r, max_floor=max_floor),
        ],
    )


def run_scenario(bench: Bench, name: str) -> Section:
    """Measure one scenario and return its rows."""
    inputs = bench.inputs
    if name == "startup":
        floor, version, one = measure(
            [
                bench.floor("import tomli", "import tomli"),
                Command("stack-auditor --version", (*bench.tool, "--version"), cwd=REPO),
                bench.audit("audit 1-line requirements.txt --format sarif", inputs["one-line-requirements"]),
            ],
            bench.args.repeats,
            bench.logs,
        )
        return Section(
            name,
            [
                Row(name, floor, "floor", floor=floor),
                Row(name, version, "tool", floor=floor, max_floor=2.0),
                Row(name, one, "tool", floor=floor, max_floor=2.0),
            ],
        )
    if name == "uv-large":
        return _lock_scenario(bench, name, "uv-large", "uv", 1.5, {"cdxgen": 100.0})
    if name == "poetry-large":
        return _lock_scenario(bench, name, "poetry-large", "poetry", 1.5, {"cdxgen": 100.0, "cyclonedx-py": 500.0})
    if name == "uv-real":
        return _lock_scenario(bench, name, "uv-real", "uv", 2.0, {"cdxgen": 20.0})
    if name == "poetry-real":
        return _lock_scenario(bench, name, "poetry-real", "poetry", 2.0, {"cdxgen": 20.0, "cyclonedx-py": 500.0})
    if name == "requirements":
        top = Path(inputs["requirements-tree"])
        files = [str(top), *sorted(str(p) for p in (top.parent / "requirements").glob("*.txt"))]
        return _simple(
            bench,
            name,
            bench.floor("read every file", FLOOR_READ, *files),
            bench.audit(AUDIT, str(top)),
            None,
        )
    if name == "cyclonedx":
        sbom = inputs["cyclonedx-large"]
        return _simple(bench, name, bench.floor("json.load", FLOOR_JSON, sbom), bench.audit(AUDIT, sbom), None)
    if name == "growth":
        from benchmarks._growth import growth_section

        return growth_section(bench)
    if name == "sweep":
        from benchmarks._growth import sweep_section

        return sweep_section(bench)
    raise ValueError(name)


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _header(bench: Bench, argv: list[str], load_before: str) -> list[str]:
    info = machine_info()
    head = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=REPO, capture_output=True, text=True, check=False
    ).stdout.strip()
    versions = {
        "stack-auditor": f"{version_of([*bench.tool, '--version'], REPO)} (checkout `{head or '?'}`), "
        f"run as {bench.tool_how}",
        "python": f"{sys.version.split()[0]} (`{PY}`)",
        "tomli": version_of([PY, "-c", "import importlib.metadata as m; print(m.version('tomli'))"]),
        "cdxgen": peer_version("cdxgen"),
        "cyclonedx-py (cyclonedx-bom)": peer_version("cyclonedx-py"),
        "uv": peer_version("uv"),
        "git": version_of(["git", "--version"]),
    }
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# stack-auditor benchmark results",
        "",
        f"Generated by `python benchmarks/run.py {' '.join(argv)}`".rstrip() + f" on {now}.",
        "",
        "## Machine",
        "",
        f"- CPU: {info['cpu']} ({info['nproc']} logical CPUs)",
        f"- Memory: {info['memory']}",
        f"- OS: {info['os']}",
        f"- Load average (1, 5, 15 min) before the run: {load_before}; after: {_load()} "
        "(other work on the machine shows up here, and as spread in the min–max column)",
        "",
        "## Versions",
        "",
    ]
    lines += [f"- {k}: {v}" for k, v in versions.items()]
    lines += [
        "",
        f"Repeats: {bench.args.repeats} timed runs per command, interleaved, after one warm-up run. Peers: one "
        f"run, no warm-up, timeout {bench.args.peer_timeout:.0f} s, cached in `{PEER_CACHE.name}` by command, "
        "input bytes and peer version (the label says when a cached run was measured). Times are wall-clock "
        "medians of whole processes; peak RSS is the child's, from GNU time. The checkout's bytecode is "
        "compiled first (`compileall`), as `pip install` does for an installed package: without it, an "
        "environment with `PYTHONDONTWRITEBYTECODE` set would bill every run for compiling the tool's source.",
        "",
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    """Command line entry point: generate, measure, print and write the report."""
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller inputs and 3 repeats: a smoke run")
    parser.add_argument(
        "--scenarios", default=",".join(SCENARIOS), help="comma-separated subset of: " + ", ".join(SCENARIOS)
    )
    parser.add_argument("--repeats", type=int, default=None, help="timed runs per command (default 5; quick 3)")
    parser.add_argument("--peer-timeout", type=float, default=300.0, help="seconds before a peer run is killed")
    parser.add_argument("--no-peers", action="store_true", help="skip cdxgen, cyclonedx-py and uv export")
    parser.add_argument("--fresh-peers", action="store_true", help="re-run peers instead of using the cache")
    parser.add_argument("--results", type=Path, default=None, help="where to write the Markdown report")
    parser.add_argument("--tool", default=None, help='command prefix for the tool, e.g. "stack-auditor"')
    args = parser.parse_args(argv)
    chosen = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(unknown)}; choose from {', '.join(SCENARIOS)}")
    args.repeats = args.repeats or (3 if args.quick else 5)
    sizes = Sizes.quick() if args.quick else Sizes()
    work = HERE / ".work" / ("quick" if args.quick else "full")
    print(f"generating inputs in {work} ...", file=sys.stderr, flush=True)
    inputs = generate_all(work, sizes, sweep="sweep" in chosen)
    compileall.compile_dir(REPO / "auditor", quiet=1)
    load_before = _load()
    bench = Bench(args, inputs, work)
    sections = []
    for name in chosen:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        sections.append(run_scenario(bench, name))
    text = "\n".join([*_header(bench, argv, load_before), render(sections, sizes)]) + "\n"
    print(text)
    results = args.results or (HERE / ".work" / "RESULTS-quick.md" if args.quick else HERE / "RESULTS.md")
    results.write_text(text, encoding="utf-8")
    print(f"wrote {results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
