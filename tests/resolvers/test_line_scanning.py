"""The position helpers behind lock provenance: LineIndex, ArrayTableLocator and Poetry's dependency-table scan.

Each fast helper is checked against a plain reference written the obvious way.
"""

from __future__ import annotations

import re

import tomli
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.locate.toml import scan_keys
from auditor.locate.toml_locks import ArrayTableLocator
from auditor.model import Provenance
from auditor.resolvers.base import LineIndex
from auditor.resolvers.poetry_lock import _dependency_headers, _dependency_keys

# The line-anchored search the one-pass header finder replaces.
_DEPENDENCIES_LINE = re.compile(r"^[ \t]*\[[ \t]*package[ \t]*\.[ \t]*dependencies[ \t]*\]", re.M)


def _reference_provenance(text: str, file: str, offset: int) -> Provenance:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    line_text = text[start:] if end == -1 else text[start:end]
    return Provenance(file, text.count("\n", 0, offset) + 1, offset - start + 1, line_text.strip())


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab \t\r\n=", max_size=80), st.lists(st.integers(0, 80), max_size=12))
def test_line_index_provenance_matches_reference(text: str, offsets: list[int]) -> None:
    """Any order of offsets (forward and backward) gives the line, column and text of a plain count."""
    index = LineIndex(text)
    for offset in offsets:
        offset = min(offset, len(text))
        assert index.provenance("f", offset) == _reference_provenance(text, "f", offset)


def test_entry_at_finds_the_entry_holding_an_offset() -> None:
    text = "top = 1\n[[package]]\nname = 'a'\n[[package]]\nname = 'b'\n"
    locator = ArrayTableLocator(text, "package", tomli.loads(text).get("package"))
    first, second = text.index("[[package]]"), text.rindex("[[package]]")
    assert locator.entry_at(0) is None
    assert locator.entry_at(first) == 0
    assert locator.entry_at(second - 1) == 0
    assert locator.entry_at(second) == 1
    assert locator.entry_at(len(text)) == 1


_KEY = st.from_regex(r"[a-z][a-z0-9_-]{0,6}", fullmatch=True)
_VALUE = st.sampled_from(['">=1"', '{version = "1", optional = true}', "'[package.dependencies]'", '"*"'])
_HEADER = st.sampled_from(
    [
        "[package.dependencies]",
        "  [package.dependencies]",
        "[ package . dependencies ]",
        "\t[package.dependencies] # c",
        "\f[package.dependencies]",
    ]
)
_ODD_LINE = st.sampled_from(['"quoted" = "1"', "dotted.key = 1", "  indented = 1", "", "# comment", "[package.extras]"])


@st.composite
def _poetry_entries(draw: st.DrawFn) -> str:
    """Poetry-like entries: usual and unusual dependency tables, headers inside values, stray lines."""
    entries = []
    for _ in range(draw(st.integers(0, 4))):
        lines = ["[[package]]", f'name = "{draw(_KEY)}"']
        if draw(st.booleans()):
            lines.append('description = "[package.dependencies] in a value"')
        for _ in range(draw(st.integers(0, 2))):
            lines.append(draw(_HEADER))
            for _ in range(draw(st.integers(0, 4))):
                if draw(st.integers(0, 4)):
                    lines.append(f"{draw(_KEY)} = {draw(_VALUE)}")
                else:
                    lines.append(draw(_ODD_LINE))
        entries.append("\n".join(lines))
    return "\n\n".join(entries) + ("\n" if draw(st.booleans()) else "")


def _locator(text: str) -> ArrayTableLocator:
    """The locator as a resolver makes it, the decoded array standing in as one entry per header line
    (the generated entries need not be valid TOML)."""
    return ArrayTableLocator(text, "package", [{}] * len(re.findall(r"(?m)^[ \t]*\[\[package\]\]", text)))


@settings(max_examples=300, deadline=None)
@given(_poetry_entries())
def test_dependency_headers_match_a_line_search_per_entry(text: str) -> None:
    """The one-pass finder gives, per entry, the first line-anchored header of that entry's span."""
    locator = _locator(text)
    expected = {}
    for n in range(len(locator)):
        found = _DEPENDENCIES_LINE.search(text, *locator.span(n))
        if found:
            expected[n] = (found.start(), found.end())
    assert _dependency_headers(text, locator) == expected


def _reference_dependency_keys(text: str, start: int, end: int) -> dict[str, int]:
    """The per-entry scan the one-pass version replaces (three regex searches per entry)."""
    header = _DEPENDENCIES_LINE.search(text, start, end)
    if header is None:
        keys = scan_keys(text, start, end)
    else:
        following = re.compile(r"^[ \t]*\[", re.M).search(text, header.end(), end)
        stop = following.start() if following else end
        plain = re.compile(r"^([A-Za-z0-9_-]+)[ \t]*=", re.M)
        found = {m.group(1): m.start() for m in plain.finditer(text, header.end(), stop)}
        if found and not re.compile(r"^[ \t]*[\"'.]|^[A-Za-z0-9_-]+\.", re.M).search(text, header.end(), stop):
            return found
        keys = scan_keys(text, header.start(), stop)
    return {
        path[2]: offset for path, offset in keys.items() if len(path) == 3 and path[:2] == ("package", "dependencies")
    }


@settings(max_examples=300, deadline=None)
@given(_poetry_entries())
def test_dependency_keys_match_the_per_entry_scan(text: str) -> None:
    """Bare keys at column 0 by one regex pass; any other spelling through scan_keys, as before."""
    locator = _locator(text)
    headers = _dependency_headers(text, locator)
    for n in range(len(locator)):
        span = locator.span(n)
        assert _dependency_keys(text, span, headers.get(n)) == _reference_dependency_keys(text, *span)
