"""Property test: every key and array element of a generated JSON document is located on its line.

The documents are written here, line by line (some containers spread over lines, some kept on
one line, strings holding text that looks like keys), so the writer knows where each path is.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.locate.json import json_key_line

pytestmark = pytest.mark.property

Path = tuple[str | int, ...]
_KEYS = st.sampled_from(["name", "packages", "queue", "stack", "a b", 'q"uote', "dépendance", "spdxVersion"])
_LOOKALIKE = st.sampled_from(['"queue": 1', '{"name": "x"}', "[1, 2]", "\\", "plain", 'stack": {'])
_SCALARS = st.one_of(st.integers(-5, 10**6), st.booleans(), st.none(), _LOOKALIKE)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_KEYS, inner, max_size=4)),
    max_leaves=12,
)


def _inline(value: Any, path: Path, line: int, where: dict[Path, int]) -> str:
    """``value`` on one line; every path inside it is on ``line``."""
    if isinstance(value, dict):
        for key, item in value.items():
            where[(*path, key)] = line
            _inline(item, (*path, key), line, where)
    elif isinstance(value, list):
        for n, item in enumerate(value):
            where[(*path, n)] = line
            _inline(item, (*path, n), line, where)
    return json.dumps(value, ensure_ascii=False)


def _write(value: Any, path: Path, lines: list[str], where: dict[Path, int], spread: Any) -> None:
    """Append ``value`` to the last line of ``lines`` (spread over new lines when ``spread()``)."""
    if not isinstance(value, (dict, list)) or not value or not spread():
        lines[-1] += _inline(value, path, len(lines), where)
        return
    items = list(value.items()) if isinstance(value, dict) else list(enumerate(value))
    lines[-1] += "{" if isinstance(value, dict) else "["
    for n, (key, item) in enumerate(items):
        lines.append("  " * len(path) + (json.dumps(key, ensure_ascii=False) + ": " if isinstance(key, str) else ""))
        where[(*path, key)] = len(lines)
        _write(item, (*path, key), lines, where, spread)
        lines[-1] += "," if n + 1 < len(items) else ""
    lines.append("  " * max(len(path) - 1, 0) + ("}" if isinstance(value, dict) else "]"))


@given(st.dictionaries(_KEYS, _VALUES, min_size=1, max_size=5), st.randoms(use_true_random=False))
@settings(max_examples=300, deadline=None)
def test_every_path_is_located_on_its_line(document: dict[str, Any], random: Any) -> None:
    lines = [""]
    where: dict[Path, int] = {}
    _write(document, (), lines, where, lambda: random.random() < 0.7)
    text = "\n".join(lines) + "\n"
    assert json.loads(text) == document
    assert {path: json_key_line(text, path) for path in where} == where
