"""The evidence stage against two baselines, measured in the same run.

    python benchmarks/evidence_bench.py [--repeats N] [--semgrep PATH] [--realworld DIR] [--files N]

For each tree (the largest in ../shared/realworld: polar, netbox; and a generated Django tree of
``--files`` Python files), three commands run as fresh processes, timed wall-clock (median of
``--repeats``) with their peak RSS:

- evidence: ``collect_evidence`` on the tree (default excludes, needle pre-filter, ``ast`` on the rest);
- ast floor: a ``python -c`` that ``ast.parse``s every ``.py`` file of the tree (no excludes);
- semgrep: ``semgrep scan`` with equivalent patterns (threads, raw SQL, settings, admin URLs,
  throttling, web apps), when semgrep is installed (``--semgrep``, default: on PATH or
  /tmp/semgrep-venv/bin/semgrep).

Targets: evidence below half the ast floor, at least 10x faster than semgrep, and peak memory flat
in the number of files (the generated tree is also measured at 1/5 and 1/2 of its size). Prints a
Markdown report and writes it to benchmarks/.work/evidence-results.md. Reports only: exits 0.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / ".work"
sys.path.insert(0, str(REPO))

from benchmarks.gen_django_tree import django_tree  # noqa: E402

EVIDENCE = """
import sys
from pathlib import Path
from auditor.evidence.model import EvidenceOptions
from auditor.evidence.scan import collect_evidence
evidence = collect_evidence(Path(sys.argv[1]), ".", EvidenceOptions())
print(evidence.files_seen, evidence.files_parsed, len(evidence.facts))
"""
FLOOR = """
import ast, os, sys
count = 0
for folder, dirs, files in os.walk(sys.argv[1]):
    dirs[:] = [d for d in dirs if d not in {".git", "node_modules"}]
    for name in files:
        if name.endswith(".py"):
            count += 1
            try:
                with open(os.path.join(folder, name), "rb") as handle:
                    ast.parse(handle.read())
            except (SyntaxError, ValueError):
                pass
print(count)
"""
SEMGREP_RULES = """
rules:
  - id: thread
    languages: [python]
    severity: INFO
    message: thread
    pattern-either:
      - pattern: threading.Thread(...)
      - pattern: Thread(...)
      - pattern: ThreadPoolExecutor(...)
      - pattern: multiprocessing.Process(...)
      - pattern: _thread.start_new_thread(...)
  - id: raw-sql
    languages: [python]
    severity: INFO
    message: raw sql
    pattern-either:
      - pattern: $CURSOR.execute("...", ...)
      - pattern: $CURSOR.executemany("...", ...)
      - pattern: RawSQL(...)
      - pattern: $M.objects.raw(...)
      - pattern: $Q.extra(...)
      - pattern: text("...")
      - pattern: $C.exec_driver_sql(...)
  - id: settings
    languages: [python]
    severity: INFO
    message: settings
    pattern-either:
      - pattern: INSTALLED_APPS = $X
      - pattern: INSTALLED_APPS += $X
      - pattern: INSTALLED_APPS.append(...)
      - pattern: INSTALLED_APPS.extend(...)
      - pattern: REST_FRAMEWORK = $X
      - pattern: MIDDLEWARE = $X
      - pattern: os.environ.setdefault("DJANGO_SETTINGS_MODULE", ...)
  - id: admin-urls
    languages: [python]
    severity: INFO
    message: admin
    pattern: admin.site.urls
  - id: throttle
    languages: [python]
    severity: INFO
    message: throttle
    pattern-either:
      - pattern: |
          class $C(...):
            ...
            throttle_classes = $X
      - pattern: |
          @ratelimit(...)
          def $F(...):
            ...
  - id: web-app
    languages: [python]
    severity: INFO
    message: app
    pattern-either:
      - pattern: get_wsgi_application()
      - pattern: get_asgi_application()
      - pattern: FastAPI(...)
      - pattern: Flask(...)
"""


class Run(NamedTuple):
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and the children it waited for (semgrep-core)
    rss: int  # peak resident set, KiB
    out: str


def measure(command: list[str], timeout: float) -> Run:
    """Wall and CPU seconds, peak RSS and stdout of one fresh process."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, cwd=REPO)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                os.wait4(process.pid, 0)
                return Run(float("inf"), float("inf"), 0, "")
            time.sleep(0.005)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        return Run(elapsed, cpu, usage.ru_maxrss, out.read().decode(errors="replace").strip())


