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
from auditor.evidence.source import SourceFile, dotted, enclosing_function

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
_NEEDLES = ("Thread", "Timer", "start_new_thread", "Process")
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
    nodes = source.nodes_near(_NEEDLES)
    for node in nodes:
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                kind = _STARTERS.get(dotted(base))
                if kind in ("threading.Thread", "threading.Timer"):
                    subclasses[node.name] = f"{node.name} (a {kind} subclass)"
    if subclasses:  # calls of a subclass need not name a thread: look for the class names too
        nodes = source.nodes_near((*_NEEDLES, *subclasses))
    facts = []
    for node in nodes:
        if not isinstance(node, ast.Call):
            continue
        name = dotted(node.func)
        kind = subclasses.get(name) or _STARTERS.get(name)
        if kind is None and name == "Process" and imported_process:
            kind = "multiprocessing.Process"
        if kind is not None:
            facts.append(source.fact("thread", kind, node, detail=enclosing_function(source.tree, node)))
    facts.sort(key=lambda fact: (fact.line, fact.column))
    return facts


def _imports_process(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == "multiprocessing"
        and any(alias.name == "Process" for alias in node.names)
        for node in tree.body
    )
