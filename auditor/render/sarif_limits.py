"""GitHub code scanning's documented limits on uploaded SARIF, for the SARIF renderer to enforce.

They live with the renderer (Show layer) because they shape the document it
returns; the uploader checks the compressed size against them too.

Going over any *maximum* makes GitHub reject the whole file ("Analysis SARIF
file rejected due to ... limits"); the *kept* numbers are what GitHub stores
and shows when a soft limit is passed.

Sources (github/docs):

- Limits table: https://docs.github.com/en/code-security/reference/code-scanning/sarif-files/sarif-support#file-compatibility
  (``data/reusables/code-scanning/sarif-limits.md``), repeated in
  https://docs.github.com/en/code-security/reference/code-scanning/sarif-files/troubleshoot-sarif-uploads/results-exceed-limit
- Size: "For each gzip-compressed SARIF file, SARIF upload supports a maximum
  size of 10 MB" (same page) and
  https://docs.github.com/en/code-security/reference/code-scanning/sarif-files/troubleshoot-sarif-uploads/file-too-large
- Rule text lengths: the ``reportingDescriptor`` table of
  https://docs.github.com/en/code-security/reference/code-scanning/sarif-files/sarif-support#reportingdescriptor-object
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "KEPT_LOCATIONS_PER_RESULT",
    "KEPT_RESULTS_PER_RUN",
    "KEPT_TAGS_PER_RULE",
    "KEPT_THREAD_FLOW_LOCATIONS_PER_RESULT",
    "MAX_COMPRESSED_BYTES",
    "MAX_FULL_DESCRIPTION_CHARS",
    "MAX_LOCATIONS_PER_RESULT",
    "MAX_RELATED_LOCATIONS_PER_RESULT",
    "MAX_RESULTS_PER_RUN",
    "MAX_RULES_PER_RUN",
    "MAX_RULE_NAME_CHARS",
    "MAX_RUNS_PER_FILE",
    "MAX_SHORT_DESCRIPTION_CHARS",
    "MAX_TAGS_PER_RULE",
    "MAX_THREAD_FLOW_LOCATIONS_PER_RESULT",
    "MAX_TOOL_EXTENSIONS_PER_RUN",
    "MAX_UNCOMPRESSED_BYTES",
    "RECOMMENDED_LOCATIONS_PER_RESULT",
]

# --- the limits table (hard maximum -> the file is rejected) ---------------
MAX_RUNS_PER_FILE: Final = 20
MAX_RESULTS_PER_RUN: Final = 25_000
KEPT_RESULTS_PER_RUN: Final = 5_000  # "only the top 5,000 results ... prioritized by severity"
MAX_RULES_PER_RUN: Final = 25_000
MAX_TOOL_EXTENSIONS_PER_RUN: Final = 100
MAX_THREAD_FLOW_LOCATIONS_PER_RESULT: Final = 10_000
KEPT_THREAD_FLOW_LOCATIONS_PER_RESULT: Final = 1_000
MAX_LOCATIONS_PER_RESULT: Final = 1_000
KEPT_LOCATIONS_PER_RESULT: Final = 100
MAX_TAGS_PER_RULE: Final = 20
KEPT_TAGS_PER_RULE: Final = 10

# The result-object table says ``locations[]`` holds "up to a maximum of 10"
# and that only ``locations[0]`` is used; emit one location per result.
RECOMMENDED_LOCATIONS_PER_RESULT: Final = 10

# GitHub documents no limit for ``relatedLocations``. We cap them like
# ``locations`` (the closest documented number), so a producer never relies on
# an unbounded list; this number is our choice, not GitHub's.
MAX_RELATED_LOCATIONS_PER_RESULT: Final = MAX_LOCATIONS_PER_RESULT

# --- sizes -------------------------------------------------------------------
# "10 MB" per gzip-compressed file. Whether MB means 10**7 or 2**20 bytes is
# not stated, so we use the smaller reading.
MAX_COMPRESSED_BYTES: Final = 10_000_000
# GitHub documents no limit on the uncompressed size: it measures the gzip.
MAX_UNCOMPRESSED_BYTES: Final[int | None] = None

# --- text lengths in ``reportingDescriptor`` ---------------------------------
MAX_RULE_NAME_CHARS: Final = 255
MAX_SHORT_DESCRIPTION_CHARS: Final = 1024
MAX_FULL_DESCRIPTION_CHARS: Final = 1024
