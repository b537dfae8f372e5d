"""Tokens that outlive one hour: GitHub App installation tokens minted and refreshed, or a command re-run.

A GitHub App installation token lasts one hour
(https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-an-installation-access-token-for-a-github-app);
a sweep of thousands of repos runs longer. Three providers answer "the token to use now":

- :class:`StaticToken`: ``GITHUB_TOKEN``/``GH_TOKEN`` as given (a PAT, or a token that will do).
- :class:`AppTokens`: from the App's id and private key, a JWT (RS256, PyJWT, imported only
  here) buys an installation token (``POST /app/installations/{id}/access_tokens``; the
  installation found from the owner when not given), bought again
  :data:`REFRESH_MARGIN_SECONDS` before it expires.
- :class:`CommandTokens`: ``--token-command`` is run (no shell) and its output is the token;
  it is run again after ``ttl`` seconds, or before the ``expires_at`` it prints as JSON.

Every token a provider handed out is scrubbed from messages; a 401 forces a new token once.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Protocol

from auditor.errors import UsageError
from auditor.github.secret import Secret, bearer_token

__all__ = ["REFRESH_MARGIN_SECONDS", "AppTokens", "CommandTokens", "StaticToken", "TokenProvider"]

REFRESH_MARGIN_SECONDS = 300.0  # a new token when the current one has less than this left
JWT_LIFETIME_SECONDS = 540  # GitHub allows at most 10 minutes; the clock may be off by one
COMMAND_TIMEOUT_SECONDS = 60.0


class TokenProvider(Protocol):
    def current(self) -> Secret:
        """The token to send now (fetching a new one when the last is about to expire)."""
        ...

    def invalidate(self) -> None:
        """The server refused the token: the next :meth:`current` gets a new one."""
        ...

    def scrub(self, text: str) -> str:
        """``text`` without any token this provider ever handed out."""
        ...


class _Refreshing:
    """Caching, expiry and scrubbing shared by the providers that fetch tokens."""

    def __init__(self, clock: Callable[[], float], margin: float = REFRESH_MARGIN_SECONDS) -> None:
        self.clock = clock
        self.margin = margin
        self.lock = threading.Lock()
        self.token: Secret | None = None
        self.expires = 0.0
        self.issued: list[Secret] = []
        self.fetches = 0

    def _fetch(self) -> tuple[Secret, float]:
        raise NotImplementedError

    def current(self) -> Secret:
        with self.lock:
            if self.token is None or self.clock() >= self.expires - self.margin:
                self.token, self.expires = self._fetch()
                self.fetches += 1
                self.issued.append(self.token)
            return self.token

    def invalidate(self) -> None:
        with self.lock:
            self.token = None

    def scrub(self, text: str) -> str:
        for secret in self.issued:
            text = secret.scrub(text)
        return text


class StaticToken:
    """One token for the whole sweep."""

    def __init__(self, token: Secret) -> None:
        self.token = token

    def current(self) -> Secret:
        return self.token

    def invalidate(self) -> None:
        pass

    def scrub(self, text: str) -> str:
        return self.token.scrub(text)


def _epoch(text: object, what: str) -> float:
    if not isinstance(text, str):
        raise UsageError(f"{what}: expected an ISO 8601 time, got {type(text).__name__}")
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise UsageError(f"{what}: not an ISO 8601 time: {text[:40]!r}") from None


class AppTokens(_Refreshing):
    """Installation tokens of a GitHub App, minted from its id and private key."""

    def __init__(
        self,
        app_id: str,
        private_key: str,
        api_url: str,
        owner: str | None = None,
        installation_id: str | None = None,
        clock: Callable[[], float] = time.time,
        margin: float = REFRESH_MARGIN_SECONDS,
    ) -> None:
        super().__init__(clock, margin)
        if not (installation_id or owner):
            raise UsageError("a GitHub App needs --installation-id, or an owner (--github-org/--github-user)")
        self.app_id = app_id
        self.private_key = private_key
        self.api_url = api_url
        self.owner = owner
        self.installation_id = installation_id

    def app_jwt(self) -> str:
        """The App's own short-lived JWT (RS256), for the /app endpoints only."""
        try:
            import jwt
        except ImportError:
            raise UsageError(
                "GitHub App authentication needs PyJWT with cryptography: pip install 'stack-auditor[github-app]'"
            ) from None
        now = int(self.clock())
        claims = {"iat": now - 60, "exp": now + JWT_LIFETIME_SECONDS, "iss": self.app_id}
        try:
            return jwt.encode(claims, self.private_key, algorithm="RS256")
        except (ValueError, TypeError, jwt.PyJWTError) as error:
            raise UsageError(f"the GitHub App private key cannot sign: {type(error).__name__}") from None

    def _fetch(self) -> tuple[Secret, float]:
        from auditor.github.client import GitHubClient
        from auditor.github.errors import GitHubError

        app = GitHubClient(self.api_url, bearer_token(self.app_jwt(), "the App's JWT"))
        try:
            if self.installation_id is None:
                self.installation_id = str(self._installation(app))
            answer = app.post_json(f"/app/installations/{self.installation_id}/access_tokens", {})
        except GitHubError as error:
            raise UsageError(f"cannot get a GitHub App installation token: {error}") from None
        token = answer.get("token") if isinstance(answer, dict) else None
        if not isinstance(token, str):
            raise UsageError("GitHub answered the installation token request without a token")
        return bearer_token(token, "the installation token"), _epoch(answer.get("expires_at"), "expires_at")

    def _installation(self, app: object) -> int:
        from auditor.github.client import GitHubClient
        from auditor.github.errors import GitHubHTTPError

        assert isinstance(app, GitHubClient) and self.owner is not None
        for path in (f"/orgs/{self.owner}/installation", f"/users/{self.owner}/installation"):
            try:
                found = app.get_json(path)
            except GitHubHTTPError as error:
                if error.status == 404:
                    continue
                raise
            if isinstance(found, dict) and isinstance(found.get("id"), int):
                return int(found["id"])
        raise UsageError(f"the GitHub App {self.app_id} is not installed on {self.owner}")


class CommandTokens(_Refreshing):
    """A command (no shell) whose output is a token, or JSON ``{"token": ..., "expires_at": ...}``."""

    def __init__(
        self,
        command: str,
        ttl: float = 3000.0,
        clock: Callable[[], float] = time.time,
        margin: float = REFRESH_MARGIN_SECONDS,
    ) -> None:
        super().__init__(clock, margin)
        self.argv = shlex.split(command)
        if not self.argv:
            raise UsageError("--token-command is empty")
        self.ttl = ttl

    def _fetch(self) -> tuple[Secret, float]:
        name = Path(self.argv[0]).name
        try:
            done = subprocess.run(
                self.argv, capture_output=True, text=True, timeout=COMMAND_TIMEOUT_SECONDS, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise UsageError(f"--token-command {name} could not run: {type(error).__name__}") from None
        if done.returncode != 0:
            raise UsageError(f"--token-command {name} exited {done.returncode}")
        text = done.stdout.strip()
        expires = self.clock() + self.ttl
        if text.startswith("{"):
            try:
                data = json.loads(text)
            except ValueError:
                raise UsageError(f"--token-command {name} printed JSON that does not parse") from None
            text = str(data.get("token") or "") if isinstance(data, dict) else ""
            if isinstance(data, dict) and data.get("expires_at") is not None:
                expires = _epoch(data["expires_at"], f"--token-command {name}: expires_at")
        return bearer_token(text, f"the output of --token-command {name}"), expires
