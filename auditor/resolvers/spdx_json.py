"""SPDX 2.x JSON, including GitHub's dependency-graph export.

Read with the standard library (:func:`~auditor.locate.json.loads_located`),
which locates each package's and relationship's opening ``{`` in the same
pass. ``spdx-tools`` (0.8, measured on ../shared/corpus) was ruled out: it
takes 3 s to import, and it rejects two of the four corpus JSON files (the
sbom4python export and GitHub's osv-scanner export) over license expressions
an audit does not read; where it succeeds it is slower (bitcaster.json: 243 ms
before failing, vs 14 ms here). A document with an odd license field is still
a good dependency list. Only ``packages``, their ``purl`` external references and
``versionInfo``, ``relationships`` and ``documentDescribes`` are read; see
:mod:`auditor.resolvers._spdx` for the mapping.
"""

from __future__ import annotations

from typing import Any, ClassVar

from auditor.errors import InputError
from auditor.locate.json import json_key_line, loads_located
from auditor.model import FileRole, ResolveResult
from auditor.resolvers._sbom import LineCursor, is_pretty, name_key
from auditor.resolvers._spdx import RawPackage, RawRelationship, build

__all__ = ["SpdxJsonResolver"]

_LOCATED = frozenset({"packages", "relationships"})


class SpdxJsonResolver:
    """``*.spdx.json``; other names when the content is an SPDX JSON document."""

    name: ClassVar[str] = "spdx-json"
    role: ClassVar[FileRole] = "sbom"

    def sniff(self, head: str) -> bool:
        """A JSON object with an ``spdxVersion`` key."""
        return head.lstrip("\ufeff \t\r\n").startswith("{") and '"spdxVersion"' in head

    def parse(self, text: str, path: str) -> ResolveResult:
        """Read one SPDX JSON document (pure: no disk, no network)."""
        document, offsets = loads_located(text, path, _LOCATED)
        cursor = LineCursor(text)

        def key_line(key: str) -> int:
            return json_key_line(text, (key,))

        version = document.get("spdxVersion")
        if not isinstance(version, str) or not version.startswith("SPDX-2."):
            message = f"expected spdxVersion 'SPDX-2.x', not {version!r}"
            raise InputError(path, key_line("spdxVersion"), message)
        packages = _array(document, "packages", path, key_line)
        relationships = _array(document, "relationships", path, key_line)
        describes = document.get("documentDescribes", [])
        if not isinstance(describes, list) or not all(isinstance(d, str) for d in describes):
            message = "'documentDescribes' must be an array of strings"
            raise InputError(path, key_line("documentDescribes"), message)
        document_id = document.get("SPDXID", "SPDXRef-DOCUMENT")
        for key, items in (("packages", packages), ("relationships", relationships)):
            for n, item in enumerate(items):
                if not isinstance(item, dict):
                    kind = type(item).__name__
                    raise InputError(path, key_line(key), f"{key}[{n}] must be an object, not {kind}")
        if is_pretty(text):  # a finding points at a package's own "name" key, not the "{" that opens it
            offsets = {**offsets, **{id(item): name_key(text, offsets[id(item)]) for item in packages}}
        raw_packages = [_package(item, f"packages[{n}]", path, cursor, offsets) for n, item in enumerate(packages)]
        raw_relationships = [
            _relationship(item, f"relationships[{n}]", path, cursor, offsets) for n, item in enumerate(relationships)
        ]
        return build(path, self.name, raw_packages, raw_relationships, str(document_id), describes)


def _array(document: dict[str, Any], key: str, path: str, key_line: Any) -> list[Any]:
    value = document.get(key, [])
    if not isinstance(value, list):
        raise InputError(path, key_line(key), f"{key!r} must be an array, not {type(value).__name__}")
    return value


def _string(item: dict[str, Any], key: str, where: str, path: str, line: int, required: bool = True) -> str:
    value = item.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        problem = "missing" if value is None else f"non-string ({type(value).__name__})"
        raise InputError(path, line, f"{problem} {key!r} in {where}")
    return value


def _package(item: dict[str, Any], where: str, path: str, cursor: LineCursor, offsets: dict[int, int]) -> RawPackage:
    provenance = cursor.provenance(path, offsets[id(item)])
    line = provenance.line
    purls = []
    refs = item.get("externalRefs", [])
    if not isinstance(refs, list):
        raise InputError(path, line, f"'externalRefs' in {where} must be an array")
    for n, ref in enumerate(refs):
        if not isinstance(ref, dict):
            raise InputError(path, line, f"{where}.externalRefs[{n}] must be an object")
        if ref.get("referenceType") == "purl":
            purls.append(_string(ref, "referenceLocator", f"{where}.externalRefs[{n}]", path, line))
    return RawPackage(
        spdx_id=_string(item, "SPDXID", where, path, line),
        name=_string(item, "name", where, path, line),
        provenance=provenance,
        where=where,
        version=_string(item, "versionInfo", where, path, line, required=False),
        purls=purls,
    )


def _relationship(
    item: dict[str, Any], where: str, path: str, cursor: LineCursor, offsets: dict[int, int]
) -> RawRelationship:
    provenance = cursor.provenance(path, offsets[id(item)])
    line = provenance.line
    return RawRelationship(
        element=_string(item, "spdxElementId", where, path, line),
        type=_string(item, "relationshipType", where, path, line),
        related=_string(item, "relatedSpdxElement", where, path, line),
        provenance=provenance,
    )
