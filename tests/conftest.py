"""Shared fixtures: the shared corpus (when present), golden files, and example projects."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
GOLDEN = Path(__file__).parent / "golden"
SCHEMAS = Path(__file__).parent / "schemas"
SHARED_CORPUS = REPO.parent / "shared" / "corpus"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", default=False, help="rewrite tests/golden/ from current output"
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def shared_corpus() -> Path:
    """The shared corpus beside the checkout; tests that need it skip, saying so, when it is absent."""
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"shared corpus absent: {SHARED_CORPUS} not found (it sits beside the checkout in CI)")
    return SHARED_CORPUS


def sarif_schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text())
    return data


def check_golden(path: Path, actual: str, update: bool) -> None:
    """Compare with a golden file; ``pytest --update-golden`` rewrites it."""
    if update or not path.exists():
        if not update:
            pytest.fail(f"golden file {path} is missing: run `pytest --update-golden` and review the diff")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{path.name} differs from the golden file (regenerate with `pytest --update-golden`)"
