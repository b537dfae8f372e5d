"""Units under the lock resolvers: sniffing order, the TOML key scanner, Poetry constraint conversion."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.locate.toml import array_string_offsets, scan_keys
from auditor.resolvers._lock_common import poetry_to_pep440
from auditor.resolvers.pdm_lock import PdmLockResolver
from auditor.resolvers.pipfile import PipfileResolver
from auditor.resolvers.pipfile_lock import PipfileLockResolver
from auditor.resolvers.poetry_lock import PoetryLockResolver
from auditor.resolvers.pylock import PylockResolver
from tests.resolver_cases import case_dirs, input_file

# Registry order of these five in auditor/resolvers/__init__.py.
ORDER = (PoetryLockResolver(), PdmLockResolver(), PylockResolver(), PipfileLockResolver(), PipfileResolver())
INPUTS = [(r.name, input_file(case)) for r in ORDER for case in case_dirs(r.name)]


@pytest.mark.parametrize(("name", "file"), INPUTS, ids=[f"{n}/{f.parent.name}" for n, f in INPUTS])
def test_sniff_picks_the_right_resolver(name: str, file: Path) -> None:
    """On the first 4 KiB of every case input, the first sniffer (registry order) to accept is its own."""
    head = file.read_text(encoding="utf-8")[:4096]
    claimed = next((r.name for r in ORDER if r.sniff(head)), None)
    assert claimed == name


def test_scan_keys_shapes() -> None:
    """Quoted and dotted keys, sub-table headers, multi-line strings and arrays are handled."""
    text = (
        "[tool.poetry.dependencies]\n"
        '"Django" = "^4"\n'
        "'zope.interface' = '*'\n"
        'long = """\nfake = "not a key"\n"""\n'
        "arr = [\n  'fake2 = 1',\n  { inline = 1 },\n]\n"
        "a.b = 1\n"
        "[[package]]\n"
        "name = 'x'\n"
    )
    keys = scan_keys(text)
    line = {path: text.count("\n", 0, offset) + 1 for path, offset in keys.items()}
    assert line[("tool", "poetry", "dependencies", "Django")] == 2
    assert line[("tool", "poetry", "dependencies", "zope.interface")] == 3
    assert line[("tool", "poetry", "dependencies", "arr")] == 7
    assert line[("tool", "poetry", "dependencies", "a", "b")] == 11
    assert line[("package", "name")] == 13
    assert not any(path[-1] in ("fake", "fake2", "inline") for path in keys)
    offsets = array_string_offsets(text, keys[("tool", "poetry", "dependencies", "arr")])
    assert [text[o : o + 7] for o in offsets] == ["'fake2 "]


@pytest.mark.parametrize(
    ("constraint", "pep440"),
    [
        ("^1.2.3", ">=1.2.3,<2"),
        ("^0.2.3", ">=0.2.3,<0.3"),
        ("^0.0.3", ">=0.0.3,<0.0.4"),
        ("^0", ">=0,<1"),
        ("~3.9", ">=3.9,<3.10"),
        ("~1.2.3", ">=1.2.3,<1.3"),
        ("~1", ">=1,<2"),
        ("~=1.2", "~=1.2"),
        (">=1.0 <2.0", ">=1.0,<2.0"),
        (">=1,<2", ">=1,<2"),
        ("1.2.3", "==1.2.3"),
        ("==1.*", "==1.*"),
        ("*", ""),
        (">=1,<2 || >3", None),
        ("^not.a.version", None),
    ],
)
def test_poetry_to_pep440(constraint: str, pep440: str | None) -> None:
    """Poetry's caret/tilde/wildcard/space-separated forms map to PEP 440; unions have no form."""
    assert poetry_to_pep440(constraint) == pep440


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(["", "=", "==", "!=", ">=", "<", "~=", "==="]),
    st.from_regex(r"v?[0-9]{1,3}(\.[0-9]{1,3}){0,3}((a|b|rc|\.post|\.dev)[0-9])?(\.\*|\+local)?", fullmatch=True),
)
def test_poetry_constraint_fast_paths_agree_with_packaging(operator: str, version: str) -> None:
    """The regex fast paths (plain versions, ==X.* wildcards) accept exactly what packaging's Specifier accepts."""
    from packaging.specifiers import InvalidSpecifier, Specifier

    candidate = f"=={version}" if operator in ("", "=") else f"{operator}{version}"
    try:
        Specifier(candidate)
        expected: str | None = candidate
    except InvalidSpecifier:
        expected = None
    assert poetry_to_pep440(f"{operator}{version}") == expected


def test_scan_keys_escapes_and_unterminated_strings() -> None:
    """Escaped quoted keys decode like TOML does; an unterminated multi-line string ends the scan safely."""
    text = '[t]\n"caf\\u00e9" = 1\n"a\\"b" = 2\nlast = """never closed\nx = 1\n'
    keys = scan_keys(text)
    assert ("t", "café") in keys and ("t", 'a"b') in keys and ("t", "last") in keys
    assert ("t", "x") not in keys
