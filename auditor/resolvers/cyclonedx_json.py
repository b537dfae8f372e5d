"""CycloneDX JSON (spec 1.2 to 1.6): components, scopes and the dependency graph.

Why not cyclonedx-python-lib's ``Bom.from_json``: it reads every corpus file
(1.2 to 1.6) correctly, but it builds the whole object model through
py-serializable: on a generated 10,000-component document (7.5 MB, 30,000
edges; ``benchmarks/sbom_parse.py``) it takes 15 to 33 s where ``json.loads``
takes 0.09 to 0.19 s and this module 0.5 to 0.7 s (ranges: a shared, loaded
machine), i.e. about 175x ``json.loads`` against about 4x here, most of which
is building the model's 10,000 packages and 30,000 edges; and it drops
positions. An audit of a large SBOM must cost little more than reading it,
so this module reads the document with the standard library:
:func:`~auditor.locate.json.loads_located` drives the C JSON scanner
and records the offset of each component's opening ``{`` on the way (one
pass, in document order), which becomes the component's provenance line.
cyclonedx-python-lib stays the reference: the tests check our fixtures
against its ``JsonStrictValidator``, and the CycloneDX renderer writes
through it.

Only what the audit needs is read: ``metadata.component`` (the project),
``components`` (recursively), ``dependencies``. Other keys (services,
licenses, vulnerabilities...) are ignored. See :mod:`auditor.resolvers._cyclonedx`
for the mapping of scopes and edges.
"""

from __future__ import annotations

from typing import Any, ClassVar

from auditor.errors import InputError
from auditor.locate.json import json_key_line, loads_located
from auditor.model import FileRole, Provenance, ResolveResult, Skipped
from auditor.resolvers._cyclonedx import RawComponent, RawDependency, build
from auditor.resolvers._sbom import LineCursor, is_pretty, name_key

__all__ = ["CycloneDxJsonResolver"]

_LOCATED = frozenset({"components", "component", "dependencies"})


class CycloneDxJsonResolver:
    """``*.cdx.json`` and ``bom.json``; other names when the content says CycloneDX."""

    name: ClassVar[str] = "cyclonedx-json"
    role: ClassVar[FileRole] = "sbom"

    def sniff(self, head: str) -> bool:
        """A JSON object naming CycloneDX; cyclonedx-py sorts keys, so ``bomFormat`` may come
        last: a ``bom-ref`` key (CycloneDX's own) next to ``components`` is enough."""
        if not head.lstrip("\ufeff \t\r\n").startswith("{"):
            return False
        if '"bomFormat"' in head and '"CycloneDX"' in head:
            return True
        return "cyclonedx.org/schema/bom" in head or ('"bom-ref"' in head and '"components"' in head)

    def parse(self, text: str, path: str) -> ResolveResult:
        """Read one CycloneDX JSON document (pure: no disk, no network)."""
        document, offsets = loads_located(text, path, _LOCATED)
        reader = _Reader(text, path, offsets)
        fmt = document.get("bomFormat")
        if fmt is not None and fmt != "CycloneDX":
            raise InputError(path, reader.key_line("bomFormat"), f"bomFormat is {fmt!r}, not 'CycloneDX'")
        spec = _check_spec_version(document, reader, path)
        metadata = document.get("metadata", {})
        if not isinstance(metadata, dict):
            raise InputError(path, reader.key_line("metadata"), "'metadata' must be an object")
        root = metadata.get("component")
        parts: list[RawComponent] = []
        raw_root = reader.component(root, "metadata.component", None, parts) if root is not None else None
        components: list[RawComponent] = []
        reader.components(document.get("components", []), "components", components)
        dependencies = reader.dependencies(document.get("dependencies", []))
        result = build(path, self.name, raw_root, components, dependencies, parts)
        result.skipped.extend(_later_fields(document, spec, reader, path))
        return result


SPEC_VERSIONS = ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7")
# Component and document fields by the CycloneDX version that introduced them (the schemas' changelogs).
_LATER_FIELDS = {
    "evidence": "1.3",
    "properties": "1.3",
    "releaseNotes": "1.4",
    "signature": "1.4",
    "modelCard": "1.5",
    "data": "1.5",
    "cryptoProperties": "1.6",
    "omniborId": "1.6",
    "swhid": "1.6",
    "manufacturer": "1.6",
    "vulnerabilities": "1.4",
    "formulation": "1.5",
    "annotations": "1.5",
    "definitions": "1.6",
    "declarations": "1.6",
}


def _check_spec_version(document: dict[str, Any], reader: _Reader, path: str) -> str | None:
    """``specVersion`` must name a CycloneDX version we know; a BOM that claims 9.9 is not read."""
    spec = document.get("specVersion")
    if spec is None:
        return None  # 1.0/1.1 JSON had none; the rest of the document is still checked
    if not isinstance(spec, str):
        line = reader.key_line("specVersion")
        raise InputError(path, line, f"'specVersion' must be a string like \"1.6\", not {type(spec).__name__}")
    if spec not in SPEC_VERSIONS:
        line = reader.key_line("specVersion")
        raise InputError(path, line, f"unsupported CycloneDX specVersion {spec!r} (expected 1.0 to 1.7)")
    return spec


