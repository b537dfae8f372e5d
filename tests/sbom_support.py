"""Helpers the SBOM resolver tests share: case folders, error cases, schema validation."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from auditor.model import ResolveResult
from auditor.resolvers.base import Resolver
from tests.resolver_cases import case_dirs, error_cases

__all__ = [
    "FIXTURES",
    "SHARED_CORPUS",
    "case_params",
    "error_params",
    "parse_file",
    "validate_cyclonedx",
]

FIXTURES = Path(__file__).parent / "fixtures"
_REPO = Path(__file__).resolve().parents[1]
# the shared folder sits beside the checkout (/work/main -> /work/shared); a git worktree one level
# deeper (/work/wt/<branch>) finds it one level further up
_CANDIDATES = (_REPO / ".." / "shared" / "corpus", _REPO / ".." / ".." / "shared" / "corpus")
SHARED_CORPUS = next((c for c in _CANDIDATES if c.is_dir()), _CANDIDATES[0])


def case_params(resolver: str) -> list[Any]:
    """One pytest param per case folder, named after the folder."""
    return [pytest.param(case, id=case.name) for case in case_dirs(resolver)]


def error_params(resolver: str) -> list[Any]:
    """One pytest param per error case file, named after the file."""
    return [pytest.param(case, id=case.name) for case in error_cases(resolver)]


def parse_file(resolver: Resolver, path: Path) -> ResolveResult:
    """Parse a fixture the way discover hands it over: UTF-8 text and a relative name."""
    return resolver.parse(path.read_text(encoding="utf-8"), path.name)


def validate_cyclonedx(text: str, xml: bool = False) -> None:
    """Fail unless cyclonedx-python-lib's strict schema validator accepts ``text``."""
    from cyclonedx.schema import OutputFormat, SchemaVersion
    from cyclonedx.validation import make_schemabased_validator
    from cyclonedx.validation.json import JsonStrictValidator

    if xml:
        found = re.search(r"http://cyclonedx\.org/schema/bom/(1\.\d)", text)
        assert found, "no CycloneDX namespace"
        version = SchemaVersion.from_version(found.group(1))
        error = make_schemabased_validator(OutputFormat.XML, version).validate_str(text)
    else:
        version = SchemaVersion.from_version(json.loads(text)["specVersion"])
        error = JsonStrictValidator(version).validate_str(text)
    assert error is None, str(error).splitlines()[0]
