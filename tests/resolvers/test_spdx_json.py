"""SPDX JSON resolver: case folders, located errors, detection, lines, GitHub's export quirks."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from auditor.resolvers import format_named
from auditor.resolvers.spdx_json import SpdxJsonResolver
from tests.resolver_cases import input_file
from tests.sbom_support import error_params, parse_file

RESOLVER = SpdxJsonResolver()
FORMAT = format_named(RESOLVER.name)  # file names are the registry's
CASES = Path(__file__).parents[1] / "corpus" / "spdx-json"


def test_error_cases_exist() -> None:
    """The error folder is not silently empty."""
    assert len(error_params("spdx-json")) >= 3


@pytest.mark.parametrize(
    ("name", "expected"),
    [("sbom.spdx.json", True), ("A.SPDX.JSON", True), ("sbom.json", False), ("x.spdx", False)],
)
def test_detect(name: str, expected: bool) -> None:
    """Only ``*.spdx.json`` is claimed by name."""
    assert FORMAT.detect(PurePosixPath(name)) is expected


def test_sniff() -> None:
    """An spdxVersion key in a JSON object is SPDX; CycloneDX is not."""
    assert RESOLVER.sniff('{"SPDXID":"SPDXRef-DOCUMENT","spdxVersion":"SPDX-2.3"')
    assert not RESOLVER.sniff('{"bomFormat": "CycloneDX"}')
    assert not RESOLVER.sniff("SPDXVersion: SPDX-2.3")


def test_github_export_ranges_become_edge_specifiers() -> None:
    """GitHub's unresolved manifest entries: version None on the package, the range on the edge."""
    result = parse_file(RESOLVER, input_file(CASES / "github-export"))
    packages = {p.name: p for p in result.packages}
    assert packages["celery"].version is None
    assert packages["celery"].ecosystem == "pypi"
    assert packages["celery"].display_name == "celery"
    edges = {e.child: e for e in result.edges}
    assert edges["celery"].specifier == ">=5.3.0,<6"
    assert edges["celery"].parent is None
    assert edges["django"].specifier == ""
    assert edges["django"].child_version == "5.1.4"
    assert edges["left-pad"].ecosystem == "npm"
    assert edges["left-pad"].specifier == "^1.3.0"
    # "< 1.5.7 || > 1.5.7" is not PEP 440: the package stays, the range is reported, not used
    assert packages["pysocks"].version is None
    assert edges["pysocks"].specifier == ""
    (skipped,) = result.skipped
    assert skipped.name == "pysocks"
    assert "not a PEP 440 specifier" in skipped.reason
    assert skipped.provenance is not None
    assert skipped.provenance.line == packages["pysocks"].provenance.line  # type: ignore[union-attr]


def test_the_described_package_is_the_project_not_a_package() -> None:
    """The repository package becomes the ProjectDecl and is not listed among the packages."""
    result = parse_file(RESOLVER, input_file(CASES / "github-export"))
    (project,) = result.projects
    assert project.name == "acme/shop"
    assert project.provenance is not None
    assert "acme/shop" not in {p.name for p in result.packages}


def test_dependency_kinds_set_scopes() -> None:
    """DEV_/OPTIONAL_/TEST_/BUILD_DEPENDENCY_OF map to dev, optional:sbom, group:test, group:build."""
    result = parse_file(RESOLVER, input_file(CASES / "dependency-kinds"))
    assert {e.child: (e.parent, e.scope) for e in result.edges} == {
        "fastapi": (None, "main"),
        "starlette": ("fastapi", "main"),
        "ruff": (None, "dev"),
        "orjson": (None, "optional:sbom"),
        "pytest": (None, "group:test"),
        "hatchling": (None, "group:build"),
    }


def test_lines_point_at_each_package_name_key() -> None:
    """Each package's location is its own ``"name"`` key (issue 15: not the ``{`` above it)."""
    path = input_file(CASES / "dependency-kinds")
    lines = path.read_text().splitlines()
    result = parse_file(RESOLVER, path)
    for package in result.packages:
        assert package.provenance is not None
        text = lines[package.provenance.line - 1]
        assert text[package.provenance.column - 1 :].startswith('"name"'), text
    for edge in result.edges:
        assert edge.provenance is not None
        assert '"relationshipType"' in lines[edge.provenance.line - 1]


def test_minified_document_columns_and_clipped_text() -> None:
    """GitHub's export is one line: columns locate each package, the text is clipped to the object."""
    text = (
        '{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","packages":['
        + ",".join(f'{{"SPDXID":"SPDXRef-{n}","name":"pip:p{n}","versionInfo":"1.{n}"}}' for n in range(40))
        + "]}"
    )
    result = RESOLVER.parse(text, "min.spdx.json")
    for n, package in enumerate(result.packages):
        assert package.provenance is not None
        assert package.provenance.line == 1
        assert package.provenance.column == text.index(f'{{"SPDXID":"SPDXRef-{n}"') + 1
        assert package.provenance.text.startswith(f'{{"SPDXID":"SPDXRef-{n}"')
        assert len(package.provenance.text) <= 200
