"""Escaping of input-derived text for each output medium (package names, paths, messages are hostile).

* terminal: control characters (ESC, CR, newline, C1, bidi overrides) shown
  as ``\\x1b``-style escapes, so an input cannot move the cursor, recolour,
  clear the screen or print a fake "0 errors" line;
* Markdown: punctuation that would format, link, mention or open HTML is
  backslash-escaped, code spans get a fence longer than any backtick run;
* CSV: a cell a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``,
  tab, CR) is prefixed with ``'`` (OWASP's advice);
* SARIF: artifact URIs are percent-encoded (``#``, ``?``, ``%``, space...).
"""

from __future__ import annotations

import hashlib
import re
import urllib.parse
from collections.abc import Collection

__all__ = ["csv_cell", "file_stem", "md_code", "md_text", "terminal", "uri_path"]

# C0 controls but tab, DEL, C1 controls, and the bidirectional overrides/isolates.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# What formats inline in a table cell (emphasis, code, links/images, HTML, entities, strike,
# mentions, cell breaks); "#", "-", "+" only act at the start of a line, which a cell is not.
_MD_ACTIVE = re.compile(r"([\\`*_\[\]<>|~@&])")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _escape_control(found: re.Match[str]) -> str:
    char = found.group(0)
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal(text: str) -> str:
    """``text`` safe to print on a terminal: every control character as a visible escape."""
    return _CONTROL.sub(_escape_control, text)


def md_text(text: str) -> str:
    """``text`` as literal Markdown (GitHub-flavoured): no emphasis, link, heading, HTML or mention."""
    return _MD_ACTIVE.sub(r"\\\1", terminal(text).replace("\n", " "))


def md_code(text: str) -> str:
    """``text`` as an inline code span that no backtick in it can close early."""
    text = terminal(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or longest else ""
    return f"{fence}{pad}{text.replace('|', chr(92) + '|')}{pad}{fence}"  # \| even in code, in a table


def csv_cell(value: object) -> object:
    """``value``, its control characters escaped; text a spreadsheet would evaluate behind a ``'``."""
    if not isinstance(value, str):
        return value
    if value.startswith(_FORMULA_START):
        value = "'" + value
    return terminal(value)


def uri_path(path: str) -> str:
    """A relative file path as a URI reference: ``/`` kept, everything else reserved percent-encoded."""
    return urllib.parse.quote(path, safe="/")


_UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def file_stem(name: str, reserved: Collection[str] = ()) -> str:
    """A file name for ``name`` (``owner/name`` -> ``owner__name``), different for different names.

    Plain names map as they read. A name the plain mapping could confuse with
    another (characters replaced, ``__`` or ``_`` next to ``/`` in it, leading
    or trailing ``/``, a ``reserved`` stem such as ``root``) gets ``-`` and 12
    hex digits of its SHA-256: ``a/b`` is ``a__b``, ``a__b`` is ``a__b-<hash>``.
    """
    joined = name.strip("/").replace("/", "__")
    cleaned = _UNSAFE_IN_FILE_NAME.sub("_", joined).strip(".") or "_"
    ambiguous = (
        cleaned != joined
        or cleaned != name.replace("/", "__")
        or any(mark in name for mark in ("__", "_/", "/_"))
        or cleaned in reserved
    )
    if ambiguous:
        cleaned += "-" + hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    return cleaned
