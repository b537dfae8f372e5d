"""Pipfile.lock resolver: case folders, errors, lines, and agreement with ``pipenv requirements``."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from auditor.model import DEV, MAIN
from auditor.resolvers import format_named
from auditor.resolvers.pipfile_lock import PipfileLockResolver, json_entry_offsets
from tests.resolver_cases import case_dirs
from tests.resolvers.lock_helpers import AGREEMENT_ROOT, names_on_line, parse_case

RESOLVER = PipfileLockResolver()
FORMAT = format_named(RESOLVER.name)  # file names are the registry's
CASES = case_dirs(RESOLVER.name)
AGREEMENT = sorted(p for p in (AGREEMENT_ROOT / RESOLVER.name).iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_provenance_lines_name_the_package(case: Path) -> None:
    """Every package and edge points at the line of its ``"name": {`` key."""
    result = parse_case(RESOLVER, case)
    for item in [*result.packages, *result.edges]:
        name = getattr(item, "name", None) or getattr(item, "child", "")
        assert item.provenance is not None and names_on_line(name, item.provenance.text)


def test_detect_and_sniff() -> None:
    """``Pipfile.lock`` by name; content sniffing on a leading ``_meta`` with ``pipfile-spec``."""
    assert FORMAT.detect(PurePosixPath("Pipfile.lock"))
    assert not FORMAT.detect(PurePosixPath("Pipfile"))
    assert RESOLVER.sniff('{\n    "_meta": {\n        "hash": {},\n        "pipfile-spec": 6,')
    assert not RESOLVER.sniff('{"bomFormat": "CycloneDX"}')


def test_edges_are_flat_and_scoped() -> None:
    """Each locked entry gives one project edge in its category's scope; a package locked in two
    categories is one Package with both scopes."""
    result = parse_case(RESOLVER, next(c for c in CASES if c.name == "minified-local-refs"))
    django = next(p for p in result.packages if p.name == "django")
    assert django.scopes == {MAIN, DEV}
    assert {(e.child, e.scope) for e in result.edges if e.child == "django"} == {
        ("django", MAIN),
        ("django", DEV),
    }
    assert all(e.parent is None for e in result.edges)
    assert {p.name: p.source for p in result.packages if p.version is None} == {
        "mylib": "editable",
        "localwheel": "path",
        "hg-pkg": "vcs",
    }


def test_json_offsets_single_pass_on_nested_keys() -> None:
    """The JSON key scan finds section and entry keys, not same-named keys nested deeper."""
    text = '{"default": {"a": {"version": "==1", "default": {}}}, "develop": {"version": {}}}'
    offsets = json_entry_offsets(text)
    assert text[offsets[("default", "a")] :].startswith('"a"')
    assert text[offsets[("develop", "version")] :].startswith('"version": {}')
    assert ("default", "version") not in offsets


def _requirements(path: Path) -> dict[str, str]:
    """name -> version from ``pipenv requirements`` (``name==version`` lines, ``-i`` skipped)."""
    packages: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith(("#", "-")):
            name, _, rest = line.partition("==")
            packages[name.strip()] = rest.split(";")[0].strip()
    return packages


@pytest.mark.parametrize("case", AGREEMENT, ids=[c.name for c in AGREEMENT])
def test_agrees_with_pipenv_requirements(case: Path) -> None:
    """main+dev packages equal ``pipenv requirements --dev`` and the custom category equals
    ``pipenv requirements --categories docs`` (pipenv 2026.10.3 output committed beside the lock)."""
    result = RESOLVER.parse((case / "Pipfile.lock").read_text(encoding="utf-8"), "Pipfile.lock")
    main_dev = {p.name: p.version for p in result.packages if p.scopes & {MAIN, DEV}}
    docs = {p.name: p.version for p in result.packages if "group:docs" in p.scopes}
    assert main_dev == _requirements(case / "expected-from-pipenv.txt")
    assert docs == _requirements(case / "expected-from-pipenv.docs.txt")
