"""Agreement with uv itself: the packages we read from a uv.lock are the ones `uv export` lists.

`tests/agreement/uv/<name>.txt` is the committed output of
`uv export --frozen --all-packages --all-groups --all-extras --no-hashes --no-emit-project
--no-emit-workspace --format requirements-txt --no-header --no-annotate` on the same lock
(uv 0.13.9), so the test needs no uv at run time.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from auditor.resolvers.uv_lock import UvLockResolver
from tests.conftest import EXAMPLES, SHARED_CORPUS

AGREEMENT = Path(__file__).parent / "agreement" / "uv"
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;]+)")


def _exported(name: str) -> set[tuple[str, str]]:
    pins = set()
    for line in (AGREEMENT / f"{name}.txt").read_text().splitlines():
        match = PIN.match(line)
        if match:
            pins.add((match.group(1).lower().replace("_", "-").replace(".", "-"), match.group(2)))
    return pins


def _lock_of(name: str) -> Path:
    example = EXAMPLES / name / "uv.lock"
    if example.is_file():
        return example
    corpus = SHARED_CORPUS / "uv-lock" / name / "uv.lock"
    if not corpus.is_file():
        pytest.skip(f"shared corpus absent: {corpus} not found")
    return corpus


@pytest.mark.parametrize("name", sorted(p.stem for p in AGREEMENT.glob("*.txt")))
def test_uv_lock_packages_equal_uv_export(name: str) -> None:
    """Every registry/git package and version in the lock is exactly what uv exports, no more, no less."""
    result = UvLockResolver().parse(_lock_of(name).read_text(), "uv.lock")
    ours = {(p.name, p.version) for p in result.packages if p.source not in ("editable", "virtual") and p.version}
    assert ours == _exported(name)
