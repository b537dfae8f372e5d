"""Unit tests of the one condition grammar: each selector, filter and combinator, hit and miss."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.graph import ProjectGraph
from auditor.merge import build_graph
from auditor.model import DEV, MAIN, Edge, Package, ProjectDecl, Provenance, ResolveResult, canonical_name
from auditor.policy.conditions import ConditionError, compile_condition


def graph(
    direct: dict[str, tuple[str, str]],
    transitive: dict[str, tuple[str, str]] | None = None,
    requires_python: str | None = ">=3.11",
    ecosystems: dict[str, str] | None = None,
    extra_versions: dict[str, str] | None = None,
    locked: bool = True,
    order: random.Random | None = None,
) -> ProjectGraph:
    """A small graph: ``direct`` name -> (version, scope); transitive ones hang off the first direct one."""
    transitive = transitive or {}
    ecosystems = ecosystems or {}
    packages, edges = [], []
    first = next(iter(direct), None)
    for n, (name, (version, scope)) in enumerate({**direct, **transitive}.items(), start=2):
        at = Provenance("lock.txt", n, 1, f"{name}=={version}")
        packages.append(
            Package(canonical_name(name), version, at, ecosystem=ecosystems.get(name, "pypi"), scopes={scope})
        )
        parent = None if name in direct else canonical_name(first or "")
        edges.append(
            Edge(
                parent,
                canonical_name(name),
                specifier=f"=={version}",
                scope=scope,
                provenance=at,
                ecosystem=ecosystems.get(name, "pypi"),
            )
        )
    for name, version in (extra_versions or {}).items():
        packages.append(
            Package(canonical_name(name), version, Provenance("lock.txt", 99, 1, ""), scopes={MAIN})
        )
    if order is not None:
        order.shuffle(packages)
        order.shuffle(edges)
    decl = ProjectDecl(canonical_name("proj"), requires_python=requires_python)
    result = ResolveResult(
        "lock.txt",
        "uv-lock" if locked else "requirements",
        "lock" if locked else "manifest",
        [decl],
        packages,
        edges,
    )
    return build_graph(".", [result])


def fires(table: dict[str, object], g: ProjectGraph) -> list[list[str]]:
    return [[p.name for p in m.packages] for m in compile_condition(table).evaluate(g)]


BASE = graph(
    {"django": ("5.1", MAIN), "pytest": ("8.0", DEV), "celery": ("5.4", "optional:tasks")},
    {"asgiref": ("3.8", MAIN)},
)


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ({"present": ["django", "flask"]}, [["django"]]),
        ({"present": ["flask"]}, []),
        ({"present": ["Django"]}, [["django"]]),  # names are normalized (PEP 503)
        ({"all-present": ["django", "celery"]}, [["django", "celery"]]),
        ({"all-present": ["django", "flask"]}, []),
        ({"absent": ["django-ratelimit"]}, [[]]),
        ({"absent": ["django"]}, []),
        ({"more-than-one-of": ["django", "celery", "flask"]}, [["django", "celery"]]),
        ({"more-than-one-of": ["django", "flask"]}, []),
        ({"present": ["django"], "version": ">=5"}, [["django"]]),
        ({"present": ["django"], "version": "<5"}, []),
        ({"present": ["asgiref"]}, [["asgiref"]]),
        ({"present": ["asgiref"], "direct-only": True}, []),
        ({"present": ["pytest"], "scopes": ["runtime"]}, []),
        ({"present": ["pytest"], "scopes": ["dev"]}, [["pytest"]]),
        ({"present": ["celery"], "scopes": ["runtime"]}, [["celery"]]),
        ({"present": ["celery"], "scopes": ["main"]}, []),
        ({"present": ["celery"], "scopes": ["optional:tasks"]}, [["celery"]]),
        ({"requires-python": {"admits-any": ["3.12"]}}, []),
        ({"requires-python": {"admits-any": ["3.10"]}}, [[]]),
        ({"requires-python": {"lowest-at-least": "3.12"}}, [[]]),
        ({"requires-python": {"only-at-least": "3.9"}}, [[]]),
        ({"requires-python": {"only-at-least": "3.12"}}, []),
        ({"all": [{"present": ["django"]}, {"absent": ["flask"]}]}, [["django"]]),
        ({"all": [{"present": ["django"]}, {"present": ["flask"]}]}, []),
        ({"any": [{"present": ["flask"]}, {"present": ["celery"]}]}, [["celery"]]),
        ({"any": [{"present": ["flask"]}, {"present": ["bottle"]}]}, []),
        ({"not": {"present": ["flask"]}}, [[]]),
        ({"not": {"present": ["django"]}}, []),
    ],
)
def test_condition(table: dict[str, object], expected: list[list[str]]) -> None:
    """Each selector, filter and combinator fires (or not) exactly as the grammar says."""
    assert fires(table, BASE) == expected


def test_ecosystem_filter() -> None:
    """Non-PyPI components match only with their purl type (or ``*``)."""
    g = graph({"left-pad": ("1.3.0", MAIN), "django": ("5.1", MAIN)}, ecosystems={"left-pad": "npm"})
    assert fires({"present": ["left-pad"]}, g) == []
    assert fires({"present": ["left-pad"], "ecosystem": "npm"}, g) == [["left-pad"]]
    assert fires({"present": ["left-pad"], "ecosystem": "*"}, g) == [["left-pad"]]


def test_duplicate_versions() -> None:
    """A package recorded at two versions fires once; single versions do not."""
    g = graph({"urllib3": ("2.5.0", MAIN), "idna": ("3.7", MAIN)}, extra_versions={"urllib3": "1.26.20"})
    assert fires({"duplicate-versions": True}, g) == [["urllib3"]]


def test_requirement_kinds() -> None:
    """pinned / capped / unconstrained read the manifest's specifiers of direct requirements."""
    at = Provenance("pyproject.toml", 5, 1, "")
    edges = [
        Edge(None, canonical_name("a"), "==1.0", provenance=at),
        Edge(None, canonical_name("b"), ">=1,<2", provenance=at),
        Edge(None, canonical_name("c"), "", provenance=at),
        Edge(None, canonical_name("d"), ">=1", provenance=at),
    ]
    manifest = ResolveResult(
        "pyproject.toml", "pyproject", "manifest", [ProjectDecl(canonical_name("p"))], [], edges
    )
    g = build_graph(".", [manifest])
    assert fires({"requirement": "pinned"}, g) == [["a"]]
    assert fires({"requirement": "capped"}, g) == [["b"]]
    assert fires({"requirement": "unconstrained"}, g) == [["c"]]


