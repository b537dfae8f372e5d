"""CycloneDX XML resolver: case folders, refused DTDs and entities, detection, lines."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from auditor.errors import InputError
from auditor.resolvers.cyclonedx_json import CycloneDxJsonResolver
from auditor.resolvers.cyclonedx_xml import CycloneDxXmlResolver
from tests.resolver_cases import detects, input_file
from tests.sbom_support import (
    FIXTURES,
    case_params,
    error_params,
    parse_file,
    validate_cyclonedx,
)

RESOLVER = CycloneDxXmlResolver()
CASES = Path(__file__).parents[1] / "corpus" / "cyclonedx-xml"


def test_error_cases_include_the_attacks() -> None:
    """The billion-laughs and external-entity cases are part of the error corpus."""
    names = {case.values[0].name for case in error_params("cyclonedx-xml")}
    assert {"billion-laughs.xml", "external-entity.xml", "external-dtd.xml"} <= names


@pytest.mark.parametrize("case", case_params("cyclonedx-xml"))
def test_case_inputs_are_valid_cyclonedx(case: Path) -> None:
    """Our hand-written XML inputs pass cyclonedx-python-lib's XSD validation."""
    validate_cyclonedx(input_file(case).read_text(encoding="utf-8"), xml=True)


def test_billion_laughs_is_refused_at_the_doctype() -> None:
    """The expansion never starts: the refusal names the DTD and points at the DOCTYPE line."""
    path = CASES / "errors" / "billion-laughs.xml"
    doctype = next(n for n, line in enumerate(path.read_text().splitlines(), 1) if "<!DOCTYPE" in line)
    with pytest.raises(InputError, match=r"document type declaration \(DTD\) is not allowed") as refused:
        parse_file(RESOLVER, path)
    assert refused.value.line == doctype


def test_external_entity_is_never_resolved(tmp_path: Path) -> None:
    """An entity naming a real local file is refused; the file's content appears nowhere."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    text = (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE bom [<!ENTITY s SYSTEM "{secret.as_uri()}">]>\n'
        '<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components>'
        '<component type="library"><name>&s;</name></component></components></bom>'
    )
    with pytest.raises(InputError) as caught:
        RESOLVER.parse(text, "bom.xml")
    assert caught.value.line == 2
    assert "TOP-SECRET" not in str(caught.value)


def test_parameter_entities_are_refused_at_the_doctype() -> None:
    """Even a parameter-entity trick inside the internal subset is stopped at the DOCTYPE line."""
    text = (
        '<?xml version="1.0"?>\n\n\n'
        '<!DOCTYPE bom [<!ENTITY % p "<!ENTITY x \'y\'>"> %p;]>\n'
        '<bom xmlns="http://cyclonedx.org/schema/bom/1.6"/>'
    )
    with pytest.raises(InputError) as caught:
        RESOLVER.parse(text, "bom.xml")
    assert caught.value.line == 4


@pytest.mark.parametrize(
    ("name", "expected"),
    [("bom.xml", True), ("app.cdx.xml", True), ("pom.xml", False), ("bom.json", False), ("sbom.xml", False)],
)
def test_detect(name: str, expected: bool) -> None:
    """Only the names the CycloneDX spec recommends are claimed by name."""
    assert detects(RESOLVER.name, PurePosixPath(name)) is expected


def test_sniff() -> None:
    """A CycloneDX namespace on a bom element is recognised; a Maven POM is not."""
    assert RESOLVER.sniff((FIXTURES / "cyclonedx-py" / "environment-1.4.cdx.xml").read_text()[:4096])
    assert not RESOLVER.sniff('<?xml version="1.0"?><project xmlns="http://maven.apache.org/POM/4.0.0">')


def test_lines_point_at_each_component_start_tag() -> None:
    """Every package's provenance is the line of its ``<component`` start tag, with the right column."""
    path = FIXTURES / "cyclonedx-py" / "environment-1.6.cdx.xml"
    lines = path.read_text().splitlines()
    result = parse_file(RESOLVER, path)
    assert len(result.packages) == 10
    for package in result.packages:
        assert package.provenance is not None
        text = lines[package.provenance.line - 1]
        assert text.lstrip().startswith("<component ")
        assert package.provenance.column == text.index("<component") + 1
        assert package.provenance.text == text.strip()
        assert f"<name>{package.display_name}</name>" in "\n".join(lines[package.provenance.line :][:3])


def test_non_ascii_columns_and_text() -> None:
    """Columns count characters, not UTF-8 bytes, and the line text is decoded."""
    text = (
        '<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><!-- é --><components>'
        '<component type="library"><name>a</name><purl>pkg:pypi/a@1</purl></component></components></bom>'
    )
    (package,) = RESOLVER.parse(text, "bom.xml").packages
    assert package.provenance is not None
    assert package.provenance.column == text.index("<component ") + 1
    assert "é" in package.provenance.text


@pytest.mark.parametrize("stem", ["environment-1.6", "environment-1.4", "requirements-1.2"])
def test_xml_and_json_agree(stem: str) -> None:
    """The XML and JSON renderings of the same cyclonedx-py SBOM give the same packages and edges."""
    xml = parse_file(RESOLVER, FIXTURES / "cyclonedx-py" / f"{stem}.cdx.xml")
    other = {"environment-1.6": "environment-1.6", "environment-1.4": "environment-1.3"}.get(
        stem, "requirements-1.5"
    )
    json_result = parse_file(CycloneDxJsonResolver(), FIXTURES / "cyclonedx-py" / f"{other}.cdx.json")
    assert {(p.name, p.version, frozenset(p.scopes)) for p in xml.packages} == {
        (p.name, p.version, frozenset(p.scopes)) for p in json_result.packages
    }
    assert {(e.parent, e.child) for e in xml.edges} == {(e.parent, e.child) for e in json_result.edges}
    assert [p.name for p in xml.projects] == [p.name for p in json_result.projects]
