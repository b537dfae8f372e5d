"""Every real lock of ``../shared/corpus`` parses; counts and lines are checked against the raw text.

The expected package count is computed from the file without the resolver:
``[[package]]``/``[[packages]]`` headers for TOML locks (minus PDM's extras
duplicates, which are one package), distinct (name, version) entries for
Pipfile.lock, distinct keys of the package tables for Pipfile.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import tomli

from auditor.model import canonical_name
from auditor.resolvers.base import Resolver
from auditor.resolvers.pdm_lock import PdmLockResolver
from auditor.resolvers.pipfile import PipfileResolver
from auditor.resolvers.pipfile_lock import PipfileLockResolver
from auditor.resolvers.poetry_lock import PoetryLockResolver
from auditor.resolvers.pylock import PylockResolver
from tests.resolvers.lock_helpers import SHARED_CORPUS, names_on_line

pytestmark = pytest.mark.corpus

_KINDS: dict[str, tuple[Resolver, re.Pattern[str]]] = {
    "poetry-lock": (PoetryLockResolver(), re.compile(r"^poetry\.lock$")),
    "pdm-lock": (PdmLockResolver(), re.compile(r"^(pdm\.lock|git-dependency\.toml)$")),
    "pylock": (PylockResolver(), re.compile(r"\.toml$")),
    "pipfile-lock": (PipfileLockResolver(), re.compile(r"^Pipfile\.lock$")),
}


def _files() -> list[object]:
    if not SHARED_CORPUS.is_dir():
        return [pytest.param(None, None, id="shared-corpus-absent")]
    params: list[object] = []
    for kind, (_resolver, pattern) in _KINDS.items():
        for path in sorted((SHARED_CORPUS / kind).rglob("*")):
            if path.is_file() and pattern.search(path.name):
                params.append(pytest.param(kind, path, id=f"{kind}/{path.parent.name}/{path.name}"))
    for path in sorted((SHARED_CORPUS / "pipfile-lock").rglob("Pipfile")):
        params.append(pytest.param("pipfile", path, id=f"pipfile/{path.parent.name}"))
    return params


def _expected_count(kind: str, text: str) -> int:
    if kind == "poetry-lock":
        return len(re.findall(r"^\[\[package\]\]\s*$", text, re.M))
    if kind == "pylock":
        return len(re.findall(r"^\[\[packages\]\]\s*$", text, re.M))
    if kind == "pdm-lock":
        blocks = re.split(r"^\[\[package\]\]\s*$", text, flags=re.M)[1:]
        return sum(1 for block in blocks if not re.search(r"^extras\s*=", block, re.M))
    if kind == "pipfile-lock":
        data = json.loads(text)
        return len(
            {
                (canonical_name(name), str(entry.get("version", "")).lstrip("="))
                for category, entries in data.items()
                if category != "_meta"
                for name, entry in entries.items()
            }
        )
    data = tomli.loads(text)
    settings = {"source", "requires", "pipenv", "scripts"}
    return len({canonical_name(n) for k, v in data.items() if k not in settings for n in v})


@pytest.mark.parametrize(("kind", "path"), _files())
def test_corpus_file(kind: str | None, path: Path | None) -> None:
    """A real file parses, its package count matches the raw text, and each line names its package."""
    if kind is None or path is None:
        pytest.skip("shared corpus absent: ../shared/corpus not found")
    resolver = PipfileResolver() if kind == "pipfile" else _KINDS[kind][0]
    text = path.read_text(encoding="utf-8")
    result = resolver.parse(text, path.name)
    assert len(result.packages) == _expected_count(kind, text)
    for package in result.packages:
        assert package.provenance is not None, package.name
        assert names_on_line(package.name, package.provenance.text), package.provenance
    for edge in result.edges:
        assert edge.provenance is not None and names_on_line(edge.child, edge.provenance.text), edge
