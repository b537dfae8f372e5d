"""SPDX tag-value resolver: case folders, located errors, detection, lines, <text> values."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from auditor.resolvers import format_named
from auditor.resolvers.spdx_json import SpdxJsonResolver
from auditor.resolvers.spdx_tv import SpdxTagValueResolver
from tests.resolver_cases import input_file
from tests.sbom_support import error_params, parse_file

RESOLVER = SpdxTagValueResolver()
FORMAT = format_named(RESOLVER.name)  # file names are the registry's
CASES = Path(__file__).parents[1] / "corpus" / "spdx-tv"


def test_error_cases_exist() -> None:
    """The error folder is not silently empty."""
    assert len(error_params("spdx-tv")) >= 3


@pytest.mark.parametrize(
    ("name", "expected"), [("sbom.spdx", True), ("X.SPDX", True), ("sbom.spdx.json", False), ("spdx", False)]
)
def test_detect(name: str, expected: bool) -> None:
    """Only ``*.spdx`` is claimed by name."""
    assert FORMAT.detect(PurePosixPath(name)) is expected


def test_sniff() -> None:
    """An SPDXVersion tag near the top is tag-value; SPDX JSON is not."""
    assert RESOLVER.sniff("## generated\nSPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n")
    assert not RESOLVER.sniff('{"spdxVersion": "SPDX-2.3"}')


def test_lines_are_the_package_name_lines() -> None:
    """Each package's provenance is its ``PackageName:`` line; edges point at their ``Relationship:`` line."""
    path = input_file(CASES / "dependency-kinds")
    lines = path.read_text().splitlines()
    result = parse_file(RESOLVER, path)
    for package in result.packages:
        assert package.provenance is not None
        assert lines[package.provenance.line - 1] == f"PackageName: {package.display_name}"
        assert package.provenance.text == lines[package.provenance.line - 1]
    for edge in result.edges:
        assert edge.provenance is not None
        assert lines[edge.provenance.line - 1].startswith("Relationship: ")


def test_text_values_do_not_leak_tags() -> None:
    """Tags written inside a multi-line <text> value are content, not new packages."""
    result = parse_file(RESOLVER, input_file(CASES / "github-export"))
    assert sorted(p.name for p in result.packages) == ["celery", "django", "gunicorn"]


def test_tag_value_and_json_agree() -> None:
    """The same document in both SPDX syntaxes gives the same packages, scopes and edges."""
    tv = parse_file(RESOLVER, input_file(CASES / "dependency-kinds"))
    json_case = Path(__file__).parents[1] / "corpus" / "spdx-json" / "dependency-kinds"
    js = parse_file(SpdxJsonResolver(), input_file(json_case))
    tv_edges = {(e.parent, e.child, e.scope) for e in tv.edges}
    js_edges = {(e.parent, e.child, e.scope) for e in js.edges}
    assert tv_edges <= js_edges  # the JSON case has more dependency kinds
    assert [p.name for p in tv.projects] == [p.name for p in js.projects] == ["billing"]


def test_crlf_line_endings() -> None:
    """Windows line endings give the same lines and values."""
    text = "SPDXVersion: SPDX-2.3\r\nSPDXID: SPDXRef-DOCUMENT\r\n\r\nPackageName: a\r\nSPDXID: SPDXRef-a\r\n"
    text += "PackageVersion: 1.0\r\n"
    (package,) = RESOLVER.parse(text, "a.spdx").packages
    assert (package.name, package.version) == ("a", "1.0")
    assert package.provenance is not None
    assert package.provenance.line == 4
    assert package.provenance.text == "PackageName: a"
