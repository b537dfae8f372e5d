"""CycloneDX XML (spec 1.2 to 1.6): components, scopes and the dependency graph.

Parsing goes through ``defusedxml`` with everything dangerous forbidden: a
document type declaration (the carrier of the billion-laughs expansion and
of external entities), any entity declaration and any external reference
are refused with a located :class:`~auditor.errors.InputError`; nothing is
ever expanded, fetched or resolved. CycloneDX needs none of them.

Lines: the parser's target is called synchronously by expat, so reading
``CurrentLineNumber`` and ``CurrentByteIndex`` in ``start`` gives the exact
place of each opening ``<component`` tag, in one pass and in document order.
The text is fed as UTF-8 bytes with the encoding forced to UTF-8 (the
declaration in a ``str`` no longer describes it), so byte offsets map back to
the line's text without splitting the document into lines.

Why not cyclonedx-python-lib's ``Bom.from_xml``: like ``Bom.from_json`` (see
:mod:`auditor.resolvers.cyclonedx_json`) it reads every corpus file but is two
orders of magnitude slower than parsing, and drops positions.

Elements are matched by local name within the CycloneDX namespaces
(``http://cyclonedx.org/schema/bom/1.x``), so one reader serves every
version; extension elements in other namespaces are ignored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from auditor.errors import InputError
from auditor.model import FileRole, Provenance, ResolveResult
from auditor.resolvers._cyclonedx import RawComponent, RawDependency, build
from auditor.resolvers._sbom import clip

if TYPE_CHECKING:  # the XML modules load in _parse_xml, when a BOM is read
    import xml.etree.ElementTree as ET

    from defusedxml import DefusedXmlException

__all__ = ["CycloneDxXmlResolver"]

_NAMESPACE = "{http://cyclonedx.org/schema/bom/"


class CycloneDxXmlResolver:
    """``bom.xml`` and ``*.cdx.xml``; other names when the root element is a CycloneDX ``bom``."""

    name: ClassVar[str] = "cyclonedx-xml"
    role: ClassVar[FileRole] = "sbom"

    def sniff(self, head: str) -> bool:
        """An XML document whose ``bom`` element is in a CycloneDX namespace."""
        return "<bom" in head and "http://cyclonedx.org/schema/bom/" in head

    def parse(self, text: str, path: str) -> ResolveResult:
        """Read one CycloneDX XML document (pure: no disk, no network, no entity expansion)."""
        root, starts, data = _parse_xml(text, path)
        if _local(root.tag) != "bom" or not root.tag.startswith(_NAMESPACE):
            raise InputError(path, 1, f"expected a CycloneDX <bom> root element, not <{_local(root.tag)}>")
        reader = _Reader(path, starts, data)
        raw_root = None
        parts: list[RawComponent] = []
        metadata = _child(root, "metadata")
        if metadata is not None:
            component = _child(metadata, "component")
            if component is not None:
                raw_root = reader.component(component, "metadata.component", None, parts)
        components: list[RawComponent] = []
        container = _child(root, "components")
        if container is not None:
            reader.components(container, "components", components)
        dependencies: list[RawDependency] = []
        container = _child(root, "dependencies")
        if container is not None:
            for n, element in enumerate(_children(container, "dependency")):
                dependencies.append(reader.dependency(element, f"dependencies[{n}]"))
        return build(path, self.name, raw_root, components, dependencies, parts)


class _LineTarget:
    """ElementTree's tree builder, remembering where each element's start tag is: (line, byte offset).

    Composition rather than a subclass, so that this module imports no XML
    code until a BOM is read; ``end``, ``data`` and ``close`` are the builder's
    own (C) methods, so only ``start`` runs Python code per element.
    """

    def __init__(self, builder: ET.TreeBuilder) -> None:
        self._start = builder.start
        self.end = builder.end
        self.data = builder.data
        self.close = builder.close
        self.starts: dict[ET.Element, tuple[int, int]] = {}
        self.expat: Any = None

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = self._start(tag, attrs)
        expat = self.expat
        if expat is not None:
            self.starts[element] = (expat.CurrentLineNumber, expat.CurrentByteIndex)
        return element


def _parse_xml(text: str, path: str) -> tuple[ET.Element, dict[ET.Element, tuple[int, int]], bytes]:
    import xml.etree.ElementTree as ET

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    target = _LineTarget(ET.TreeBuilder())
    parser = DefusedXMLParser(
        target=target, encoding="utf-8", forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    expat: Any = parser.parser
    target.expat = expat
    data = text.encode("utf-8")
    try:
        parser.feed(data)
        root: ET.Element = parser.close()
    except DefusedXmlException as error:
        raise InputError(path, expat.CurrentLineNumber, f"refused XML: {_refusal(error)}") from None
    except ET.ParseError as error:
        line = error.position[0] if error.position else 0
        message = str(error).split(": line", 1)[0]
        raise InputError(path, line, f"invalid XML: {message}") from None
    return root, target.starts, data


def _refusal(error: DefusedXmlException) -> str:
    kind = type(error).__name__
    if kind == "DTDForbidden":
        return "a document type declaration (DTD) is not allowed in a CycloneDX BOM"
    if kind == "EntitiesForbidden":
        return "an entity declaration is not allowed in a CycloneDX BOM"
    return "an external reference is not allowed in a CycloneDX BOM"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if child.tag.startswith(_NAMESPACE) and _local(child.tag) == name]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _text(element: ET.Element, name: str) -> str:
    child = _child(element, name)
    return (child.text or "").strip() if child is not None else ""


class _Reader:
    def __init__(self, path: str, starts: dict[ET.Element, tuple[int, int]], data: bytes) -> None:
        self.path = path
        self.starts = starts
        self.data = data

    def located(self, element: ET.Element) -> Provenance:
        line, offset = self.starts.get(element, (1, 0))
        data = self.data
        start = data.rfind(b"\n", 0, offset) + 1
        end = data.find(b"\n", offset)
        raw = data[start : end if end >= 0 else len(data)].decode("utf-8", "replace")
        column = len(data[start:offset].decode("utf-8", "replace")) + 1
        return Provenance(self.path, line, column, clip(raw, column - 1))

    def components(self, container: ET.Element, where: str, out: list[RawComponent]) -> None:
        for n, element in enumerate(_children(container, "component")):
            self.component(element, f"{where}[{n}]", out)

    def component(
        self,
        element: ET.Element,
        where: str,
        out: list[RawComponent] | None,
        parts: list[RawComponent] | None = None,
    ) -> RawComponent:
        """One component; its nested components go to ``out`` (packages) or to ``parts`` (the root's)."""
        raw = RawComponent(
            name=_text(element, "name"),
            provenance=self.located(element),
            where=where,
            group=_text(element, "group"),
            version=_text(element, "version"),
            purl=_text(element, "purl"),
            scope=_text(element, "scope"),
            bom_ref=element.get("bom-ref", ""),
        )
        if out is not None:
            out.append(raw)
        nested = _child(element, "components")
        if nested is not None:
            target = out if out is not None else parts
            self.components(nested, f"{where}.components", target if target is not None else [])
        return raw

    def dependency(self, element: ET.Element, where: str) -> RawDependency:
        provenance = self.located(element)
        ref = element.get("ref")
        if ref is None:
            raise InputError(self.path, provenance.line, f"missing 'ref' attribute in {where}")
        depends_on = []
        for n, child in enumerate(_children(element, "dependency")):
            child_ref = child.get("ref")
            if child_ref is None:
                line = self.starts.get(child, (provenance.line, 0))[0]
                raise InputError(self.path, line, f"missing 'ref' attribute in {where}[{n}]")
            depends_on.append(child_ref)
        return RawDependency(ref, provenance, depends_on)