def test_unpinned_needs_lockless_requirements_file() -> None:
    """``unpinned`` fires for a range in a lock-less requirements file, not in pyproject.toml."""
    edges = [
        Edge(
            None, canonical_name("flask"), ">=3", provenance=Provenance("requirements.txt", 1, 1, "flask>=3")
        )
    ]
    req = ResolveResult("requirements.txt", "requirements", "manifest", [], [], edges)
    assert fires({"unpinned": True}, build_graph(".", [req])) == [["flask"]]
    edges = [Edge(None, canonical_name("flask"), ">=3", provenance=Provenance("pyproject.toml", 1, 1, ""))]
    manifest = ResolveResult(
        "pyproject.toml", "pyproject", "manifest", [ProjectDecl(canonical_name("p"))], [], edges
    )
    assert fires({"unpinned": True}, build_graph(".", [manifest])) == []


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({}, "needs exactly one of"),
        ({"present": ["a"], "absent": ["b"]}, "needs exactly one of"),
        ({"present": []}, "non-empty array"),
        ({"present": ["a"], "bogus": 1}, "unknown key 'bogus'"),
        ({"present": ["a"], "version": "not a spec"}, "invalid version specifier"),
        ({"all": []}, "non-empty array"),
        ({"requirement": "loose"}, "must be one of"),
        ({"requires-python": {"newest": "3.12"}}, "takes admits-any"),
        ({"duplicate-versions": False}, "must be true"),
    ],
)
def test_invalid_conditions(table: dict[str, object], message: str) -> None:
    """A malformed condition is rejected with a message naming the problem."""
    with pytest.raises(ConditionError, match=message):
        compile_condition(table)


NAMES = ["django", "flask", "fastapi", "celery", "rq", "pytest", "requests", "httpx", "asgiref", "urllib3"]
TABLES = [
    {"more-than-one-of": ["django", "flask", "fastapi"]},
    {"present": NAMES, "scopes": ["runtime"]},
    {"all": [{"present": ["django"]}, {"absent": ["flask"]}]},
    {"all-present": ["celery", "rq"]},
    {"duplicate-versions": True},
    {"present": ["urllib3"], "direct-only": True},
]


@pytest.mark.property
@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(st.sampled_from(NAMES[:6]), st.sampled_from([MAIN, DEV]), min_size=1),
    st.dictionaries(st.sampled_from(NAMES[6:]), st.sampled_from([MAIN, DEV])),
    st.randoms(use_true_random=False),
)
def test_order_independent(direct: dict[str, str], transitive: dict[str, str], rnd: random.Random) -> None:
    """Shuffled graph input (package and edge order) gives the same matches for every condition."""
    d = {name: ("1.0", scope) for name, scope in direct.items()}
    t = {name: ("2.0", scope) for name, scope in transitive.items()}
    reference = graph(d, t)
    shuffled = graph(d, t, order=rnd)
    for table in TABLES:
        assert sorted(map(sorted, fires(table, reference))) == sorted(map(sorted, fires(table, shuffled)))


