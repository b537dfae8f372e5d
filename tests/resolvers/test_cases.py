"""Every case folder under tests/corpus/<resolver>/ parses to its expected.json; every error case fails as written.

One test for every registered resolver: a new case needs a folder, not code.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from auditor.resolvers import FORMATS, all_resolvers, by_name
from tests.resolver_cases import CASES_ROOT, assert_case, assert_error, case_dirs, error_cases

RESOLVERS = all_resolvers()
CASES = [(r.name, case) for r in RESOLVERS for case in case_dirs(r.name)]
ERRORS = [(r.name, case) for r in RESOLVERS for case in error_cases(r.name)]


@pytest.mark.parametrize(("resolver", "case"), CASES, ids=[f"{r}/{c.name}" for r, c in CASES])
def test_case_folder_parses_to_expected(resolver: str, case: Path) -> None:
    """The resolver reads the case's input into exactly the packages, lines, edges and projects recorded by hand."""
    parser = by_name(resolver)
    assert parser is not None
    assert_case(parser, case)


@pytest.mark.parametrize(("resolver", "case"), ERRORS, ids=[f"{r}/{c.name}" for r, c in ERRORS])
def test_error_case_has_located_message(resolver: str, case: Path) -> None:
    """A malformed input fails with the exact `file:line: message` recorded beside it, never another exception."""
    parser = by_name(resolver)
    assert parser is not None
    assert_error(parser, case)


def test_every_resolver_has_cases() -> None:
    """Each registered resolver has at least one case folder (the registry and the corpus stay in step)."""
    missing = [r.name for r in RESOLVERS if not case_dirs(r.name)]
    assert not missing, f"resolvers without tests/corpus/<name>/ cases: {missing} (under {CASES_ROOT})"


def test_registry_entries_match_their_resolvers() -> None:
    """Each registry entry loads a resolver with the entry's name and role."""
    for entry in FORMATS:
        assert (entry.resolver.name, entry.resolver.role) == (entry.name, entry.role)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("uv.lock", "uv-lock"),
        ("pdm.lock", "pdm-lock"),
        ("pdm..lock", "pdm-lock"),
        ("pylock.toml", "pylock"),
        ("pylock.a.b.toml", None),
        ("Pipfile", "pipfile"),
        ("BOM.JSON", "cyclonedx-json"),
        ("app.CDX.xml", "cyclonedx-xml"),
        ("x.spdx", "spdx-tv"),
        ("x.spdx.json", "spdx-json"),
        ("dev.in", "requirements"),
        ("requirements-dev.txt", "requirements"),
        ("requirements/base.txt", "requirements"),
        ("test_requirements.txt", "requirements"),
        ("notes.txt", None),
        ("requirements.txt.bak", None),
        ("pyproject.toml.orig", None),
    ],
)
def test_file_names_pick_the_first_matching_format(name: str, expected: str | None) -> None:
    """The registry's name patterns match whole names (and ``requirements/*.txt``), first entry wins."""
    found = next((entry.name for entry in FORMATS if entry.detect(PurePosixPath("repo") / name)), None)
    assert found == expected
