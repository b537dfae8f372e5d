"""Writers for ``uv.lock`` (revision 3) and ``poetry.lock`` (2.1), each with its ``pyproject.toml``.

The text is written by hand, in the same layout uv 0.9 and Poetry 2.1 write
(see ``../shared/corpus/uv-lock/pydantic-ai/uv.lock`` and
``../shared/corpus/poetry-lock/saleor-2025-lock21/poetry.lock``), so that the
auditor's line locators meet the layout they will meet in the wild.
"""

from __future__ import annotations

import hashlib
import random

from benchmarks._synth import Dep, Graph, Node, build_graph, display_name, sha256_hex

__all__ = ["ROOT_NAME", "poetry_lock", "poetry_pyproject", "uv_lock", "uv_pyproject"]

ROOT_NAME = "bench-app"
_REGISTRY = 'source = { registry = "https://index.invalid/simple" }'
_FORK_LOW = "python_full_version < '3.12'"
_FORK_HIGH = "python_full_version >= '3.12'"
_PLATFORMS = (
    "manylinux_2_17_x86_64.manylinux2014_x86_64",
    "manylinux_2_17_aarch64.manylinux2014_aarch64",
    "musllinux_1_2_x86_64",
    "musllinux_1_2_aarch64",
    "macosx_11_0_arm64",
    "macosx_10_9_x86_64",
    "win_amd64",
    "win32",
    "win_arm64",
    "manylinux_2_31_riscv64",
)
_PYTHONS = ("cp310", "cp311", "cp312", "cp313", "cp313t", "cp314", "cp39")


def _wheel_names(node: Node, version: str) -> list[str]:
    dist = node.name.replace("-", "_")
    if node.wheels == 1:
        return [f"{dist}-{version}-py3-none-any.whl"]
    return [f"{dist}-{version}-{py}-{py}-{plat}.whl" for py in _PYTHONS for plat in _PLATFORMS][: node.wheels]


def _sdist_name(node: Node, version: str) -> str:
    return f"{node.name.replace('-', '_')}-{version}.tar.gz"


def _lower_bound(version: str) -> str:
    major, minor = version.split(".")[:2]
    return f">={major}.{minor}"


# ---------------------------------------------------------------- uv.lock


def _uv_file(rng: random.Random, filename: str) -> str:
    path = sha256_hex(rng)
    stamp = (
        f"202{rng.randint(0, 5)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T"
        f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}."
        f"{rng.randint(0, 999):03d}Z"
    )
    return (
        f'{{ url = "https://files.index.invalid/packages/{path[:2]}/{path[2:4]}/{path[4:60]}/{filename}", '
        f'hash = "sha256:{sha256_hex(rng)}", size = {rng.randint(4_000, 3_000_000)}, '
        f'upload-time = "{stamp}" }}'
    )


def _uv_dep_entries(graph: Graph, dep: Dep) -> list[str]:
    """The inline tables for one edge: two of them when the target is locked at two versions."""
    target = graph.nodes[dep.target]
    extra = ", extra = [" + ", ".join(f'"{e}"' for e in dep.extras) + "]" if dep.extras else ""
    if target.alt_version is None:
        marker = f', marker = "{dep.marker}"' if dep.marker else ""
        return [f'{{ name = "{target.name}"{extra}{marker} }}']
    entries = []
    for version, fork in ((target.version, _FORK_LOW), (target.alt_version, _FORK_HIGH)):
        marker = f"{dep.marker} and {fork}" if dep.marker else fork
        entries.append(f'{{ name = "{target.name}", version = "{version}", {_REGISTRY}{extra}, marker = "{marker}" }}')
    return entries


def _uv_dep_array(graph: Graph, key: str, deps: list[Dep]) -> list[str]:
    entries = [
        entry for dep in sorted(deps, key=lambda d: graph.nodes[d.target].name) for entry in _uv_dep_entries(graph, dep)
    ]
    return [f"{key} = [", *(f"    {e}," for e in entries), "]"]


