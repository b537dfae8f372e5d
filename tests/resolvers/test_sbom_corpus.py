"""The four SBOM resolvers over every file of ../shared/corpus (real SBOMs from public repositories).

Counts are checked against independent readings of the same files (``json``,
ElementTree, cyclonedx-python-lib's own deserializers, a plain line count), so
nothing here is a hard-coded result.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from defusedxml import ElementTree

from auditor.model import ResolveResult
from auditor.resolvers.base import Resolver
from auditor.resolvers.cyclonedx_json import CycloneDxJsonResolver
from auditor.resolvers.cyclonedx_xml import CycloneDxXmlResolver
from auditor.resolvers.spdx_json import SpdxJsonResolver
from auditor.resolvers.spdx_tv import SpdxTagValueResolver
from tests.resolver_cases import detects
from tests.sbom_support import SHARED_CORPUS

pytestmark = pytest.mark.corpus

RESOLVERS: dict[str, Resolver] = {
    "cyclonedx-json": CycloneDxJsonResolver(),
    "cyclonedx-xml": CycloneDxXmlResolver(),
    "spdx-json": SpdxJsonResolver(),
    "spdx-tv": SpdxTagValueResolver(),
}


def _corpus_files() -> list[Any]:
    if not SHARED_CORPUS.is_dir():
        absent = pytest.mark.skip(reason="shared corpus absent: ../shared/corpus not found")
        return [pytest.param(None, None, marks=absent)]
    return [
        pytest.param(folder, path, id=f"{folder}/{path.parent.name}/{path.name}")
        for folder in RESOLVERS
        for path in sorted((SHARED_CORPUS / folder).glob("*/*"))
        if path.is_file()
    ]


def _parse(folder: str, path: Path) -> tuple[str, ResolveResult]:
    text = path.read_text(encoding="utf-8")
    return text, RESOLVERS[folder].parse(text, f"{folder}/{path.parent.name}/{path.name}")


@pytest.mark.parametrize(("folder", "path"), _corpus_files())
def test_corpus_file_parses_with_located_packages(folder: str, path: Path) -> None:
    """Every corpus file parses; the content sniff recognises it; every package and edge has a real line."""
    text, result = _parse(folder, path)
    resolver = RESOLVERS[folder]
    recognised = detects(folder, PurePosixPath(path.name)) or resolver.sniff(text[:4096])
    assert recognised, "neither the name nor the content is recognised"
    assert result.packages
    line_count = text.count("\n") + 1
    for item in [*result.packages, *result.edges]:
        assert item.provenance is not None
        assert 1 <= item.provenance.line <= line_count
        assert item.provenance.text
    names = {p.name for p in result.packages}
    for edge in result.edges:
        assert edge.child in names
        assert edge.parent is None or edge.parent in names


def _cyclonedx_json_count(document: dict[str, Any]) -> int:
    def count(components: list[dict[str, Any]]) -> int:
        return sum(1 + count(c.get("components", [])) for c in components)

    return count(document.get("components", []))


@pytest.mark.parametrize(("folder", "path"), _corpus_files())
def test_corpus_counts_match_an_independent_reading(folder: str, path: Path) -> None:
    """Package and edge counts equal those of a naive, independent reading of the same file."""
    text, result = _parse(folder, path)
    if folder == "cyclonedx-json":
        document = json.loads(text)
        assert len(result.packages) == _cyclonedx_json_count(document)
        pairs = sum(len(d.get("dependsOn", [])) for d in document.get("dependencies", []))
        assert len(result.edges) + len(result.skipped) == pairs
    elif folder == "cyclonedx-xml":
        root = ElementTree.fromstring(text.encode())
        namespace = root.tag.split("}")[0] + "}"
        expected = len(root.findall(f"{namespace}components//{namespace}component"))
        assert len(result.packages) == expected
    elif folder == "spdx-json":
        document = json.loads(text)
        assert len(result.packages) + len(result.projects) == len(document["packages"])
    else:
        declared = sum(1 for line in text.splitlines() if line.startswith("PackageName:"))
        assert len(result.packages) + len(result.projects) == declared


_CYCLONEDX = (None, "cyclonedx-json", "cyclonedx-xml")


@pytest.mark.parametrize(("folder", "path"), [p for p in _corpus_files() if p.values[0] in _CYCLONEDX])
def test_cyclonedx_python_lib_reads_the_same_components(folder: str, path: Path) -> None:
    """cyclonedx-python-lib's ``Bom.from_json`` / ``Bom.from_xml`` read the same (purl, version) set."""
    from cyclonedx.model.bom import Bom

    text, result = _parse(folder, path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bom = Bom.from_json(json.loads(text)) if folder == "cyclonedx-json" else Bom.from_xml(
            ElementTree.fromstring(text.encode())
        )
    theirs = {(str(c.purl) if c.purl else c.name, c.version or None) for c in bom.components}
    ours = {(p.purl or p.name, p.version) for p in result.packages}
    # packageurl may re-encode a purl ("%40" stays, qualifiers get sorted): compare the decoded forms
    assert {(_decoded(a), b) for a, b in theirs} == {(_decoded(a), b) for a, b in ours}


def _decoded(purl: str) -> str:
    from urllib.parse import unquote

    return unquote(purl).lower()
