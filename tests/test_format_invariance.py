"""Same project, same verdict, whatever the file (issue 15).

Seven small projects (Django, FastAPI, Flask, a transitive-only Django, a dev-tool-heavy one, one
with environment markers, one whose runtime pulls in a test tool) were locked by uv, Poetry, PDM,
pipenv and pip-compile, exported to pylock.toml by uv and to CycloneDX by cyclonedx-py
(``tests/fixtures/invariance/regenerate.sh``). ``tests/invariance.py`` computes the truth from each
``pyproject.toml`` and ``uv.lock`` without the auditor; ``python -m tests.invariance`` prints the
per-format table.
"""

from __future__ import annotations

import pytest

from auditor.audit import AuditOptions, audit
from tests.invariance import FILES, ROOT, SBOMS, graph_of, projects, truth, verdict

PROJECTS = projects()
CASES = [(p, f) for p in PROJECTS for f in FILES if (ROOT / p / f).is_file()]
# Files that state directness alone: a root project (uv.lock), `# via -r <input>` (pip-compile),
# the root component's dependencies (cyclonedx-py --pyproject).
STATE_DIRECT = {"uv.lock", "requirements.txt", "requirements-dev.txt", "sbom.cdx.json"}
# Files that state groups alone: per-package groups (poetry 2, pdm), sections (Pipfile.lock),
# root groups (uv.lock), the input each pin came through (pip-compile), a main-only environment.
STATE_GROUPS = STATE_DIRECT | {"poetry.lock", "pdm.lock", "Pipfile.lock"}
PROFILES = {"django-app": "django-monolith", "transitive-django": "django-monolith", "fastapi-app": "fastapi-python"}


def test_enough_projects_cover_the_frameworks() -> None:
    """At least six projects, covering Django, FastAPI, Flask, a transitive-only framework and dev tools."""
    assert len(PROJECTS) >= 6
    assert {"django-app", "fastapi-app", "flask-app", "transitive-django", "devtools-heavy"} <= set(PROJECTS)
    assert "django" not in truth("transitive-django").direct


@pytest.mark.parametrize(("project", "file"), CASES)
def test_names_and_versions_are_the_locks(project: str, file: str) -> None:
    """Every package and version a file records is one uv resolved too, and none is invented (no version-less node)."""
    import tomli

    lock = tomli.loads((ROOT / project / "uv.lock").read_text())
    resolved = {(p["name"].lower().replace("_", "-").replace(".", "-"), p.get("version")) for p in lock["package"]}
    graph = graph_of(project, [file])
    assert {(node.name, v) for node in graph for v in node.versions} <= resolved
    assert [node.name for node in graph if not node.versions] == []


@pytest.mark.parametrize(("project", "file"), CASES)
def test_alone_a_file_states_only_what_it_knows(project: str, file: str) -> None:
    """Audited alone, a file's direct and dev-only sets agree with the truth, or say unknown; never a guess."""
    found = verdict(project, file, merged=False)
    assert found.direct == ("agree" if file in STATE_DIRECT else "unknown"), found.detail
    assert found.dev in ("agree", "unknown"), found.detail
    if file in STATE_GROUPS:
        assert found.dev == "agree", found.detail


@pytest.mark.parametrize(("project", "file"), [c for c in CASES if c[1] not in SBOMS])
def test_with_the_manifest_every_file_agrees(project: str, file: str) -> None:
    """Beside pyproject.toml, directness always agrees; dev-only agrees unless the file has no edges (pylock)."""
    found = verdict(project, file, merged=True)
    assert found.direct == "agree", found.detail
    assert found.dev == ("unknown" if file == "pylock.toml" else "agree"), found.detail


def _findings(project: str, file: str) -> tuple[set[tuple[str, str | None, str]], dict[str, frozenset[str]]]:
    """Findings (rule, package, severity) with the profile given, and each package's versions."""
    folder = ROOT / project
    profile = PROFILES.get(project, "python-library")
    report = audit([folder / "pyproject.toml", folder / file], AuditOptions(profile=profile, use_config=False))
    graph = graph_of(project, ["pyproject.toml", file])
    found = {(f.rule_id, f.package, f.severity.value) for f in report.findings}
    return found, {node.name: frozenset(node.versions) for node in graph}


@pytest.mark.parametrize("project", PROJECTS)
def test_same_findings_from_every_format(project: str) -> None:
    """With the profile given and the manifest beside it, every lock gives the same findings.

    Left out, because the files differ in fact, not in reading: the package-manager stack entry (it
    is about which lock exists), the main-only requirements.txt (it holds no dev tools), findings on a
    package the two files resolve to different versions (uv forks Django 5.2/6.1 by Python), and
    SA103 on pylock.toml, which records no edges, so nothing in it shows runtime pulling in a dev tool.
    """
    reference, reference_versions = _findings(project, "uv.lock")
    for file in FILES:
        if not (ROOT / project / file).is_file() or file in SBOMS or file in ("uv.lock", "requirements.txt"):
            continue
        other, versions = _findings(project, file)

        comparable = {
            key
            for key in reference | other
            if not key[0].endswith("/stack/package_manager")
            and not (file == "pylock.toml" and key[0] == "SA103")
            and (key[1] is None or versions.get(key[1]) == reference_versions.get(key[1]))
        }
        assert other & comparable == reference & comparable, file
