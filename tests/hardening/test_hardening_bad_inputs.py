"""The bad-input corpus: every hostile file gives its exact located message, or parses ("ok").

``tests/bad_inputs/<case>--<canonical name>`` is copied into an empty folder
under its canonical name (``uv.lock``, ``requirements.txt``...) and audited
through the real pipeline (:func:`auditor.audit.audit`). The sibling
``<file>.expected.txt`` holds the failures, one ``file:line: message`` a
line, or ``ok``. For inputs that parse (cycles, self-dependencies), every
package's why-path is also computed, so a cycle cannot hang the graph.
Regenerate the expectations after a deliberate message change with
``UPDATE_BAD_INPUTS=1 python -m pytest tests/hardening/test_hardening_bad_inputs.py`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from auditor.audit import AuditOptions, audit, load_project_graphs
from tests.hardening.fuzzkit import guard

BAD_INPUTS = Path(__file__).resolve().parents[1] / "bad_inputs"
CASES = sorted(p for p in BAD_INPUTS.iterdir() if p.is_file() and not p.name.endswith(".expected.txt"))


def canonical_name(case: Path) -> str:
    """``utf16--requirements.txt`` is audited as ``requirements.txt``."""
    return case.name.split("--", 1)[1]


def outcome(case: Path, folder: Path) -> str:
    """The failures the pipeline reports for this file alone, or ``ok``."""
    folder.mkdir()
    (folder / canonical_name(case)).write_bytes(case.read_bytes())
    with guard(60):
        report = audit(folder, AuditOptions())
        _root, projects = load_project_graphs(folder, AuditOptions())
        for project in projects:
            for node in project.graph:
                project.graph.why_path(node)  # must terminate on cycles and self-edges
    assert report.projects or report.failures, f"{case.name}: no resolver picked up {canonical_name(case)!r}"
    return "\n".join(str(failure) for failure in report.failures) or "ok"


def test_corpus_is_large_and_complete() -> None:
    """At least 60 hostile files, each with an expectation, and no orphan expectation."""
    assert len(CASES) >= 60
    expected = {p.name.removesuffix(".expected.txt") for p in BAD_INPUTS.glob("*.expected.txt")}
    assert expected == {case.name for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_gives_its_located_message(case: Path, tmp_path: Path) -> None:
    """The exact ``file:line: message`` (or ``ok``) for one hostile file, via the real pipeline."""
    actual = outcome(case, tmp_path / "audited")
    expectation = case.with_name(case.name + ".expected.txt")
    if os.environ.get("UPDATE_BAD_INPUTS") == "1":
        expectation.write_text(actual + "\n", encoding="utf-8")
    assert actual == expectation.read_text(encoding="utf-8").rstrip("\n")
    for line in actual.splitlines():
        if line != "ok":
            assert line.startswith(canonical_name(case)), f"message does not name the file: {line}"


def test_committed_inputs_are_the_generators_output(tmp_path: Path) -> None:
    """``make_bad_inputs.py`` regenerates every committed input byte for byte (it documents how they were made)."""
    from tests.hardening import make_bad_inputs

    make_bad_inputs.main(tmp_path)
    generated = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert generated == {case.name: case.read_bytes() for case in CASES}
