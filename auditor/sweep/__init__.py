"""Org-wide sweeps: many repositories audited in parallel, with history, summaries and shards.

Layout:

- ``sources`` (a folder of checkouts, a list of paths or git URLs) and
  ``github_source`` (an organisation's or user's repos through the API; SBOM
  export; SARIF upload) say what to audit;
- ``gitops``: heads without cloning, blob-less sparse depth-1 clones, the
  token as an environment-only git header;
- ``profiles``: which profile each repo gets, and the key that says when a
  stored result is stale;
- ``runner`` (threads for I/O, a process pool for audits) and ``worker`` (one
  audit in a worker process);
- ``history`` (SQLite: writes) and ``queries`` (reads for the summaries);
- ``outputs`` and ``report_html``: the files in ``--out``;
- ``shard`` and ``merge``: ``--shard I/N`` and ``stack-auditor merge``;
- ``app`` (command line to finished sweep) and ``cli`` (the Typer commands).

The contract of ``--out`` is documented in ``docs/sweep.md``.
"""

from __future__ import annotations

__all__: list[str] = []
