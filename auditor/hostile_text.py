"""Input text and names that Python accepts but no output can carry, caught where they enter.

* A JSON ``\\ud800`` escape decodes to a lone surrogate, a ``str`` that cannot
  be encoded as UTF-8: every output would fail at the end of the run.
* A file name that is not UTF-8 reaches Python as surrogate escapes, likewise.
* An integer literal of more than 4,300 digits makes ``int()`` (inside
  ``tomli`` and ``json``) raise a plain ``ValueError``.

Each becomes a located error for its file; the rest of the run goes on.
"""

from __future__ import annotations

import re

from auditor.errors import InputError
from auditor.findings import InputFailure

__all__ = ["NOT_UTF8_NAME", "checked_text", "is_utf8", "number_failure", "number_line", "shown_name"]

NOT_UTF8_NAME = "file name is not valid UTF-8 (shown with \\u escapes): not read"

# An escape (preceded by an even number of backslashes) of a high surrogate not followed by a low
# one, or of a low surrogate not preceded by a high one.
_LONE_SURROGATE = re.compile(
    r"(?<!\\)(?:\\\\)*(\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2})"
)
_LONG_NUMBER = re.compile(r"[0-9][0-9_]{4300,}")


def is_utf8(name: str) -> bool:
    """Whether ``name`` (as ``os.fsdecode`` gave it) is valid Unicode, i.e. can be written out."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown_name(name: str) -> str:
    """``name`` with its undecodable bytes as ``\\udcXX`` escapes: printable anywhere."""
    return name.encode("utf-8", "backslashreplace").decode("utf-8")


def checked_text(text: str, path: str) -> str:
    """``text`` if a JSON document in it cannot decode to a lone surrogate, else a located error.

    Only JSON documents are looked at (TOML parsers refuse surrogate escapes
    themselves; other formats have no escapes).
    """
    if "\\u" not in text or text.lstrip()[:1] not in ("{", "["):
        return text
    found = _LONE_SURROGATE.search(text)
    if found is None:
        return text
    escape = found.group(1)
    line = text.count("\n", 0, found.start(1)) + 1
    raise InputError(path, line, f"lone surrogate escape {escape} in a JSON string: not valid Unicode")


def number_line(text: str) -> int:
    """The 1-based line of the first integer literal over 4,300 digits in ``text``; 0 if none."""
    found = _LONG_NUMBER.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else 0


def number_failure(path: str, error: ValueError, text: str | None = None) -> InputFailure:
    """The failure for a ``ValueError`` out of a parser: a too-long integer, or the error as it reads."""
    message = str(error)
    if "integer string conversion" in message or "digits" in message:
        line = number_line(text) if text is not None else 0
        return InputFailure(path, line, "integer literal over 4,300 digits: refused")
    return InputFailure(path, 0, f"cannot be read: {message[:300]}")