@pytest.mark.property
@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(st.sampled_from(NAMES[:6]), st.sampled_from([MAIN, DEV]), min_size=1),
    st.dictionaries(st.sampled_from(NAMES[6:]), st.sampled_from([MAIN, DEV])),
    st.randoms(use_true_random=False),
)
def test_evaluation_order_independent(
    direct: dict[str, str], transitive: dict[str, str], rnd: random.Random
) -> None:
    """Every shipped rule and a profile give the same findings, in the same order, on shuffled input."""
    from auditor.policy.catalog import load_catalog
    from auditor.policy.evaluate import evaluate
    from auditor.policy.profiles import load_profile
    from auditor.policy.rules import load_rules

    d = {name: ("1.0", scope) for name, scope in direct.items()}
    t = {name: ("2.0", scope) for name, scope in transitive.items()}
    catalog, rules, profile = load_catalog(), load_rules(), load_profile("django-monolith")

    def key(g: ProjectGraph) -> list[tuple[str, str | None, str]]:
        return [(f.rule_id, f.package, f.message) for f in evaluate(g, profile, catalog, rules).findings]

    assert key(graph(d, t)) == key(graph(d, t, order=rnd))


def test_requirement_ignores_requirements_files() -> None:
    """A library's pinned dev requirements.txt does not make its pyproject ranges count as pins."""
    meta = Edge(None, canonical_name("attrs"), ">=23", provenance=Provenance("pyproject.toml", 5, 1, ""))
    pin = Edge(None, canonical_name("attrs"), "==23.2.0", provenance=Provenance("requirements.txt", 1, 1, ""))
    manifest = ResolveResult(
        "pyproject.toml", "pyproject", "manifest", [ProjectDecl(canonical_name("p"))], [], [meta]
    )
    req = ResolveResult("requirements.txt", "requirements", "manifest", [], [], [pin])
    g = build_graph(".", [manifest, req])
    assert fires({"requirement": "pinned"}, g) == []
    assert fires({"unpinned": True}, g) == []  # the requirements file pins it


def _python_outside_with_packaging(requires_python: str, rule: dict[str, object]) -> bool:
    """The requires-python judgement written with packaging alone: the reference for the fast one."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    from auditor.policy.conditions import KNOWN_PYTHONS

    def version(text: object) -> Version | None:
        try:
            return Version(str(text))
        except (InvalidVersion, ValueError):
            return None

    try:
        spec = SpecifierSet(requires_python)
    except InvalidSpecifier:
        return True
    known = [v for v in (version(p) for p in KNOWN_PYTHONS) if v is not None]
    admitted = [v for v in known if spec.contains(v, prereleases=True)]
    wanted = [version(v) for v in rule.get("admits-any", [])]  # type: ignore[attr-defined]
    if wanted and not any(v in admitted for v in wanted):
        return True
    lowest = version(rule["lowest-at-least"]) if rule.get("lowest-at-least") else None
    if lowest and admitted and min(admitted) < lowest:
        return True
    floor = version(rule["only-at-least"]) if rule.get("only-at-least") else None
    return bool(floor and admitted and min(admitted) >= floor)


PYTHON_VERSIONS = st.sampled_from(["3.8", "3.10", "3.11", "3.11.0", "3.12", "3.13", "3.9.1", "3.*", "3.11rc1", "x"])
REQUIRES_PYTHON = st.lists(
    st.builds(
        "".join,
        st.tuples(st.sampled_from([">=", "<", "==", "!=", "~=", ">", "<=", ""]), PYTHON_VERSIONS),
    ),
    min_size=1,
    max_size=3,
).map(",".join)


@settings(max_examples=500, deadline=None)
@given(
    REQUIRES_PYTHON,
    st.fixed_dictionaries(
        {},
        optional={
            "admits-any": st.lists(PYTHON_VERSIONS, min_size=1, max_size=2),
            "lowest-at-least": PYTHON_VERSIONS,
            "only-at-least": PYTHON_VERSIONS,
        },
    ),
)
def test_requires_python_judgement_matches_packaging(requires_python: str, rule: dict[str, object]) -> None:
    """The requires-python check (integer tuples where it can) decides exactly as packaging would."""
    from auditor.policy.conditions import _python_outside

    assert _python_outside(requires_python, rule) == _python_outside_with_packaging(requires_python, rule)
