"""Benchmark ``stack-auditor sweep`` over many generated local git repositories.

Generates N repos (default 1,000) from ``examples/`` (every kind in turn, a
real ``git init`` + commit each), then sweeps them with ``--root``:

- a cold sweep at ``--jobs 1`` and at ``--jobs 2`` (fresh output folder each),
- a warm re-run (nothing moved: every stored result reused),
- the peak RSS of the sweeping process itself (during the sweep loop, and
  after writing the summaries, which hold every repo) and of the largest
  worker, at N/4 and at N repos: the loop's memory stays flat in N.

Each sweep runs in a child process so its peak memory is its own.

    python benchmarks/sweep_bench.py [--repos 1000] [--work /tmp/sweep-bench] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KINDS = ("django-monolith", "fastapi-service", "fastapi-on-django", "drf-no-ratelimit", "fastapi-psycopg2",
         "flask-greenfield", "django-transitive", "monorepo")
GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid"}


def generate(root: Path, count: int) -> None:
    """``root/org/<kind>-<n>``: ``count`` real git repositories."""
    for n in range(count):
        kind = KINDS[n % len(KINDS)]
        repo = root / "org" / f"{kind}-{n:04d}"
        shutil.copytree(ROOT / "examples" / kind, repo)
        subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
        subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
        subprocess.run(["git", "commit", "-q", "-m", "init"], cwd=repo, check=True, env=GIT_ENV)


def child(root: str, out: str, jobs: int) -> None:
    """Run one sweep in this process and print its timing and peak memory as JSON."""
    from auditor.sweep.history import History
    from auditor.sweep.outputs import write_outputs
    from auditor.sweep.progress import Progress
    from auditor.sweep.runner import SweepOptions, run_sweep
    from auditor.sweep.sources import from_root

    started = time.perf_counter()
    options = SweepOptions(out=Path(out), jobs=jobs)
    run = run_sweep(options, from_root(Path(root)), Progress())
    loop_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with History(options.db_path) as history:
        write_outputs(history, run.sweep_id, options.out)
    seconds = time.perf_counter() - started
    print(json.dumps({
        "seconds": seconds, "repos": run.total, "audited": run.audited, "reused": run.reused,
        "failed": run.failed, "loop_peak_mib": loop_peak,
        "parent_peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        # CPU of the whole sweep (this process and its workers) per repo: what one idle core would give.
        "cpu_ms_per_repo": 1000 * sum(
            usage.ru_utime + usage.ru_stime
            for usage in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
        ) / max(1, run.total),
    }))


def sweep(root: Path, out: Path, jobs: int) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, "--child", str(root), str(out), str(jobs)],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=1000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/sweep-bench"))
    parser.add_argument("--keep", action="store_true", help="keep the generated repos")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return
    shutil.rmtree(args.work, ignore_errors=True)
    small, large = args.work / "small", args.work / "large"
    started = time.perf_counter()
    generate(large, args.repos)
    generate(small, max(1, args.repos // 4))
    print(f"generated {args.repos} + {args.repos // 4} repos in {time.perf_counter() - started:.1f}s")
    rows = []
    for label, root, jobs in (("cold", large, 1), ("cold", large, 2)):
        out = args.work / f"out-{jobs}"
        result = sweep(root, out, jobs)
        rows.append((label, jobs, result))
        if jobs == 2:
            rows.append(("warm (unchanged)", 2, sweep(root, out, 2)))
    rows.append((f"cold, {args.repos // 4} repos", 2, sweep(small, args.work / "out-small", 2)))
    header = ("sweep", "jobs", "repos", "seconds", "repos/s", "CPU ms/repo", "loop MiB", "parent MiB", "worker MiB")
    widths = (-22, 4, 6, 8, 8, 12, 9, 11, 11)
    print(" ".join(f"{h:<{-w}}" if w < 0 else f"{h:>{w}}" for h, w in zip(header, widths, strict=True)))
    for label, jobs, r in rows:
        print(f"{label:<22} {jobs:>4} {r['repos']:>6} {r['seconds']:>8.1f} {r['repos'] / r['seconds']:>8.1f}"
              f" {r['cpu_ms_per_repo']:>12.0f} {r['loop_peak_mib']:>9.1f} {r['parent_peak_mib']:>11.1f}"
              f" {r['worker_peak_mib']:>11.1f}")
    print(f"cpus: {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}, python {sys.version.split()[0]}")
    print("CPU ms/repo: parent + workers; loop MiB: peak RSS of the sweeping process before the summaries;")
    print("parent MiB: after them; worker MiB: the largest worker")
    if not args.keep:
        shutil.rmtree(args.work, ignore_errors=True)


if __name__ == "__main__":
    main()
