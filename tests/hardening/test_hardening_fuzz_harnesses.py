"""Every registered resolver has an atheris harness (``fuzz/fuzz_<name>.py``), and no harness is orphaned."""

from __future__ import annotations

from pathlib import Path

from auditor.resolvers import all_resolvers

RESOLVERS = all_resolvers()

FUZZ = Path(__file__).resolve().parents[2] / "fuzz"


def test_each_resolver_has_a_harness() -> None:
    """A new format in the registry needs its ``fuzz/fuzz_<name>.py`` (calling ``_harness.run``)."""
    missing = [r.name for r in RESOLVERS if not (FUZZ / f"fuzz_{r.name.replace('-', '_')}.py").is_file()]
    assert missing == []
    for resolver in RESOLVERS:
        text = (FUZZ / f"fuzz_{resolver.name.replace('-', '_')}.py").read_text()
        assert f'run("{resolver.name}")' in text


def test_the_tree_harness_fuzzes_names_and_every_renderer() -> None:
    """``fuzz/fuzz_tree.py`` drives whole trees (hostile names) through the audit and every renderer."""
    text = (FUZZ / "fuzz_tree.py").read_text()
    assert "write_tree" in text and "check_outputs" in text
