"""The benchmark generators stay deterministic and keep producing valid inputs of the requested size.

The benchmarks themselves are not part of the test suite; these tests only
keep the harness from rotting (small N, a fraction of a second each).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomli

from benchmarks._growth import fit_exponent
from benchmarks.gen_locks import ROOT_NAME, poetry_lock, poetry_pyproject, uv_lock, uv_pyproject
from benchmarks.gen_other import REQUIREMENT_FILES, cyclonedx_json, git_repos, requirements_tree
from benchmarks.generate import Sizes, generate_all

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("writer", [uv_lock, poetry_lock, uv_pyproject, poetry_pyproject, cyclonedx_json])
def test_same_seed_gives_same_bytes(writer):
    """Each writer is a pure function of (size, seed): equal arguments, equal text; another seed differs."""
    assert writer(120, 5) == writer(120, 5)
    assert writer(120, 5) != writer(120, 6)


def test_bytes_do_not_depend_on_hash_randomisation():
    """Two interpreters with different PYTHONHASHSEED write identical locks (no set-order leaks)."""
    code = (
        "import hashlib; from benchmarks.gen_locks import uv_lock, poetry_lock; "
        "from benchmarks.gen_other import requirements_tree; "
        "print(hashlib.sha256((uv_lock(80, 2) + poetry_lock(80, 2) + "
        "str(sorted(requirements_tree(400, 2).items()))).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1


@pytest.mark.parametrize("n", [1, 7, 150])
def test_uv_lock_is_valid_with_n_packages(n):
    """uv.lock parses, is revision 3, holds n packages plus the editable root, and every edge resolves."""
    lock = tomli.loads(uv_lock(n, 3))
    assert (lock["version"], lock["revision"]) == (1, 3)
    packages = lock["package"]
    names = {p["name"] for p in packages}
    assert len(names) == n + 1
    root = next(p for p in packages if p["name"] == ROOT_NAME)
    assert root["source"] == {"editable": "."}
    assert root["dependencies"] and "dev" in root["dev-dependencies"]
    by_name: dict[str, list[str]] = {}
    for package in packages:
        by_name.setdefault(package["name"], []).append(package.get("version", ""))
    for package in packages:
        if package["name"] == ROOT_NAME:
            continue
        assert package["source"] == {"registry": "https://index.invalid/simple"}
        assert "sdist" in package or "wheels" in package
        for dep in package.get("dependencies", []):
            assert dep["name"] in by_name
            if len(by_name[dep["name"]]) > 1:  # a package locked twice must be referenced by version
                assert dep["version"] in by_name[dep["name"]] and "marker" in dep


def test_uv_lock_has_realistic_shape():
    """At 2,000 packages: fan-out stays within 0-8 for most nodes, a few markers, forks and extras exist."""
    lock = tomli.loads(uv_lock(2000, 1))
    packages = [p for p in lock["package"] if p["name"] != ROOT_NAME]
    fan_out = [len({d["name"] for d in p.get("dependencies", [])}) for p in packages]
    assert max(fan_out) <= 12 and sum(f <= 8 for f in fan_out) / len(fan_out) > 0.98
    edges = [d for p in packages for d in p.get("dependencies", [])]
    with_marker = sum("marker" in d for d in edges) / len(edges)
    assert 0.02 < with_marker < 0.15
    assert any("resolution-markers" in p for p in packages)
    assert any("optional-dependencies" in p for p in packages)
    assert any(len(p.get("wheels", [])) >= 10 for p in packages)


@pytest.mark.parametrize("n", [1, 9, 150])
def test_poetry_lock_is_valid_with_n_packages(n):
    """poetry.lock 2.1 parses, holds n distinct packages with groups and files; its pyproject parses too."""
    lock = tomli.loads(poetry_lock(n, 4))
    assert lock["metadata"]["lock-version"] == "2.1"
    packages = lock["package"]
    assert len({p["name"] for p in packages}) == n
    for package in packages:
        assert package["groups"] and package["files"]
        assert set(package["groups"]) <= {"main", "dev", "lint"}
    project = tomli.loads(poetry_pyproject(n, 4))
    assert project["tool"]["poetry"]["name"] == ROOT_NAME
    assert "python" in project["tool"]["poetry"]["dependencies"]


def test_uv_pyproject_matches_lock_root():
    """The PEP 621 pyproject names the same direct dependencies as the lock's root package."""
    n = 200
    project = tomli.loads(uv_pyproject(n, 8))["project"]
    lock = tomli.loads(uv_lock(n, 8))
    root = next(p for p in lock["package"] if p["name"] == ROOT_NAME)
    declared = {r.split(">=")[0].split("[")[0] for r in project["dependencies"]}
    assert declared == {d["name"] for d in root["dependencies"]}