def _uv_package(rng: random.Random, graph: Graph, node: Node, version: str, fork: str | None) -> list[str]:
    lines = ["[[package]]", f'name = "{node.name}"', f'version = "{version}"', _REGISTRY]
    if fork is not None:
        lines += ["resolution-markers = [", f'    "{fork}",', "]"]
    if node.deps:
        lines += _uv_dep_array(graph, "dependencies", node.deps)
    if node.sdist:
        lines.append(f"sdist = {_uv_file(rng, _sdist_name(node, version))}")
    wheels = _wheel_names(node, version)
    if node.wheels:
        lines += ["wheels = [", *(f"    {_uv_file(rng, w)}," for w in wheels), "]"]
    if node.extras:
        lines += ["", "[package.optional-dependencies]"]
        for extra, deps in node.extras.items():
            lines += _uv_dep_array(graph, extra, deps)
    return lines


def _uv_requirement(graph: Graph, dep: Dep, marker: str | None = None) -> str:
    target = graph.nodes[dep.target]
    parts = [f'name = "{target.name}"']
    if dep.extras:
        parts.append("extras = [" + ", ".join(f'"{e}"' for e in dep.extras) + "]")
    if marker or dep.marker:
        parts.append(f'marker = "{marker or dep.marker}"')
    parts.append(f'specifier = "{_lower_bound(target.version)}"')
    return "{ " + ", ".join(parts) + " }"


def _uv_root(graph: Graph) -> list[str]:
    lines = ["[[package]]", f'name = "{ROOT_NAME}"', 'version = "0.1.0"', 'source = { editable = "." }']
    lines += _uv_dep_array(graph, "dependencies", graph.direct)
    if graph.root_extras:
        lines += ["", "[package.optional-dependencies]"]
        for extra, deps in graph.root_extras.items():
            lines += _uv_dep_array(graph, extra, deps)
    lines += ["", "[package.dev-dependencies]"]
    for group, deps in graph.dev.items():
        lines += _uv_dep_array(graph, group, deps)
    requires = [_uv_requirement(graph, d) for d in graph.direct]
    for extra, deps in graph.root_extras.items():
        requires += [_uv_requirement(graph, d, f"extra == '{extra}'") for d in deps]
    lines += ["", "[package.metadata]", "requires-dist = [", *(f"    {r}," for r in sorted(requires)), "]"]
    lines.append("provides-extras = [" + ", ".join(f'"{e}"' for e in graph.root_extras) + "]")
    lines += ["", "[package.metadata.requires-dev]"]
    for group, deps in graph.dev.items():
        lines += [f"{group} = [", *(f"    {_uv_requirement(graph, d)}," for d in deps), "]"]
    return lines


def uv_lock(n: int, seed: int = 1) -> str:
    """A ``uv.lock`` (version 1, revision 3) with ``n`` locked packages plus the editable root."""
    graph = build_graph(n, seed)
    rng = random.Random(seed * 7919 + 1)
    blocks: list[tuple[str, str, list[str]]] = [(ROOT_NAME, "", _uv_root(graph))]
    for node in graph.nodes:
        if node.alt_version is None:
            blocks.append((node.name, node.version, _uv_package(rng, graph, node, node.version, None)))
        else:
            blocks.append((node.name, node.version, _uv_package(rng, graph, node, node.version, _FORK_LOW)))
            blocks.append((node.name, node.alt_version, _uv_package(rng, graph, node, node.alt_version, _FORK_HIGH)))
    blocks.sort(key=lambda b: (b[0], b[1]))
    head = [
        "version = 1",
        "revision = 3",
        'requires-python = ">=3.10"',
        "resolution-markers = [",
        f'    "{_FORK_HIGH}",',
        f'    "{_FORK_LOW}",',
        "]",
    ]
    return "\n".join(head) + "\n\n" + "\n\n".join("\n".join(b[2]) for b in blocks) + "\n"


