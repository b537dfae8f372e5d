"""Which git URLs the sweep may hand to git: hostile entries never become options or transports.

A URL comes from a ``--repos`` list or an API answer. It is refused when it
starts with ``-`` (git would read ``--upload-pack=...`` as an option), uses
transport syntax (``ext::cmd``, ``fd::``), holds control characters, or has a
scheme outside the allow-list of where it came from.
"""

from __future__ import annotations

import re

__all__ = ["CLONE_SCHEMES", "REMOTE_SCHEMES", "GitError", "check_url", "url_scheme"]


class GitError(Exception):
    """A git command failed; the message is already scrubbed of credentials."""


# What a remote URL may use: REMOTE_SCHEMES for anything a listing names; "file" only where the
# user asked for local sources (a --repos list); "http" only where the user's own API URL is http.
REMOTE_SCHEMES = frozenset({"https", "ssh"})
# Clones only follow URLs already admitted where they entered (a --repos list, a checked listing).
CLONE_SCHEMES = REMOTE_SCHEMES | {"file", "http"}
_SCP_LIKE = re.compile(r"^[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+:(?!//)")
_TRANSPORT_PREFIX = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*::")


def url_scheme(url: str) -> str:
    """The protocol git would use for ``url`` (``ssh`` for scp-like ``user@host:path``); ``""`` if none."""
    if "://" in url:
        return url.split("://", 1)[0].lower()
    return "ssh" if _SCP_LIKE.match(url) else ""


def check_url(url: str, schemes: frozenset[str] = REMOTE_SCHEMES) -> str:
    """``url`` if git may be pointed at it, else :class:`GitError` saying why.

    Refused: anything starting with ``-`` (git would read an option such as
    ``--upload-pack``), transport syntax (``ext::cmd``, ``fd::``), control
    characters, and a scheme outside ``schemes``.
    """
    from auditor.redact import redact

    shown = redact(url).encode("unicode_escape").decode("ascii")[:200]
    if not url or url.lstrip().startswith("-"):
        raise GitError(f"refused git URL {shown!r}: it would be read as a git option")
    if _TRANSPORT_PREFIX.match(url) or any(ord(c) < 32 or ord(c) == 127 for c in url):
        raise GitError(f"refused git URL {shown!r}: transport syntax or control characters")
    scheme = url_scheme(url)
    if scheme not in schemes:
        allowed = ", ".join(sorted(schemes))
        raise GitError(f"refused git URL {shown!r}: scheme {scheme or '(none)'!r} is not one of {allowed}")
    return url
