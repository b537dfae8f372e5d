"""Blanking distribution-file lists before tomli never changes what a lock says, or where it is wrong.

``auditor.resolvers._hash_lists`` empties ``files = [...]`` / ``wheels = [...]``
lists of the lock tools' exact shape, to spare ``tomli`` three quarters of a
lock. These tests hold it to its promise: the same line count, the same
decoded document once those lists are set aside, the same verdict from
``tomli`` (and, for a broken document, the same error line), on generated
documents full of near-misses and on every lock the project owns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import tomli
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.resolvers._hash_lists import blank_file_lists, blank_file_tables
from tests.resolver_cases import case_dirs, input_file
from tests.resolvers.lock_helpers import SHARED_CORPUS

pytestmark = pytest.mark.property

# What each resolver blanks: (list keys, one-line table keys).
POETRY_OR_PDM = (("files",), ())
UV = (("wheels",), ("sdist",))
Blanked = tuple[tuple[str, ...], tuple[str, ...]]

LOCKS = [
    (input_file(case), keys)
    for name, keys in (("poetry-lock", POETRY_OR_PDM), ("pdm-lock", POETRY_OR_PDM), ("uv-lock", UV))
    for case in case_dirs(name)
]

_CORPUS_LOCKS: dict[str, tuple[str, Blanked]] = {
    "poetry-lock": ("poetry.lock", POETRY_OR_PDM),
    "pdm-lock": ("pdm.lock", POETRY_OR_PDM),
    "uv-lock": ("uv.lock", UV),
}


def _corpus_locks() -> list[Any]:
    if not SHARED_CORPUS.is_dir():
        return [pytest.param(None, UV, id="shared-corpus-absent")]
    return [
        pytest.param(path, keys, id=f"{kind}/{path.parent.name}")
        for kind, (name, keys) in _CORPUS_LOCKS.items()
        for path in sorted((SHARED_CORPUS / kind).rglob(name))
    ]


def _set_aside(value: Any, keys: tuple[str, ...]) -> Any:
    """The document with every list or table under ``keys`` emptied: all that blanking may change."""
    if isinstance(value, dict):
        return {
            k: type(v)() if k in keys and isinstance(v, (list, dict)) else _set_aside(v, keys) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_set_aside(v, keys) for v in value]
    return value


def _verdict(text: str) -> tuple[str, Any]:
    try:
        return "ok", tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        return "error", error.lineno


def assert_same_meaning(text: str, blanked_keys: Blanked) -> str:
    lists, tables = blanked_keys
    blanked = text
    for key in lists:
        blanked = blank_file_lists(blanked, key)
    for key in tables:
        blanked = blank_file_tables(blanked, key)
    assert blanked.count("\n") == text.count("\n")
    original, after = _verdict(text), _verdict(blanked)
    assert original[0] == after[0], (original, after)
    if original[0] == "ok":
        keys = (*lists, *tables)
        assert _set_aside(after[1], keys) == _set_aside(original[1], keys)
    else:
        assert after[1] == original[1]  # the same error line
    return blanked


# Strings that are, and are not, plain TOML basic strings.
_CHARS = st.sampled_from(list('ab-_.:/9 "\\\té\x01\x7f'))
_STRING = st.builds(lambda s: f'"{s}"', st.text(_CHARS, max_size=6))
_INTEGER = st.sampled_from(["0", "7", "123", "01", "1_000", "-1", "+5", "1e3"])


@st.composite
def _file_table(draw: st.DrawFn) -> str:
    first = draw(st.sampled_from(["file", "url", "path", "filename", "hash", "name"]))
    fields = [f"{first} = {draw(_STRING)}"]
    for field, value in (("hash", _STRING), ("size", _INTEGER), ("upload-time", _STRING), ("file", _STRING)):
        if draw(st.booleans()):
            fields.append(f"{field} = {draw(value)}")
    spaced = draw(st.booleans())
    body = ", ".join(fields)
    return "{" + (f" {body} " if spaced else body) + "}"


@st.composite
def _file_list(draw: st.DrawFn, key: str) -> str:
    items = draw(st.lists(_file_table(), max_size=4))
    commas = [draw(st.sampled_from([",", "", " ,", ", # c"])) for _ in items]
    lines = [f"{key} = ["] + [f"    {item}{comma}" for item, comma in zip(items, commas, strict=True)]
    lines.append(draw(st.sampled_from(["]", "]", "] # end", "]x", "", "  ]"])))
    return "\n".join(lines)


@st.composite
def _one_line_table(draw: st.DrawFn, key: str) -> str:
    return f"{key} = {draw(_file_table())}{draw(st.sampled_from(['', '', ' # c', 'x', ' ', '}']))}"


@st.composite
def _document(draw: st.DrawFn, blanked_keys: Blanked) -> str:
    lists, tables = blanked_keys
    parts = []
    for n in range(draw(st.integers(1, 3))):
        parts.append(f'[[package]]\nname = "p{n}"')
        for key in tables:
            parts.append(draw(st.one_of(_one_line_table(key), st.sampled_from([f"{key} = {{}}", f"{key} = 1"]))))
        for key in lists:
            others = st.sampled_from([f"{key} = []", 'other = "x"', f'{key} = """'])
            parts.append(draw(st.one_of(_file_list(key), others)))
        parts.append(draw(st.sampled_from(["", 'version = "1"', '"""', "x = [", "{file = 1}"])))
    return "\n".join(parts) + draw(st.sampled_from(["\n", "", "\r\n"]))


