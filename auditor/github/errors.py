"""Errors raised while talking to GitHub; every message is safe to show (no token, no traceback)."""

from __future__ import annotations

from auditor.errors import AuditorError

__all__ = ["GitHubError", "GitHubHTTPError", "RateLimitError", "SarifTooLargeError"]


class GitHubError(AuditorError):
    """Anything that went wrong on the GitHub side: network, HTTP status, an unusable answer.

    The message is what the user reads; it is scrubbed of the token before it
    gets here (see :meth:`auditor.github.client.Secret.scrub`).
    """


class GitHubHTTPError(GitHubError):
    """GitHub answered with an error status; ``status`` is the HTTP code, ``github_message`` its text."""

    def __init__(self, message: str, *, status: int, github_message: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.github_message = github_message


class RateLimitError(GitHubHTTPError):
    """Still rate limited (403/429) after the retries and waiting the policy allows."""


class SarifTooLargeError(GitHubError):
    """The gzipped SARIF is over GitHub's size limit (found locally, or a 413 from GitHub)."""
