"""A CycloneDX document is held to the spec version it declares."""

from __future__ import annotations

from auditor.resolvers.cyclonedx_json import CycloneDxJsonResolver
from tests.conftest import REPO


def test_fields_of_a_later_spec_are_read_and_reported() -> None:
    """specVersion 1.2 with a 1.3 `evidence` field: the packages are read, and a located note says so."""
    text = (REPO / "tests" / "bad_inputs" / "spec-version-lies--bom.json").read_text()
    result = CycloneDxJsonResolver().parse(text, "bom.json")
    assert {p.name for p in result.packages} >= {"django"}
    [note] = [s for s in result.skipped if s.name == "evidence"]
    assert "CycloneDX 1.3 field" in note.reason and "declares specVersion 1.2" in note.reason
    assert note.provenance is not None and '"evidence"' in text.splitlines()[note.provenance.line - 1]
