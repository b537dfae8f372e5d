"""Background work started in threads or processes by application code.

``threading.Thread``/``Timer`` and their subclasses defined in the same module, ``ThreadPoolExecutor``,
``_thread.start_new_thread`` and ``multiprocessing.Process``. Management commands, scripts and
command-line tools run outside request handling and are not application code here (tests are
excluded by the scanner). Facts: ``thread`` (value = what is started, detail = the enclosing function).
"""

from __future__ import annotations

import ast
from pathlib import PurePosixPath

from auditor.evidence.model import EvidenceOptions, Fact
from auditor.evidence.source import SourceFile, dotted

__all__ = ["collect", "is_application_code"]

_STARTERS = {
    "Thread": "threading.Thread",
    "threading.Thread": "threading.Thread",
    "Timer": "threading.Timer",
    "threading.Timer": "threading.Timer",
    "ThreadPoolExecutor": "ThreadPoolExecutor",
    "futures.ThreadPoolExecutor": "ThreadPoolExecutor",
    "concurrent.futures.ThreadPoolExecutor": "ThreadPoolExecutor",
    "start_new_thread": "_thread.start_new_thread",
    "_thread.start_new_thread": "_thread.start_new_thread",
    "multiprocessing.Process": "multiprocessing.Process",
    "mp.Process": "multiprocessing.Process",
}
_NOT_APPLICATION_DIRS = frozenset({"management", "scripts", "script", "bin", "tools", "docs", "examples", "benchmarks"})
_NOT_APPLICATION_FILES = frozenset({"manage.py", "setup.py", "noxfile.py", "fabfile.py", "tasks.py", "conf.py"})


def is_application_code(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return parts[-1] not in _NOT_APPLICATION_FILES and not _NOT_APPLICATION_DIRS.intersection(parts[:-1])


def collect(source: SourceFile, options: EvidenceOptions) -> list[Fact]:
    if not is_application_code(source.path):
        return []
    imported_process = _imports_process(source.tree)
    subclasses: dict[str, str] = {}
    for node in ast.walk(source.tree):
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                kind = _STARTERS.get(dotted(base))
                if kind in ("threading.Thread", "threading.Timer"):
                    subclasses[node.name] = f"{node.name} (a {kind} subclass)"
    facts = []
    for function, node in _calls(source.tree):
        name = dotted(node.func)
        kind = subclasses.get(name) or _STARTERS.get(name)
        if kind is None and name == "Process" and imported_process:
            kind = "multiprocessing.Process"
        if kind is not None:
            facts.append(source.fact("thread", kind, node, detail=function))
    return facts


def _imports_process(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == "multiprocessing"
        and any(alias.name == "Process" for alias in node.names)
        for node in tree.body
    )


def _calls(tree: ast.Module) -> list[tuple[str, ast.Call]]:
    """Every call with the name of the function it is in ('' at module level)."""
    out: list[tuple[str, ast.Call]] = []
    stack: list[tuple[str, ast.AST]] = [("", tree)]
    while stack:
        function, node = stack.pop()
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            if isinstance(child, ast.Call):
                out.append((function, child))
            stack.append((inner, child))
    out.sort(key=lambda item: (item[1].lineno, item[1].col_offset))
    return out
