"""A token that never shows up in output: ``str``/``repr`` print ``***``, and it scrubs itself from text."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from auditor.github.errors import GitHubError

__all__ = ["MIN_SECRET_PIECE", "TOKEN_ENV_VARS", "Secret", "bearer_token", "scrub_pieces", "token_from_env"]

TOKEN_ENV_VARS = ("GH_TOKEN", "GITHUB_TOKEN")  # gh reads GH_TOKEN first

# Printable ASCII without spaces: anything else cannot be sent in a header,
# and http.client would quote the offending value in its exception text.
_TOKEN_CHARS = re.compile(r"^[\x21-\x7e]+$")


# A cut, wrapped or partly echoed token is still a leak: any run of this many of its characters goes.
MIN_SECRET_PIECE = 8


def scrub_pieces(text: str, secret: str) -> str:
    """``text`` with every run of ``MIN_SECRET_PIECE``+ characters that is part of ``secret`` as ``***``.

    Each window of ``MIN_SECRET_PIECE`` characters of the secret is searched;
    the spans found are merged, so a longer piece becomes one ``***``.
    """
    if not secret or not text:
        return text
    size = min(MIN_SECRET_PIECE, len(secret))
    spans: list[tuple[int, int]] = []
    for window in {secret[i : i + size] for i in range(len(secret) - size + 1)}:
        start = text.find(window)
        while start != -1:
            spans.append((start, start + size))
            start = text.find(window, start + 1)
    if not spans:
        return text
    spans.sort()
    pieces: list[str] = []
    position = 0
    end = -1
    for start, stop in spans:
        if start > end:
            if end >= 0:
                pieces.append("***")
            pieces.append(text[position:start])
        end = max(end, stop)
        position = end
    pieces.append("***")
    pieces.append(text[position:])
    return "".join(pieces)


class Secret:
    """A credential that prints as ``***`` (``str``, ``repr``, f-strings) and can scrub itself from text."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not value:
            raise ValueError("a secret must not be empty")
        self._value = value

    def reveal(self) -> str:
        """The real value: only for the ``Authorization`` header."""
        return self._value

    def scrub(self, text: str) -> str:
        """``text`` with the secret, and any piece of it of 8 or more characters, replaced by ``***``."""
        return scrub_pieces(text, self._value)

    def __repr__(self) -> str:
        return "Secret('***')"

    def __str__(self) -> str:
        return "***"

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickling would copy the value into a byte stream we do not control.
        raise TypeError("a Secret cannot be pickled")


def bearer_token(value: str, source: str = "the token") -> Secret:
    """``value`` as a :class:`Secret`, refused (without quoting it) if it cannot go in a header."""
    if not _TOKEN_CHARS.match(value):
        # Never quote the value: say only what is wrong with it.
        raise GitHubError(
            f"{source} is not a usable token: it is empty or has spaces or non-ASCII characters"
        )
    return Secret(value)


def token_from_env(environ: Mapping[str, str]) -> Secret | None:
    """The token from ``GH_TOKEN``, else ``GITHUB_TOKEN`` (as ``gh`` does); ``None`` if neither is set."""
    for name in TOKEN_ENV_VARS:
        value = environ.get(name, "").strip()
        if value:
            return bearer_token(value, name)
    return None
