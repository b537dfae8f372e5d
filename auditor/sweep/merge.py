"""``stack-auditor merge OUT1 OUT2 ... --out DIR``: join shard outputs into one sweep.

The latest complete sweep of each input's history is copied into one new
sweep of the target history (``DIR/sweep.db``, created or appended to, so
the merged history keeps comparing night after night); SARIF files are
copied; the summaries are written from the merged sweep, exactly as an
unsharded sweep would write them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from auditor.atomic import write_atomic
from auditor.errors import UsageError
from auditor.sweep.history import History
from auditor.sweep.outputs import write_outputs
from auditor.sweep.runner import sarif_path

__all__ = ["merge_outputs"]


def merge_outputs(inputs: list[Path], out: Path, db: Path | None = None) -> dict[str, Any]:
    """Merge shard outputs into ``out``; returns the merged summary's aggregates (``summary_head``)."""
    if not inputs:
        raise UsageError("merge needs at least one sweep output folder")
    sources: list[tuple[Path, int, str | None]] = []
    for folder in inputs:
        candidate = folder / "sweep.db" if folder.is_dir() else folder
        if not candidate.is_file():
            raise UsageError(f"{folder}: no sweep.db (expected a sweep's --out folder or a sweep.db file)")
        with History(candidate) as history:
            latest = history.latest_complete()
            if latest is None:
                raise UsageError(
                    f"{candidate}: no complete sweep to merge (interrupted? run it with --resume)"
                )
            shard = history.sweep_info(latest).get("shard")
        sources.append((candidate, latest, shard))
    target_db = (db or out / "sweep.db").resolve()
    if any(src.resolve() == target_db for src, _, _ in sources):
        raise UsageError("merge --out must not be one of the inputs")
    out.mkdir(parents=True, exist_ok=True)
    merged_from = json.dumps([{"db": str(src), "sweep": sid, "shard": shard} for src, sid, shard in sources])
    with History(target_db) as history:
        sweep_id = history.begin_sweep(None, "merge", merged_from)
        for source, source_sweep, _ in sources:
            for name in history.import_sweep(sweep_id, source, source_sweep):
                origin = sarif_path(source.parent, name)
                if origin.is_file():
                    write_atomic(sarif_path(out, name), origin.read_text(encoding="utf-8"))
                else:
                    sarif_path(out, name).unlink(missing_ok=True)
        history.finish_sweep(sweep_id)
        return write_outputs(history, sweep_id, out)
