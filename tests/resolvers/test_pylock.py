"""PEP 751 pylock resolver: case folders, errors, lines, and the packaging fallback."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from auditor.model import DEV, MAIN
from auditor.resolvers import format_named
from auditor.resolvers.pylock import PylockResolver
from tests.resolver_cases import case_dirs
from tests.resolvers.lock_helpers import names_on_line, parse_case

RESOLVER = PylockResolver()
FORMAT = format_named(RESOLVER.name)  # file names are the registry's
CASES = case_dirs(RESOLVER.name)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_provenance_lines_name_the_package(case: Path) -> None:
    """Every package points at its ``name =`` line; every edge at the dependency's name."""
    result = parse_case(RESOLVER, case)
    for package in result.packages:
        assert package.provenance is not None and names_on_line(package.name, package.provenance.text)
    for edge in result.edges:
        assert edge.provenance is not None and names_on_line(edge.child, edge.provenance.text)


def test_detect_and_sniff() -> None:
    """PEP 751 names (``pylock.toml``, ``pylock.<name>.toml``); sniffing on a top-level lock-version."""
    assert FORMAT.detect(PurePosixPath("pylock.toml"))
    assert FORMAT.detect(PurePosixPath("pylock.dev.toml"))
    assert not FORMAT.detect(PurePosixPath("pylock.a.b.toml"))
    assert not FORMAT.detect(PurePosixPath("poetry.lock"))
    assert RESOLVER.sniff("lock-version = '1.0'\ncreated-by = 'mousebender'\n")
    assert not RESOLVER.sniff('[[package]]\nname = "x"\n\n[metadata]\nlock-version = "2.1"\n')


def test_scopes_from_markers() -> None:
    """Markers naming dependency groups and extras give dev/group/optional scopes; ``not in`` adds none."""
    result = parse_case(RESOLVER, next(c for c in CASES if c.name == "hand-sources-dependencies"))
    scopes = {p.name: p.scopes for p in result.packages}
    assert scopes["attrs"] == {DEV}
    assert scopes["cattrs"] == {DEV, "group:lint"}
    assert scopes["cryptography"] == {"optional:crypto"}
    assert scopes["plugin"] == {MAIN}
    assert {p.name: p.source for p in result.packages} == {
        "attrs": "registry",
        "cattrs": "registry",
        "cryptography": "url",
        "my-app-lib": "editable",
        "plugin": "vcs",
    }
    assert [(e.parent, e.child, e.child_version) for e in result.edges] == [
        ("cattrs", "attrs", None),
        ("cattrs", "cryptography", "44.0.0"),
    ]


def test_location_only_errors_fall_back_to_own_reading() -> None:
    """packaging rejects an sdist without path/url; the audit does not need it and reads the file."""
    text = (
        'lock-version = "1.0"\ncreated-by = "pdm"\n\n[[packages]]\nname = "certifi"\n'
        'version = "2025.1.31"\n\n[packages.sdist]\nname = "certifi-2025.1.31.tar.gz"\n'
    )
    result = RESOLVER.parse(text, "pylock.toml")
    assert [(p.name, p.version) for p in result.packages] == [("certifi", "2025.1.31")]


def test_pdm_tool_dependencies_give_edges() -> None:
    """Without spec ``dependencies``, PDM's ``[packages.tool.pdm] dependencies`` strings are the edges."""
    result = parse_case(RESOLVER, next(c for c in CASES if c.name == "pdm-export"))
    assert ("requests", "urllib3") in {(e.parent, e.child) for e in result.edges}
