"""What the wheel ships is declared completely, and the metadata a user reads on an index page is true.

Building and installing the wheel and the sdist is ``scripts/check-installs.sh`` (CI, with the
registry); these checks are the fast half: a package or data file the pyproject does not name
would be missing from every install but an editable one.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

import tomli

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomli.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
PROJECT = PYPROJECT["project"]


def source_folder(package: str) -> Path:
    mapped = SETUPTOOLS.get("package-dir", {}).get(package)
    return ROOT / (mapped if mapped else package.replace(".", "/"))


def test_every_code_folder_is_a_declared_package() -> None:
    folders = {
        path.parent.relative_to(ROOT).as_posix().replace("/", ".")
        for path in (ROOT / "auditor").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert folders - set(SETUPTOOLS["packages"]) == set()


def test_every_data_file_is_declared_package_data() -> None:
    """Each non-Python file of a package matches that package's package-data globs."""
    undeclared = []
    for package in SETUPTOOLS["packages"]:
        globs = SETUPTOOLS["package-data"].get(package, [])
        for path in source_folder(package).iterdir():
            if path.is_file() and path.suffix != ".py" and not any(fnmatch.fnmatch(path.name, g) for g in globs):
                undeclared.append(path.relative_to(ROOT).as_posix())
    assert undeclared == []


def test_the_shipped_data_packages_are_regular_packages() -> None:
    """rules/ and profiles/ have an __init__.py: importlib.resources.files() gives a folder, not a
    MultiplexedPath, from every install (issue 13)."""
    for package in ("auditor._rules", "auditor._profiles"):
        assert (source_folder(package) / "__init__.py").is_file(), package


def test_license_is_the_apache_2_text_and_ships() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text
    assert PROJECT["license"] == "Apache-2.0"
    assert PROJECT["license-files"] == ["LICENSE"]


def test_classifiers_and_urls_a_user_looks_for() -> None:
    classifiers = set(PROJECT["classifiers"])
    for prefix in ("Development Status :: ", "Environment :: Console", "Typing :: Typed", "Intended Audience :: "):
        assert any(c.startswith(prefix) for c in classifiers), prefix
    for version in ("3.10", "3.11", "3.12", "3.13"):
        assert f"Programming Language :: Python :: {version}" in classifiers
    assert {"Homepage", "Source", "Issues"} <= set(PROJECT["urls"])


def test_dependencies_have_floors_and_no_caps() -> None:
    """Lower bounds only: a cap conflicts with every application that needs a newer release."""
    for requirement in PROJECT["dependencies"]:
        assert ">=" in requirement and "<" not in requirement and "==" not in requirement, requirement
