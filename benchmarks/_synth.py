"""A synthetic, deterministic dependency graph shared by every generator.

Every generator draws from one ``random.Random(seed)``: the same seed gives the
same graph and therefore the same bytes. Nothing here iterates a ``set`` of
strings (hash randomisation would break determinism): lists and dicts only.

The shape follows the real locks in ``../shared/corpus`` (pydantic-ai's
``uv.lock``, saleor's ``poetry.lock``): a DAG whose nodes have 0-8
dependencies, a handful of popular leaves that many packages depend on, a few
environment markers, a few extras, a few packages locked at two versions
(split on the Python version), and a wheel count that is 1 for most packages
but dozens for the binary ones.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

__all__ = ["MARKERS", "Dep", "Graph", "Node", "build_graph", "display_name", "sha256_hex"]

# Real names first, so that profiles and rules have something to match in generated inputs.
_REAL_TEXT = (
    "requests urllib3 idna certifi charset-normalizer six typing-extensions packaging attrs "
    "click django djangorestframework fastapi starlette uvicorn pydantic pydantic-core anyio sniffio "
    "sqlalchemy alembic psycopg psycopg2-binary asyncpg celery kombu vine amqp billiard redis "
    "django-rq rq flask werkzeug jinja2 markupsafe itsdangerous gunicorn boto3 botocore s3transfer "
    "jmespath python-dateutil pytz tzdata numpy pandas pyarrow pillow lxml cryptography cffi pycparser "
    "pyjwt httpx httpcore h11 aiohttp yarl multidict frozenlist aiosignal propcache pyyaml "
    "protobuf grpcio googleapis-common-protos opentelemetry-api opentelemetry-sdk wrapt deprecated "
    "rich pygments markdown-it-py mdurl tqdm filelock platformdirs pytest pluggy iniconfig coverage "
    "mypy mypy-extensions ruff black isort sphinx docutils babel greenlet sentry-sdk structlog "
    "orjson ujson msgpack tenacity cachetools google-auth rsa pyasn1 oauthlib requests-oauthlib"
)
_STEMS_TEXT = (
    "acme aero amber apex arrow atlas aurora beacon birch blaze bolt breeze cargo cedar cinder "
    "cobalt comet coral crest dawn delta drift ember falcon fern flint forge frost gale garnet glade "
    "granite harbor hazel helix indigo iris jade juniper kestrel lagoon lark lumen maple marble meadow "
    "mesa nebula nimbus oak onyx orbit pebble pine pixel plume prism quartz quill raven reef ridge "
    "river sage sable shale sierra slate sparrow spruce summit tango thistle tidal topaz tundra "
    "umber vale vapor vertex willow wren yarrow zenith zephyr"
)
# Word lists read better as prose than as one-word-per-line literals.
_REAL = _REAL_TEXT.split()
_STEMS = _STEMS_TEXT.split()
_PREFIXES = (
    "",
    "",
    "",
    "py",
    "django-",
    "flask-",
    "aio",
    "types-",
    "azure-",
    "google-cloud-",
    "opentelemetry-instrumentation-",
    "pytest-",
    "sphinx-",
    "jupyter-",
    "mkdocs-",
)
_SUFFIXES = (
    "",
    "",
    "",
    "-core",
    "-utils",
    "-client",
    "-sdk",
    "-api",
    "-plugin",
    "-cli",
    "-async",
    "-extras",
    "-stubs",
    "-lite",
    "-server",
    "-tools",
)

# Markers as they appear on uv.lock edges (single quotes, uv's style).
MARKERS = (
    "sys_platform == 'win32'",
    "python_full_version < '3.11'",
    "platform_python_implementation == 'CPython'",
    "sys_platform != 'emscripten'",
    "python_full_version >= '3.12'",
    "platform_machine == 'x86_64' and sys_platform == 'linux'",
    "implementation_name == 'pypy'",
)
_FAN_OUT_WEIGHTS = (22, 18, 16, 13, 10, 8, 6, 4, 3)  # P(k deps) for k = 0..8
_EXTRA_NAMES = ("async", "cli", "crypto", "docs", "redis", "socks", "speedups", "toml", "yaml")
_DESCRIPTIONS = (
    "HTTP client library",
    "Fast serialization",
    "Command line helpers",
    "Async I/O toolkit",
    "Database driver",
    "Testing utilities",
    "Cloud SDK",
    "Type stubs",
    "Data validation",
    "Plugin framework",
    "Logging helpers",
    "Template engine",
)


@dataclass
class Dep:
    """An edge: the dependant needs ``target`` (an index into ``Graph.nodes``)."""

    target: int
    marker: str | None = None
    extras: tuple[str, ...] = ()


@dataclass
class Node:
    """One locked package. ``alt_version`` set means it is locked twice (a fork on Python version)."""

    name: str
    version: str
    deps: list[Dep] = field(default_factory=list)
    extras: dict[str, list[Dep]] = field(default_factory=dict)
    alt_version: str | None = None
    wheels: int = 1
    sdist: bool = True
    description: str = ""
    requires_python: str = ">=3.9"


@dataclass
class Graph:
    """A synthetic project: the locked nodes plus the root project's direct requirements."""

    nodes: list[Node]
    direct: list[Dep]
    root_extras: dict[str, list[Dep]]
    dev: dict[str, list[Dep]]
    seed: int

    def groups(self) -> list[tuple[bool, bool, bool]]:
        """For each node: (reachable from main, from dev, only from the root's extras)."""
        main = self.reach([d.target for d in self.direct])
        dev = self.reach([d.target for g in self.dev.values() for d in g])
        extra = self.reach([d.target for g in self.root_extras.values() for d in g])
        return [(m, d, e and not m and not d) for m, d, e in zip(main, dev, extra, strict=False)]

    def reach(self, starts: list[int]) -> list[bool]:
        seen = [False] * len(self.nodes)
        stack = list(starts)
        while stack:
            i = stack.pop()
            if seen[i]:
                continue
            seen[i] = True
            node = self.nodes[i]
            stack.extend(d.target for d in node.deps)
            stack.extend(d.target for deps in node.extras.values() for d in deps)
        return seen


