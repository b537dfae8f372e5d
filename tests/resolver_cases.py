"""Shared machinery for resolver case folders: ``tests/corpus/<resolver>/<case>/``.

Each case folder holds exactly one input file (any name; the resolver is the
folder's) and ``expected.json``::

    {
      "projects": [{"name": "app", "requires_python": ">=3.11"}],          # optional
      "packages": [{"name": "django", "version": "5.1.4", "line": 12,
                    "scopes": ["main"]}],                                  # "scopes" optional
      "edges": [["app", "django"], [null, "app"]],                         # optional; parent null = project
      "skipped": ["name", ...]                                            # optional
    }

Error cases live in ``tests/corpus/<resolver>/errors/<case>.<ext>`` with
``<case>.expected.txt`` holding the exact ``file:line: message``.
A new case needs no code: ``tests/resolvers/test_cases.py`` runs every folder
of every registered resolver through :func:`assert_case` and :func:`assert_error`,
the one harness for them.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from auditor.errors import InputError
from auditor.model import ResolveResult
from auditor.resolvers import format_named
from auditor.resolvers.base import Resolver

__all__ = ["CASES_ROOT", "assert_case", "assert_error", "case_dirs", "display_name", "error_cases", "summarize"]

CASES_ROOT = Path(__file__).parent / "corpus"


def case_dirs(resolver: str) -> list[Path]:
    base = CASES_ROOT / resolver
    return sorted(p for p in base.iterdir() if p.is_dir() and p.name != "errors") if base.is_dir() else []


def error_cases(resolver: str) -> list[Path]:
    base = CASES_ROOT / resolver / "errors"
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir() if p.is_file() and not p.name.endswith(".expected.txt"))


def input_file(case: Path) -> Path:
    files = [p for p in case.iterdir() if p.is_file() and p.name != "expected.json"]
    assert len(files) == 1, f"{case}: expected exactly one input file, found {files}"
    return files[0]


def summarize(result: ResolveResult) -> dict[str, Any]:
    """The comparable shape of a result (same keys as expected.json)."""
    return {
        "projects": [
            {"name": p.name, "requires_python": p.requires_python} for p in result.projects
        ],
        "packages": sorted(
            (
                {
                    "name": p.name,
                    "version": p.version,
                    "line": p.provenance.line if p.provenance else None,
                    "scopes": sorted(p.scopes),
                }
                for p in result.packages
            ),
            key=lambda d: (d["name"], d["version"] or "", d["line"] or 0),
        ),
        "edges": sorted({(e.parent, e.child) for e in result.edges}, key=lambda t: (t[0] or "", t[1])),
        "skipped": sorted(s.name for s in result.skipped),
    }


def load_expected(case: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((case / "expected.json").read_text())
    return data


def detects(resolver_name: str, path: PurePosixPath) -> bool:
    """True when the registry recognises ``path`` by name as the format of ``resolver_name``."""
    entry = format_named(resolver_name)
    assert entry is not None, resolver_name
    return entry.detect(path)


# Formats read under a canonical file name: a case file named otherwise is handed over as this name.
CANONICAL = {"uv-lock": "uv.lock", "pyproject": "pyproject.toml", "requirements": "requirements.txt"}


def display_name(resolver: str, file: Path) -> str:
    """The name the file is parsed under (what discovery would hand over)."""
    return CANONICAL.get(resolver, file.name)


def assert_case(resolver: Resolver, case: Path) -> None:
    """The parse of the case's input equals its ``expected.json`` on every key the file states, exactly."""
    file = input_file(case)
    result = resolver.parse(file.read_text(encoding="utf-8"), display_name(resolver.name, file))
    assert result.format == resolver.name
    actual = summarize(result)
    actual["edges"] = [list(edge) for edge in actual["edges"]]
    for key, value in load_expected(case).items():
        assert json.loads(json.dumps(actual[key])) == value, f"{case.name}: {key} differ"


def assert_error(resolver: Resolver, case: Path) -> None:
    """Parsing the case fails with exactly ``<case>.expected.txt``, located unless it names something missing."""
    expected = case.with_name(case.name.rsplit(".", 1)[0] + ".expected.txt").read_text(encoding="utf-8").strip()
    with pytest.raises(InputError) as caught:
        resolver.parse(case.read_bytes().decode("utf-8", errors="replace"), display_name(resolver.name, case))
    assert str(caught.value) == expected
    assert caught.value.line > 0 or caught.value.message.lower().startswith("missing"), "unlocated error"
