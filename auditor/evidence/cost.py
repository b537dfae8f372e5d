"""What reading code costs a sweep: the Python sources a checkout holds for the evidence stage."""

from __future__ import annotations

import os
from pathlib import Path

from auditor.evidence.model import DEFAULT_MAX_SOURCE_FILES
from auditor.evidence.scan import DEFAULT_EXCLUDED_DIRS

__all__ = ["SOURCE_PATTERNS", "source_cost"]

# What a sweep's sparse checkout adds for the evidence stage (git sparse-checkout, non-cone): the
# Python sources without the folders the scanner skips, CODEOWNERS, the test configurations that
# name DJANGO_SETTINGS_MODULE, and coverage reports. Later patterns win, so a sweep lists these
# before its dependency-file patterns, which then stay in even under tests/.
SOURCE_PATTERNS = (
    "**/*.py",
    "!**/tests/**",
    "!**/test/**",
    "!**/migrations/**",
    "!**/test_*.py",
    "!**/conftest.py",
    "**/CODEOWNERS",
    "**/pytest.ini",
    "**/tox.ini",
    "**/setup.cfg",
    "**/coverage.xml",
    "**/coverage.json",
)


def source_cost(folder: Path, limit: int = DEFAULT_MAX_SOURCE_FILES * 5) -> tuple[int, int]:
    """``(files, bytes)`` of the Python files under ``folder`` outside excluded folders (links not followed)."""
    files = size = 0
    for current, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d not in DEFAULT_EXCLUDED_DIRS and d != ".git"]
        for name in filenames:
            if name.endswith(".py"):
                path = os.path.join(current, name)  # noqa: PTH118 - os.walk gives str paths
                if not os.path.islink(path):  # noqa: PTH114
                    files += 1
                    size += os.path.getsize(path)  # noqa: PTH202
                    if files >= limit:
                        return files, size
    return files, size
