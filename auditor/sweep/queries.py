"""Read-side queries over the history for the summaries: streamed rows and small aggregates.

Nothing here loads a whole sweep into memory: repos come one row at a time,
aggregates are computed by SQLite.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["CHANGE_KEYS", "NO_FILES", "Queries", "RepoRecord", "repo_state"]

NO_FILES = "no dependency files"

CHANGE_KEYS = ("repo", "fingerprint", "rule_id", "severity", "project", "package", "file", "line", "message")

_COLUMNS = "c.repo, c.fingerprint, c.rule_id, c.severity, c.project, c.package, c.file, c.line, c.message"
# New in :here: counted findings the audit saw (not carried over as stale) that :there did not have
# at all. A repo that failed is partly audited: what it did see may still be new.
_NEW = f"""
  SELECT {_COLUMNS} FROM findings c
  WHERE c.sweep_id=:here AND c.suppressed=0 AND c.stale=0 AND (:repo IS NULL OR c.repo=:repo)
    AND NOT EXISTS (SELECT 1 FROM findings p WHERE p.sweep_id=:there AND p.repo=c.repo
      AND p.fingerprint=c.fingerprint AND p.suppressed=0)
"""  # noqa: S608  # fixed text: # nosec B608
# Fixed since :there: its counted findings (stale ones too) that :here, audited cleanly, lacks.
# A repo that failed in :here fixes nothing (its unconfirmed findings are kept as stale).
_FIXED = f"""
  SELECT {_COLUMNS} FROM findings c
  JOIN repos rh ON rh.sweep_id=:here AND rh.name=c.repo AND rh.status='ok'
  WHERE c.sweep_id=:there AND c.suppressed=0 AND (:repo IS NULL OR c.repo=:repo)
    AND NOT EXISTS (SELECT 1 FROM findings p WHERE p.sweep_id=:here AND p.repo=c.repo
      AND p.fingerprint=c.fingerprint AND p.suppressed=0)
