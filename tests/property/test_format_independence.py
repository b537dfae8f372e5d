"""Property: with the manifest present, what a project declares does not depend on which other files are there.

Any subset of a project's real lock files (``tests/fixtures/invariance/``), in any order, merged
with its ``pyproject.toml``, gives the same direct set and the same declared scopes for every
package the files resolve: a weaker file never overrides the manifest. And the merge does not
depend on the order the files come in.
"""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.graph import ProjectGraph
from auditor.merge import build_graph
from auditor.model import ResolveResult
from auditor.resolvers import format_named
from tests.invariance import FILES, ROOT, SBOMS, projects

pytestmark = pytest.mark.property

RESOLVERS = {
    "uv.lock": "uv-lock",
    "poetry.lock": "poetry-lock",
    "pdm.lock": "pdm-lock",
    "Pipfile.lock": "pipfile-lock",
    "pylock.toml": "pylock",
    "requirements.txt": "requirements",
    "requirements-dev.txt": "requirements",
    "pyproject.toml": "pyproject",
}
LOCKS = [f for f in FILES if f not in SBOMS]


@cache
def _parsed(project: str, file: str) -> ResolveResult:
    resolver = format_named(RESOLVERS[file]).resolver
    return resolver.parse((ROOT / project / file).read_text(), file)


def _declared(graph: ProjectGraph) -> dict[str, tuple[bool | None, tuple[str, ...]]]:
    return {n.name: (n.direct, tuple(sorted(n.declared_scopes))) for n in graph if n.direct}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    project=st.sampled_from(projects()),
    files=st.lists(st.sampled_from(LOCKS), min_size=1, max_size=len(LOCKS), unique=True),
    order=st.randoms(use_true_random=False),
)
def test_manifest_decides_whatever_else_is_there(project: str, files: list[str], order: object) -> None:
    present = [f for f in files if (ROOT / project / f).is_file()]
    reference = build_graph(".", [_parsed(project, "pyproject.toml"), _parsed(project, "uv.lock")])
    results = [_parsed(project, "pyproject.toml"), *(_parsed(project, f) for f in present)]
    order.shuffle(results)  # type: ignore[attr-defined]
    graph = build_graph(".", results)
    # A main-only file (requirements.txt) does not install the dev tools: compare what both resolve.
    resolved = {n.name for n in graph if n.versions}
    expected = {name: value for name, value in _declared(reference).items() if name in resolved}
    assert {name: value for name, value in _declared(graph).items() if name in resolved} == expected
    again = build_graph(".", list(reversed(results)))
    def classified(built: ProjectGraph) -> dict[str, tuple[bool | None, list[str]]]:
        return {n.name: (n.direct, sorted(n.scopes)) for n in built}

    assert classified(again) == classified(graph)
