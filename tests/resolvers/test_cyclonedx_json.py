"""CycloneDX JSON resolver: case folders, located errors, detection, lines and scopes."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from auditor.errors import InputError
from auditor.resolvers import format_named
from auditor.resolvers.cyclonedx_json import CycloneDxJsonResolver
from tests.resolver_cases import input_file
from tests.sbom_support import (
    FIXTURES,
    case_params,
    error_params,
    parse_file,
    validate_cyclonedx,
)

RESOLVER = CycloneDxJsonResolver()
FORMAT = format_named(RESOLVER.name)  # file names are the registry's


def test_error_cases_exist() -> None:
    """The error folder is not silently empty."""
    assert len(error_params("cyclonedx-json")) >= 3


@pytest.mark.parametrize("case", case_params("cyclonedx-json"))
def test_case_inputs_are_valid_cyclonedx(case: Path) -> None:
    """Our hand-written inputs are real CycloneDX: cyclonedx-python-lib's strict validator accepts them."""
    validate_cyclonedx(input_file(case).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bom.json", True),
        ("app.cdx.json", True),
        ("BOM.JSON", True),
        ("sbom.json", False),
        ("package.json", False),
        ("bom.xml", False),
        ("x.spdx.json", False),
    ],
)
def test_detect(name: str, expected: bool) -> None:
    """Only the names the CycloneDX spec recommends are claimed by name."""
    assert FORMAT.detect(PurePosixPath("some/dir") / name) is expected


def test_sniff_sorted_keys() -> None:
    """cyclonedx-py sorts keys (``bomFormat`` comes last): its output is still recognised from the head."""
    head = (FIXTURES / "cyclonedx-py" / "environment-1.6.cdx.json").read_text()[:4096]
    assert '"bomFormat"' not in head
    assert RESOLVER.sniff(head)


@pytest.mark.parametrize(
    "head",
    ['{"spdxVersion": "SPDX-2.3"}', '{"name": "x", "dependencies": {}}', "[1, 2]", "components: []"],
)
def test_sniff_rejects(head: str) -> None:
    """Other JSON documents (SPDX, package.json, arrays) are not taken for CycloneDX."""
    assert not RESOLVER.sniff(head)


def test_lines_point_at_each_components_name_key() -> None:
    """Every package's provenance is its component's own ``"name"`` key (issue 15), not the ``{`` above it
    nor a nested licence's name."""
    path = FIXTURES / "cyclonedx-py" / "environment-1.6.cdx.json"
    lines = path.read_text().splitlines()
    result = parse_file(RESOLVER, path)
    assert len(result.packages) == 10
    for package in result.packages:
        assert package.provenance is not None
        line = lines[package.provenance.line - 1]
        assert line.strip().startswith(f'"name": "{package.display_name}"'), line
        assert package.provenance.column == line.index('"name"') + 1


def test_name_key_skips_nested_names() -> None:
    text = (
        '{\n "bomFormat": "CycloneDX",\n "specVersion": "1.6",\n "components": [\n  {\n   "licenses": [\n'
        '    {"license": {"name": "MIT"}}\n   ],\n   "name": "a",\n   "type": "library"\n  }\n ]\n}\n'
    )
    [package] = RESOLVER.parse(text, "bom.json").packages
    assert package.provenance is not None and package.provenance.line == 9


def test_lines_in_minified_document() -> None:
    """In a one-line document the line is 1 and the column tells the components apart."""
    text = (
        '{"bomFormat":"CycloneDX","specVersion":"1.6","components":['
        '{"type":"library","name":"a","purl":"pkg:pypi/a@1"},{"type":"library","name":"b","purl":"pkg:pypi/b@2"}]}'
    )
    result = RESOLVER.parse(text, "min.cdx.json")
    positions = [(p.name, p.provenance.line, p.provenance.column) for p in result.packages if p.provenance]
    assert positions == [("a", 1, text.index('{"type":"library","name":"a"') + 1),
                         ("b", 1, text.index('{"type":"library","name":"b"') + 1)]


