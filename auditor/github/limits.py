"""GitHub's limits on the REST upload endpoint, and its default API address.

The limits on the SARIF it accepts are in :mod:`auditor.render.sarif_limits`,
beside the renderer that enforces them. Source of the REST numbers:
https://docs.github.com/en/rest/code-scanning/code-scanning#upload-an-analysis-as-sarif-data
"""

from __future__ import annotations

from typing import Final

__all__ = ["DEFAULT_API_URL", "UPLOADS_PER_HOUR"]

# --- the REST endpoint ------------------------------------------------------
# "This endpoint is limited to 1,000 requests per hour for each user or app
# installation calling it." (the ``code_scanning_upload`` bucket; trust the
# ``x-ratelimit-limit`` header over this number).
UPLOADS_PER_HOUR: Final = 1_000

DEFAULT_API_URL = "https://api.github.com"
