"""Property tests: damaged lock text never crashes a resolver; it parses or raises InputError.

Starting from the committed case inputs, hypothesis replaces a slice of the
text (broken quoting, truncation, stray headers...) or, structurally, one
value of the decoded document by a value of another type. "Bad input gives ``file:line: message``, never a
traceback" must hold for every such variant.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.errors import InputError
from auditor.resolvers.base import LineIndex, load_toml
from auditor.resolvers.pdm_lock import PdmLockResolver
from auditor.resolvers.pipfile import PipfileResolver
from auditor.resolvers.pipfile_lock import PipfileLockResolver
from auditor.resolvers.poetry_lock import PoetryLockResolver
from auditor.resolvers.pylock import PylockResolver
from auditor.resolvers.pyproject_tools import pdm_dependencies, poetry_dependencies
from tests.resolver_cases import case_dirs, input_file
from tests.resolvers.test_pyproject_tools import PDM, POETRY

pytestmark = pytest.mark.property

RESOLVERS = [
    PoetryLockResolver(),
    PdmLockResolver(),
    PylockResolver(),
    PipfileLockResolver(),
    PipfileResolver(),
]
SAMPLES = [
    (resolver, input_file(case).read_text(encoding="utf-8")[:6000])
    for resolver in RESOLVERS
    for case in case_dirs(resolver.name)
]
# Whole (small) documents for the structural test.
FULL_SAMPLES = [
    (resolver, input_file(case).read_text(encoding="utf-8"))
    for resolver in RESOLVERS
    for case in case_dirs(resolver.name)
    if input_file(case).stat().st_size < 20_000
]
_REPLACEMENTS = st.sampled_from(
    [
        "",
        "1",
        "[]",
        "{}",
        '"',
        "'",
        "[[package]]\n",
        "[[packages]]\n",
        "= 3\n",
        "true",
        '"x"',
        "\n[a]\n",
        "]",
        "}",
    ]
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_input_parses_or_raises_input_error(data: st.DataObject) -> None:
    """Any slice of a valid lock replaced by a TOML/JSON fragment gives a result or an InputError."""
    resolver, text = data.draw(st.sampled_from(SAMPLES))
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 40)))
    damaged = text[:start] + data.draw(_REPLACEMENTS) + text[end:]
    try:
        resolver.parse(damaged, "damaged")
    except InputError as error:
        assert error.file == "damaged"
        assert error.line >= 0


def _toml(value: Any) -> str:
    """A TOML value in inline form (enough for any decoded document)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"
    return json.dumps(str(value))  # dates and times: written as strings


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    for key, child in items:
        found.extend(_paths(child, (*prefix, key)))
    return found


_WRONG = st.sampled_from([1, "x", "", [], {}, [1], ["x"], {"a": 1}, [{"name": 1}], True, 1.5])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_wrong_types_anywhere_raise_input_error(data: st.DataObject) -> None:
    """Any value of a decoded case replaced by one of another type gives a result or an InputError."""
    resolver, text = data.draw(st.sampled_from(FULL_SAMPLES))
    is_json = resolver.name == "pipfile-lock"
    document = json.loads(text) if is_json else tomli.loads(text)
    paths = _paths(document)
    path = data.draw(st.sampled_from(paths))
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = data.draw(_WRONG)
    if is_json:
        damaged = json.dumps(document, indent=4)
    else:
        damaged = "\n".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in document.items()) + "\n"
    try:
        resolver.parse(damaged, "damaged")
    except InputError as error:
        assert error.file == "damaged"


class _ToolTables:
    """The pyproject tool-table readers behind the resolver interface, for the damage tests."""

    name = "pyproject-tools"

    def parse(self, text: str, path: str) -> object:
        data = load_toml(text, path)
        index = LineIndex(text)
        return poetry_dependencies(data, index, path), pdm_dependencies(data, index, path)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_tool_tables_with_wrong_types_raise_input_error(data: st.DataObject) -> None:
    """``[tool.poetry]``/``[tool.pdm]`` with any value replaced by another type: a result or an InputError."""
    document = tomli.loads(data.draw(st.sampled_from([POETRY, PDM])))
    path = data.draw(st.sampled_from(_paths(document)))
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = data.draw(_WRONG)
    damaged = "\n".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in document.items()) + "\n"
    try:
        _ToolTables().parse(damaged, "damaged")
    except InputError as error:
        assert error.file == "damaged"
