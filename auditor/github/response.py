"""Plain data for the REST client: responses, the conditional-request cache, ``Link`` parsing."""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from auditor.github.errors import GitHubError

__all__ = [
    "CachedResponse",
    "MemoryCache",
    "Response",
    "ResponseCache",
    "github_message",
    "headers_dict",
    "parse_link_header",
    "path_of",
]


@dataclass(frozen=True, slots=True)
class Response:
    """One HTTP answer: status, headers (keys lower-cased), raw body."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    url: str
    from_cache: bool = False

    def header(self, name: str) -> str | None:
        """A header value by case-insensitive name."""
        return self.headers.get(name.lower())

    def json(self) -> Any:
        """The body as JSON; a :class:`GitHubError` (not a traceback) if it is not JSON."""
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            raise GitHubError(
                f"GitHub answered {self.status} with a body that is not JSON ({path_of(self.url)})"
            ) from None

    @property
    def next_url(self) -> str | None:
        """The ``rel="next"`` page from the ``Link`` header, if any."""
        return parse_link_header(self.header("link") or "").get("next")


@dataclass(frozen=True, slots=True)
class CachedResponse:
    """What a conditional GET needs to revalidate a previous 200."""

    etag: str | None
    last_modified: str | None
    status: int
    headers: Mapping[str, str]
    body: bytes


class ResponseCache(Protocol):
    """Storage for ETag revalidation, keyed by full request URL.

    GitHub's ETags depend on the token (a new token gets 200, not 304), so a
    cache only pays off while the same token is in use; a 304 does not count
    against the primary rate limit.
    """

    def get(self, key: str) -> CachedResponse | None:
        """The entry stored for ``key``."""

    def put(self, key: str, entry: CachedResponse) -> None:
        """Store ``entry`` for ``key``, replacing any previous one."""


@dataclass
class MemoryCache:
    """An in-process :class:`ResponseCache` (a dict)."""

    entries: dict[str, CachedResponse] = field(default_factory=dict)

    def get(self, key: str) -> CachedResponse | None:
        """The entry stored for ``key``."""
        return self.entries.get(key)

    def put(self, key: str, entry: CachedResponse) -> None:
        """Store ``entry`` for ``key``."""
        self.entries[key] = entry


_LINK_PART = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]*\s*)*)")
_REL = re.compile(r"""rel\s*=\s*"?([^";]+)"?""", re.IGNORECASE)


def parse_link_header(value: str) -> dict[str, str]:
    """``{rel: url}`` from an RFC 8288 ``Link`` header (``<url>; rel="next", ...``)."""
    links: dict[str, str] = {}
    for match in _LINK_PART.finditer(value):
        rel = _REL.search(match.group(2))
        if rel:
            for name in rel.group(1).split():
                links.setdefault(name.lower(), match.group(1))
    return links


def path_of(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def headers_dict(message: Any) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in message.items() if message is not None else ():
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers


MAX_MESSAGE_CHARS = 200


def github_message(response: Response, scrub: Callable[[str], str] = str) -> str:
    """GitHub's error text: ``message`` plus any ``errors[]`` details; else a short body excerpt.

    ``scrub`` (the token's) runs on the whole text *before* it is cut to
    :data:`MAX_MESSAGE_CHARS`: cutting first would leave most of an echoed token.
    """
    try:
        payload = json.loads(response.body or b"null")
    except ValueError:
        return _cut(scrub(response.body[:65536].decode("utf-8", "replace").strip()), MAX_MESSAGE_CHARS)
    return _cut(scrub(_json_message(payload)), 10 * MAX_MESSAGE_CHARS)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _json_message(payload: Any) -> str:
    if not isinstance(payload, dict):
        return ""
    message = str(payload.get("message") or "")
    details = []
    for item in payload.get("errors") or ():
        if isinstance(item, dict):
            details.append(str(item.get("message") or item.get("code") or item))
        else:
            details.append(str(item))
    if details:
        message = f"{message} ({'; '.join(details)})" if message else "; ".join(details)
    return message