def test_edge_provenance_is_the_dependency_entry() -> None:
    """Edges point at the ``dependencies`` entry that declares them, root edges have no parent."""
    case = Path(__file__).parents[1] / "corpus" / "cyclonedx-json" / "scopes-nested"
    path = input_file(case)
    lines = path.read_text().splitlines()
    result = parse_file(RESOLVER, path)
    for edge in result.edges:
        assert edge.provenance is not None
        declared = lines[edge.provenance.line - 1]
        assert '"ref"' in declared
        if edge.parent is None:
            assert '"ref": "app"' in declared
    assert result.projects[0].dependencies_at is not None
    assert '"ref": "app"' in lines[result.projects[0].dependencies_at.line - 1]


def test_scopes_and_edge_scopes() -> None:
    """required/absent -> main, optional -> optional:sbom, excluded -> excluded, on packages and edges."""
    case = Path(__file__).parents[1] / "corpus" / "cyclonedx-json" / "scopes-nested"
    result = parse_file(RESOLVER, input_file(case))
    scopes = {p.name: p.scopes for p in result.packages}
    assert scopes["django"] == {"main"}
    assert scopes["asgiref"] == {"main"}
    assert scopes["redis"] == {"optional:sbom"}
    assert scopes["pytest"] == {"excluded"}
    assert {e.child: e.scope for e in result.edges if e.parent is None} == {
        "django": "main",
        "redis": "optional:sbom",
        "pytest": "excluded",
    }


def test_identity_from_purl() -> None:
    """pypi names are PEP 503-normalized from the purl; other ecosystems keep namespace/name;
    no purl means generic."""
    case = Path(__file__).parents[1] / "corpus" / "cyclonedx-json" / "mixed-ecosystems"
    result = parse_file(RESOLVER, input_file(case))
    found = {(p.ecosystem, p.name, p.source) for p in result.packages}
    assert found == {
        ("npm", "@angular/core", "registry"),
        ("maven", "org.apache.commons/commons-lang3", "registry"),
        ("composer", "laravel/framework", "registry"),
        ("pypi", "psycopg2-binary", "registry"),
        ("generic", "acme/internal-tools", "unknown"),
    }
    by_name = {p.name: p for p in result.packages}
    assert by_name["psycopg2-binary"].display_name == "psycopg2_binary"
    assert by_name["@angular/core"].purl == "pkg:npm/%40angular/core@17.3.0"


def test_vcs_and_path_qualifiers_give_the_source() -> None:
    """cyclonedx-py's vcs_url / download_url qualifiers say where a package came from."""
    text = """{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
      {"type": "library", "name": "a", "purl": "pkg:pypi/a@1?vcs_url=git%2Bhttps://git.invalid/a.git%40abc"},
      {"type": "library", "name": "b", "purl": "pkg:pypi/b@2?download_url=file:///src/b"},
      {"type": "library", "name": "c", "purl": "pkg:pypi/c@3?download_url=https://files.invalid/c.whl"}]}"""
    result = RESOLVER.parse(text, "q.cdx.json")
    assert [(p.name, p.version, p.source) for p in result.packages] == [
        ("a", "1", "vcs"),
        ("b", "2", "path"),
        ("c", "3", "url"),
    ]


def test_byte_order_mark_is_accepted() -> None:
    """A UTF-8 BOM before the document does not break parsing or lines."""
    text = (
        '\ufeff{"bomFormat": "CycloneDX", "specVersion": "1.4",\n'
        '"components": [\n{"name": "a", "purl": "pkg:pypi/a@1"}]}'
    )
    result = RESOLVER.parse(text, "bom.json")
    assert [(p.name, p.provenance.line if p.provenance else 0) for p in result.packages] == [("a", 3)]


def test_deeply_nested_json_is_a_located_error() -> None:
    """Pathological nesting gives an InputError, not a RecursionError."""
    text = '{"components": ' + "[" * 100_000 + "]" * 100_000 + "}"
    with pytest.raises(InputError):
        RESOLVER.parse(text, "deep.cdx.json")
