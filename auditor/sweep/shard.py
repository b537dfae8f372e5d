"""``--shard I/N``: a deterministic subset of the repos, by a stable hash of each repo's full name.

Shards are disjoint and together cover every repo, whatever the order or
machine: ``sha256(name) mod N`` does not depend on Python's hash seed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from auditor.errors import UsageError

__all__ = ["Shard", "parse_shard"]


@dataclass(frozen=True, slots=True)
class Shard:
    """Shard ``index`` (1-based) of ``count``."""

    index: int
    count: int

    def contains(self, name: str) -> bool:
        """True when the repo ``name`` belongs to this shard."""
        bucket = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big") % self.count
        return bucket == self.index - 1

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    """``"2/8"`` -> ``Shard(2, 8)``; 1 <= I <= N."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not match:
        raise UsageError(f"--shard {text!r}: expected I/N, e.g. 1/4 (the first of four shards)")
    index, count = int(match.group(1)), int(match.group(2))
    if count < 1 or not 1 <= index <= count:
        raise UsageError(f"--shard {text!r}: I must be between 1 and N")
    return Shard(index, count)
