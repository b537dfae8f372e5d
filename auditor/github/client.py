"""A small GitHub REST client on the standard library (``urllib.request``).

It does what every caller needs and nothing more: the documented headers,
a token that never shows up in output, bounded retries with backoff on 5xx
and on rate limits, conditional GETs through a pluggable cache, and
``Link``-header pagination. Callers (SARIF upload, the org sweep) build on
:meth:`GitHubClient.request`, :meth:`GitHubClient.get_json`,
:meth:`GitHubClient.post_json` and :meth:`GitHubClient.paginate`.

References:
- headers and versioning: https://docs.github.com/en/rest/about-the-rest-api/api-versions
- rate limits and how to wait: https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
- conditional requests and redirects: https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api
- pagination: https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api
"""

from __future__ import annotations

import email.utils
import http.client
import json
import random
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from auditor import __version__
from auditor.github.errors import GitHubError, GitHubHTTPError, RateLimitError
from auditor.github.limits import DEFAULT_API_URL
from auditor.github.response import (
    CachedResponse,
    MemoryCache,
    Response,
    ResponseCache,
    github_message,
    headers_dict,
    parse_link_header,
    path_of,
)
from auditor.github.secret import Secret, bearer_token, token_from_env

__all__ = [
    "API_VERSION",
    "DEFAULT_API_URL",
    "CachedResponse",
    "GitHubClient",
    "MemoryCache",
    "Response",
    "ResponseCache",
    "RetryPolicy",
    "Secret",
    "parse_link_header",
    "token_from_env",
]

