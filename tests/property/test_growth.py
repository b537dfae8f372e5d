"""Growth tests (issue 18, class 6): work and output grow linearly with the input, within the limits.

Each input shape that was superlinear (a line of blanks, a long requirement
line, one line repeated, a deep dependency chain with a finding per node) is
run at size ``n`` and ``4n``. Linear growth gives a ratio near 4, quadratic
near 16; a ratio under 8 passes. Times are the best of three in-process runs
in CPU time (so start-up, noise and other processes do not count); output sizes are exact.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from auditor.audit import AuditOptions, audit
from auditor.render import RenderOptions, all_renderers

RATIO = 8.0


def _best_time(action: Callable[[], object], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()  # CPU time: other processes on a busy CI box do not count
        action()
        best = min(best, time.process_time() - started)
    return best


def _requirements(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "requirements.txt").write_text(text)
    return folder


SHAPES: dict[str, Callable[[int], str]] = {
    "blanks in a line": lambda n: "django" + " " * (50 * n) + "==5.0\n",
    "tabs before an option value": lambda n: "-e" + "\t" * (3 * n) + "git+https://example.invalid/x#egg=x\n",
    "one line repeated": lambda n: "django==5.0\n" * (2 * n),
    "long extras": lambda n: "django[" + ",".join(f"e{i}" for i in range(n)) + "]==5.0\n",
    "long marker": lambda n: "django==5.0 ; " + " or ".join(["os_name == 'posix'"] * (n // 4)) + "\n",
    "brackets for pip": lambda n: "django" + "[" * min(3 * n, 16_000) + "\n",
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_requirements_parse_time_grows_linearly(tmp_path: Path, shape: str) -> None:
    small = _requirements(tmp_path, "small", SHAPES[shape](1000))
    large = _requirements(tmp_path, "large", SHAPES[shape](4000))
    options = AuditOptions(use_config=False)
    audit(small, options)  # warm the imports
    small_time = _best_time(lambda: audit(small, options))
    large_time = _best_time(lambda: audit(large, options))
    assert large_time < RATIO * max(small_time, 0.02), (shape, small_time, large_time)


def _chain_sbom(folder: Path, n: int) -> Path:
    """``n`` packages, each in two versions (one SA110 finding each), chained 10,000 deep at most."""
    folder.mkdir()
    components, dependencies = [], []
    for i in range(n):
        for version in ("1.0", "2.0"):
            ref = f"pkg:pypi/c{i}@{version}"
            components.append({"type": "library", "name": f"c{i}", "version": version, "purl": ref, "bom-ref": ref})
            dependencies.append({"ref": ref, "dependsOn": [f"pkg:pypi/c{i + 1}@{version}"] if i + 1 < n else []})
    dependencies.append({"ref": "app", "dependsOn": ["pkg:pypi/c0@1.0", "pkg:pypi/c0@2.0"]})
    document = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "metadata": {"component": {"type": "application", "name": "app", "bom-ref": "app"}},
        "components": components,
        "dependencies": dependencies,
    }
    (folder / "bom.cdx.json").write_text(json.dumps(document))
    return folder


def test_a_deep_chain_gives_output_linear_in_its_size_in_every_format(tmp_path: Path) -> None:
    """A finding per node of a deep chain: why-paths are bounded, so every output grows linearly."""
    small = audit(_chain_sbom(tmp_path / "small", 100), AuditOptions(use_config=False))
    large = audit(_chain_sbom(tmp_path / "large", 400), AuditOptions(use_config=False))
    assert len(large.findings) >= 4 * len(small.findings) * 0.9 > 0
    for renderer in all_renderers():
        options = RenderOptions()
        small_size = len(renderer.render(small, options))
        large_size = len(renderer.render(large, options))
        assert large_size < RATIO * small_size, (renderer.name, small_size, large_size)
    longest = max(len(" -> ".join(f.why_path)) for f in large.findings)
    assert longest < 400, longest


def test_a_deep_chain_audit_time_grows_linearly(tmp_path: Path) -> None:
    small = _chain_sbom(tmp_path / "small", 500)
    large = _chain_sbom(tmp_path / "large", 2000)
    options = AuditOptions(use_config=False)
    audit(small, options)
    small_time = _best_time(lambda: audit(small, options))
    large_time = _best_time(lambda: audit(large, options))
    assert large_time < RATIO * small_time, (small_time, large_time)
