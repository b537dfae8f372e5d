"""Run a command as a whole process and measure it: wall clock and the child's peak RSS.

Wall clock is taken here around the whole process. The peak RSS comes from
``/usr/bin/time -f %M`` (GNU time, a small C parent) or, where that is absent,
from a small Python wrapper that reaps the command with ``os.wait4`` and also
times it (so its own start-up is not counted).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import platform
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Command", "Result", "Sample", "machine_info", "measure", "run_once", "version_of"]


@dataclass(frozen=True)
class Command:
    """A command line to measure; ``ok`` lists the exit codes that count as success."""

    label: str
    argv: tuple[str, ...]
    cwd: Path | None = None
    ok: tuple[int, ...] = (0,)
    env: tuple[tuple[str, str], ...] = ()
    timeout: float = 600.0


@dataclass(frozen=True)
class Sample:
    """One run: wall seconds, peak RSS in MiB, exit code, and whether the timeout killed it."""

    wall: float
    rss_mb: float
    code: int
    timed_out: bool


@dataclass
class Result:
    """Every run of one command, and the summaries the report prints."""

    command: Command
    samples: list[Sample] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        """True when every run exited with an accepted code before its timeout."""
        return bool(self.samples) and not self.error

    @property
    def median(self) -> float:
        """Median wall-clock seconds over the runs."""
        return statistics.median(s.wall for s in self.samples)

    @property
    def spread(self) -> tuple[float, float]:
        """Fastest and slowest run, in seconds."""
        walls = [s.wall for s in self.samples]
        return min(walls), max(walls)

    @property
    def rss_mb(self) -> float:
        """The highest peak RSS seen over the runs, in MiB."""
        return max(s.rss_mb for s in self.samples)

    @property
    def timed_out(self) -> bool:
        """True when a run hit the command's timeout."""
        return any(s.timed_out for s in self.samples)


# Used only when /usr/bin/time is absent: a small process that times and reaps the command itself.
_WRAPPER = """import os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
wall = time.perf_counter() - start
proc.returncode = 0
with open(sys.argv[1], "w") as out:
    out.write(f"{wall} {usage.ru_maxrss}\\n")
sys.exit(os.waitstatus_to_exitcode(status) % 256)
"""
_TIME = "/usr/bin/time"


def _log_name(command: Command) -> str:
    digest = hashlib.sha1("\0".join(command.argv).encode()).hexdigest()[:8]
    return "".join(c if c.isalnum() else "_" for c in command.label)[:60] + f"-{digest}"


def _wrapped(command: Command, rss_path: Path) -> tuple[tuple[str, ...], bool]:
    """The argv that reports the child's peak RSS into ``rss_path``, and whether it reports wall time too.

    The peak RSS must come from a *small* parent: Linux carries the parent's
    high-water mark into a forked child across ``exec``, so measuring straight
    from this (large) harness process would report the harness's own RSS.
    """
    if Path(_TIME).is_file():
        return (_TIME, "-f", "%M", "-o", str(rss_path), *command.argv), False
    return (sys.executable, "-c", _WRAPPER, str(rss_path), *command.argv), True


def _read_rss(rss_path: Path, self_timed: bool, wall: float) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) from the wrapper's report; GNU time may prefix a status line."""
    try:
        last = rss_path.read_text(encoding="utf-8").strip().splitlines()[-1].split()
    except (OSError, IndexError):
        return wall, 0.0
    try:
        if self_timed:
            return float(last[0]), int(last[1]) / 1024
        return wall, int(last[-1]) / 1024
    except (ValueError, IndexError):
        return wall, 0.0


def run_once(command: Command, log_dir: Path) -> tuple[Sample, str]:
    """Run ``command`` once; stdout is discarded, stderr kept in ``log_dir`` and its tail returned."""
    log_dir.mkdir(parents=True, exist_ok=True)
    err_path = log_dir / f"{_log_name(command)}.stderr"
    rss_path = log_dir / f"{_log_name(command)}.rss"
    argv, self_timed = _wrapped(command, rss_path)
    env = {**os.environ, **dict(command.env)}
    with err_path.open("wb") as err:
        start = time.perf_counter()
        # A new session, so that a timeout can kill the whole tree (cdxgen spawns helpers).
        proc = subprocess.Popen(
            argv,
            cwd=command.cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,
        )
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(command.timeout, kill)
        timer.start()
        try:
            code = proc.wait()
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
    wall, rss_mb = _read_rss(rss_path, self_timed, wall)
    tail = err_path.read_text(encoding="utf-8", errors="replace")[-600:]
    return Sample(wall=wall, rss_mb=rss_mb, code=code, timed_out=killed.is_set()), tail


def measure(commands: list[Command], repeats: int, log_dir: Path, warmup: bool = True) -> list[Result]:
    """Run ``commands`` ``repeats`` times each, interleaved (a, b, a, b...) so drift hits all alike.

    A first untimed round warms the page cache and ``__pycache__``. A command
    that fails (bad exit code or timeout) is not run again.
    """
    results = [Result(c) for c in commands]
    rounds = ([False] if warmup else []) + [True] * repeats
    for counted in rounds:
        for result in results:
            if result.error:
                continue
            sample, tail = run_once(result.command, log_dir)
            if sample.timed_out:
                result.samples.append(sample)
                result.error = f"timed out after {result.command.timeout:.0f} s"
            elif sample.code not in result.command.ok:
                result.error = f"exit {sample.code}: {tail.strip().splitlines()[-1] if tail.strip() else ''}"
            elif counted:
                result.samples.append(sample)
    return results


def version_of(argv: list[str], cwd: Path | None = None) -> str:
    """The first line a ``--version`` style command prints, or why it could not run."""
    try:
        out = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unavailable ({exc.__class__.__name__})"
    text = (out.stdout.strip() or out.stderr.strip()).splitlines()
    clean = [line for line in text if line.strip()]
    return clean[0].replace("\x1b[1m", "").replace("\x1b[0m", "").strip() if clean else f"exit {out.returncode}"


def machine_info() -> dict[str, str]:
    """CPU model, core count, memory, kernel: what a reader needs to compare two RESULTS.md."""
    cpu = platform.processor() or "unknown"
    mem = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "nproc": str(os.cpu_count()),
        "memory": mem,
        "os": f"{platform.system()} {platform.release()} ({platform.machine()})",
    }