@pytest.mark.parametrize("lines", [400, 3000])
def test_requirements_tree_has_requested_lines_and_resolvable_includes(lines):
    """The tree is about ``lines`` long, every -r/-c target exists, and continuation lines are well formed."""
    tree = requirements_tree(lines, 2)
    total = sum(text.count("\n") for text in tree.values())
    assert lines <= total <= lines + 12
    assert set(tree) == {
        "requirements.txt",
        "requirements/constraints.txt",
        *(f"requirements/{p}.txt" for p in REQUIREMENT_FILES),
    }
    for path, text in tree.items():
        base = Path(path).parent
        for line in text.splitlines():
            if line.startswith(("-r ", "-c ")):
                assert str(base / line[3:]) in tree or line[3:] in tree, line
        lines_ = text.splitlines()
        for i, line in enumerate(lines_):
            if line.endswith("\\"):
                assert lines_[i + 1].startswith("    --hash=sha256:")
    assert sum(t.count("==") for t in tree.values()) > lines // 10


@pytest.mark.parametrize("n", [1, 300])
def test_cyclonedx_is_valid_1_6_with_n_components(n):
    """The SBOM passes the CycloneDX 1.6 JSON schema, has n components, and every dependency ref resolves."""
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    text = cyclonedx_json(n, 9)
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    bom = json.loads(text)
    assert len(bom["components"]) == n
    refs = {c["bom-ref"] for c in bom["components"]} | {bom["metadata"]["component"]["bom-ref"]}
    for dep in bom["dependencies"]:
        assert dep["ref"] in refs and set(dep["dependsOn"]) <= refs


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_git_repos_are_committed_and_reproducible(tmp_path):
    """Each generated repo is a git repo with one commit; the same seed gives the same commit ids."""
    heads = []
    for attempt in ("a", "b"):
        repos = git_repos(tmp_path / attempt, 2, seed=11, workers=2)
        heads.append(
            [
                subprocess.run(
                    ["git", "rev-parse", "HEAD"], cwd=r, capture_output=True, text=True, check=True
                ).stdout
                for r in repos
            ]
        )
        for repo in repos:
            tomli.loads((repo / "uv.lock").read_text())
            assert (repo / "pyproject.toml").is_file()
    assert heads[0] == heads[1]


def test_generate_all_writes_a_cached_manifest(tmp_path):
    """generate_all writes every input once; a second call with the same sizes reuses them untouched."""
    sizes = Sizes(
        uv_packages=30,
        poetry_packages=30,
        growth=(10, 30),
        requirement_lines=100,
        cyclonedx_components=20,
        sweep_repos=0,
    )
    inputs = generate_all(tmp_path, sizes, sweep=False)
    for key in (
        "uv-large",
        "poetry-large",
        "growth-uv-10",
        "growth-poetry-30",
        "requirements-tree",
        "cyclonedx-large",
        "one-line-requirements",
    ):
        assert Path(inputs[key]).is_file(), key
    digest = hashlib.sha256(Path(inputs["uv-large"]).read_bytes()).hexdigest()
    mtime = Path(inputs["uv-large"]).stat().st_mtime_ns
    assert generate_all(tmp_path, sizes, sweep=False) == inputs
    assert Path(inputs["uv-large"]).stat().st_mtime_ns == mtime
    assert hashlib.sha256(Path(inputs["uv-large"]).read_bytes()).hexdigest() == digest


def test_fit_exponent_recovers_known_powers():
    """The growth fit returns k for t = c * n**k, and None when there is nothing to fit."""
    assert fit_exponent([(n, 0.002 * n) for n in (500, 1000, 5000)]) == pytest.approx(1.0)
    assert fit_exponent([(n, 1e-6 * n**2) for n in (500, 5000)]) == pytest.approx(2.0)
    assert fit_exponent([(500, 1.0)]) is None