def uv_pyproject(n: int, seed: int = 1) -> str:
    """The PEP 621 ``pyproject.toml`` whose lock :func:`uv_lock` writes (same ``n`` and ``seed``)."""
    graph = build_graph(n, seed)

    def req(dep: Dep) -> str:
        target = graph.nodes[dep.target]
        extras = f"[{','.join(dep.extras)}]" if dep.extras else ""
        marker = f"; {dep.marker}" if dep.marker else ""
        return f'    "{target.name}{extras}{_lower_bound(target.version)}{marker}",'

    lines = [
        "[project]",
        f'name = "{ROOT_NAME}"',
        'version = "0.1.0"',
        'requires-python = ">=3.10"',
        "dependencies = [",
        *(req(d) for d in graph.direct),
        "]",
    ]
    if graph.root_extras:
        lines += ["", "[project.optional-dependencies]"]
        for extra, deps in graph.root_extras.items():
            lines += [f"{extra} = [", *(req(d) for d in deps), "]"]
    lines += ["", "[dependency-groups]"]
    for group, deps in graph.dev.items():
        lines += [f"{group} = [", *(req(d) for d in deps), "]"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- poetry.lock


def _poetry_marker(marker: str) -> str:
    """uv's marker style to Poetry's: ``python_version``, double quotes escaped for a TOML string."""
    return marker.replace("python_full_version", "python_version").replace("'", '\\"')


def _poetry_spec(graph: Graph, dep: Dep, displays: list[str], optional: bool = False) -> list[str]:
    target = graph.nodes[dep.target]
    key = displays[dep.target]
    extras = ", extras = [" + ", ".join(f'"{e}"' for e in dep.extras) + "]" if dep.extras else ""
    opt = ", optional = true" if optional else ""
    if target.alt_version is not None:
        low, high = _poetry_marker(_FORK_LOW), _poetry_marker(_FORK_HIGH)
        return [
            f"{key} = [",
            f'    {{version = "{_lower_bound(target.version)},<{target.alt_version}"{extras}{opt}, '
            f'markers = "{low}"}},',
            f'    {{version = ">={target.alt_version}"{extras}{opt}, markers = "{high}"}},',
            "]",
        ]
    spec = _lower_bound(target.version) + f",<{int(target.version.split('.')[0]) + 1}"
    if dep.marker is None and not extras and not optional:
        return [f'{key} = "{spec}"']
    marker = f', markers = "{_poetry_marker(dep.marker)}"' if dep.marker else ""
    return [f'{key} = {{version = "{spec}"{extras}{opt}{marker}}}']


def _poetry_package(
    rng: random.Random,
    graph: Graph,
    node: Node,
    version: str,
    groups: list[str],
    optional: bool,
    marker: str | None,
    displays: list[str],
) -> list[str]:
    lines = [
        "[[package]]",
        f'name = "{node.name}"',
        f'version = "{version}"',
        f'description = "{node.description}"',
        f"optional = {'true' if optional else 'false'}",
        f'python-versions = "{node.requires_python}"',
        "groups = [" + ", ".join(f'"{g}"' for g in groups) + "]",
    ]
    if marker:
        lines.append(f'markers = "{marker}"')
    files = _wheel_names(node, version) + ([_sdist_name(node, version)] if node.sdist else [])
    lines += ["files = [", *(f'    {{file = "{f}", hash = "sha256:{sha256_hex(rng)}"}},' for f in files), "]"]
    if node.deps or node.extras:
        lines += ["", "[package.dependencies]"]
        written = {dep.target: None for dep in node.deps}
        for dep in node.deps:
            lines += _poetry_spec(graph, dep, displays)
        for deps in node.extras.values():
            for dep in deps:
                if dep.target not in written:  # two extras may share a dependency: one key
                    written[dep.target] = None
                    lines += _poetry_spec(graph, dep, displays, optional=True)
    if node.extras:
        lines += ["", "[package.extras]"]
        for extra, deps in node.extras.items():
            items = ", ".join(f'"{displays[d.target]} ({_lower_bound(graph.nodes[d.target].version)})"' for d in deps)
            lines.append(f"{extra} = [{items}]")
    return lines


def _displays(graph: Graph) -> list[str]:
    rng = random.Random(graph.seed * 31 + 7)
    return [display_name(rng, node.name) for node in graph.nodes]


def poetry_lock(n: int, seed: int = 1) -> str:
    """A ``poetry.lock`` (lock-version 2.1) with ``n`` locked packages."""
    graph = build_graph(n, seed)
    rng = random.Random(seed * 7919 + 2)
    displays = _displays(graph)
    main = graph.reach([d.target for d in graph.direct])
    dev = {g: graph.reach([d.target for d in deps]) for g, deps in graph.dev.items()}
    # A package every one of whose dependants reaches it under a marker carries that marker.
    incoming: list[list[str | None]] = [[] for _ in graph.nodes]
    for node in graph.nodes:
        for dep in node.deps:
            incoming[dep.target].append(dep.marker)
    blocks: list[tuple[str, str, list[str]]] = []
    for i, node in enumerate(graph.nodes):
        groups = (["main"] if main[i] else []) + [g for g, seen in dev.items() if seen[i]]
        optional = not groups
        marks = incoming[i]
        marker = _poetry_marker(marks[0]) if marks and marks[0] and all(m == marks[0] for m in marks) else None
        versions = [(node.version, marker)]
        if node.alt_version is not None:
            versions = [
                (node.version, _poetry_marker(_FORK_LOW)),
                (node.alt_version, _poetry_marker(_FORK_HIGH)),
            ]
        for version, mark in versions:
            blocks.append(
                (
                    node.name,
                    version,
                    _poetry_package(rng, graph, node, version, groups or ["main"], optional, mark, displays),
                )
            )
    blocks.sort(key=lambda b: (b[0], b[1]))
    content_hash = hashlib.sha256(poetry_pyproject(n, seed).encode()).hexdigest()
    tail = [
        "[metadata]",
        'lock-version = "2.1"',
        'python-versions = ">=3.10,<4.0"',
        f'content-hash = "{content_hash}"',
    ]
    head = "# This file is automatically @generated by Poetry 2.1.3 and should not be changed by hand.\n\n"
    return head + "\n\n".join("\n".join(b[2]) for b in blocks) + "\n\n" + "\n".join(tail) + "\n"


def poetry_pyproject(n: int, seed: int = 1) -> str:
    """The ``[tool.poetry]`` ``pyproject.toml`` whose lock :func:`poetry_lock` writes."""
    graph = build_graph(n, seed)
    displays = _displays(graph)

    def caret(dep: Dep, optional: bool = False) -> str:
        target = graph.nodes[dep.target]
        spec = "^" + ".".join(target.version.split(".")[:2])
        if optional or dep.extras:
            extras = ", extras = [" + ", ".join(f'"{e}"' for e in dep.extras) + "]" if dep.extras else ""
            opt = ", optional = true" if optional else ""
            return f'{displays[dep.target]} = {{version = "{spec}"{extras}{opt}}}'
        return f'{displays[dep.target]} = "{spec}"'

    lines = [
        "[tool.poetry]",
        f'name = "{ROOT_NAME}"',
        'version = "0.1.0"',
        'description = "Synthetic project for the stack-auditor benchmarks"',
        'authors = ["Bench <bench@example.invalid>"]',
        "",
        "[tool.poetry.dependencies]",
        'python = ">=3.10,<4.0"',
        *(caret(d) for d in graph.direct),
    ]
    lines += [caret(d, optional=True) for deps in graph.root_extras.values() for d in deps]
    if graph.root_extras:
        lines += ["", "[tool.poetry.extras]"]
        lines += [
            f"{extra} = [" + ", ".join(f'"{displays[d.target]}"' for d in deps) + "]"
            for extra, deps in graph.root_extras.items()
        ]
    for group, deps in graph.dev.items():
        lines += ["", f"[tool.poetry.group.{group}.dependencies]", *(caret(d) for d in deps)]
    lines += [
        "",
        "[build-system]",
        'requires = ["poetry-core>=2.0"]',
        'build-backend = "poetry.core.masonry.api"',
    ]
    return "\n".join(lines) + "\n"