"""  # noqa: S608  # fixed text: # nosec B608


_REPO_ROW = (
    "SELECT name, kind, head, status, reused, error, error_kind, errors, warnings, notes, suppressed,"
    " drift, full_name, default_branch, upload, stale, failed_files, weakened FROM repos WHERE sweep_id=?"
)
_BY_NAME = _REPO_ROW + " ORDER BY name LIMIT ?"
# The ranking documented in auditor.sweep.drift: errors first, then weighted warnings.
_BY_DRIFT = _REPO_ROW + " ORDER BY errors DESC, drift DESC, warnings DESC, name LIMIT ?"


@dataclass(frozen=True, slots=True)
class RepoRecord:
    """One row of ``repos`` for the outputs."""

    name: str
    kind: str
    head: str | None
    status: str
    reused: bool
    error: str | None
    error_kind: str | None
    errors: int
    warnings: int
    notes: int
    suppressed: int
    drift: int
    full_name: str | None
    default_branch: str | None
    upload: str | None
    stale: int = 0
    failed_files: str | None = None
    weakened: str | None = None  # the repo's notices of its own policy weakening, one a line

    @property
    def failed_file_list(self) -> list[str]:
        return self.failed_files.split("\n") if self.failed_files else []

    @property
    def weakening_list(self) -> list[str]:
        return self.weakened.split("\n") if self.weakened else []


def repo_state(record: RepoRecord, has_projects: bool) -> str:
    """``ok``, ``failed``, or ``no dependency files`` for an audit that found nothing to read."""
    if record.status == "ok" and not has_projects:
        return NO_FILES
    return record.status


class Queries:
    """Queries on one history connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def repos(self, sweep_id: int, by_drift: bool = False, limit: int = -1) -> Iterator[RepoRecord]:
        """The sweep's repos, by name or by drift (highest first), streamed."""
        query = _BY_DRIFT if by_drift else _BY_NAME
        for row in self.db.execute(query, (sweep_id, limit)):
            yield RepoRecord(row[0], row[1], row[2], row[3], bool(row[4]), *row[5:])

    def repo(self, sweep_id: int, name: str) -> RepoRecord | None:
        """One repo of the sweep."""
        row = self.db.execute(_REPO_ROW + " AND name=?", (sweep_id, name)).fetchone()
        return RepoRecord(row[0], row[1], row[2], row[3], bool(row[4]), *row[5:]) if row else None

    def projects(self, sweep_id: int, repo: str) -> list[tuple[Any, ...]]:
        """``(path, profile, errors, warnings, notes, confidence, runner_up, margin, decided_by)`` per project."""
        return list(
            self.db.execute(
                "SELECT path, profile, errors, warnings, notes, confidence, runner_up, margin, decided_by"
                " FROM projects"
                " WHERE sweep_id=? AND repo=? ORDER BY path",
                (sweep_id, repo),
            )
        )

    def changes(
        self, sweep_id: int, previous: int | None, new: bool, repo: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """Counted findings new in ``sweep_id`` (``new``) or fixed since ``previous``, by repo then rule."""
        if previous is None and not new:
            return
        ordered = f"SELECT * FROM ({_NEW if new else _FIXED}) ORDER BY 1, 3, 5, 6, 2"  # noqa: S608 (fixed text)  # fixed identifiers, bound values: # nosec B608
        params = {"here": sweep_id, "there": -1 if previous is None else previous, "repo": repo}
        for row in self.db.execute(ordered, params):
            yield dict(zip(CHANGE_KEYS, row, strict=True))

    def change_counts(self, sweep_id: int, previous: int | None) -> dict[str, tuple[int, int]]:
        """``{repo: (new, fixed)}`` for the repos with any change (small: one pair per changed repo)."""
        counts: dict[str, list[int]] = {}
        params = {"here": sweep_id, "there": -1 if previous is None else previous, "repo": None}
        for index, query in ((0, _NEW), (1, _FIXED)):
            if previous is None and index == 1:
                continue
            grouped = f"SELECT repo, count(*) FROM ({query}) GROUP BY repo"  # noqa: S608 (fixed text)  # fixed identifiers, bound values: # nosec B608
            for repo, count in self.db.execute(grouped, params):
                counts.setdefault(repo, [0, 0])[index] = count
        return {repo: (pair[0], pair[1]) for repo, pair in counts.items()}

    def findings(self, sweep_id: int, previous: int | None, repo: str) -> list[dict[str, Any]]:
        """Every finding of a repo, errors first, each with ``state``: new, unchanged or stale."""
        rows = self.db.execute(
            "SELECT c.rule_id, c.severity, c.project, c.package, c.file, c.line, c.message, c.suppressed,"
            " c.stale, EXISTS(SELECT 1 FROM findings p WHERE p.sweep_id=? AND p.repo=c.repo"
            " AND p.fingerprint=c.fingerprint AND p.suppressed=0)"
            " FROM findings c WHERE c.sweep_id=? AND c.repo=?"
            " ORDER BY c.suppressed, CASE c.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,"
            " c.rule_id, c.file, c.line",
            (-1 if previous is None else previous, sweep_id, repo),
        )
        keys = ("rule_id", "severity", "project", "package", "file", "line", "message")
        out = []
        for row in rows:
            entry = dict(zip(keys, row[:7], strict=True))
            entry["state"] = "suppressed" if row[7] else "stale" if row[8] else "unchanged" if row[9] else "new"
            out.append(entry)
        return out

    def rules(self) -> dict[str, tuple[str, str, str]]:
        """``{rule_id: (name, summary, help_uri)}`` of every rule the history has seen fire."""
        return {r[0]: (r[1], r[2], r[3]) for r in self.db.execute("SELECT * FROM rules")}

    def top_findings(self, sweep_id: int, limit: int = 20) -> list[tuple[str, str, int, int, str, list[str]]]:
        """The most actionable: errors first, then the warnings found in the most repos.

        ``(rule_id, severity, repos, findings, an example message, the first five repos by name)``.
        """
        rows = self.db.execute(
            "SELECT rule_id, severity, count(DISTINCT repo), count(*), min(message) FROM findings"
            " WHERE sweep_id=? AND suppressed=0 AND severity IN ('error', 'warning')"
            " GROUP BY rule_id, severity ORDER BY severity='error' DESC, 3 DESC, 4 DESC, 1 LIMIT ?",
            (sweep_id, limit),
        ).fetchall()
        out = []
        for rule, severity, repos, count, example in rows:
            names = [
                r[0]
                for r in self.db.execute(
                    "SELECT DISTINCT repo FROM findings WHERE sweep_id=? AND rule_id=? AND severity=?"
                    " AND suppressed=0 ORDER BY repo LIMIT 5",
                    (sweep_id, rule, severity),
                )
            ]
            out.append((rule, severity, repos, count, example, names))
        return out

    def totals(self, sweep_id: int) -> dict[str, Any]:
        """Repos, audited, reused, failed, projects, counted findings by severity and suppressed."""
        row = self.db.execute(
            "SELECT count(*), coalesce(sum(reused=0 AND (error_kind IS NULL OR error_kind='input')), 0),"
            " coalesce(sum(reused), 0), coalesce(sum(status!='ok'), 0), coalesce(sum(errors), 0),"
            " coalesce(sum(warnings), 0), coalesce(sum(notes), 0), coalesce(sum(suppressed), 0),"
            " coalesce(sum(stale), 0) FROM repos WHERE sweep_id=?",
            (sweep_id,),
        ).fetchone()
        projects = self.db.execute("SELECT count(*) FROM projects WHERE sweep_id=?", (sweep_id,)).fetchone()
        row = (*row[:8], projects[0], row[8])
        return {
            "repos": row[0],
            "audited": row[1],
            "reused": row[2],
            "failed": row[3],
            "projects": row[8],
            "findings": {"error": row[4], "warning": row[5], "note": row[6]},
            "suppressed": row[7],
            "stale": row[9],
        }

    def by_rule(self, sweep_id: int) -> list[tuple[str, str, int, int]]:
        """``(rule_id, severity, findings, repos)`` over counted findings, most frequent first."""
        return list(
            self.db.execute(
                "SELECT rule_id, severity, count(*), count(DISTINCT repo) FROM findings"
                " WHERE sweep_id=? AND suppressed=0 GROUP BY rule_id, severity ORDER BY 3 DESC, 1",
                (sweep_id,),
            )
        )

    def conformance(self, sweep_id: int) -> list[tuple[str, int, int]]:
        """``(profile, projects, conforming)``: a project conforms with no counted error or warning."""
        return list(
            self.db.execute(
                "SELECT coalesce(profile, '(none)'), count(*), sum(errors=0 AND warnings=0) FROM projects"
                " WHERE sweep_id=? GROUP BY 1 ORDER BY 1",
                (sweep_id,),
            )
        )

    def trend(self, sweep_id: int, limit: int = 60) -> list[dict[str, Any]]:
        """Totals of the last complete sweeps over the same shard, oldest first, ending with this one."""
        rows = self.db.execute(
            "SELECT s.id, coalesce(s.finished_at, s.started_at), count(r.name),"
            " coalesce(sum(r.status!='ok'), 0),"
            " coalesce(sum(r.errors), 0), coalesce(sum(r.warnings), 0), coalesce(sum(r.notes), 0)"
            " FROM sweeps s LEFT JOIN repos r ON r.sweep_id=s.id"
            " WHERE (s.status='complete' OR s.id=?) AND s.id<=?"
            " AND s.shard IS (SELECT shard FROM sweeps WHERE id=?)"
            " GROUP BY s.id ORDER BY s.id DESC LIMIT ?",
            (sweep_id, sweep_id, sweep_id, limit),
        ).fetchall()
        keys = ("sweep_id", "at", "repos", "failed", "error", "warning", "note")
        return [dict(zip(keys, row, strict=True)) for row in reversed(rows)]
