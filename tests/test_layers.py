"""The import contract: DESIGN.md's layers, read from the ``ast`` of every module in ``auditor/``.

Face (the CLI) -> Sweep -> GitHub -> Run (audit pipeline, config) -> Find -> Read -> Model;
Judge (policy) -> Model and data; Show (renderers) -> Model and findings. Only the Face, Sweep,
GitHub and Run layers write files (``auditor.atomic``): renderers return text.
Read covers both readers of a project: resolvers (dependency files) and evidence (source facts).
Every import counts, including lazy ones inside functions and ``TYPE_CHECKING`` blocks.
A new top-level module is Base unless listed: give it its layer here.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "auditor"
LAYERS = {  # module prefix -> layer; the longest prefix wins
    "auditor.__main__": "Face", "auditor.entry": "Face", "auditor.cli": "Face", "auditor.audit_command": "Face",
    "auditor.docs": "Face", "auditor.explain": "Face", "auditor.sweep": "Sweep", "auditor.github": "GitHub",
    "auditor.audit": "Run", "auditor.config": "Run", "auditor.baseline": "Run", "auditor.weakening": "Run",
    "auditor.discover": "Find", "auditor.resolvers": "Read", "auditor.evidence": "Read", "auditor.policy": "Judge",
    "auditor.render": "Show", "auditor.model": "Model", "auditor.graph": "Model", "auditor.findings": "Model",
    "auditor.locate": "Model", "auditor.atomic": "Write", "auditor.hostile_text": "Model", "auditor.datafile": "Model",
    "auditor.evidence.model": "Model",  # the facts judges read, as resolvers hand over auditor.model
    "auditor.strength": "Model", "auditor.redact": "Model", "auditor.merge": "Model",
    "auditor.views": "Model",
    "auditor.render.escape": "Base",  # pure text escaping, imports nothing of ours: errors use it too
    "auditor": "Base",
}  # fmt: skip
BELOW = {"Base": set(), "Write": {"Base"}, "Model": {"Base"}}
BELOW |= {layer: {"Model", "Base"} for layer in ("Read", "Judge", "Show")}
BELOW["Find"] = {"Read", "Model", "Base"}
BELOW["Run"] = {"Find", "Read", "Judge", "Model", "Write", "Base"}
BELOW["GitHub"] = {"Show", "Model", "Write", "Base"}
BELOW["Sweep"] = {"GitHub", "Run", "Find", "Read", "Judge", "Show", "Model", "Write", "Base"}
BELOW["Face"] = BELOW["Sweep"] | {"Sweep"}


def layer_of(module: str) -> str:
    return LAYERS[max((p for p in LAYERS if module == p or module.startswith(p + ".")), key=len)]


def imports(path: Path, module: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = module.rsplit(".", node.level)[0] + "." if node.level else ""
            found.add(base + (node.module or ""))
    return {name.rstrip(".") for name in found if name == "auditor" or name.startswith("auditor.")}


def crossings(root: Path = PACKAGE) -> list[str]:
    bad = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        mine = layer_of(module)
        for target in sorted(imports(path, module)):
            if layer_of(target) != mine and layer_of(target) not in BELOW[mine]:
                bad.append(f"{module} ({mine}) imports {target} ({layer_of(target)})")
    return bad


def test_no_module_crosses_a_layer() -> None:
    assert crossings() == []


def test_the_contract_catches_a_crossing(tmp_path: Path) -> None:
    (tmp_path / "auditor" / "render").mkdir(parents=True)
    (tmp_path / "auditor" / "render" / "x.py").write_text("from auditor.atomic import write_atomic\n")
    (tmp_path / "auditor" / "policy").mkdir()
    (tmp_path / "auditor" / "policy" / "y.py").write_text("def f():\n    from ..resolvers import base\n")
    assert crossings(tmp_path / "auditor") == [
        "auditor.policy.y (Judge) imports auditor.resolvers (Read)",
        "auditor.render.x (Show) imports auditor.atomic (Write)",
    ]