def sha256_hex(rng: random.Random) -> str:
    """64 hex digits drawn from ``rng`` (a fake but well-formed digest)."""
    return f"{rng.getrandbits(256):064x}"


def display_name(rng: random.Random, name: str) -> str:
    """How a project might spell ``name`` in its metadata (``Typing_Extensions``): mostly as is."""
    roll = rng.random()
    if roll < 0.06:
        return name.replace("-", "_")
    if roll < 0.10:
        return "-".join(part.capitalize() for part in name.split("-"))
    return name


def _names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    seen: dict[str, None] = {}
    pool = list(_REAL)
    rng.shuffle(pool)
    for name in pool[: max(count // 3, min(count, 12))]:
        seen[name] = None
        names.append(name)
    attempts = 0
    while len(names) < count:
        attempts += 1
        name = rng.choice(_PREFIXES) + rng.choice(_STEMS) + rng.choice(_SUFFIXES)
        if attempts > count * 4:  # the word lists are exhausted: number the rest, like "raven-core2"
            name += str(rng.randint(2, 99))
        name = re.sub(r"[-_.]+", "-", name).lower()
        if name not in seen:
            seen[name] = None
            names.append(name)
    return names


def _version(rng: random.Random) -> str:
    major = rng.choice((0, 0, 1, 1, 1, 2, 2, 3, 4, 5, 7, 12, 24, 2025))
    if major == 2025:
        return f"{major}.{rng.randint(1, 12)}.{rng.randint(1, 28)}"
    return f"{major}.{rng.randint(0, 30)}.{rng.randint(0, 15)}"


def _wheel_count(rng: random.Random) -> tuple[int, bool]:
    roll = rng.random()
    if roll < 0.76:
        return 1, True
    if roll < 0.82:
        return rng.randint(2, 8), True
    if roll < 0.97:
        return rng.randint(10, 40), True
    return 0, True  # sdist only


def _pick_targets(rng: random.Random, i: int, n: int, k: int, popular: list[int]) -> list[int]:
    targets: list[int] = []
    tries = 0
    while len(targets) < k and tries < k * 6:
        tries += 1
        # A popular leaf, or a node biased towards nearby ones: real graphs are layered, not uniform.
        popular_pick = bool(popular) and rng.random() < 0.3
        j = rng.choice(popular) if popular_pick else i + 1 + int((n - i - 1) * rng.random() ** 1.6)
        if i < j < n and j not in targets:
            targets.append(j)
    return sorted(targets)


def build_graph(n: int, seed: int) -> Graph:
    """Build an ``n``-node DAG (edges go from lower to higher index), reachable from the root."""
    if n < 1:
        raise ValueError("a graph needs at least one package")
    rng = random.Random(seed)
    names = _names(rng, n)
    popular = list(range(max(1, n - max(3, n // 50)), n))
    nodes: list[Node] = []
    for name in names:
        wheels, sdist = _wheel_count(rng)
        nodes.append(
            Node(
                name=name,
                version=_version(rng),
                wheels=wheels,
                sdist=sdist,
                description=rng.choice(_DESCRIPTIONS),
                requires_python=rng.choice((">=3.8", ">=3.9", ">=3.10", "*", ">=3.7")),
            )
        )
    for i, node in enumerate(nodes):
        k = rng.choices(range(len(_FAN_OUT_WEIGHTS)), weights=_FAN_OUT_WEIGHTS)[0]
        for j in _pick_targets(rng, i, n, k, popular):
            marker = rng.choice(MARKERS) if rng.random() < 0.06 else None
            node.deps.append(Dep(j, marker))
    # A few packages carry extras (optional dependencies) of their own.
    for i, node in enumerate(nodes):
        if i < n - 3 and rng.random() < 0.04:
            for extra in sorted(rng.sample(_EXTRA_NAMES, rng.randint(1, 2))):
                node.extras[extra] = [Dep(j) for j in _pick_targets(rng, i, n, rng.randint(1, 2), [])]
    # Some edges ask for one of their target's extras.
    for node in nodes:
        for dep in node.deps:
            if nodes[dep.target].extras and rng.random() < 0.3:
                dep.extras = (sorted(nodes[dep.target].extras)[0],)
    # A few packages are locked at two versions, split on the Python version.
    for i in rng.sample(range(n), min(n, max(1, n // 1000))):
        major = int(nodes[i].version.split(".")[0])
        nodes[i].alt_version = f"{major + 1}.0.{rng.randint(0, 5)}"
    n_direct = max(1, min(60, n // 80 + 3))
    direct = [Dep(i) for i in range(min(n_direct, n))]
    dev_start = min(n - 1, n_direct + (n - n_direct) // 3)
    dev = {
        "dev": [Dep(j) for j in sorted(rng.sample(range(dev_start, n), min(6, n - dev_start)))],
        "lint": [Dep(j) for j in sorted(rng.sample(range(dev_start, n), min(2, n - dev_start)))],
    }
    root_extras: dict[str, list[Dep]] = {}
    if n > n_direct + 4:
        root_extras["postgres"] = [Dep(n_direct)]
        root_extras["redis"] = [Dep(n_direct + 1, "sys_platform != 'win32'")]
    graph = Graph(nodes=nodes, direct=direct, root_extras=root_extras, dev=dev, seed=seed)
    _attach_orphans(rng, graph)
    return graph


def _attach_orphans(rng: random.Random, graph: Graph) -> None:
    """Give every unreachable node a dependant, so a lock holds no package nobody needs."""
    nodes = graph.nodes
    reached = [m or d or e for m, d, e in graph.groups()]
    for j in range(len(nodes)):
        if reached[j]:
            continue
        lo = max(0, j - 40)
        candidates = [i for i in range(lo, j) if reached[i] and len(nodes[i].deps) < 8] or [
            i for i in range(j) if reached[i]
        ]
        if not candidates:
            graph.direct.append(Dep(j))
        else:
            parent = nodes[rng.choice(candidates)]
            parent.deps.append(Dep(j))
            parent.deps.sort(key=lambda d: d.target)
        # Everything j reaches is reachable now; stop at nodes already known (keeps this O(edges)).
        stack = [j]
        while stack:
            k = stack.pop()
            if reached[k] and k != j:
                continue
            reached[k] = True
            stack.extend(d.target for d in nodes[k].deps)
            stack.extend(d.target for deps in nodes[k].extras.values() for d in deps)
