"""The sweep: list repos, reuse what has not moved, audit the rest in parallel, stream results to disk.

Threads do I/O (clones, fetches, SBOM downloads); a process pool does the
audits (CPU). The main thread alone writes the database and the files, one
repo at a time, as results arrive; at most a small window of repos is in
flight, so memory stays flat in the number of repos.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from auditor.atomic import write_atomic
from auditor.errors import UsageError
from auditor.sweep.gitops import GitAuth, GitError, clone_or_fetch
from auditor.sweep.history import History
from auditor.sweep.model import AuditJob, AuditOutcome, PrepareError, RepoSpec, safe_name
from auditor.sweep.profiles import SweepConfig, base_digest, config_key
from auditor.sweep.progress import Progress
from auditor.sweep.shard import Shard
from auditor.sweep.worker import audit_job, warm_up

__all__ = ["AuthSource", "FixedAuth", "Preparer", "SweepOptions", "SweepRun", "run_sweep", "sarif_path"]


class AuthSource(Protocol):
    """The git credentials to use now (a refreshed token may replace the last one mid-sweep)."""

    def current(self) -> GitAuth | None: ...

    def scrub(self, text: str) -> str: ...


@dataclass(frozen=True, slots=True)
class FixedAuth:
    """One set of git credentials (or none) for the whole sweep."""

    auth: GitAuth | None

    def current(self) -> GitAuth | None:
        return self.auth

    def scrub(self, text: str) -> str:
        return self.auth.scrub(text) if self.auth is not None else text


@dataclass(slots=True)
class SweepOptions:
    """Everything ``stack-auditor sweep`` takes, once parsed."""

    out: Path
    db: Path | None = None
    cache_dir: Path | None = None
    jobs: int = 0  # 0: the number of CPUs
    repo_timeout: float = 600.0
    resume: bool = False
    force: bool = False
    shard: Shard | None = None
    profile: str | None = None
    rule_dirs: tuple[Path, ...] = ()
    config: SweepConfig = field(default_factory=SweepConfig)
    sources_label: str = ""
    # An org sweep.toml is the policy: a repository's config cannot weaken its own gate.
    policy_from_org_only: bool = False
    excludes: tuple[str, ...] = ()

    def excludes_for(self, spec: RepoSpec) -> tuple[str, ...]:
        """``--exclude`` then the sweep.toml ``[[exclude]]`` paths that apply to this repo."""
        return self.excludes + self.config.excludes_for(spec)

    @property
    def db_path(self) -> Path:
        return self.db or self.out / "sweep.db"

    @property
    def cache(self) -> Path:
        return self.cache_dir or self.out / ".cache"

    @property
    def workers(self) -> int:
        return self.jobs if self.jobs > 0 else (os.cpu_count() or 1)


@dataclass(slots=True)
class SweepRun:
    """What a sweep did: its id in the history and the counts."""

    sweep_id: int
    total: int = 0
    audited: int = 0
    reused: int = 0
    failed: int = 0
    failed_total: int = 0  # failed repos in the whole sweep's summary (resumed and reused ones too)
    audited_names: list[str] = field(default_factory=list)


def sarif_path(out: Path, name: str) -> Path:
    """``<out>/sarif/<safe name>.sarif``: the documented place of each repo's SARIF."""
    return out / "sarif" / f"{safe_name(name)}.sarif"


# A preparer turns a spec into a local folder to audit (cloning or downloading as needed)
# and may update spec.head to what it actually checked out; None leaves the spec to the default.
Preparer = Callable[[RepoSpec], "Path | None"]


# How long past --repo-timeout the parent waits before it kills a worker stuck where SIGALRM
# cannot reach (inside C code).
KILL_GRACE_SECONDS = 30.0


def _context(method: str) -> multiprocessing.context.BaseContext | None:
    return multiprocessing.get_context(method) if sys.platform.startswith("linux") else None


def _timed_out(job: AuditJob) -> AuditOutcome:
    message = f"audit did not stop after {job.timeout:g}s (--repo-timeout): its worker was killed"
    return AuditOutcome(job.name, False, message, "timeout")


