"""The sweep history: one embedded SQLite database (``sweep.db``).

WAL mode and one transaction per repo: a sweep killed at any point leaves
every finished repo on disk, and ``--resume`` continues from there. The
database holds no credentials (tokens never reach this module) and no graphs:
per repo a few counts, its findings by fingerprint, its projects and the
compressed SARIF of its latest result (for reuse when the head has not moved).

A repo that fails keeps what was known of it: the findings of its latest
earlier record that the failed audit could not confirm are copied into the
new sweep marked ``stale`` (still counted, never "fixed"), until an audit
succeeds again.
"""

from __future__ import annotations

import sqlite3
import zlib
from dataclasses import fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from auditor import __version__
from auditor.sweep.drift import drift_score
from auditor.sweep.model import AuditOutcome, RepoSpec

__all__ = ["SCHEMA_VERSION", "History", "utc_now"]

SCHEMA_VERSION = 2
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sweeps(
  id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL,
  shard TEXT, sources TEXT NOT NULL DEFAULT '', tool_version TEXT NOT NULL, merged_from TEXT);
CREATE TABLE IF NOT EXISTS repos(
  sweep_id INTEGER NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, head TEXT, config_key TEXT,
  status TEXT NOT NULL, reused INTEGER NOT NULL DEFAULT 0, error TEXT, error_kind TEXT,
  errors INTEGER NOT NULL DEFAULT 0, warnings INTEGER NOT NULL DEFAULT 0, notes INTEGER NOT NULL DEFAULT 0,
  suppressed INTEGER NOT NULL DEFAULT 0, drift INTEGER NOT NULL DEFAULT 0, seconds REAL NOT NULL DEFAULT 0,
  full_name TEXT, default_branch TEXT, upload TEXT, stale INTEGER NOT NULL DEFAULT 0, failed_files TEXT,
  weakened TEXT,
  PRIMARY KEY(sweep_id, name));
CREATE INDEX IF NOT EXISTS repos_by_name ON repos(name, sweep_id);
CREATE TABLE IF NOT EXISTS projects(
  sweep_id INTEGER NOT NULL, repo TEXT NOT NULL, path TEXT NOT NULL, profile TEXT,
  errors INTEGER NOT NULL, warnings INTEGER NOT NULL, notes INTEGER NOT NULL,
  confidence TEXT, runner_up TEXT, margin INTEGER, decided_by TEXT NOT NULL DEFAULT '',
  PRIMARY KEY(sweep_id, repo, path));
CREATE TABLE IF NOT EXISTS findings(
  sweep_id INTEGER NOT NULL, repo TEXT NOT NULL, fingerprint TEXT NOT NULL, rule_id TEXT NOT NULL,
  severity TEXT NOT NULL, project TEXT NOT NULL, package TEXT, file TEXT NOT NULL, line INTEGER NOT NULL,
  message TEXT NOT NULL, suppressed INTEGER NOT NULL, stale INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(sweep_id, repo, fingerprint));
