"""A token that never shows up in output: ``str``/``repr`` print ``***``, and it scrubs itself from text."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from auditor.github.errors import GitHubError

__all__ = ["TOKEN_ENV_VARS", "Secret", "bearer_token", "token_from_env"]

TOKEN_ENV_VARS = ("GH_TOKEN", "GITHUB_TOKEN")  # gh reads GH_TOKEN first

# Printable ASCII without spaces: anything else cannot be sent in a header,
# and http.client would quote the offending value in its exception text.
_TOKEN_CHARS = re.compile(r"^[\x21-\x7e]+$")


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
        """``text`` with every occurrence of the secret replaced by ``***``."""
        return text.replace(self._value, "***")

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