@settings(max_examples=400, deadline=None)
@given(st.sampled_from([POETRY_OR_PDM, UV]).flatmap(lambda keys: st.tuples(st.just(keys), _document(keys))))
def test_generated_documents_mean_the_same(case: tuple[Blanked, str]) -> None:
    """Valid or not, a generated document decodes to the same thing, or fails on the same line."""
    keys, text = case
    assert_same_meaning(text, keys)


@pytest.mark.parametrize(("path", "keys"), LOCKS, ids=[f"{path.parent.name}-{keys[0][0]}" for path, keys in LOCKS])
def test_every_owned_lock_means_the_same(path: Path, keys: Blanked) -> None:
    """Every poetry, pdm and uv lock of the case folders decodes to the same document after blanking."""
    assert_same_meaning(path.read_text(encoding="utf-8"), keys)


@pytest.mark.corpus
@pytest.mark.parametrize(("path", "keys"), _corpus_locks())
def test_every_shared_corpus_lock_means_the_same(path: Path | None, keys: Blanked) -> None:
    """The real poetry, pdm and uv locks of ../shared/corpus decode to the same documents, and shorter."""
    if path is None:
        pytest.skip("shared corpus absent: ../shared/corpus not found")
    text = path.read_text(encoding="utf-8")
    assert len(assert_same_meaning(text, keys)) < len(text) or f"\n{keys[0][0]} = [\n" not in text


def test_the_lock_tools_own_shapes_are_blanked() -> None:
    """Poetry's, PDM's and uv's shapes are emptied, lines kept: the speed-up is not silently lost."""
    poetry = 'files = [\n    {file = "a-1.whl", hash = "sha256:ab"},\n    {file = "a.tgz", hash = "sha256:c"},\n]\n'
    pdm = 'x = 1\nfiles = [\n    {url = "https://h.invalid/a-1.whl", hash = "sha256:ab"},\n]\n'
    uv = (
        'x = 1\nsdist = { url = "a.tgz", hash = "sha256:ab", size = 15, upload-time = "2026-07-01" }\n'
        'wheels = [\n    { url = "u", hash = "sha256:ab", size = 15038, upload-time = "2026-07-01" },\n]\n'
    )
    assert assert_same_meaning("x = 1\n" + poetry, POETRY_OR_PDM) == "x = 1\nfiles = []\n\n\n\n"
    assert assert_same_meaning(pdm, POETRY_OR_PDM) == "x = 1\nfiles = []\n\n\n"
    assert assert_same_meaning(uv, UV) == "x = 1\nsdist = {}\nwheels = []\n\n\n"


@pytest.mark.parametrize(
    "item",
    [
        '{file = "a", file = "b"}',  # duplicate key: tomli's error to report
        '{file = "a", size = 012}',  # leading zero
        '{file = "a\\"b", hash = "c"}',  # an escape
        '{file = "a", hash = "b"} # comment',
        '{file = "a", hash = "b"}\r',  # CRLF
    ],
)
def test_anything_unusual_is_left_whole(item: str) -> None:
    """A list or a table with anything out of the exact shape reaches tomli untouched."""
    listed = f"x = 1\nfiles = [\n    {item},\n]\n"
    assert blank_file_lists(listed, "files") == listed
    assert_same_meaning(listed, POETRY_OR_PDM)
    table = f"x = 1\nsdist = {item}\n"
    assert blank_file_tables(table, "sdist") == table
    assert_same_meaning(table, UV)


@pytest.mark.parametrize(
    "lines",
    [
        '    {file = "a", hash = "b"}\n    {file = "c", hash = "d"},',  # a missing comma
        '  {file = "a", hash = "b"},',  # another indent
    ],
)
def test_a_list_out_of_layout_is_left_whole(lines: str) -> None:
    """List items must be indented by four spaces and separated by commas, as the lock tools write them."""
    text = f"x = 1\nfiles = [\n{lines}\n]\n"
    assert blank_file_lists(text, "files") == text
    assert_same_meaning(text, POETRY_OR_PDM)
