"""Property test: every key of a generated TOML document is located on the line it was written.

The oracle is independent of the locator: each document is built line by line
from known pieces (tables, arrays of tables, quoted and dotted keys, values
spanning lines, multi-line strings holding text that looks like keys and
headers, comments, CRLF), so the generator knows each key's line. ``tomli``
checks that the document is valid TOML and holds every generated path. The
lock fast path (:class:`ArrayTableLocator`, a literal header search) is checked
against the full scan too.
"""

from __future__ import annotations

from typing import Any

import pytest
import tomli
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.locate.toml import TomlKeys, array_table_lines, toml_line
from auditor.locate.toml_locks import ArrayTableLocator

pytestmark = pytest.mark.property

Path = tuple[str | int, ...]
_BARE = st.sampled_from(["name", "version", "dependencies", "fail-on", "a_b", "x1", "package", "tool"])
_QUOTED = st.sampled_from(["stack-auditor", "a.b", "with space", "dépendances", 'q"uote'])


def _spell(key: str, style: str) -> str:
    """``key`` written bare, "basic" or 'literal' (whichever TOML allows for it)."""
    bare = all(c.isascii() and (c.isalnum() or c in "-_") for c in key)
    if style == "bare" and bare:
        return key
    if style == "literal" and "'" not in key:
        return f"'{key}'"
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


# Text that a naive line search takes for a key or a header.
_LOOKALIKES = ["name = \"evil\"", "dependencies = [\"django>=5\"]", "[tool.stack-auditor]", "[[package]]",
               "fail-on = 'never'", "  version = 1", "# not a comment", "'''", '\\"\\"\\"']  # fmt: skip


@st.composite
def _value(draw: st.DrawFn) -> list[str]:
    """One value as its lines (the first follows ``key = ``)."""
    kind = draw(st.sampled_from(["int", "string", "literal", "multi", "array", "inline"]))
    if kind == "int":
        return [str(draw(st.integers(-5, 10**6)))]
    if kind == "string":
        return ['"' + draw(st.sampled_from(_LOOKALIKES)).replace('"', '\\"').replace("\\\\", "\\") + '"']
    if kind == "literal":
        return ["'x = 1 # [a]'"]
    if kind == "multi":
        quote = draw(st.sampled_from(['"""', "'''"]))
        body = [line for line in draw(st.lists(st.sampled_from(_LOOKALIKES), max_size=3)) if quote[0] * 3 not in line]
        return [quote, *body, quote]
    if kind == "array":
        items = draw(st.lists(st.sampled_from(['"a = 1"', "2", "'[b]'", "{ c = 3 }"]), max_size=3))
        if draw(st.booleans()):
            return ["[" + ", ".join(items) + "]"]
        return ["[", *[f"  {item},  # {n} = 1" for n, item in enumerate(items)], "]"]
    return ["{ k = 1, 'l.m' = \"n = 2\" }"]


@st.composite
def _keys(draw: st.DrawFn, root: bool, package: bool) -> list[tuple[tuple[str, ...], str]]:
    """Distinct keys of one table, each as (its parts, how it is written); some dotted."""
    used: set[str] = {"tool", "project", "package", "a.b"} if root else {"name"} if package else set()
    found = []
    for _ in range(draw(st.integers(0, 4))):
        head = draw(st.one_of(_BARE, _QUOTED))
        if head in used:
            continue
        used.add(head)
        parts = (head, draw(_BARE)) if draw(st.integers(0, 4)) == 0 else (head,)
        style = draw(st.sampled_from(["bare", "basic", "literal"]))
        found.append((parts, " . ".join(_spell(p, style) for p in parts) if len(parts) > 1 else _spell(head, style)))
    return found


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, dict[Path, int], list[int]]:
    """A TOML text, the line of every key path written in it, and the lines of its ``[[package]]`` headers."""
    lines: list[str] = []
    where: dict[Path, int] = {}
    packages: list[int] = []
    counts: dict[str, int] = {}
    sections = [((), "")] + [
        (draw(st.sampled_from([("tool", "stack-auditor"), ("project",), ("package",), ("a.b", "c")])), "")
        for _ in range(draw(st.integers(0, 4)))
    ]
    seen_tables: set[tuple[str, ...]] = set()
    for table, _ in sections:
        array = table == ("package",)
        if table and not array and table in seen_tables:
            continue
        prefix: Path = table
        if table:
            seen_tables.add(table)
            style = draw(st.sampled_from(["bare", "basic", "literal"]))
            name = ".".join(_spell(p, style) for p in table)
            lines.append(f"[[{name}]]" if array else f"[ {name} ]  # table")
            if array:
                n = counts.get("package", 0)
                counts["package"] = n + 1
                prefix = ("package", n)
                packages.append(len(lines))
            where[prefix] = len(lines)
            if array:  # as in every lock: the entry's name first
                lines.append(f'name = "pkg{n}"')
                where[(*prefix, "name")] = len(lines)
        for parts, spelled in draw(_keys(not table, array)):
            if draw(st.booleans()):
                lines.append(draw(st.sampled_from(["", "# name = 1", "   # [[package]]"])))
            lines.append(f"{spelled} = " + (value := draw(_value()))[0])
            where[(*prefix, *parts)] = len(lines)
            lines.extend(value[1:])
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(lines) + newline, where, packages


def _decoded(data: Any, path: Path) -> bool:
    for part in path:
        if isinstance(part, int):
            if not isinstance(data, list) or part >= len(data):
                return False
        elif not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return True


@given(documents())
@settings(max_examples=300, deadline=None)
def test_every_key_is_located_on_its_line(case: tuple[str, dict[Path, int], list[int]]) -> None:
    text, where, _ = case
    data = tomli.loads(text)
    assert all(_decoded(data, path) for path in where), "the generator wrote a path the decoder does not see"
    keys = TomlKeys(text)
    assert {path: keys.line(path) for path in where} == where
    assert {path: toml_line(text, path) for path in where} == where


@given(documents())
@settings(max_examples=200, deadline=None)
def test_lock_fast_path_agrees_with_the_scan(case: tuple[str, dict[Path, int], list[int]]) -> None:
    """Checked against the decoded array, the literal ``[[package]]`` search ends with the headers the scan finds."""
    text, _, packages = case
    locator = ArrayTableLocator(text, "package", tomli.loads(text).get("package"))
    assert [locator.header_line(n) for n in range(len(locator))] == packages
    assert [text.count("\n", 0, offset) + 1 for offset in array_table_lines(text, "package")] == packages
