"""The requirements fast path: the same result as pip's parser alone, and no per-line pip parser on huge files.

pip's parser costs about a millisecond per line (it builds an option parser
for each), so plain ``name<specifier>`` lines are parsed with ``packaging``
and only the rest goes through pip. These tests pin that the two paths agree
on every committed and shared requirements file and on mutations of them.
"""

from __future__ import annotations

import random
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


HASHED = [
    "a==1.0 \\\n    --hash=sha256:abc \\\n    --hash=sha256:def\n    # via b\nb==2.0\n",
    "a==1.0 ; python_version < '3.11' \\\n    --hash=sha512:abc\n",
    "a[x]>=1,<2 \\\n  --hash sha384:abc\n",
    "a==1.0 \\\n    --hash=sha1:abc\n",  # pip refuses the algorithm: its message, on both paths
    "a==1.0 \\\n    --hash=sha256\n",  # no value
    "a==1.0 \\\n    --hash=sha256:abc \\\n",  # the file ends inside the continuation
    "a==1.0 \\\n    --hash=sha256:abc # trailing comment\n",
    "a==1.0 # comment \\\n    --hash=sha256:abc\n",
    "a==1.0 \\\n    --hash=sha256:abc \\\n    --no-binary :all:\n",
    "a==1.0 \\\n\n    --hash=sha256:abc\n",
    "a==1.0 \\\r\n    --hash=sha256:abc\r\n",
]


@pytest.mark.parametrize("text", HASHED, ids=range(len(HASHED)))
def test_fast_path_agrees_with_pip_on_hashed_requirements(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--generate-hashes` blocks and their near misses: the same packages, lines and errors on both paths."""
    fast, slow = _both(text, monkeypatch)
    assert fast == slow


def test_hashed_blocks_take_the_fast_path() -> None:
    """A `--generate-hashes` block is read without pip: nothing but blank and comment lines is left for it."""
    plain, rest = requirements_module._split_plain(HASHED[0])
    assert [(r.name, r.specifier, r.line_number) for r in plain] == [("a", "==1.0", 1), ("b", "==2.0", 5)]
    assert [line for line in rest.splitlines() if line.strip() and not line.lstrip().startswith("#")] == []


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


def test_100k_line_requirements_file_never_reaches_pips_parser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A generated 100,000-line file (comments, markers, extras) is read without pip's per-line option parser.

    pip's parser costs about a millisecond a line; the fast path is what keeps a
    huge file linear. (Time itself is measured in benchmarks/, not asserted here.)
    """
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

    def pip_parser(*_args: object) -> object:
        raise AssertionError("pip's parser was called")

    monkeypatch.setattr(requirements_module, "_parse_with", pip_parser)
    report = audit(tmp_path, AuditOptions())
    assert report.failures == []
    assert len(report.projects[0].packages) == 75_000
