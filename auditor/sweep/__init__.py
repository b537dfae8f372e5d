"""Org-wide sweeps: many repositories audited in parallel, with history, summaries and shards.

Layout: ``sources`` (what to audit: a folder of checkouts, a list of paths or
git URLs, a GitHub organisation), ``gitops`` (shallow sparse clones, heads),
``profiles`` (which profile each repo gets, and the key that says when a
stored result is stale), ``history`` (SQLite), ``worker`` (one audit in a
worker process), ``runner`` (the orchestration), ``outputs`` and
``report_html`` (the files in ``--out``), ``shard`` (``--shard`` and
``merge``), ``cli`` (the two commands). The contract of ``--out`` is
documented in ``docs/sweep.md``.
"""

from __future__ import annotations

__all__: list[str] = []
