"""CycloneDX renderer: schema-valid 1.6 JSON, and a round trip through our own resolver."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.audit import AuditOptions, audit
from auditor.findings import PackageView, ProjectReport, Report
from auditor.render import by_name
from auditor.render.base import RenderOptions
from auditor.render.cyclonedx import CycloneDxRenderer
from auditor.resolvers.cyclonedx_json import CycloneDxJsonResolver
from tests.conftest import EXAMPLES, GOLDEN
from tests.sbom_support import FIXTURES, validate_cyclonedx

RENDERER = CycloneDxRenderer()
EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir() and p.name not in ("github", "kubernetes"))


def _view(name: str, version: str | None, *, ecosystem: str = "pypi", purl: str | None = None,
          direct: bool = False, scopes: tuple[str, ...] = ("main",), deps: tuple[str, ...] = ()) -> PackageView:
    return PackageView(name, version, ecosystem, purl, direct, scopes, None, deps)


def _project(path: str, name: str, packages: list[PackageView]) -> ProjectReport:
    return ProjectReport(path=path, name=name, files=[], profile=None, profile_reason="", packages=packages)


def _read_back(text: str) -> tuple[set[tuple[str, str, str | None]], set[tuple[str | None, str]]]:
    result = CycloneDxJsonResolver().parse(text, "out.cdx.json")
    assert not result.skipped, result.skipped
    return (
        {(p.ecosystem, p.name, p.version) for p in result.packages},
        {(e.parent, e.child) for e in result.edges},
    )


def test_registered() -> None:
    """The renderer is in the registry under ``cyclonedx`` with the ``.cdx.json`` suffix."""
    renderer = by_name("cyclonedx")
    assert renderer is not None
    assert renderer.suffix == ".cdx.json"


def test_cyclonedx_library_is_imported_lazily() -> None:
    """Importing the renderer (and the registry) does not import cyclonedx-python-lib."""
    code = "import sys, auditor.render, auditor.render.cyclonedx; print('cyclonedx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_golden_sboms_are_valid_cyclonedx_1_6(example: str) -> None:
    """Every golden SBOM passes cyclonedx-python-lib's strict 1.6 JSON validator."""
    text = (GOLDEN / "cyclonedx" / f"{example}.cdx.json").read_text()
    assert json.loads(text)["specVersion"] == "1.6"
    validate_cyclonedx(text)


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_round_trip_of_examples(example: str) -> None:
    """Our SBOM of an example, read back by our resolver, has the report's packages, direct set and edges."""
    report = audit(EXAMPLES / example, AuditOptions())
    packages, edges = _read_back(RENDERER.render(report, RenderOptions()))
    views = [v for project in report.projects for v in project.packages]
    # a forked resolution shows as "5.2.19, 6.1.3" in the view: one component per version
    assert packages == {
        (v.ecosystem, v.name, version) for v in views for version in (v.version.split(", ") if v.version else [None])
    }
    assert {child for parent, child in edges if parent is None} == {v.name for v in views if v.direct}
    assert {(p, c) for p, c in edges if p is not None} == {(v.name, d) for v in views for d in v.dependencies}


def test_several_projects_ecosystems_and_scopes() -> None:
    """Two projects sharing a package give one component tree; scopes map to required/optional; no purl is made up."""
    api = _project("services/api", "api", [
        _view("fastapi", "0.115.0", direct=True, deps=("starlette",)),
        _view("starlette", "0.38.6"),
        _view("pytest", "8.3.3", direct=True, scopes=("dev",)),
        _view("@angular/core", "17.3.0", ecosystem="npm", purl="pkg:npm/%40angular/core@17.3.0", direct=True),
    ])
    web = _project("services/web", "web", [
        _view("django", "5.1.4", direct=True),
        _view("pytest", "8.3.3", direct=True, scopes=("group:test",)),
        _view("acme/internal-tools", None, ecosystem="generic", direct=True),
    ])
    report = Report(root="/repos/shop", projects=[api, web], tool_version="9.9.9")
    text = RENDERER.render(report, RenderOptions())
    validate_cyclonedx(text)
    document = json.loads(text)
    root = document["metadata"]["component"]
    assert root["name"] == "shop"
    assert [c["name"] for c in root["components"]] == ["api", "web"]
    by_name = {c["name"]: c for c in document["components"]}
    assert len(document["components"]) == 6  # pytest once
    assert by_name["fastapi"]["scope"] == "required"
    assert by_name["pytest"]["scope"] == "optional"
    assert {p["value"] for p in by_name["pytest"]["properties"]} == {"dev", "group:test"}
    assert by_name["core"]["group"] == "@angular"
    assert by_name["internal-tools"]["purl"] == "pkg:generic/acme/internal-tools"
    assert document["metadata"]["tools"]["components"][0]["version"] == "9.9.9"
    packages, edges = _read_back(text)
    assert packages == {
        ("pypi", "fastapi", "0.115.0"),
        ("pypi", "starlette", "0.38.6"),
        ("pypi", "pytest", "8.3.3"),
        ("npm", "@angular/core", "17.3.0"),
        ("pypi", "django", "5.1.4"),
        ("generic", "acme/internal-tools", None),
    }
    assert ("fastapi", "starlette") in edges
    assert {c for p, c in edges if p is None} == {"fastapi", "pytest", "@angular/core", "django", "acme/internal-tools"}


