"""Helpers the SBOM resolvers share: package URLs and package identity.

A package in an SBOM is identified by its purl (https://github.com/package-url/purl-spec):
the purl *type* is the ecosystem, and the name is PEP 503-normalized for
``pypi`` and kept as the purl's ``namespace/name`` otherwise (``@angular/core``,
``laravel/framework``), because other ecosystems have their own, different
normalization rules.

``packageurl.PackageURL.from_string`` costs about 17 µs a purl, more than
``json.loads`` spends on a whole component; the common case of a SBOM made for
a Python project, a plain ``pkg:pypi/<name>@<version>``, therefore takes a
regex fast path whose result is identical (the name is normalized by us anyway,
and a purl without ``%``, ``?`` or ``#`` has nothing to unquote). Anything
else goes through ``packageurl``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from auditor.model import NormalizedName, Provenance, SourceKind, canonical_name

__all__ = ["LineCursor", "Purl", "clip", "identity", "parse_purl"]

_SIMPLE_PYPI = re.compile(r"pkg:pypi/([A-Za-z0-9][A-Za-z0-9._-]*)(?:@([A-Za-z0-9._+!-]+))?")


class Purl(NamedTuple):
    """The parts of a package URL an auditor needs (a tuple: cheap to make 10,000 of)."""

    type: str
    namespace: str | None
    name: str
    version: str | None
    source: SourceKind = "registry"


def parse_purl(text: str) -> Purl:
    """Parse a purl; ``ValueError`` (with packageurl's reason) when it is not one."""
    simple = _SIMPLE_PYPI.fullmatch(text)
    if simple is not None:
        return Purl("pypi", None, simple.group(1), simple.group(2))
    from packageurl import PackageURL

    parsed = PackageURL.from_string(text)
    qualifiers = parsed.qualifiers if isinstance(parsed.qualifiers, dict) else {}
    return Purl(
        parsed.type,
        parsed.namespace or None,
        parsed.name,
        parsed.version or None,
        _source(qualifiers),
    )


def _source(qualifiers: dict[str, str]) -> SourceKind:
    """cyclonedx-py marks non-index installs with ``vcs_url`` / ``download_url`` qualifiers."""
    if "vcs_url" in qualifiers:
        return "vcs"
    url = qualifiers.get("download_url") or qualifiers.get("file_name")
    if url is None:
        return "registry"
    return "path" if url.startswith("file:") else "url"


def identity(ecosystem: str, namespace: str | None, name: str) -> NormalizedName:
    """The graph name of a package: PEP 503 for pypi, ``namespace/name`` as written otherwise."""
    if ecosystem == "pypi":
        return canonical_name(name)
    return NormalizedName(f"{namespace}/{name}" if namespace else name)


MAX_TEXT = 200


def clip(line: str, column: int) -> str:
    """The declaring line, stripped; for a minified document, the part from ``column`` on."""
    if len(line) > MAX_TEXT:
        return line[column : column + MAX_TEXT].strip()
    return line.strip()


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]]')
_COLON = re.compile(r"\s*:")


def name_key(text: str, start: int) -> int:
    """Offset of the object's own ``"name"`` key (not a nested licence's), else ``start`` (its ``{``)."""
    depth = 0
    for token in _TOKEN.finditer(text, start):
        value = token.group()
        if value in "{[":
            depth += 1
        elif value in "}]":
            depth -= 1
            if depth == 0:
                break
        elif depth == 1 and value == '"name"' and _COLON.match(text, token.end()):
            return token.start()
    return start


def is_pretty(text: str) -> bool:
    """Whether a JSON document spreads over lines (minified: every key is on the one line)."""
    return "\n" in text[:8192].strip()


class LineCursor:
    """Offsets to provenance, for offsets met (mostly) in increasing order.

    :class:`~auditor.resolvers.base.LineIndex` first splits the whole text into
    lines in Python; for a 10,000-component SBOM (330,000 lines) that alone
    costs more than decoding the JSON. Counting newlines between consecutive
    offsets with ``str.count`` runs in C and touches each character once.
    """

    __slots__ = ("_line", "_offset", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._offset = 0
        self._line = 1

    def line(self, offset: int) -> int:
        """The 1-based line of ``offset``."""
        if offset >= self._offset:
            self._line += self.text.count("\n", self._offset, offset)
        else:
            self._line = self.text.count("\n", 0, offset) + 1
        self._offset = offset
        return self._line

    def provenance(self, file: str, offset: int) -> Provenance:
        """File, line, column and the stripped text of the line holding ``offset``."""
        text = self.text
        line = self.line(offset)
        start = text.rfind("\n", 0, offset) + 1
        end = text.find("\n", offset)
        raw = text[start : end if end >= 0 else len(text)]
        return Provenance(file, line, offset - start + 1, clip(raw, offset - start))
