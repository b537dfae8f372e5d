"""Pipfile resolver: case folders, errors and lines."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from auditor.resolvers import format_named
from auditor.resolvers.pipfile import PipfileResolver
from tests.resolver_cases import case_dirs
from tests.resolvers.lock_helpers import names_on_line, parse_case

RESOLVER = PipfileResolver()
FORMAT = format_named(RESOLVER.name)  # file names are the registry's
CASES = case_dirs(RESOLVER.name)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_provenance_lines_name_the_package(case: Path) -> None:
    """Each declaration points at the line of its key (quoted keys and sub-tables included)."""
    result = parse_case(RESOLVER, case)
    for edge in result.edges:
        assert edge.provenance is not None and names_on_line(edge.child, edge.provenance.text)


def test_detect_and_sniff() -> None:
    """``Pipfile`` by name; content sniffing on a ``[packages]``/``[dev-packages]`` header."""
    assert FORMAT.detect(PurePosixPath("app/Pipfile"))
    assert not FORMAT.detect(PurePosixPath("Pipfile.lock"))
    assert RESOLVER.sniff('[[source]]\nname = "pypi"\n\n[packages]\nrequests = "*"\n')
    assert not RESOLVER.sniff('[[packages]]\nname = "attrs"\n')


def test_table_values_become_specifiers_markers_and_sources() -> None:
    """Inline tables: version, extras, markers plus PEP 508 keys, and direct references."""
    result = parse_case(RESOLVER, next(c for c in CASES if c.name == "quoted-keys-markers"))
    edges = {(e.child, e.scope): e for e in result.edges}
    uwsgi = edges[("uwsgi", "main")]
    assert uwsgi.specifier == "==2.0.*"
    assert uwsgi.marker == (
        "(python_version >= '3.10' or implementation_name == 'cpython') and platform_system != 'Windows'"
    )
    assert edges[("celery", "main")].extras == ("redis",)
    assert edges[("mylib", "main")].source == "editable"
    assert edges[("requests", "main")].source == "vcs"
    assert edges[("pinned", "main")].specifier == "==1.2.3"
    assert edges[("tomli", "main")].marker == "python_version < '3.11'"
    project = result.projects[0]
    assert project.requires_python == "==3.11.4"
    assert project.requires_python_at is not None and project.requires_python_at.line == 7
    assert project.dependencies_at is not None and project.dependencies_at.text == "[packages]"
