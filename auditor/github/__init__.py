"""GitHub integration: a small REST client, SARIF upload to code scanning, and its CLI command."""

from __future__ import annotations

from auditor.github.client import (
    DEFAULT_API_URL,
    CachedResponse,
    GitHubClient,
    MemoryCache,
    Response,
    ResponseCache,
    RetryPolicy,
    Secret,
    parse_link_header,
    token_from_env,
)
from auditor.github.errors import GitHubError, GitHubHTTPError, RateLimitError, SarifTooLargeError
from auditor.github.upload import UploadResult, upload_sarif

__all__ = [
    "DEFAULT_API_URL",
    "CachedResponse",
    "GitHubClient",
    "GitHubError",
    "GitHubHTTPError",
    "MemoryCache",
    "RateLimitError",
    "Response",
    "ResponseCache",
    "RetryPolicy",
    "SarifTooLargeError",
    "Secret",
    "UploadResult",
    "parse_link_header",
    "token_from_env",
    "upload_sarif",
]
