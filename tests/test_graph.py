"""Graph merging and queries: lock + manifest, direct vs transitive, scopes, why-paths, workspaces."""

from __future__ import annotations

import shutil
from pathlib import Path

from auditor.audit import AuditOptions, load_project_graphs
from auditor.merge import build_graph
from auditor.resolvers.pyproject import PyprojectResolver
from auditor.resolvers.requirements import RequirementsResolver
from auditor.resolvers.uv_lock import UvLockResolver
from tests.conftest import EXAMPLES
from tests.resolver_cases import CASES_ROOT


def _graph(example: str):  # type: ignore[no-untyped-def]
    _root, [project] = load_project_graphs(EXAMPLES / example, AuditOptions())
    return project.graph


def test_manifest_decides_direct_lock_decides_versions() -> None:
    """Direct = declared in pyproject; versions and transitive packages come from uv.lock."""
    graph = _graph("django-monolith")
    django = graph.find("django")
    assert django is not None and django.direct and django.versions == ["5.2.19"]
    assert django.location is not None and django.location.file == "pyproject.toml"
    asgiref = graph.find("asgiref")
    assert asgiref is not None and not asgiref.direct
    assert asgiref.provenance is not None and asgiref.provenance.file == "uv.lock"
    assert "asgiref" in asgiref.provenance.text


def test_both_provenances_are_kept() -> None:
    """A folder with requirements.txt and uv.lock: the lock gives the version, both files are recorded."""
    graph = _graph("fastapi-service")
    assert {"pyproject.toml", "requirements.txt", "uv.lock"} <= set(graph.files)
    fastapi = graph.find("fastapi")
    assert fastapi is not None and fastapi.provenance is not None and fastapi.provenance.file == "uv.lock"
    assert [p.file for p in fastapi.declared] == ["pyproject.toml"]


def test_scopes_propagate_from_direct_dependencies() -> None:
    """A package only the dev group reaches is in `dev`; one main reaches is in `main`."""
    graph = _graph("django-monolith")
    pytest_node = graph.find("pytest")
    assert pytest_node is not None and pytest_node.scopes == {"dev"}
    pluggy = graph.find("pluggy")
    assert pluggy is not None and "dev" in pluggy.scopes and "main" not in pluggy.scopes
    sqlparse = graph.find("sqlparse")
    assert sqlparse is not None and "main" in sqlparse.scopes


def test_why_path_is_shortest_from_root() -> None:
    """why_path walks from the project to the package through the fewest edges."""
    graph = _graph("django-transitive")
    django = graph.find("django")
    assert django is not None
    assert graph.why_path(django) == ["catalog-service", "dj-database-url 3.1.2", "django 5.2.19/6.1.3"]
    fastapi = graph.find("fastapi")
    assert fastapi is not None
    assert len(graph.why_path(fastapi)) == 2


def test_cycles_and_self_dependencies_terminate() -> None:
    """A lock with a cycle and a self-dependency builds, and why_path still terminates."""
    text = (
        'version = 1\n\n[[package]]\nname = "app"\nversion = "1"\nsource = { editable = "." }\n'
        'dependencies = [{ name = "a" }]\n\n'
        '[[package]]\nname = "a"\nversion = "1"\nsource = { registry = "r" }\n'
        'dependencies = [{ name = "b" }, { name = "a" }]\n\n'
        '[[package]]\nname = "b"\nversion = "1"\nsource = { registry = "r" }\ndependencies = [{ name = "a" }]\n'
    )
    graph = build_graph(".", [UvLockResolver().parse(text, "uv.lock")])
    b = graph.find("b")
    assert b is not None
    assert graph.why_path(b) == ["app", "a 1", "b 1"]


def test_lockless_requirements_give_pinned_versions() -> None:
    """Without a lock, a requirements file's `==` pins are the versions and every line is direct."""
    text = (CASES_ROOT / "requirements" / "hand-written" / "requirements.txt").read_text()
    graph = build_graph(".", [RequirementsResolver().parse(text, "requirements.txt")])
    drf = graph.find("djangorestframework")
    assert drf is not None and drf.versions == ["3.15.2"] and drf.direct
    django = graph.find("django")
    assert django is not None and django.versions == [] and django.specifiers == ["<6,>=5.1"]


def test_workspace_member_gets_its_slice_of_the_root_lock(tmp_path: Path) -> None:
    """A uv workspace: each member project is audited with the root lock, holding only what it reaches."""
    shutil.copy(CASES_ROOT / "uv-lock" / "virtual-workspace" / "uv.lock", tmp_path / "uv.lock")
    for member, deps in (("api", '["fastapi"]'), ("worker", '["arq", "api"]')):
        folder = tmp_path / "services" / member
        folder.mkdir(parents=True)
        (folder / "pyproject.toml").write_text(
            f'[project]\nname = "{member}"\nversion = "1.0.0"\ndependencies = {deps}\n'
        )
    _root, projects = load_project_graphs(tmp_path, AuditOptions())
    graphs = {p.path: p.graph for p in projects}
    assert {n.name for n in graphs["services/api"]} == {"fastapi"}
    assert {n.name for n in graphs["services/worker"]} == {"arq", "api", "fastapi"}
    assert graphs["services/worker"].find("fastapi").direct is False  # type: ignore[union-attr]


def test_pyproject_only_project_lists_declared_packages() -> None:
    """A manifest without a lock still yields a graph of its direct dependencies in their scopes."""
    text = (CASES_ROOT / "pyproject" / "pep621-groups" / "pyproject.toml").read_text()
    graph = build_graph(".", [PyprojectResolver().parse(text, "pyproject.toml")])
    assert graph.name == "shop-front"
    assert graph.requires_python == ">=3.11,<3.13"
    pytest_node = graph.find("pytest")
    assert pytest_node is not None and pytest_node.scopes == {"dev", "group:test"}
    storages = graph.find("django-storages")
    assert storages is not None and storages.scopes == {"optional:s3"}
