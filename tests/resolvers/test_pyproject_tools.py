"""``[tool.poetry]`` and ``[tool.pdm]`` tables of pyproject.toml: edges, scopes, lines, errors."""

from __future__ import annotations

import pytest
import tomli

from auditor.errors import InputError
from auditor.model import DEV, MAIN, Edge, ProjectDecl, Skipped
from auditor.resolvers.base import LineIndex
from auditor.resolvers.pyproject_tools import pdm_dependencies, poetry_dependencies

POETRY = """\
[tool.poetry]
name = "My_App"
version = "1.0.0"

[tool.poetry.dependencies]
python = "^3.9"
Django = "^4.2"
"zope.interface" = "~5.1"
celery = {version = ">=5.3", extras = ["redis"], markers = "sys_platform != 'win32'"}
redis = { version = "^5", optional = true }
orphan = {version = "*", optional = true}
legacy = ">=1,<2 || >3"
numpy = [
    {version = "<2", python = "<3.10"},
    {version = ">=2", python = ">=3.10"},
]
mylib = {path = "libs/mylib", develop = true}
plugin = {git = "https://github.com/example/plugin.git", tag = "v1"}

[tool.poetry.dependencies.requests]
version = "2.31.0"
platform = "linux"

[tool.poetry.dev-dependencies]
pytest = "^8"

[tool.poetry.group.docs.dependencies]
sphinx = ">=7"

[tool.poetry.group.Dev.dependencies]
ruff = "*"

[tool.poetry.extras]
cache = ["redis"]
"""


def _poetry(text: str = POETRY) -> tuple[ProjectDecl | None, list[Edge], list[Skipped]]:
    return poetry_dependencies(tomli.loads(text), LineIndex(text), "pyproject.toml")


def test_poetry_project_and_python() -> None:
    """``[tool.poetry]`` name/version and ``python = "^3.9"`` become a ProjectDecl with a PEP 440 range."""
    project, _edges, _skipped = _poetry()
    assert project is not None
    assert (project.name, project.version, project.requires_python) == ("my-app", "1.0.0", ">=3.9,<4")
    assert project.requires_python_at is not None and project.requires_python_at.line == 6
    assert (
        project.dependencies_at is not None and project.dependencies_at.text == "[tool.poetry.dependencies]"
    )
    assert project.provenance is not None and project.provenance.line == 2


def test_poetry_edges_scopes_and_lines() -> None:
    """Each dependency is an edge at its own line, in main/optional/dev/group scopes, PEP 440 specifiers."""
    _project, edges, _skipped = _poetry()
    by = {(e.child, e.specifier): e for e in edges}
    lines = POETRY.splitlines()
    for edge in edges:
        assert edge.provenance is not None
        assert lines[edge.provenance.line - 1].strip() == edge.provenance.text
    assert by[("django", ">=4.2,<5")].scope == MAIN
    zope = by[("zope-interface", ">=5.1,<5.2")].provenance
    assert zope is not None and zope.line == 8
    celery = by[("celery", ">=5.3")]
    assert (celery.extras, celery.marker) == (("redis",), "sys_platform != 'win32'")
    assert by[("redis", ">=5,<6")].scope == "optional:cache"
    assert [e.marker for e in edges if e.child == "numpy"] == [
        "python_version < '3.10'",
        "python_version >= '3.10'",
    ]
    assert by[("mylib", "")].source == "editable" and by[("plugin", "")].source == "vcs"
    requests = by[("requests", "==2.31.0")]
    assert requests.marker == "sys_platform == 'linux'"
    assert requests.provenance is not None
    assert requests.provenance.text == "[tool.poetry.dependencies.requests]"
    assert by[("pytest", ">=8,<9")].scope == DEV
    assert by[("sphinx", ">=7")].scope == "group:docs"
    assert by[("ruff", "")].scope == DEV
    assert "python" not in {e.child for e in edges}


def test_poetry_skipped() -> None:
    """What cannot be judged is kept as Skipped: a ``||`` union, an optional dependency in no extra."""
    _project, edges, skipped = _poetry()
    assert {(s.name, s.reason) for s in skipped} == {
        ("legacy", "Poetry constraint '>=1,<2 || >3' has no PEP 440 form"),
        ("orphan", "optional dependency listed in no [tool.poetry.extras]"),
    }
    assert ("legacy", "") in {(e.child, e.specifier) for e in edges}
    assert "orphan" not in {e.child for e in edges}