API_VERSION = "2022-11-28"
ACCEPT = "application/vnd.github+json"
_RETRYABLE_5XX = frozenset({500, 502, 503, 504})
# An answer bigger than this is refused, not read into memory (the largest real ones, SBOM
# exports of big monorepos, are tens of MB).
MAX_BODY_BYTES = 256 * 1024 * 1024
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How long to keep trying. Both the attempts and the total sleep are bounded."""

    max_attempts: int = 5
    base_delay: float = 1.0  # first backoff on 5xx / network errors, doubled each time
    max_delay: float = 60.0  # cap on one backoff step
    max_total_wait: float = 300.0  # cap on all sleeping for one request
    # A secondary rate limit with no header saying how long: "wait for at
    # least one minute before retrying" (rate-limits doc), then back off.
    secondary_wait: float = 60.0


def _origin(url: str) -> tuple[str, str]:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


class _SameOriginRedirect(urllib.request.HTTPRedirectHandler):
    """Follow redirects (GitHub asks clients to), but carry the token only to the same origin.

    The token is an "unredirected" header, which urllib drops on every
    redirect; it is put back only when scheme and host are unchanged (a
    renamed repository), never for a download URL on another host.
    """

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        auth = req.unredirected_hdrs.get("Authorization")
        if new is not None and auth and _origin(req.full_url) == _origin(new.full_url):
            new.add_unredirected_header("Authorization", auth)
        return new


def _retry_after_seconds(value: str, now: float) -> float | None:
    """``Retry-After`` as seconds: an integer, or an HTTP date."""
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


class GitHubClient:
    """A GitHub REST API client (github.com or GHES ``https://HOST/api/v3``).

    ``sleep``, ``wall_clock`` (epoch seconds, for ``X-RateLimit-Reset``)
    and ``jitter`` (0..1) are injectable so tests run without waiting.
    Network errors are retried for every method: a repeated SARIF upload
    is harmless (the same tool and category replace the earlier one).
    """

    def __init__(
        self,
        api_url: str = DEFAULT_API_URL,
        token: Secret | None = None,
        *,
        retry: RetryPolicy | None = None,
        cache: ResponseCache | None = None,
        timeout: float = 30.0,
        max_body_bytes: int = MAX_BODY_BYTES,
        user_agent: str = f"stack-auditor/{__version__}",
        sleep: Callable[[float], None] = time.sleep,
        wall_clock: Callable[[], float] = time.time,
        jitter: Callable[[], float] = random.random,
        opener: urllib.request.OpenerDirector | None = None,
    ) -> None:
        parts = urllib.parse.urlsplit(api_url.strip())
        if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment:
            raise GitHubError(
                f"--api-url must be an http(s) URL such as {DEFAULT_API_URL} or https://HOST/api/v3, "
                f"got {api_url!r}"
            )
        self.api_url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))
        # A token that cannot go in a header would make http.client quote it in an exception.
        self.token = None if token is None else bearer_token(token.reveal())
        self.retry = retry or RetryPolicy()
        self.cache = cache
        self.timeout = timeout
        self.max_body_bytes = max_body_bytes
        self.user_agent = user_agent
        self._sleep = sleep
        self._wall_clock = wall_clock
        self._jitter = jitter
        self._opener = opener or urllib.request.build_opener(_SameOriginRedirect())
        self.total_slept = 0.0  # for callers and tests: how long retries waited in all

    def __repr__(self) -> str:
        return f"GitHubClient(api_url={self.api_url!r}, token={self.token!r})"

    # --- public API ----------------------------------------------------------

    def url(self, path_or_url: str, params: Mapping[str, str | int] | None = None) -> str:
        """The absolute URL for an API path (``/repos/...``) or a URL GitHub gave us (``Link``).

        Absolute URLs must be on the API's own origin: the token goes nowhere else.
        """
        if path_or_url.startswith(("https://", "http://")):
            if _origin(path_or_url) != _origin(self.api_url):
                raise GitHubError(f"refusing to send the token to another host: {_origin(path_or_url)[1]}")
            url = path_or_url
        else:
            url = self.api_url + "/" + path_or_url.lstrip("/")
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        return url

    def request(
        self,
        method: str,
        path_or_url: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """Send one request, retrying 5xx, network errors and rate limits within :class:`RetryPolicy`.

        A 2xx is returned; any other final status raises :class:`GitHubHTTPError`.
        A GET is conditional when a cache is set and holds an ETag for the URL;
        a 304 then returns the cached body with ``from_cache=True``.
        """
        method = method.upper()
        url = self.url(path_or_url, params)
        data = None if json_body is None else json.dumps(json_body).encode()
        cached = self.cache.get(url) if self.cache is not None and method == "GET" else None
        extra = dict(headers or {})
        if cached is not None:
            if cached.etag:
                extra["If-None-Match"] = cached.etag
            if cached.last_modified:
                extra["If-Modified-Since"] = cached.last_modified
        policy = self.retry
        waited = 0.0
        attempt = 0
        while True:
            attempt += 1
            response: Response | None = None
            try:
                response = self._send(method, url, data, extra)
            except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
                reason = self._scrub(f"could not reach {_origin(url)[1]}: {getattr(exc, 'reason', exc)}")
                delay = self._backoff(attempt)
            else:
                if response.status == 304 and cached is not None:
                    return Response(cached.status, cached.headers, cached.body, url, from_cache=True)
                if 200 <= response.status < 300:
                    self._remember(method, url, response)
                    return response
                wait, reason = self._retry_delay(response, attempt)
                if wait is None:
                    raise self._http_error(method, response)
                delay = wait
            if attempt >= policy.max_attempts or waited + delay > policy.max_total_wait:
                summary = f"{reason}; gave up after {attempt} attempt(s) and {waited:.0f}s of waiting"
                if response is not None:
                    error = self._http_error(method, response)
                    kind = GitHubHTTPError if response.status in _RETRYABLE_5XX else RateLimitError
                    raise kind(
                        self._scrub(f"{error}; {summary}"),
                        status=error.status,
                        github_message=error.github_message,
                    )
                raise GitHubError(summary)
            self._sleep(delay)
            waited += delay
            self.total_slept += delay

    def get_json(self, path_or_url: str, params: Mapping[str, str | int] | None = None) -> Any:
        """GET and decode JSON."""
        return self.request("GET", path_or_url, params=params).json()

    def post_json(self, path_or_url: str, body: Any) -> Any:
        """POST a JSON body and decode the JSON answer."""
        return self.request("POST", path_or_url, json_body=body).json()

    def paginate(
        self,
        path_or_url: str,
        params: Mapping[str, str | int] | None = None,
        *,
        items_key: str | None = None,
    ) -> Iterator[Any]:
        """Every item of a list endpoint, following ``Link: rel="next"`` (never building page URLs).

        ``items_key`` names the list inside an object answer, e.g.
        ``"repositories"`` for ``GET /installation/repositories``.
        """
        url: str | None = self.url(path_or_url, params)
        while url is not None:
            response = self.request("GET", url)
            page = response.json()
            if items_key is not None and isinstance(page, dict):
                page = page.get(items_key)
            if not isinstance(page, list):
                raise GitHubError(f"expected a list from {path_of(url)}, got {type(page).__name__}")
            yield from page
            url = response.next_url

    # --- internals -----------------------------------------------------------

    def _scrub(self, text: str) -> str:
        return self.token.scrub(text) if self.token is not None else text

    def _send(self, method: str, url: str, data: bytes | None, extra: Mapping[str, str]) -> Response:
        request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 (scheme checked in __init__)
        request.add_header("Accept", ACCEPT)
        request.add_header("X-GitHub-Api-Version", API_VERSION)
        request.add_header("User-Agent", self.user_agent)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        for name, value in extra.items():
            request.add_header(name, value)
        if self.token is not None:
            request.add_unredirected_header("Authorization", f"Bearer {self.token.reveal()}")
        deadline = time.monotonic() + self.timeout
        try:
            with self._opener.open(request, timeout=self.timeout) as answer:
                body = self._read_body(answer, url, deadline)
                return Response(answer.status, headers_dict(answer.headers), body, answer.geturl())
        except urllib.error.HTTPError as exc:
            with exc:
                body = self._read_body(exc, url, deadline)
            return Response(exc.code, headers_dict(exc.headers), body, url)

    def _read_body(self, answer: Any, url: str, deadline: float) -> bytes:
        """The body, read in chunks: at most ``max_body_bytes``, and within the request's deadline.

        A server that drips a byte at a time never trips the socket timeout (each
        read gets something); the deadline (``timeout`` for the whole request)
        ends it after at most one more read. Hitting it is a network error (retried).
        """
        chunks: list[bytes] = []
        size = 0
        read = getattr(answer, "read1", answer.read)  # read1: one socket read, not "until the chunk is full"
        while True:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no complete answer within {self.timeout:g}s (--timeout)")
            chunk = read(_CHUNK)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > self.max_body_bytes:
                raise GitHubError(f"{path_of(url)}: answer over {self.max_body_bytes} bytes: refused")
            chunks.append(chunk)

    def _remember(self, method: str, url: str, response: Response) -> None:
        if self.cache is None or method != "GET" or response.status != 200:
            return
        etag, modified = response.header("etag"), response.header("last-modified")
        if etag or modified:
            self.cache.put(
                url, CachedResponse(etag, modified, response.status, response.headers, response.body)
            )

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with "equal jitter": half fixed, half random."""
        step = min(self.retry.max_delay, self.retry.base_delay * 2.0 ** (attempt - 1))
        return step / 2 + step / 2 * self._jitter()

    def _retry_delay(self, response: Response, attempt: int) -> tuple[float | None, str]:
        """How long to wait before retrying ``response``; ``None`` when it must not be retried."""
        status = response.status
        if status in _RETRYABLE_5XX:
            return self._backoff(attempt), f"GitHub answered {status}"
        if status not in (403, 429):
            return None, ""
        now = self._wall_clock()
        retry_after = response.header("retry-after")
        if retry_after is not None:
            seconds = _retry_after_seconds(retry_after, now)
            if seconds is not None:
                return seconds, f"rate limited ({status}, Retry-After {retry_after.strip()})"
        reset = response.header("x-ratelimit-reset")
        if response.header("x-ratelimit-remaining") == "0" and reset is not None:
            try:
                seconds = max(0.0, float(reset) - now) + 1.0  # +1: the reset second itself
            except ValueError:
                seconds = None
            if seconds is not None:
                return seconds, f"rate limit exhausted ({status}), resets in {seconds:.0f}s"
        if status == 429 or "rate limit" in github_message(response).lower():
            wait = self.retry.secondary_wait * 2.0 ** (attempt - 1)
            return wait, f"secondary rate limit ({status})"
        return None, ""  # a plain 403: permissions, not throttling

    def _http_error(self, method: str, response: Response) -> GitHubHTTPError:
        message = github_message(response, self._scrub)
        text = f"{method} {path_of(response.url)}: HTTP {response.status}"
        if message:
            text += f": {message}"
        return GitHubHTTPError(self._scrub(text), status=response.status, github_message=self._scrub(message))