class _Pool:
    """The process pool, restarted if a worker dies or hangs (one repo must not end the sweep)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.lock = threading.Lock()
        self.pool = self._start("fork")

    def _start(self, method: str) -> ProcessPoolExecutor:
        # fork is cheap (the parent has auditor imported) and the pool forks every worker on
        # the first submit, done here before any I/O thread exists. A restart happens while
        # threads run, where fork is unsafe: it uses forkserver.
        pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=_context(method))
        for future in [pool.submit(warm_up) for _ in range(self.workers)]:
            future.result()
        return pool

    def _restart(self, broken: ProcessPoolExecutor, kill: bool) -> None:
        with self.lock:
            if self.pool is not broken:
                return
            if kill:
                for process in list(getattr(broken, "_processes", {}).values()):
                    process.kill()
            broken.shutdown(wait=False, cancel_futures=True)
            self.pool = self._start("forkserver")

    def run(self, job: AuditJob) -> AuditOutcome:
        """Audit in a worker. When the pool breaks (this repo's crash, or another's), it is restarted
        and the job tried once more alone in a process of its own, so a repo that crashes every
        time takes nobody else with it."""
        limit = job.timeout + KILL_GRACE_SECONDS if job.timeout > 0 else None
        pool = self.pool
        try:
            return pool.submit(audit_job, job).result(timeout=limit)
        except FutureTimeout:
            self._restart(pool, kill=True)
            return _timed_out(job)
        except BrokenProcessPool:
            self._restart(pool, kill=False)
        solo = ProcessPoolExecutor(max_workers=1, mp_context=_context("forkserver"))
        try:
            return solo.submit(audit_job, job).result(timeout=limit)
        except FutureTimeout:
            for process in list(getattr(solo, "_processes", {}).values()):
                process.kill()
            return _timed_out(job)
        except BrokenProcessPool:
            return AuditOutcome(job.name, False, "the audit process died (killed or crashed)", "crash")
        finally:
            solo.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class Sweeper:
    """One sweep over a list of specs (see :func:`run_sweep`)."""

    def __init__(
        self,
        options: SweepOptions,
        history: History,
        progress: Progress,
        prepare: Preparer | None = None,
        auth: AuthSource | None = None,
    ) -> None:
        self.options = options
        self.history = history
        self.progress = progress
        self.auth: AuthSource = auth or FixedAuth(None)
        self.prepare = prepare
        self.base = base_digest(options.rule_dirs)

    def default_prepare(self, spec: RepoSpec) -> Path:
        """A local folder as it is; a URL cloned (first time) or fetched into the cache."""
        if spec.kind == "local":
            return Path(spec.location)
        dest = self.options.cache / "repos" / safe_name(spec.name)
        spec.head = clone_or_fetch(spec.location, dest, self.auth.current(), self.options.repo_timeout) or spec.head
        from auditor.evidence.cost import source_cost  # h17: the cost of reading code, said once per clone

        files, size = source_cost(dest)
        cost = f"{files} Python source file(s), {size // 1024} KiB"
        self.progress.message(f"{spec.name}: {cost} checked out for code evidence")
        return dest

    def _task(self, pool: _Pool, spec: RepoSpec, profile: str | None, excludes: tuple[str, ...]) -> AuditOutcome:
        try:
            folder = self.prepare(spec) if self.prepare else None
            if folder is None:
                folder = self.default_prepare(spec)
        except GitError as error:
            return AuditOutcome(spec.name, False, str(error), "clone")
        except PrepareError as error:
            return AuditOutcome(spec.name, False, str(error), error.kind)
        except Exception as error:
            text = str(error)
            return AuditOutcome(spec.name, False, f"{type(error).__name__}: {text}", "clone")
        rule_dirs = tuple(str(d) for d in self.options.rule_dirs)
        as_default = self.options.config.is_default_for(spec, self.options.profile)
        job = AuditJob(
            spec.name,
            str(folder),
            None if as_default else profile,
            rule_dirs,
            self.options.repo_timeout,
            excludes,
            self.options.policy_from_org_only,
            default_profile=profile if as_default else None,
        )
        outcome = pool.run(job)
        outcome.head = spec.head
        return outcome

    def run(self, specs: list[RepoSpec]) -> SweepRun:
        options = self.options
        sweep_id = self.history.running_sweep(_label(options.shard)) if options.resume else None
        done: set[str] = set()
        if sweep_id is None:
            sweep_id = self.history.begin_sweep(_label(options.shard), options.sources_label)
        else:
            done = self.history.done_names(sweep_id)
            self.progress.message(f"resuming sweep {sweep_id}: {len(done)} repos already recorded")
        run = SweepRun(sweep_id)
        todo = [s for s in specs if s.name not in done]
        run.total = len(todo)
        self.progress.start(len(todo))
        keys: dict[tuple[str | None, tuple[str, ...]], str] = {}
        workers = options.workers
        window = workers * 4
        pool: _Pool | None = None
        threads: ThreadPoolExecutor | None = None
        inflight: dict[Future[AuditOutcome], tuple[RepoSpec, str]] = {}
        try:
            for spec in todo:
                profile = options.config.profile_for(spec, options.profile)
                excludes = options.excludes_for(spec)
                if (profile, excludes) not in keys:
                    keys[profile, excludes] = config_key(profile, self.base, excludes)
                key = keys[profile, excludes]
                if spec.error:
                    self._record(run, spec, key, AuditOutcome(spec.name, False, spec.error, "clone"))
                    continue
                stored = None if options.force else self.history.reusable(spec.name, spec.head, key)
                if stored is not None:
                    self.history.record_reused(sweep_id, stored[0], spec)
                    self._write_sarif(spec.name, stored[1])
                    run.reused += 1
                    self.progress.advance("reused", spec.name)
                    continue
                if pool is None:
                    pool = _Pool(workers)
                    threads = ThreadPoolExecutor(max_workers=workers + 4, thread_name_prefix="sweep-io")
                assert threads is not None
                inflight[threads.submit(self._task, pool, spec, profile, excludes)] = (spec, key)
                if len(inflight) >= window:
                    self._drain(run, inflight, FIRST_COMPLETED)
            self._drain(run, inflight, None)
            self.history.finish_sweep(sweep_id)
        finally:
            if threads is not None:
                threads.shutdown(wait=True, cancel_futures=True)
            if pool is not None:
                pool.shutdown()
            self.progress.close()
        return run

    def _drain(
        self, run: SweepRun, inflight: dict[Future[AuditOutcome], tuple[RepoSpec, str]], until: str | None
    ) -> None:
        while inflight:
            finished, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
            for future in finished:
                spec, key = inflight.pop(future)
                try:
                    outcome = future.result()
                except Exception as error:
                    outcome = AuditOutcome(spec.name, False, f"internal error: {error}", "crash")
                self._record(run, spec, key, outcome)
            if until == FIRST_COMPLETED:
                return

    def _record(self, run: SweepRun, spec: RepoSpec, key: str, outcome: AuditOutcome) -> None:
        if outcome.error:
            outcome.error = self.auth.scrub(outcome.error)
        self.history.record_outcome(run.sweep_id, spec, key, outcome)
        if outcome.sarif:
            self._write_sarif(spec.name, outcome.sarif)
        else:
            sarif_path(self.options.out, spec.name).unlink(missing_ok=True)
        if outcome.ok or outcome.error_kind == "input":
            run.audited += 1
            run.audited_names.append(spec.name)
        if outcome.ok:
            self.progress.advance("done", spec.name)
        else:
            run.failed += 1
            self.progress.message(f"{spec.name}: {outcome.error}")
            self.progress.advance("failed", spec.name)

    def _write_sarif(self, name: str, text: str) -> None:
        path = sarif_path(self.options.out, name)
        try:
            if path.read_text(encoding="utf-8") == text:
                return
        except OSError:
            pass
        write_atomic(path, text)


def _label(shard: Shard | None) -> str | None:
    return str(shard) if shard else None


def run_sweep(
    options: SweepOptions,
    specs: Iterable[RepoSpec],
    progress: Progress,
    prepare: Preparer | None = None,
    auth: GitAuth | AuthSource | None = None,
) -> SweepRun:
    """Sweep ``specs`` (already listed and deduplicated) into ``options.out`` and its history."""
    chosen = [s for s in specs if options.shard is None or options.shard.contains(s.name)]
    if options.workers < 1:
        raise UsageError("--jobs must be at least 1")
    options.out.mkdir(parents=True, exist_ok=True)
    with History(options.db_path) as history:
        source = FixedAuth(auth) if auth is None or isinstance(auth, GitAuth) else auth
        return Sweeper(options, history, progress, prepare, source).run(chosen)
