"""Directness and scopes from the strongest evidence, and the findings built on them (issue 15).

Inputs are the real-tool fixtures under ``tests/fixtures/invariance/`` and the rule cases.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from auditor.audit import AuditOptions, audit, load_project_graphs
from auditor.cli import app
from auditor.graph import ProjectGraph
from auditor.markers import can_hold
from tests.invariance import ROOT, graph_of

runner = CliRunner()
RULES = Path(__file__).parent / "rules"


def _node(graph: ProjectGraph, name: str):  # type: ignore[no-untyped-def]
    node = graph.find(name)
    assert node is not None, name
    return node


def test_a_lock_without_a_root_leaves_directness_unknown() -> None:
    """poetry.lock alone: nothing says what the project declares, so nothing is called direct or transitive."""
    graph = graph_of("transitive-django", ["poetry.lock"])
    assert graph.direct_known is False
    assert {node.direct for node in graph} == {None}
    # ... and with the manifest beside it, Django is transitive, as it is.
    merged = graph_of("transitive-django", ["pyproject.toml", "poetry.lock"])
    assert _node(merged, "django").direct is False and _node(merged, "djangorestframework").direct is True


def test_pipfile_lock_sections_give_scopes_not_directness() -> None:
    graph = graph_of("django-app", ["Pipfile.lock"])
    assert graph.direct_known is False
    assert _node(graph, "pytest").scopes == {"dev"} and _node(graph, "sqlparse").scopes == {"main"}


def test_compiled_dev_requirements_keep_the_main_inputs_main() -> None:
    """requirements-dev.txt from pip-compile: `# via -r requirements.in` is main, `-r requirements-dev.in` dev."""
    graph = graph_of("fastapi-app", ["requirements-dev.txt"])
    fastapi, pytest_node = _node(graph, "fastapi"), _node(graph, "pytest")
    assert fastapi.direct and fastapi.declared_scopes == {"main"}
    assert pytest_node.direct and pytest_node.declared_scopes == {"dev"}
    assert _node(graph, "starlette").direct is False and "dev" not in _node(graph, "starlette").scopes


def test_pylock_states_no_groups_and_does_not_override_the_manifest() -> None:
    """Merged with pyproject.toml, pylock.toml (no groups, no edges) leaves pytest in dev only."""
    alone = graph_of("devtools-heavy", ["pylock.toml"])
    assert _node(alone, "pytest").scopes == set() and alone.direct_known is False
    merged = graph_of("devtools-heavy", ["pyproject.toml", "pylock.toml"])
    assert _node(merged, "pytest").scopes == {"dev"} and _node(merged, "httpx").scopes == {"main"}


def test_a_marker_excluded_dependency_is_no_node() -> None:
    """pdm.lock lists `tomli; python_version < "3.11"` under requires_python >=3.11 but not tomli itself."""
    text = (ROOT / "devtools-heavy" / "pdm.lock").read_text()
    assert "tomli>=2; python_version < \\\"3.11\\\"" in text and 'name = "tomli"' not in text
    graph = graph_of("devtools-heavy", ["pdm.lock"])
    assert graph.find("tomli") is None and graph.find("exceptiongroup") is None
    assert all(node.versions for node in graph)


def test_markers_are_judged_for_the_locks_pythons() -> None:
    assert not can_hold('python_version < "3.11"', ">=3.11")
    assert can_hold('python_version < "3.11"', ">=3.10")
    assert can_hold('sys_platform == "win32"', ">=3.11")
    assert not can_hold('python_full_version < "3.12" and sys_platform == "darwin"', ">=3.12")
    assert can_hold('extra == "socks"', ">=3.11")


def test_uv_forks_are_alternatives_not_duplicates() -> None:
    """django 5.2.19 (Python < 3.12) and 6.1.3 (>= 3.12) in one uv.lock: no SA110; two in one SBOM: SA110."""
    graph = graph_of("django-app", ["uv.lock"])
    django = _node(graph, "django")
    assert django.versions == ["5.2.19", "6.1.3"] and django.alternatives
    fork = audit(RULES / "SA110" / "miss", AuditOptions(use_config=False))
    assert "SA110" not in {f.rule_id for f in fork.findings}
    sbom = audit(RULES / "SA110" / "hit", AuditOptions(use_config=False))
    assert [f.package for f in sbom.findings if f.rule_id == "SA110"] == ["urllib3"]


def test_sa103_says_what_pulls_a_dev_tool_into_runtime() -> None:
    folder = ROOT / "pulled-test-tool"
    report = audit([folder / "pyproject.toml", folder / "uv.lock"], AuditOptions(use_config=False))
    [finding] = [f for f in report.findings if f.rule_id == "SA103"]
    assert finding.package == "freezegun"
    assert "declared in dev" in finding.message and "rq-scheduler pulls it" in finding.message
    assert finding.why_path[1].startswith("rq-scheduler")
    assert "move it to" not in finding.message


def test_rules_about_direct_dependencies_say_they_cannot_tell() -> None:
    """SA103 needs directness: on a lone poetry.lock it is a not-checkable note, not a guess."""
    report = audit(ROOT / "pulled-test-tool" / "poetry.lock", AuditOptions(use_config=False))
    [project] = report.projects
    assert "SA103" not in {f.rule_id for f in project.findings}
    [note] = [n for n in project.not_checkable if n.key == "direct-dependencies"]
    assert "SA103" in note.token.split(", ") and "poetry.lock" in note.reason


def test_stale_lock_and_disagreeing_locks() -> None:
    stale = audit(RULES / "SA111" / "hit", AuditOptions(use_config=False))
    [finding] = [f for f in stale.findings if f.rule_id == "SA111"]
    assert finding.package == "celery" and finding.location is not None
    assert (finding.location.file, finding.location.line) == ("pyproject.toml", 5)
    two = audit(RULES / "SA112" / "hit", AuditOptions(use_config=False))
    [finding] = [f for f in two.findings if f.rule_id == "SA112"]
    assert "poetry.lock and uv.lock" in finding.message and "1 shared package" in finding.message
    assert "read the versions of uv.lock" in finding.message


def test_why_shows_each_scope_and_the_stale_lock() -> None:
    folder = ROOT / "pulled-test-tool"
    result = runner.invoke(app, ["why", "freezegun", str(folder / "uv.lock")])
    assert result.exit_code == 0, result.output
    assert "dev: pulled-test-tool -> freezegun 1.5.5" in result.output
    assert "main: pulled-test-tool -> rq-scheduler 0.14.0 -> freezegun 1.5.5" in result.output
    every = runner.invoke(app, ["why", "sqlparse", str(ROOT / "django-app" / "uv.lock"), "--all"])
    assert every.output.count("main: ") == 2  # through django, and through djangorestframework -> django
    stale = runner.invoke(app, ["why", "celery", str(RULES / "SA111" / "hit")])
    assert stale.exit_code == 0 and "the lock does not list it (stale)" in stale.output


def test_graph_output_says_unknown() -> None:
    result = runner.invoke(app, ["graph", str(ROOT / "django-app" / "pylock.toml")])
    assert result.exit_code == 0, result.output
    assert "  django 5.2.19, 6.1.3  unknown  unknown  pylock.toml:23" in result.output


def test_graph_json_has_purls_for_every_format() -> None:
    """Poetry, PDM, Pipfile.lock and pylock.toml name no purls; the graph JSON makes them from name and version."""
    import json

    for file in ("poetry.lock", "pdm.lock", "Pipfile.lock", "pylock.toml", "uv.lock"):
        result = runner.invoke(app, ["graph", str(ROOT / "django-app" / file), "--format", "json"])
        packages = {p["name"]: p for p in json.loads(result.stdout)["projects"][0]["packages"]}
        assert all(p["purls"] and len(p["purls"]) == len(p["versions"]) for p in packages.values()), file
        assert packages["sqlparse"]["purl"] == "pkg:pypi/sqlparse@0.6.1", file
    django = packages["django"]
    assert django["purl"] is None and django["purls"] == ["pkg:pypi/django@5.2.19", "pkg:pypi/django@6.1.3"]


def test_audit_json_and_graph_json_share_the_package_objects() -> None:
    import json

    target = str(ROOT / "flask-app" / "uv.lock")
    graph = json.loads(runner.invoke(app, ["graph", target, "--format", "json"]).stdout)
    report = json.loads(runner.invoke(app, ["audit", target, "--format", "json", "--fail-on", "never"]).stdout)
    assert report["projects"][0]["package_list"] == graph["projects"][0]["packages"]


def test_poetry_1_8_lock_takes_groups_from_the_manifest() -> None:
    """Poetry 1.8 writes lock-version 2.0 without per-package groups: dev tools stay dev (no SA103).

    Made with Poetry 1.8.5 (`poetry lock`), like mealie's lock; before this, all four dev tools were
    `dev,main` and SA103 fired on each.
    """
    folder = Path(__file__).parent / "fixtures" / "invariance-extra" / "poetry-1.8"
    assert 'lock-version = "2.0"' in (folder / "poetry.lock").read_text()
    _root, [project] = load_project_graphs(folder, AuditOptions(use_config=False))
    graph = project.graph
    for tool in ("pytest", "pytest-asyncio", "coverage", "freezegun"):
        assert _node(graph, tool).scopes == {"dev"}, tool
    assert _node(graph, "pluggy").scopes == {"dev"} and _node(graph, "starlette").scopes == {"main"}
    alone = graph_of_folder(folder / "poetry.lock")
    assert _node(alone, "pytest").scopes == set()  # the lock alone does not say
    report = audit(folder, AuditOptions(profile="fastapi-python", use_config=False))
    assert "SA103" not in {f.rule_id for f in report.findings}


def graph_of_folder(target: Path) -> ProjectGraph:
    _root, [project] = load_project_graphs(target, AuditOptions(use_config=False))
    return project.graph


def test_an_edge_whose_marker_cannot_hold_for_the_lock_is_dropped() -> None:
    """pdm.lock for Python >=3.11: `a` needs `b` only below 3.11, so only `c` pulls `b` in."""
    from auditor.merge import build_graph
    from auditor.resolvers.pdm_lock import PdmLockResolver

    text = (
        '[metadata]\nlock_version = "4.5.0"\ngroups = ["default", "dev"]\n\n'
        '[[metadata.targets]]\nrequires_python = ">=3.11"\n\n'
        '[[package]]\nname = "a"\nversion = "1.0"\ngroups = ["default"]\n'
        'dependencies = [\n    "b>=1; python_version < \\"3.11\\"",\n]\n\n'
        '[[package]]\nname = "b"\nversion = "1.0"\ngroups = ["dev"]\n\n'
        '[[package]]\nname = "c"\nversion = "1.0"\ngroups = ["dev"]\ndependencies = [\n    "b>=1",\n]\n'
    )
    result = PdmLockResolver().parse(text, "pdm.lock")
    assert result.lock_python == ">=3.11"
    graph = build_graph(".", [result])
    assert [child[1] for child, _ in graph.children.get(("pypi", "a"), [])] == []
    assert [child[1] for child, _ in graph.children[("pypi", "c")]] == ["b"]


def test_a_licence_from_cyclonedx_reaches_the_json_through_the_record() -> None:
    """Adding a package field takes the resolver, the model and the renderer: licence from cyclonedx-py."""
    import json

    result = runner.invoke(app, ["graph", str(ROOT / "flask-app" / "sbom.cdx.json"), "--format", "json"])
    packages = {p["name"]: p for p in json.loads(result.stdout)["projects"][0]["packages"]}
    assert packages["flask"]["licence"] == "BSD-3-Clause"
    uv = runner.invoke(app, ["graph", str(ROOT / "flask-app" / "uv.lock"), "--format", "json"])
    assert {p["licence"] for p in json.loads(uv.stdout)["projects"][0]["packages"]} == {None}  # a lock does not say


def test_no_path_is_claimed_where_directness_is_unknown() -> None:
    """A finding on a package of a lone poetry.lock says neither "pulled in by" nor a why-path."""
    options = AuditOptions(profile="django-monolith", use_config=False)
    report = audit(ROOT / "transitive-django" / "poetry.lock", options)
    [finding] = [f for f in report.findings if f.package == "djangorestframework"]
    assert "pulled in by" not in finding.message and finding.why_path == []
    merged = audit(
        [ROOT / "transitive-django" / "pyproject.toml", ROOT / "transitive-django" / "poetry.lock"],
        AuditOptions(profile="django-monolith", use_config=False),
    )
    assert "djangorestframework" in {f.package for f in merged.findings}


def test_flat_sboms_state_no_directness() -> None:
    """GitHub's SPDX export hangs every package on the repository: a list, not what the project declares."""
    folder = Path(__file__).parent / "corpus" / "spdx-json" / "github-export"
    _root, [project] = load_project_graphs(folder, AuditOptions(use_config=False))
    assert project.graph.direct_known is False and {n.direct for n in project.graph} == {None}
    # cyclonedx-py with --pyproject names the root's dependencies: those are direct.
    graph = graph_of("transitive-django", ["sbom.cdx.json"])
    assert graph.direct_known and _node(graph, "djangorestframework").direct and not _node(graph, "django").direct
