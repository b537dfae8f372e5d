"""Checks shared by the Poetry/PDM/Pipenv/PEP 751 resolver tests.

Case folders and error cases follow ``tests/resolver_cases.py``; this module
adds the comparisons (only the keys an ``expected.json`` states) and the
"provenance line names the package" rule.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from auditor.errors import InputError
from auditor.model import ResolveResult
from auditor.resolvers.base import Resolver
from tests.resolver_cases import input_file, load_expected, summarize

__all__ = [
    "AGREEMENT_ROOT",
    "SHARED_CORPUS",
    "assert_case",
    "assert_error",
    "names_on_line",
    "parse_case",
    "shared_corpus",
]

AGREEMENT_ROOT = Path(__file__).resolve().parents[1] / "agreement"
# The shared folder beside the checkout; AUDITOR_SHARED_CORPUS overrides it (git worktrees
# live one level deeper than the main checkout).
SHARED_CORPUS = Path(
    os.environ.get("AUDITOR_SHARED_CORPUS", Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus")
)


def shared_corpus(kind: str) -> list[Path]:
    """Files of ``../shared/corpus/<kind>/`` (skips the test when the folder is absent)."""
    base = SHARED_CORPUS / kind
    if not base.is_dir():
        pytest.skip("shared corpus absent: ../shared/corpus not found")
    return sorted(p for p in base.rglob("*") if p.is_file())


def _squash(text: str) -> str:
    """Lower case with PEP 503 separators dropped: ``Typing_Extensions`` ~ ``typing-extensions``."""
    return re.sub(r"[-_.]+", "", text.lower())


def names_on_line(name: str, line_text: str) -> bool:
    """True when the provenance line text spells the (normalized) package name."""
    return _squash(name) in _squash(line_text)


def parse_case(resolver: Resolver, case: Path) -> ResolveResult:
    """Parse a case folder's single input file under its own name."""
    file = input_file(case)
    return resolver.parse(file.read_text(encoding="utf-8"), file.name)


def assert_case(resolver: Resolver, case: Path) -> None:
    """The parse of ``case`` equals its ``expected.json`` on every key the file states."""
    expected: dict[str, Any] = load_expected(case)
    actual = summarize(parse_case(resolver, case))
    actual["edges"] = [list(edge) for edge in actual["edges"]]
    for key, value in expected.items():
        got = actual[key]
        if key == "packages":
            # "scopes" is optional per expected package: compare only what is stated.
            pairs = zip(got, value, strict=False)
            got = [{k: v for k, v in g.items() if k in e} for g, e in pairs] + got[len(value) :]
        assert json.loads(json.dumps(got)) == value, f"{case.name}: {key} differ"


def assert_error(resolver: Resolver, file: Path) -> None:
    """Parsing ``file`` raises exactly the ``file:line: message`` of ``<case>.expected.txt``."""
    expected = file.with_name(file.name.rsplit(".", 1)[0] + ".expected.txt").read_text(encoding="utf-8")
    with pytest.raises(InputError) as raised:
        resolver.parse(file.read_text(encoding="utf-8"), file.name)
    assert str(raised.value) == expected.rstrip("\n")
