"""Credentials in URLs that inputs carry (``https://user:token@host/...``) never reach an output.

A requirements line, an index option, a direct reference, a purl's
``download_url`` or a VCS URL may embed a password or a token. Every text a
resolver keeps (declaring lines, specifiers, purls, skipped entries, error
messages) goes through :func:`redact` once, as the file's result enters the
audit, so no renderer, summary or history has to remember to.
"""

from __future__ import annotations

import re
from dataclasses import replace

from auditor.model import Edge, Include, Package, Provenance, ResolveResult, Skipped

__all__ = ["redact", "redact_result"]

# scheme://userinfo@ (also percent-encoded, as purl qualifiers carry it: %3A%2F%2F, %40).
_USERINFO = re.compile(r"(?i)(\b[a-z][a-z0-9+.\-]*(?:://|%3A%2F%2F))([^\s/@'\"<>]+?)(@|%40)")


def _mask(found: re.Match[str]) -> str:
    scheme, userinfo, at = found.group(1), found.group(2), found.group(3)
    if userinfo == "git":  # git@host: a user name every forge uses, no secret
        return found.group(0)
    for colon in (":", "%3A", "%3a"):
        if colon in userinfo:
            return f"{scheme}{userinfo.split(colon, 1)[0]}{colon}***{at}"
    return f"{scheme}***{at}"


def redact(text: str) -> str:
    """``text`` with the password (or lone token) of each URL's userinfo replaced by ``***``."""
    if "@" not in text and "%40" not in text:
        return text
    return _USERINFO.sub(_mask, text)


def _provenance(at: Provenance | None) -> Provenance | None:
    if at is None or "@" not in at.text:
        return at
    return at._replace(text=redact(at.text))


def redact_result(result: ResolveResult) -> ResolveResult:
    """``result`` with URL credentials masked in every text it keeps (in place; returned for chaining)."""
    for package in result.packages:
        _package(package)
    result.edges = [_edge(edge) for edge in result.edges]
    result.skipped = [
        Skipped(redact(s.name), redact(s.reason), _provenance(s.provenance)) for s in result.skipped
    ]
    result.includes = [
        Include(redact(i.target), i.kind, _provenance(i.provenance) or i.provenance) for i in result.includes
    ]
    result.projects = [replace(p, provenance=_provenance(p.provenance)) for p in result.projects]
    return result


def _package(package: Package) -> None:
    package.provenance = _provenance(package.provenance)
    if package.purl:
        package.purl = redact(package.purl)


def _edge(edge: Edge) -> Edge:
    if "@" not in edge.specifier and (edge.provenance is None or "@" not in edge.provenance.text):
        return edge
    return edge._replace(specifier=redact(edge.specifier), provenance=_provenance(edge.provenance))