def test_poetry_inline_table_lines() -> None:
    """Dependencies written inside an inline table point at their own key, not the table line."""
    text = '[tool.poetry]\nname = "x"\ndependencies = { python = "^3.11", "requests" = "^2" }\n'
    project, edges, _ = _poetry(text)
    assert project is not None and project.requires_python == ">=3.11,<4"
    assert edges[0].provenance is not None and edges[0].provenance.line == 3
    assert edges[0].provenance.column > 30


def test_poetry_dotted_keys_and_group_inline_table_lines() -> None:
    """Dotted keys point at their first line; keys of a group's inline table at their own column."""
    text = (
        '[tool.poetry.dependencies]\npython = "^3.11"\nrequests.version = "^2"\nrequests.extras = ["socks"]\n'
        '\n[tool.poetry.group.dev]\ndependencies = { pytest = "^8", requests = "*" }\n'
    )
    _project, edges, _ = _poetry(text)
    got = [(e.child, e.scope, e.extras, e.provenance.line if e.provenance else 0) for e in edges]
    assert got == [("requests", MAIN, ("socks",), 3), ("pytest", DEV, (), 7), ("requests", DEV, (), 7)]
    columns = [e.provenance.column for e in edges if e.provenance]
    assert columns[1] < columns[2]


def test_no_poetry_table() -> None:
    """A pyproject without ``[tool.poetry]`` gives nothing."""
    assert _poetry('[project]\nname = "x"\n') == (None, [], [])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[tool.poetry]\ndependencies = 3\n",
            "pyproject.toml:2: [tool.poetry.dependencies] must be a table, not int",
        ),
        (
            "[tool.poetry.dependencies]\nrequests = {version = 2}\n",
            "pyproject.toml:2: 'version' of dependency 'requests' must be a string",
        ),
        (
            "[tool.poetry.dependencies]\nrequests = 2\n",
            "pyproject.toml:2: dependency 'requests' must be a constraint string or a table",
        ),
        (
            '[tool.poetry.extras]\nx = "redis"\n',
            "pyproject.toml:2: tool.poetry.extras.x must be an array of names",
        ),
    ],
)
def test_poetry_errors(text: str, message: str) -> None:
    """Wrong types give a located InputError naming the table or key."""
    with pytest.raises(InputError) as raised:
        _poetry(text)
    assert str(raised.value) == message


PDM = """\
[tool.pdm]
distribution = false

[tool.pdm.dev-dependencies]
test = [
    "pytest>=7",
    # a comment between elements
    "pytest-cov; python_version >= '3.9'",
]
"Lint" = ["ruff"]
dev = ["-e file:///${PROJECT_ROOT}/libs/core#egg=core-lib"]
"""


def test_pdm_dev_dependency_groups() -> None:
    """``[tool.pdm.dev-dependencies]`` keys are group scopes; each string's own line is its provenance."""
    edges = pdm_dependencies(tomli.loads(PDM), LineIndex(PDM), "pyproject.toml")
    got = [(e.child, e.specifier, e.scope, e.provenance.line if e.provenance else 0) for e in edges]
    assert got == [
        ("pytest", ">=7", "group:test", 6),
        ("pytest-cov", "", "group:test", 8),
        ("ruff", "", "group:lint", 10),
        ("core-lib", "", DEV, 11),
    ]
    assert edges[1].marker == 'python_version >= "3.9"'
    assert edges[3].source == "editable"


def test_pdm_errors_and_absence() -> None:
    """An unreadable requirement is a located error; no ``[tool.pdm]`` gives no edges."""
    text = '[tool.pdm.dev-dependencies]\ntest = [\n  "pytest>>7",\n]\n'
    with pytest.raises(InputError) as raised:
        pdm_dependencies(tomli.loads(text), LineIndex(text), "pyproject.toml")
    assert str(raised.value).startswith("pyproject.toml:3: invalid requirement 'pytest>>7'")
    assert pdm_dependencies({"project": {}}, LineIndex(""), "pyproject.toml") == []
