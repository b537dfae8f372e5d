"""Shipped rules and profiles load from an install that is not this checkout's folders.

A zip on ``sys.path`` (laid out as the wheel is: ``auditor/_rules``,
``auditor/_profiles``) is the install where ``importlib.resources`` hands back
something that is not a folder on disk; the wheel and sdist installs
themselves are proved by ``scripts/check-installs.sh`` in ``.ci/run``.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "fastapi-on-django"


def zip_install(target: Path, drop_profiles: bool = False) -> Path:
    """The package as the wheel lays it out, in one zip; ``drop_profiles`` leaves the profile data out."""
    archive = target / "stack_auditor.zip"
    layout = {"auditor": ROOT / "auditor", "auditor/_rules": ROOT / "rules", "auditor/_profiles": ROOT / "profiles"}
    with zipfile.ZipFile(archive, "w") as out:
        # zipimport cannot import a namespace package (a folder without __init__.py, as
        # auditor/policy is today): give each code folder one, as a regular package has.
        for folder in sorted(p for p in (ROOT / "auditor").rglob("*") if p.is_dir() and p.name != "__pycache__"):
            if not (folder / "__init__.py").exists() and any(folder.glob("*.py")):
                out.writestr(f"auditor/{folder.relative_to(ROOT / 'auditor').as_posix()}/__init__.py", "")
        for prefix, folder in layout.items():
            for path in sorted(folder.rglob("*")):
                if not path.is_file() or "__pycache__" in path.parts:
                    continue
                relative = path.relative_to(folder)
                if prefix == "auditor" and relative.parts[0] in ("_rules", "_profiles"):
                    continue
                if drop_profiles and prefix == "auditor/_profiles" and path.suffix == ".json":
                    continue
                out.write(path, f"{prefix}/{relative.as_posix()}")
    return archive


def zip_env(archive: Path) -> dict[str, str]:
    """The zip, then the dependencies; ``-S`` keeps out the .pth files, and with them an editable install."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(archive), *site.getsitepackages()])}


def run_zipped(archive: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-S", "-m", "auditor", *args],
        cwd=cwd,
        env=zip_env(archive),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder outside the checkout, with a copy of one example."""
    folder = tmp_path_factory.mktemp("outside")
    project = folder / "project"
    project.mkdir()
    for name in ("pyproject.toml", "requirements.txt", "uv.lock"):
        (project / name).write_bytes((EXAMPLE / name).read_bytes())
    return folder


def test_zip_install_is_imported_from_the_zip(outside: Path) -> None:
    """The run under test really uses the zip, not this checkout (else the test proves nothing)."""
    archive = zip_install(outside)
    code = "import auditor, auditor.resources as r; print(auditor.__file__); print(r.shipped_rules_dir())"
    result = subprocess.run(
        [sys.executable, "-S", "-c", code],
        cwd=outside,
        env=zip_env(archive),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    module_file, rules_dir = result.stdout.splitlines()
    assert module_file.startswith(str(archive))
    assert not Path(rules_dir).is_relative_to(ROOT)
    assert not Path(rules_dir).is_relative_to(archive)  # extracted: a folder on disk


def test_profiles_and_rules_list_from_a_zip(outside: Path) -> None:
    archive = zip_install(outside)
    profiles = run_zipped(archive, outside, "profiles", "list")
    assert profiles.returncode == 0, profiles.stderr
    assert profiles.stdout.split() == sorted(path.stem for path in (ROOT / "profiles").glob("*.json"))
    rules = run_zipped(archive, outside, "rules", "list")
    assert rules.returncode == 0, rules.stderr
    ids = [line.split("\t")[0] for line in rules.stdout.splitlines()]
    assert "django-monolith/fastapi-on-top-of-django" in ids
    assert "SA101" in ids


def test_audit_from_a_zip_finds_the_example_finding(outside: Path) -> None:
    archive = zip_install(outside)
    result = run_zipped(archive, outside, "audit", "project", "--format", "json")
    assert result.returncode == 1, result.stderr
    assert '"rule_id": "django-monolith/fastapi-on-top-of-django"' in result.stdout


def test_an_empty_shipped_profile_set_is_an_error(tmp_path: Path) -> None:
    """No profile file shipped: exit 2 and a message, never an empty list and exit 0."""
    archive = zip_install(tmp_path, drop_profiles=True)
    result = run_zipped(archive, tmp_path, "profiles", "list")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "no shipped *.json file: this installation of stack-auditor is incomplete" in result.stderr
    assert "Traceback" not in result.stderr


def test_schemas_load_from_a_zip(outside: Path) -> None:
    """`profiles check` validates against the shipped profile schema, read from the zip too."""
    archive = zip_install(outside)
    profile = outside / "team.json"
    profile.write_bytes((ROOT / "profiles" / "fastapi-python.json").read_bytes())
    result = run_zipped(archive, outside, "profiles", "check", str(profile))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{profile}: ok"
    profile.write_text('{"profile_name": 7}')
    broken = run_zipped(archive, outside, "profiles", "check", str(profile))
    assert broken.returncode in (1, 2) and "profile_name" in broken.stdout + broken.stderr
