"""GitHub's limits: the REST upload endpoint's, and (re-exported) those on the SARIF it accepts.

The SARIF limits are defined in :mod:`auditor.render.sarif_limits`, beside the
renderer that enforces them. Source of the REST numbers:
https://docs.github.com/en/rest/code-scanning/code-scanning#upload-an-analysis-as-sarif-data
"""

from __future__ import annotations

from typing import Final

from auditor.render.sarif_limits import (
    KEPT_LOCATIONS_PER_RESULT,
    KEPT_RESULTS_PER_RUN,
    KEPT_TAGS_PER_RULE,
    KEPT_THREAD_FLOW_LOCATIONS_PER_RESULT,
    MAX_COMPRESSED_BYTES,
    MAX_FULL_DESCRIPTION_CHARS,
    MAX_LOCATIONS_PER_RESULT,
    MAX_RELATED_LOCATIONS_PER_RESULT,
    MAX_RESULTS_PER_RUN,
    MAX_RULE_NAME_CHARS,
    MAX_RULES_PER_RUN,
    MAX_RUNS_PER_FILE,
    MAX_SHORT_DESCRIPTION_CHARS,
    MAX_TAGS_PER_RULE,
    MAX_THREAD_FLOW_LOCATIONS_PER_RESULT,
    MAX_TOOL_EXTENSIONS_PER_RUN,
    MAX_UNCOMPRESSED_BYTES,
    RECOMMENDED_LOCATIONS_PER_RESULT,
)

__all__ = [
    "DEFAULT_API_URL",
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
    "UPLOADS_PER_HOUR",
]

# --- the REST endpoint ------------------------------------------------------
# "This endpoint is limited to 1,000 requests per hour for each user or app
# installation calling it." (the ``code_scanning_upload`` bucket; trust the
# ``x-ratelimit-limit`` header over this number).
UPLOADS_PER_HOUR: Final = 1_000

DEFAULT_API_URL = "https://api.github.com"