CREATE TABLE IF NOT EXISTS rules(
  rule_id TEXT PRIMARY KEY, name TEXT NOT NULL, summary TEXT NOT NULL, help_uri TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS errors(
  sweep_id INTEGER NOT NULL, repo TEXT NOT NULL, kind TEXT NOT NULL, message TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS results(
  name TEXT PRIMARY KEY, head TEXT, config_key TEXT, sarif BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS http_cache(
  url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, status INTEGER NOT NULL, headers TEXT NOT NULL,
  body BLOB NOT NULL);
"""
# Columns added since schema 1: a history written by an older version gains them on open.
_ADDED_COLUMNS = (
    ("repos", "stale", "INTEGER NOT NULL DEFAULT 0"),
    ("repos", "failed_files", "TEXT"),
    ("repos", "weakened", "TEXT"),
    ("projects", "confidence", "TEXT"),
    ("projects", "runner_up", "TEXT"),
    ("projects", "margin", "INTEGER"),
    ("projects", "decided_by", "TEXT NOT NULL DEFAULT ''"),
    ("findings", "stale", "INTEGER NOT NULL DEFAULT 0"),
)
# Findings and projects are copied per repo from the sweep whose result is reused.
_FINDING_COLUMNS = "repo, fingerprint, rule_id, severity, project, package, file, line, message, suppressed, stale"
_PROJECT_COLUMNS = "repo, path, profile, errors, warnings, notes, confidence, runner_up, margin, decided_by"
_REPO_COLUMNS = (
    "name, kind, head, config_key, status, reused, error, error_kind, errors, warnings, notes, suppressed,"
    " drift, seconds, full_name, default_branch, upload, stale, failed_files, weakened"
)


def _values(row: object) -> tuple[object, ...]:
    """A row dataclass's values in field order."""
    return tuple(getattr(row, f.name) for f in fields(row))  # type: ignore[arg-type]


def utc_now() -> str:
    """An ISO 8601 UTC timestamp, to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class History:
    """The database of one ``--out`` (or ``--db``); used from one thread only."""

    def __init__(self, path: Path, shared: bool = False) -> None:
        """Open (creating) the database; ``shared``: usable from several threads under the caller's lock."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=not shared)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA busy_timeout=10000")
        self.db.executescript(_SCHEMA)
        self._migrate()

    def _migrate(self) -> None:
        for table, column, declaration in _ADDED_COLUMNS:
            present = {row[1] for row in self.db.execute(f"PRAGMA table_info({table})")}
            if column not in present:
                self.db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")
        self.db.execute("INSERT OR REPLACE INTO meta VALUES('schema_version', ?)", (str(SCHEMA_VERSION),))

    def close(self) -> None:
        """Checkpoint the WAL into the main file and close."""
        try:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            self.db.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _tx(self) -> _Transaction:
        return _Transaction(self.db)

    # --- sweeps ------------------------------------------------------------------

    def begin_sweep(self, shard: str | None, sources: str, merged_from: str | None = None) -> int:
        """A new sweep; an earlier one still ``running`` (killed, not resumed) becomes ``abandoned``."""
        with self._tx():
            self.db.execute("UPDATE sweeps SET status='abandoned' WHERE status='running'")
            cursor = self.db.execute(
                "INSERT INTO sweeps(started_at, status, shard, sources, tool_version, merged_from)"
                " VALUES(?, 'running', ?, ?, ?, ?)",
                (utc_now(), shard, sources, __version__, merged_from),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def running_sweep(self, shard: str | None) -> int | None:
        """The interrupted sweep ``--resume`` continues (same shard), if any."""
        row = self.db.execute(
            "SELECT id FROM sweeps WHERE status='running' AND shard IS ? ORDER BY id DESC LIMIT 1", (shard,)
        ).fetchone()
        return int(row[0]) if row else None

    def finish_sweep(self, sweep_id: int) -> None:
        """Mark the sweep complete: the next sweep compares against it."""
        self.db.execute("UPDATE sweeps SET status='complete', finished_at=? WHERE id=?", (utc_now(), sweep_id))

    def sweep_info(self, sweep_id: int) -> dict[str, Any]:
        """The sweep's row as a dict."""
        cursor = self.db.execute("SELECT * FROM sweeps WHERE id=?", (sweep_id,))
        names = [d[0] for d in cursor.description]
        row = cursor.fetchone()
        return dict(zip(names, row, strict=True)) if row else {}

    def previous_sweep(self, sweep_id: int) -> int | None:
        """The latest complete sweep before ``sweep_id`` over the same shard: the baseline for new/fixed."""
        row = self.db.execute(
            "SELECT id FROM sweeps WHERE status='complete' AND id<? AND shard IS"
            " (SELECT shard FROM sweeps WHERE id=?) ORDER BY id DESC LIMIT 1",
            (sweep_id, sweep_id),
        ).fetchone()
        return int(row[0]) if row else None

    def latest_complete(self) -> int | None:
        """The newest complete sweep (``merge`` reads this one from each shard)."""
        row = self.db.execute("SELECT id FROM sweeps WHERE status='complete' ORDER BY id DESC LIMIT 1").fetchone()
        return int(row[0]) if row else None

    def done_names(self, sweep_id: int) -> set[str]:
        """Repos already recorded in a sweep (skipped by ``--resume``)."""
        return {row[0] for row in self.db.execute("SELECT name FROM repos WHERE sweep_id=?", (sweep_id,))}

    # --- per repo ----------------------------------------------------------------

    def reusable(self, name: str, head: str | None, key: str) -> tuple[int, str] | None:
        """``(sweep_id, sarif)`` of a stored result for this exact head and config key.

        Only deterministic results are reused: a clean audit, or one that
        failed on a malformed file (the same commit fails the same way);
        clone errors and timeouts are tried again.
        """
        if head is None:
            return None
        row = self.db.execute("SELECT head, config_key, sarif FROM results WHERE name=?", (name,)).fetchone()
        if row is None or row[0] != head or row[1] != key:
            return None
        prior = self.db.execute(
            "SELECT sweep_id FROM repos WHERE name=? AND head=? AND config_key=?"
            " AND (status='ok' OR error_kind='input') ORDER BY sweep_id DESC LIMIT 1",
            (name, head, key),
        ).fetchone()
        if prior is None:
            return None
        return int(prior[0]), zlib.decompress(row[2]).decode("utf-8")

    def record_reused(self, sweep_id: int, prior: int, spec: RepoSpec) -> None:
        """Copy a repo's stored result into this sweep (one transaction)."""
        with self._tx():
            self._copy_repo(sweep_id, prior, spec.name, reused=True)
            self.db.execute(
                "UPDATE repos SET full_name=?, default_branch=?, upload=NULL WHERE sweep_id=? AND name=?",
                (spec.full_name, spec.default_branch, sweep_id, spec.name),
            )

    def _copy_repo(self, sweep_id: int, prior: int, name: str, reused: bool, source: str = "main") -> None:
        columns = _REPO_COLUMNS.replace("reused", "?")
        self.db.execute(
            f"INSERT OR REPLACE INTO repos(sweep_id, {_REPO_COLUMNS})"  # noqa: S608 (fixed column lists)  # fixed identifiers, bound values: # nosec B608
            f" SELECT ?, {columns} FROM {source}.repos WHERE sweep_id=? AND name=?",
            (sweep_id, int(reused), prior, name),
        )
        for table, cols in (("findings", _FINDING_COLUMNS), ("projects", _PROJECT_COLUMNS)):
            self.db.execute(f"DELETE FROM {table} WHERE sweep_id=? AND repo=?", (sweep_id, name))  # noqa: S608  # fixed identifiers, bound values: # nosec B608
            self.db.execute(
                f"INSERT INTO {table}(sweep_id, {cols}) SELECT ?, {cols} FROM {source}.{table}"  # noqa: S608  # fixed identifiers, bound values: # nosec B608
                " WHERE sweep_id=? AND repo=?",
                (sweep_id, prior, name),
            )
        self.db.execute("DELETE FROM errors WHERE sweep_id=? AND repo=?", (sweep_id, name))
        self.db.execute(
            f"INSERT INTO errors SELECT ?, repo, kind, message FROM {source}.errors"  # noqa: S608  # fixed identifiers, bound values: # nosec B608
            " WHERE sweep_id=? AND repo=?",
            (sweep_id, prior, name),
        )

    def record_outcome(self, sweep_id: int, spec: RepoSpec, key: str, outcome: AuditOutcome) -> None:
        """Store a fresh audit (or a failure) of one repo in one transaction.

        A failure keeps the repo's earlier findings that it could not confirm, marked stale.
        """
        head = outcome.head or spec.head
        status = "ok" if outcome.ok else "failed"
        with self._tx():
            for table in ("findings", "projects", "errors"):
                self.db.execute(f"DELETE FROM {table} WHERE sweep_id=? AND repo=?", (sweep_id, spec.name))  # noqa: S608  # fixed identifiers, bound values: # nosec B608
            self.db.execute(
                f"INSERT OR REPLACE INTO repos(sweep_id, {_REPO_COLUMNS})"
                " VALUES(?,?,?,?,?,?,0,?,?,0,0,0,?,0,?,?,?,NULL,0,?,?)",
                (
                    sweep_id,
                    spec.name,
                    spec.kind,
                    head,
                    key,
                    status,
                    outcome.error,
                    outcome.error_kind,
                    sum(f.suppressed for f in outcome.findings),
                    round(outcome.seconds, 3),
                    spec.full_name,
                    spec.default_branch,
                    "\n".join(outcome.failed_files) or None,
                    "\n".join(outcome.weakened) or None,
                ),
            )
            # The row classes list their fields in the tables' column order (after sweep_id, repo).
            self.db.executemany(
                "INSERT OR IGNORE INTO findings VALUES(?,?,?,?,?,?,?,?,?,?,?,0)",
                [(sweep_id, spec.name, *_values(f)) for f in outcome.findings],
            )
            self.db.executemany(
                "INSERT OR REPLACE INTO projects VALUES(?,?,?,?,?,?,?,?,?,?,?)",
                [(sweep_id, spec.name, *_values(p)) for p in outcome.projects],
            )
            self.db.executemany("INSERT OR REPLACE INTO rules VALUES(?,?,?,?)", [_values(r) for r in outcome.rules])
            if not outcome.ok:
                self._keep_stale(sweep_id, spec.name)
            self._recount(sweep_id, spec.name)
            if outcome.error:
                self.db.execute(
                    "INSERT INTO errors VALUES(?,?,?,?)",
                    (sweep_id, spec.name, outcome.error_kind or "error", outcome.error),
                )
            if outcome.sarif and (outcome.ok or outcome.error_kind == "input"):
                self.db.execute(
                    "INSERT OR REPLACE INTO results VALUES(?,?,?,?)",
                    (spec.name, head, key, zlib.compress(outcome.sarif.encode("utf-8"), 6)),
                )

    def _keep_stale(self, sweep_id: int, name: str) -> None:
        """Copy the repo's findings (and projects) of its latest earlier record that are missing now."""
        row = self.db.execute(
            "SELECT max(sweep_id) FROM repos WHERE name=? AND sweep_id<?", (name, sweep_id)
        ).fetchone()
        if row is None or row[0] is None:
            return
        prior = int(row[0])
        columns = _FINDING_COLUMNS.replace("stale", "1")
        self.db.execute(
            f"INSERT OR IGNORE INTO findings(sweep_id, {_FINDING_COLUMNS}) SELECT ?, {columns}"  # noqa: S608  # fixed identifiers, bound values: # nosec B608
            " FROM findings WHERE sweep_id=? AND repo=?",
            (sweep_id, prior, name),
        )
        self.db.execute(
            f"INSERT OR IGNORE INTO projects(sweep_id, {_PROJECT_COLUMNS}) SELECT ?, {_PROJECT_COLUMNS}"  # noqa: S608  # fixed identifiers, bound values: # nosec B608
            " FROM projects WHERE sweep_id=? AND repo=?",
            (sweep_id, prior, name),
        )

    def _recount(self, sweep_id: int, name: str) -> None:
        """The repo's counts, stale count and drift from its stored findings."""
        by_rule = self.db.execute(
            "SELECT rule_id, severity, count(*) FROM findings WHERE sweep_id=? AND repo=? AND suppressed=0"
            " GROUP BY rule_id, severity",
            (sweep_id, name),
        ).fetchall()
        totals = {"error": 0, "warning": 0, "note": 0}
        for _, severity, count in by_rule:
            totals[severity] = totals.get(severity, 0) + count
        stale = self.db.execute(
            "SELECT count(*) FROM findings WHERE sweep_id=? AND repo=? AND stale=1", (sweep_id, name)
        ).fetchone()[0]
        self.db.execute(
            "UPDATE repos SET errors=?, warnings=?, notes=?, drift=?, stale=? WHERE sweep_id=? AND name=?",
            (totals["error"], totals["warning"], totals["note"],
             drift_score((r, s, c) for r, s, c in by_rule), stale, sweep_id, name),
        )  # fmt: skip

    def record_upload(self, sweep_id: int, name: str, status: str) -> None:
        """Remember what code scanning said about this repo's SARIF."""
        self.db.execute("UPDATE repos SET upload=? WHERE sweep_id=? AND name=?", (status, sweep_id, name))

    # --- merge ---------------------------------------------------------------------

    def import_sweep(self, sweep_id: int, other: Path, other_sweep: int) -> list[str]:
        """Copy every repo of ``other``'s sweep into ``sweep_id`` (later imports win); the names copied."""
        self.db.execute("ATTACH DATABASE ? AS other", (str(other),))
        try:
            names = [
                r[0]
                for r in self.db.execute("SELECT name FROM other.repos WHERE sweep_id=? ORDER BY name", (other_sweep,))
            ]
            with self._tx():
                for name in names:
                    self._copy_repo(sweep_id, other_sweep, name, reused=False, source="other")
                    self.db.execute(
                        "UPDATE repos SET reused=(SELECT reused FROM other.repos WHERE sweep_id=? AND name=?)"
                        " WHERE sweep_id=? AND name=?",
                        (other_sweep, name, sweep_id, name),
                    )
                    self.db.execute("INSERT OR REPLACE INTO results SELECT * FROM other.results WHERE name=?", (name,))
                self.db.execute("INSERT OR REPLACE INTO rules SELECT * FROM other.rules")
        finally:
            self.db.execute("DETACH DATABASE other")
        return names

    # --- HTTP cache (ETags) ------------------------------------------------------

    def cache_get(self, url: str) -> tuple[str | None, str | None, int, str, bytes] | None:
        """A stored response for a conditional GET."""
        row = self.db.execute(
            "SELECT etag, last_modified, status, headers, body FROM http_cache WHERE url=?", (url,)
        ).fetchone()
        return (row[0], row[1], int(row[2]), row[3], bytes(row[4])) if row else None

    def cache_put(
        self, url: str, etag: str | None, modified: str | None, status: int, headers: str, body: bytes
    ) -> None:
        """Store a response for the next sweep's conditional GET."""
        self.db.execute(
            "INSERT OR REPLACE INTO http_cache VALUES(?,?,?,?,?,?)",
            (url, etag, modified, status, headers, body),
        )


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on error): one repo is all or nothing."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