def _later_fields(document: dict[str, Any], spec: str | None, reader: _Reader, path: str) -> list[Skipped]:
    """Fields from a later spec than the one declared: read anyway, and said, located."""
    if spec is None:
        return []
    declared = tuple(int(p) for p in spec.split("."))
    found: dict[str, tuple[str, tuple[str | int, ...]]] = {}
    components = document.get("components", [])
    objects: list[tuple[tuple[str | int, ...], Any]] = [((), document)]
    objects += [(("components", n), c) for n, c in enumerate(components if isinstance(components, list) else [])]
    for where, obj in objects:
        for key in obj if isinstance(obj, dict) else ():
            since = _LATER_FIELDS.get(key)
            if since and tuple(int(p) for p in since.split(".")) > declared:
                found.setdefault(key, (since, (*where, key)))
    return [
        Skipped(
            name=key,
            reason=f"a CycloneDX {since} field in a document that declares specVersion {spec}: read anyway",
            provenance=Provenance(path, reader.key_line(*at), 1, f'"{key}"'),
        )
        for key, (since, at) in sorted(found.items())
    ]


def _licence(value: Any) -> str:
    """``licenses``: an SPDX expression, or the ids (else names) of the listed licences joined with AND."""
    if not isinstance(value, list):
        return ""
    parts = []
    for choice in value:
        if not isinstance(choice, dict):
            continue
        if isinstance(choice.get("expression"), str):
            parts.append(choice["expression"])
        elif isinstance(choice.get("license"), dict):
            licence = choice["license"]
            text = licence.get("id") or licence.get("name")
            if isinstance(text, str) and text:
                parts.append(text)
    return " AND ".join(parts)


class _Reader:
    """Checks shapes and turns located dicts into raw components, with located messages."""

    def __init__(self, text: str, path: str, offsets: dict[int, int]) -> None:
        self.index = LineCursor(text)
        self.path = path
        self.offsets = offsets
        self.pretty = is_pretty(text)

    def key_line(self, *path: str | int) -> int:
        """Line of the key at ``path`` (a top-level key when only a name is given); 0 when absent."""
        return json_key_line(self.index.text, path, 0)

    def components(self, value: Any, where: str, out: list[RawComponent]) -> None:
        if not isinstance(value, list):
            raise InputError(self.path, self.key_line("components"), f"{where} must be an array")
        for n, item in enumerate(value):
            self.component(item, f"{where}[{n}]", out)

    def component(
        self, item: Any, where: str, out: list[RawComponent] | None = None, parts: list[RawComponent] | None = None
    ) -> RawComponent:
        """One component; its nested components go to ``out`` (packages) or to ``parts`` (the root's)."""
        if type(item) is not dict:
            key = "component" if where == "metadata.component" else "components"
            raise InputError(self.path, self.key_line(key), f"{where} must be an object")
        start = self.offsets.get(id(item), 0)
        # A finding points at the component's "name" key, not the "{" that opens it (pretty-printed JSON).
        provenance = self.index.provenance(self.path, name_key(self.index.text, start) if self.pretty else start)
        get = item.get
        values = (get("name", ""), get("group", ""), get("version", ""), get("purl", ""), get("scope", ""))
        bom_ref = get("bom-ref", "")
        if not all(type(v) is str for v in values) or type(bom_ref) is not str:
            for key in ("name", "group", "version", "purl", "scope", "bom-ref"):
                field = get(key, "")
                if not isinstance(field, str):
                    message = f"{key!r} in {where} must be a string, not {type(field).__name__}"
                    raise InputError(self.path, provenance.line, message)
        name, group, version, purl, scope = values
        raw = RawComponent(name, provenance, where, group, version, purl, scope, bom_ref, _licence(get("licenses")))
        if out is not None:
            out.append(raw)
        nested = get("components")
        if nested is not None:
            target = out if out is not None else parts
            self.components(nested, f"{where}.components", target if target is not None else [])
        return raw

    def dependencies(self, value: Any) -> list[RawDependency]:
        if not isinstance(value, list):
            raise InputError(self.path, self.key_line("dependencies"), "'dependencies' must be an array")
        result = []
        provenance_at = self.index.provenance
        path = self.path
        offsets = self.offsets
        for n, item in enumerate(value):
            if type(item) is not dict:
                raise InputError(path, self.key_line("dependencies"), f"dependencies[{n}] must be an object")
            provenance = provenance_at(path, offsets[id(item)])
            ref = item.get("ref")
            depends_on = item.get("dependsOn", [])
            if type(ref) is not str or type(depends_on) is not list or not all(type(d) is str for d in depends_on):
                where = f"dependencies[{n}]"
                if not isinstance(ref, str):
                    raise InputError(path, provenance.line, f"missing string 'ref' in {where}")
                message = f"'dependsOn' in {where} must be an array of strings"
                raise InputError(path, provenance.line, message)
            result.append(RawDependency(ref, provenance, depends_on))
        return result
