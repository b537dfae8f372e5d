"""--format spdx: a valid SPDX 2.3 document that our own SPDX reader reads back to the same packages."""

from __future__ import annotations

import json

import jsonschema
import pytest

from auditor.audit import AuditOptions, audit
from auditor.render import RenderOptions
from auditor.render.spdx import SpdxRenderer
from auditor.resolvers.spdx_json import SpdxJsonResolver
from tests.conftest import EXAMPLES, SCHEMAS


@pytest.mark.parametrize("example", ["django-transitive", "monorepo", "fastapi-on-django"])
def test_spdx_output_is_valid_and_round_trips(example: str) -> None:
    """The document passes the SPDX 2.3 JSON schema; read back, it has every (name, version) of the graph."""
    report = audit(EXAMPLES / example, AuditOptions())
    text = SpdxRenderer().render(report, RenderOptions(redact_version=True))
    schema = json.loads((SCHEMAS / "spdx-schema-2.3.json").read_text())
    jsonschema.Draft7Validator(schema).validate(json.loads(text))
    back = SpdxJsonResolver().parse(text, "bom.spdx.json")
    ours = set()
    for project in report.projects:
        for view in project.packages:
            for version in (view.version or "").split(","):
                ours.add((view.name, version.strip()))
    read = {(p.name, p.version or "") for p in back.packages}
    assert ours <= read
    assert SpdxRenderer().render(report, RenderOptions(redact_version=True)) == text  # reproducible
