"""Re-exports :mod:`auditor.locate.json` for the resolvers written against this name."""

from __future__ import annotations

from auditor.locate.json import loads_located

__all__ = ["loads_located"]
