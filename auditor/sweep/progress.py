"""Sweep progress: a ``rich`` bar on a terminal, plain periodic log lines in CI or when piped."""

from __future__ import annotations

import os
import sys
import time
from typing import Any, TextIO

from auditor.render.escape import terminal

__all__ = ["LogProgress", "Progress", "RichProgress", "make_progress"]


class Progress:
    """Counts done (audited), reused (skipped: head unchanged), failed; subclasses show them."""

    def __init__(self) -> None:
        self.total = 0
        self.done = 0
        self.reused = 0
        self.failed = 0
        self.started = time.monotonic()

    def start(self, total: int) -> None:
        """The number of repos this sweep will go through."""
        self.total = total
        self.started = time.monotonic()

    def advance(self, kind: str, name: str) -> None:
        """One repo finished: ``kind`` is ``done``, ``reused`` or ``failed``."""
        if kind == "reused":
            self.reused += 1
        elif kind == "failed":
            self.failed += 1
        else:
            self.done += 1
        self.show(name)

    @property
    def finished(self) -> int:
        return self.done + self.reused + self.failed

    def rate(self) -> float:
        """Repos finished per second."""
        elapsed = time.monotonic() - self.started
        return self.finished / elapsed if elapsed > 0 else 0.0

    def eta(self) -> float | None:
        rate = self.rate()
        return (self.total - self.finished) / rate if rate > 0 else None

    def show(self, name: str) -> None:
        """Display the counts (nothing by default)."""

    def message(self, text: str) -> None:
        """A line for the log (a failed repo, a fallback): always shown, even without progress."""
        sys.stderr.write(f"sweep: {terminal(text)}\n")
        sys.stderr.flush()

    def close(self) -> None:
        """Stop displaying."""


class LogProgress(Progress):
    """One plain line every ``every`` seconds (and a last one): CI logs stay short and greppable."""

    def __init__(self, stream: TextIO = sys.stderr, every: float = 10.0) -> None:
        super().__init__()
        self.stream = stream
        self.every = every
        self._last = 0.0

    def _line(self) -> str:
        eta = self.eta()
        return (
            f"sweep: {self.finished}/{self.total} repos (audited {self.done}, skipped {self.reused} unchanged,"
            f" failed {self.failed}), {self.rate():.1f}/s" + (f", ETA {eta:.0f}s" if eta is not None else "")
        )

    def show(self, name: str) -> None:
        now = time.monotonic()
        if now - self._last >= self.every:
            self._last = now
            self.stream.write(self._line() + "\n")
            self.stream.flush()

    def message(self, text: str) -> None:
        self.stream.write(f"sweep: {terminal(text)}\n")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write(self._line() + "\n")
        self.stream.flush()


class RichProgress(Progress):
    """A live bar: done, failed, unchanged, rate and ETA."""

    def __init__(self) -> None:
        super().__init__()
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as Bar

        self._bar = Bar(
            TextColumn("[bold]sweep"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(
                "audited {task.fields[done]} · skipped {task.fields[reused]} · failed {task.fields[failed]}"
            ),
            TextColumn("{task.fields[rate]}/s"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self._task: Any = None

    def start(self, total: int) -> None:
        super().start(total)
        self._bar.start()
        self._task = self._bar.add_task("sweep", total=total, done=0, reused=0, failed=0, rate="0.0")

    def show(self, name: str) -> None:
        self._bar.update(
            self._task,
            completed=self.finished,
            done=self.done,
            reused=self.reused,
            failed=self.failed,
            rate=f"{self.rate():.1f}",
        )

    def message(self, text: str) -> None:
        self._bar.console.print(f"sweep: {terminal(text)}", markup=False, highlight=False)

    def close(self) -> None:
        self._bar.stop()


def make_progress(mode: str = "auto") -> Progress:
    """``rich`` on an interactive terminal outside CI; plain lines otherwise; ``none`` shows nothing."""
    if mode == "none":
        return Progress()
    ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    if mode == "bar" or (mode == "auto" and sys.stderr.isatty() and not ci):
        return RichProgress()
    return LogProgress()
