"""Agreement with a real generator: what we read back from cyclonedx-py's SBOMs is what they were made from.

``tests/fixtures/cyclonedx-py/`` holds SBOMs made by ``cyclonedx-py environment`` (on a venv
installed from ``requirements.txt``, frozen as ``installed.txt``) and ``cyclonedx-py requirements``
(on ``requirements.txt``), in JSON and XML and several spec versions; see its README.
The source files are read with ``packaging``, independently of our resolvers.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from auditor.resolvers.base import Resolver
from auditor.resolvers.cyclonedx_json import CycloneDxJsonResolver
from auditor.resolvers.cyclonedx_xml import CycloneDxXmlResolver
from tests.sbom_support import FIXTURES, parse_file, validate_cyclonedx

SOURCE = FIXTURES / "cyclonedx-py"


def _pins(path: Path) -> set[tuple[str, str]]:
    pins = set()
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            requirement = Requirement(line)
            (specifier,) = requirement.specifier
            pins.add((canonicalize_name(requirement.name), specifier.version))
    return pins


def _resolver(path: Path) -> Resolver:
    return CycloneDxJsonResolver() if path.suffix == ".json" else CycloneDxXmlResolver()


ENVIRONMENT = sorted(SOURCE.glob("environment-*.cdx.*"))
REQUIREMENTS = sorted(SOURCE.glob("requirements-*.cdx.*"))


def test_fixtures_present() -> None:
    """Both kinds of SBOM, in both syntaxes, are committed."""
    assert {p.suffix for p in ENVIRONMENT} == {".json", ".xml"}
    assert {p.suffix for p in REQUIREMENTS} == {".json", ".xml"}


@pytest.mark.parametrize("path", ENVIRONMENT, ids=lambda p: p.name)
def test_environment_sbom_equals_installed_set(path: Path) -> None:
    """The components of an environment SBOM are exactly the installed distributions, with versions."""
    result = parse_file(_resolver(path), path)
    assert {(p.name, p.version) for p in result.packages} == _pins(SOURCE / "installed.txt")
    assert all(p.ecosystem == "pypi" and p.scopes == {"main"} for p in result.packages)


@pytest.mark.parametrize("path", ENVIRONMENT, ids=lambda p: p.name)
def test_environment_sbom_direct_dependencies_are_the_requirements(path: Path) -> None:
    """The root component (from pyproject.toml) depends on exactly the requirements."""
    result = parse_file(_resolver(path), path)
    (project,) = result.projects
    assert (project.name, project.version) == ("cdx-fixture-app", "0.1.0")
    direct = {e.child for e in result.edges if e.parent is None}
    assert direct == {name for name, _ in _pins(SOURCE / "requirements.txt")}
    installed = {name for name, _ in _pins(SOURCE / "installed.txt")}
    assert {e.child for e in result.edges} | direct <= installed
    assert ("requests", "urllib3") in {(e.parent, e.child) for e in result.edges}


@pytest.mark.parametrize("path", REQUIREMENTS, ids=lambda p: p.name)
def test_requirements_sbom_equals_requirements(path: Path) -> None:
    """The components of a requirements SBOM are exactly the pinned requirements."""
    result = parse_file(_resolver(path), path)
    assert {(p.name, p.version) for p in result.packages} == _pins(SOURCE / "requirements.txt")


@pytest.mark.parametrize("path", [*ENVIRONMENT, *REQUIREMENTS], ids=lambda p: p.name)
def test_fixtures_are_schema_valid(path: Path) -> None:
    """The committed fixtures still pass cyclonedx-python-lib's strict validation after URL scrubbing."""
    validate_cyclonedx(path.read_text(), xml=path.suffix == ".xml")