def test_output_is_reproducible() -> None:
    """The same report gives the same bytes: no timestamp, a content-derived serial number."""
    report = Report(root=".", projects=[_project(".", "app", [_view("attrs", "24.2.0", direct=True)])])
    first = RENDERER.render(report, RenderOptions(redact_version=True))
    assert first == RENDERER.render(report, RenderOptions(redact_version=True))
    document = json.loads(first)
    assert "timestamp" not in document["metadata"]
    assert document["serialNumber"].startswith("urn:uuid:")
    other = Report(root=".", projects=[_project(".", "app", [_view("attrs", "24.3.0", direct=True)])])
    assert json.loads(RENDERER.render(other, RenderOptions()))["serialNumber"] != document["serialNumber"]


def test_sbom_in_sbom_out() -> None:
    """Auditing a cyclonedx-py SBOM and rendering it as CycloneDX keeps the same components and direct set."""
    source = FIXTURES / "cyclonedx-py" / "environment-1.6.cdx.json"
    report = audit(source, AuditOptions())
    text = RENDERER.render(report, RenderOptions())
    validate_cyclonedx(text)
    packages, edges = _read_back(text)
    original = CycloneDxJsonResolver().parse(source.read_text(), source.name)
    assert packages == {(p.ecosystem, p.name, p.version) for p in original.packages}
    assert {c for p, c in edges if p is None} == {e.child for e in original.edges if e.parent is None}
    assert json.loads(text)["metadata"]["component"]["name"] == "cdx-fixture-app"


def test_several_versions_give_one_component_each() -> None:
    """A package resolved at two versions is two components, and a dependency on it points at both."""
    report = Report(root=".", projects=[_project(".", "app", [
        _view("django", "5.2.19, 6.1.3", purl="pkg:pypi/django@5.2.19", direct=True, deps=("asgiref",)),
        _view("asgiref", "3.8.1"),
        _view("channels", "4.1.0", direct=True, deps=("django",)),
    ])])
    text = RENDERER.render(report, RenderOptions())
    validate_cyclonedx(text)
    document = json.loads(text)
    purls = sorted(c["purl"] for c in document["components"])
    assert purls == ["pkg:pypi/asgiref@3.8.1", "pkg:pypi/channels@4.1.0", "pkg:pypi/django@5.2.19",
                     "pkg:pypi/django@6.1.3"]
    graph = {d["ref"]: d.get("dependsOn", []) for d in document["dependencies"]}
    assert graph["pkg:pypi/channels@4.1.0"] == ["pkg:pypi/django@5.2.19", "pkg:pypi/django@6.1.3"]
    assert graph["pkg:pypi/django@6.1.3"] == ["pkg:pypi/asgiref@3.8.1"]


def test_empty_report_is_still_valid() -> None:
    """A report with one project and no packages renders a valid, empty SBOM."""
    report = Report(root=".", projects=[_project(".", "empty", [])])
    text = RENDERER.render(report, RenderOptions())
    validate_cyclonedx(text)
    assert _read_back(text) == (set(), set())


def test_file_path_of_golden(tmp_path: Path) -> None:
    """The golden files live where the golden test expects them (one per example)."""
    assert sorted(p.name for p in (GOLDEN / "cyclonedx").iterdir()) == [f"{e}.cdx.json" for e in EXAMPLE_NAMES]
