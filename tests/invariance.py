"""Format invariance: one project, locked by every real tool, must get one classification.

Each project under ``tests/fixtures/invariance/<project>/`` has a ``pyproject.toml`` (main
dependencies and a ``dev`` group) and the files real tools wrote for it (``regenerate.sh``
there says how). The truth is computed here, independently of the auditor, from the
``pyproject.toml`` and the ``uv.lock``: which packages are declared (direct), and which are
reached only from the dev group (dev-only). Each file is then audited alone, and with the
``pyproject.toml`` beside it, and its classification compared with the truth restricted to
the packages that file records.

A verdict per (file, aspect): ``agree``, ``unknown`` (the graph says it cannot tell) or
``disagree``. ``python -m tests.invariance`` prints the table.
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import tomli as tomllib

from auditor.audit import AuditOptions, load_project_graphs
from auditor.graph import ProjectGraph
from auditor.model import canonical_name

ROOT = Path(__file__).parent / "fixtures" / "invariance"

# File name -> format label, in table order. The SBOM was taken from a venv with the main dependencies only.
FILES = {
    "uv.lock": "uv.lock",
    "poetry.lock": "poetry.lock",
    "pdm.lock": "pdm.lock",
    "Pipfile.lock": "Pipfile.lock",
    "pylock.toml": "pylock.toml",
    "requirements.txt": "pip-compile",
    "requirements-dev.txt": "pip-compile dev",
    "sbom.cdx.json": "cyclonedx-py",
}
MAIN_ONLY = {"requirements.txt", "sbom.cdx.json"}  # written from the main dependencies alone
SBOMS = {"sbom.cdx.json"}  # an SBOM is a project of its own: never merged with the manifest beside it


class Truth(NamedTuple):
    direct: frozenset[str]  # declared in [project].dependencies or the dev group
    main_direct: frozenset[str]
    dev_only: frozenset[str]  # reached from the dev group and not from the main dependencies


class Verdict(NamedTuple):
    project: str
    file: str
    merged: bool  # audited with pyproject.toml beside it
    direct: str  # agree | unknown | disagree
    dev: str
    detail: str


def projects() -> list[str]:
    return sorted(p.name for p in ROOT.iterdir() if (p / "pyproject.toml").is_file())


def _requirement_name(spec: str) -> str:
    from packaging.requirements import Requirement

    return canonical_name(Requirement(spec).name)


def truth(project: str) -> Truth:
    folder = ROOT / project
    manifest = tomllib.loads((folder / "pyproject.toml").read_text())
    main = {_requirement_name(s) for s in manifest["project"].get("dependencies", [])}
    dev = {_requirement_name(s) for s in manifest.get("dependency-groups", {}).get("dev", [])}
    lock = tomllib.loads((folder / "uv.lock").read_text())
    edges: dict[str, set[str]] = {}
    for entry in lock["package"]:
        deps = edges.setdefault(canonical_name(entry["name"]), set())
        deps.update(canonical_name(d["name"]) for d in entry.get("dependencies", []))
        for extra_deps in entry.get("optional-dependencies", {}).values():
            deps.update(canonical_name(d["name"]) for d in extra_deps)
    # An extra requested by a root (psycopg[binary]) is in `optional-dependencies`: over-approximate
    # only for the root's own requests, which is what the lock resolved.
    reach_main, reach_dev = _reach(main, edges), _reach(dev, edges)
    return Truth(frozenset(main | dev), frozenset(main), frozenset(reach_dev - reach_main))


def _reach(start: Iterable[str], edges: dict[str, set[str]]) -> set[str]:
    seen = set(start)
    queue = deque(seen)
    while queue:
        for child in edges.get(queue.popleft(), ()):
            if child not in seen:
                seen.add(child)
                queue.append(child)
    return seen


def graph_of(project: str, files: list[str]) -> ProjectGraph:
    folder = ROOT / project
    _root, audits = load_project_graphs([folder / f for f in files], AuditOptions(use_config=False))
    assert len(audits) == 1, [a.path for a in audits]
    assert not audits[0].failures, audits[0].failures
    return audits[0].graph


def _direct_of(graph: ProjectGraph) -> set[str] | None:
    # getattr: the same harness measured the code before issue 15, whose graphs had no direct_known.
    if getattr(graph, "direct_known", True) is False:
        return None
    return {node.name for node in graph if node.direct}


def _dev_only_of(graph: ProjectGraph) -> set[str] | None:
    if any(not node.scopes for node in graph):
        return None  # a package whose scopes nobody states: the graph cannot tell
    return {node.name for node in graph if "dev" in node.scopes and "main" not in node.scopes}


def verdict(project: str, file: str, merged: bool) -> Verdict:
    graph = graph_of(project, ["pyproject.toml", file] if merged else [file])
    expected = truth(project)
    names = {node.name for node in graph if node.versions}
    main_only = file in MAIN_ONLY
    want_direct = (expected.main_direct if main_only and not merged else expected.direct) & names
    want_dev = expected.dev_only & names
    got_direct, got_dev = _direct_of(graph), _dev_only_of(graph)
    detail = []
    direct = "unknown" if got_direct is None else "agree" if got_direct & names == want_direct else "disagree"
    if direct == "disagree" and got_direct is not None:
        detail.append(f"direct +{sorted(got_direct & names - want_direct)} -{sorted(want_direct - got_direct)}")
    dev = "unknown" if got_dev is None else "agree" if got_dev == want_dev else "disagree"
    if dev == "disagree" and got_dev is not None:
        detail.append(f"dev-only +{sorted(got_dev - want_dev)} -{sorted(want_dev - got_dev)}")
    return Verdict(project, file, merged, direct, dev, "; ".join(detail))


def all_verdicts() -> list[Verdict]:
    out = []
    for project in projects():
        for file in FILES:
            if (ROOT / project / file).is_file():
                modes = (False,) if file in SBOMS else (False, True)
                out.extend(verdict(project, file, merged) for merged in modes)
    return out


def table(verdicts: list[Verdict]) -> str:
    """Per format: how many projects agree / say unknown / disagree, alone and merged with pyproject.toml."""
    lines = [f"{'format':18} {'mode':7} {'direct a/u/d':>13} {'dev-only a/u/d':>15}"]
    for file, label in FILES.items():
        for merged in (False, True):
            rows = [v for v in verdicts if v.file == file and v.merged is merged]
            if not rows:
                continue
            counts = []
            for aspect in ("direct", "dev"):
                values = [getattr(v, aspect) for v in rows]
                counts.append("/".join(str(values.count(k)) for k in ("agree", "unknown", "disagree")))
            mode = "merged" if merged else "alone"
            lines.append(f"{label:18} {mode:7} {counts[0]:>13} {counts[1]:>15}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    verdicts = all_verdicts()
    print(table(verdicts))
    if "--verbose" in argv:
        for v in verdicts:
            if v.detail:
                print(f"{v.project}/{v.file}{' +pyproject' if v.merged else ''}: {v.detail}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
