"""Checks shared by the Poetry/PDM/Pipenv/PEP 751 resolver tests.

Case folders and error cases follow ``tests/resolver_cases.py``; this module
adds the comparisons (only the keys an ``expected.json`` states) and the
"provenance line names the package" rule.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from auditor.model import ResolveResult
from auditor.resolvers.base import Resolver
from tests.resolver_cases import input_file

__all__ = [
    "AGREEMENT_ROOT",
    "SHARED_CORPUS",
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


