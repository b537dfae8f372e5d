"""Limits on hostile input, shared by the audit and by the command lines that expose them.

Time per file is bounded by size: every resolver is a linear pass (tomli,
json, expat, pip's line parser) plus linear line scans, so ``max_file_bytes``
caps the parse time too (tests/hardening measures a 100k-line requirements
file and fuzzes every parse under a SIGALRM guard). This module imports
nothing, so the start-up path can read the defaults without loading the audit.
"""

from __future__ import annotations

__all__ = ["DEFAULT_MAX_FILE_BYTES", "DEFAULT_MAX_PACKAGES", "MAX_INCLUDE_DEPTH"]

DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024
DEFAULT_MAX_PACKAGES = 100_000  # per project, over all its files
MAX_INCLUDE_DEPTH = 16  # -r / -c nesting in requirements files
