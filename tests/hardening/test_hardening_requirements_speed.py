"""The requirements fast path: same result as pip's parser alone, and linear time on huge files.

pip's parser costs about a millisecond per line (it builds an option parser
for each), so plain ``name<specifier>`` lines are parsed with ``packaging``
and only the rest goes through pip. These tests pin that the two paths agree
on every committed and shared requirements file and on mutations of them.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from auditor.audit import AuditOptions, audit
from auditor.errors import InputError
from auditor.resolvers import requirements as requirements_module
from auditor.resolvers.requirements import RequirementsResolver
from tests.hardening.fuzzkit import mutate, seeds_for
from tests.resolver_cases import summarize

RESOLVER = RequirementsResolver()
SEEDS = seeds_for(RESOLVER)


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    def run() -> object:
        try:
            result = RESOLVER.parse(text, "requirements.txt")
        except InputError as error:
            return ("error", str(error))
        return (
            summarize(result),
            [(e.parent, e.child, e.specifier, e.marker, e.extras, e.scope) for e in result.edges],
            [(s.name, s.reason) for s in result.skipped],
            [(i.target, i.kind) for i in result.includes],
        )

    fast = run()
    monkeypatch.setattr(requirements_module, "FAST_PATH", False)
    slow = run()
    monkeypatch.setattr(requirements_module, "FAST_PATH", True)
    return fast, slow


@pytest.mark.parametrize("seed", range(len(SEEDS)), ids=[name for name, _ in SEEDS])
def test_fast_path_agrees_with_pip_on_real_files(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every real requirements file: packages, lines, edges, skips and includes identical on both paths."""
    fast, slow = _both(SEEDS[seed][1], monkeypatch)
    assert fast == slow


@pytest.mark.property
@given(data=st.data())
def test_fast_path_agrees_with_pip_on_mutations(data: st.DataObject) -> None:
    """Mutated real files: the same result or the same located error on both paths."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        name, text = SEEDS[data.draw(st.integers(0, len(SEEDS) - 1))]
        mutated = mutate(text, random.Random(data.draw(st.integers(0, 2**32 - 1))), data.draw(st.integers(1, 3)))
        note(f"{name}: {mutated[:3000]!r}")
        fast, slow = _both(mutated, monkeypatch)
        assert fast == slow


def test_100k_line_requirements_file_is_linear(tmp_path: Path) -> None:
    """A generated 100,000-line requirements file (with comments, markers, extras) audits in bounded time."""
    lines = []
    for n in range(100_000):
        kind = n % 4
        if kind == 0:
            lines.append(f"package-{n}=={n % 50}.{n % 7}.0")
        elif kind == 1:
            lines.append(f"package-{n}[extra]>={n % 9}.0 ; python_version >= '3.8'  # why not")
        elif kind == 2:
            lines.append(f"# comment {n}")
        else:
            lines.append(f"Package_{n} ~= 1.{n % 10}")
    (tmp_path / "requirements.txt").write_text("\n".join(lines) + "\n")
    started = time.perf_counter()
    report = audit(tmp_path, AuditOptions())
    elapsed = time.perf_counter() - started
    assert report.failures == []
    assert len(report.projects[0].packages) == 75_000
    assert elapsed < 120, f"100k lines took {elapsed:.1f} s"
