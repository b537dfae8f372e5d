"""Re-exports :mod:`auditor.locate.toml` for the resolvers written against this name."""

from __future__ import annotations

from auditor.locate.toml import KeyPath, array_string_offsets, key_at, parse_key, scan_keys

__all__ = ["KeyPath", "array_string_offsets", "key_at", "parse_key", "scan_keys"]
