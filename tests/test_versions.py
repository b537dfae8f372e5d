"""The policy's version check agrees with packaging on every input, plain (fast path) or not (packaging's path)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from auditor import versions
from auditor.versions import InvalidSpecifierError, contains, pep440_release, release

NUMBERS = st.lists(st.integers(0, 12).map(str) | st.sampled_from(["00", "07", "10"]), min_size=1, max_size=4).map(
    ".".join
)
VERSIONS = NUMBERS | st.builds(
    "".join,
    st.tuples(
        st.sampled_from(["", "v", "1!"]),
        NUMBERS,
        st.sampled_from(["", "a1", "rc2", ".post1", ".dev0", "+local", ".*", " "]),
    ),
)
OPERATORS = st.sampled_from(["==", "!=", "<=", ">=", "<", ">", "~=", "===", "=", ""])
CLAUSES = st.builds(
    "".join,
    st.tuples(st.sampled_from(["", " "]), OPERATORS, st.sampled_from(["", " "]), VERSIONS, st.sampled_from(["", " "])),
)
SPECIFIERS = st.lists(CLAUSES, max_size=3).map(",".join) | st.sampled_from(["", ",", ">=3.10,", "nonsense"])


def _expected(specifier: str, version: str) -> bool | str:
    try:
        spec = SpecifierSet(specifier)
    except InvalidSpecifier:
        return "invalid"
    try:
        return spec.contains(Version(version), prereleases=True)
    except InvalidVersion:
        return False


def _actual(specifier: str, version: str) -> bool | str:
    try:
        return contains(specifier, version)
    except InvalidSpecifierError:
        return "invalid"


@settings(max_examples=1000, deadline=None)
@given(SPECIFIERS, VERSIONS)
def test_contains_agrees_with_packaging(specifier: str, version: str) -> None:
    """Same answer as ``SpecifierSet.contains(prereleases=True)``, and invalid specifiers refused alike."""
    expected = _expected(specifier, version)
    assert _actual(specifier, version) == expected
    assert versions.is_specifier(specifier) is (expected != "invalid")


@pytest.mark.parametrize(
    ("specifier", "version", "expected"),
    [
        (">=3.10", "3.11", True),
        (">=3.10,<3.12", "3.12", False),
        ("==3.*", "3.11", True),
        ("==3.11.0.*", "3.11", True),
        ("!=3.9.*", "3.9.7", False),
        ("~=3.11", "3.12", True),
        ("~=3.11.1", "3.12", False),
        (">3.10", "3.10.0", False),
        ("<6", "5.99", True),
        (">=5,<6", "6.0rc1", False),  # packaging's path: a pre-release
        (">=5.0b1", "5.0", True),
        ("", "1", True),
    ],
)
def test_contains_examples(specifier: str, version: str, expected: bool) -> None:
    """Worked examples, both paths."""
    assert contains(specifier, version) is expected


def test_invalid_specifier_and_version() -> None:
    """An invalid specifier raises (a ValueError); an invalid version is simply outside."""
    with pytest.raises(InvalidSpecifierError):
        contains(">=3.*", "3.11")
    with pytest.raises(ValueError):
        contains("~=3", "3.11")
    assert contains(">=1", "not a version") is False


def test_pep440_release() -> None:
    """Any PEP 440 version's release: plain ones without packaging, the rest (and huge parts) through it."""
    assert pep440_release("3.11") == (3, 11)
    assert pep440_release("v1.2rc1") == (1, 2)
    assert pep440_release("1!2.0.post1+local") == (2, 0)
    assert pep440_release("9" * 20) == (int("9" * 20),)
    assert pep440_release("not a version") is None


def test_release() -> None:
    """Plain releases only; huge parts go to packaging rather than near Python's int-size limit."""
    assert release("3.11") == (3, 11)
    assert release("3.11rc1") is None
    assert release("v3") is None
    assert release("9" * 20) is None


def test_plain_checks_do_not_import_packaging() -> None:
    """The fast path is what spares an audit the ~25 ms import of packaging.specifiers."""
    probe = (
        "import sys\nfrom auditor.versions import contains\n"
        "assert contains('>=3.10,!=3.11.*,<4', '3.12') and not contains('~=5.1', '6.0')\n"
        "print('packaging' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    assert versions._plain_clauses(">=3.10,!=3.11.*,<4") is not None


@settings(max_examples=500, deadline=None)
@given(VERSIONS, VERSIONS)
def test_compare_and_is_version_agree_with_packaging(left: str, right: str) -> None:
    """Ordering and validity as packaging's ``Version`` has them."""

    def parsed(text: str) -> Version | None:
        try:
            return Version(text)
        except InvalidVersion:
            return None

    a, b = parsed(left), parsed(right)
    assert versions.is_version(left) is (a is not None)
    if a is not None and b is not None:
        assert versions.compare(left, right) == (a > b) - (a < b)
    else:
        with pytest.raises(ValueError):
            versions.compare(left, right)