def timed(command: list[str], repeats: int, timeout: float) -> Run:
    """Medians of ``repeats`` runs (the machine may be shared: CPU time is the steadier figure)."""
    runs = [measure(command, timeout) for _ in range(repeats)]
    wall = statistics.median(r.wall for r in runs)
    cpu = statistics.median(r.cpu for r in runs)
    return Run(wall, cpu, max(r.rss for r in runs), runs[-1].out)


def semgrep_path(given: str | None) -> str | None:
    for candidate in (given, shutil.which("semgrep"), "/tmp/semgrep-venv/bin/semgrep"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--semgrep", default=None)
    parser.add_argument("--realworld", default=str(REPO.parent / "shared" / "realworld"))
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--semgrep-timeout", type=float, default=900)
    args = parser.parse_args()
    python = sys.executable
    WORK.mkdir(exist_ok=True)
    trees: list[tuple[str, Path]] = []
    realworld = Path(args.realworld)
    for name in ("polar", "netbox"):
        if (realworld / name).is_dir():
            trees.append((name, realworld / name))
        else:
            print(f"note: {realworld / name} is absent; skipped", file=sys.stderr)
    sizes = sorted({max(100, args.files // 5), max(100, args.files // 2), args.files})
    generated: dict[int, Path] = {}
    for size in sizes:
        folder = WORK / f"evidence-django-{size}"
        if not folder.is_dir():
            django_tree(folder, size)
        generated[size] = folder
    trees.append((f"generated Django ({args.files} files)", generated[args.files]))
    semgrep = semgrep_path(args.semgrep)
    rules = WORK / "evidence-semgrep.yml"
    rules.write_text(SEMGREP_RULES, encoding="utf-8")

    lines = [
        "# Evidence stage benchmark",
        "",
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; median of {args.repeats} runs, fresh processes.",
        "",
        "Times are wall / CPU seconds; ratios are on CPU time, then wall time in brackets.",
        "",
        "| tree | .py files | seen / parsed by evidence | evidence s | ast floor s | semgrep s | evidence / floor"
        " | semgrep / evidence | evidence RSS MiB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label, tree in trees:
        measure([python, "-c", FLOOR, str(tree)], 600)  # warm-up: every tool then reads from the page cache
        evidence = timed([python, "-c", EVIDENCE, str(tree)], args.repeats, 600)
        floor = timed([python, "-c", FLOOR, str(tree)], args.repeats, 600)
        sg = Run(float("nan"), float("nan"), 0, "")
        if semgrep:
            command = [
                semgrep,
                "scan",
                "--config",
                str(rules),
                "--metrics=off",
                "--disable-version-check",
                "--quiet",
                "--json",
                "--no-git-ignore",
                "--jobs",
                "1",
                str(tree),
            ]
            sg = timed(command, max(1, args.repeats // 2), args.semgrep_timeout)
        seen, parsed, _facts = [*evidence.out.split(), "?", "?", "?"][:3]
        lines.append(
            f"| {label} | {floor.out} | {seen} / {parsed} | {evidence.wall:.2f} / {evidence.cpu:.2f} "
            f"| {floor.wall:.2f} / {floor.cpu:.2f} | {sg.wall:.1f} / {sg.cpu:.1f} "
            f"| {evidence.cpu / floor.cpu:.2f} ({evidence.wall / floor.wall:.2f}) "
            f"| {sg.cpu / evidence.cpu:.0f}x ({sg.wall / evidence.wall:.0f}x) | {evidence.rss / 1024:.0f} |"
        )
        print(lines[-1], flush=True)
    lines += [
        "",
        "Memory in the number of files (generated Django trees):",
        "",
        "| files | evidence wall / CPU s | peak RSS MiB |",
        "|---|---|---|",
    ]
    for size, folder in generated.items():
        run = timed([python, "-c", EVIDENCE, str(folder)], args.repeats, 600)
        lines.append(f"| {size} | {run.wall:.2f} / {run.cpu:.2f} | {run.rss / 1024:.0f} |")
    if not semgrep:
        lines += ["", "semgrep not found (pip install semgrep, or --semgrep PATH): its column is empty."]
    lines += ["", "Targets: evidence / floor below 0.5; semgrep / evidence at least 10x; RSS flat in files."]
    report = "\n".join(lines) + "\n"
    print(report)
    (WORK / "evidence-results.md").write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
