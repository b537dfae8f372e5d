"""Profile inference: a deterministic ranking with reasons; a fit needs the framework; no fit is said."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.audit import AuditOptions, audit
from auditor.errors import ConfigError
from auditor.policy.catalog import load_catalog
from auditor.policy.infer import choose_profile, rank_profiles
from auditor.policy.profiles import load_profile, profile_names
from auditor.render import RenderOptions, by_name

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
PROFILES = [load_profile(name) for name in profile_names()]

EXPECTED = {
    "django-monolith": "django-monolith",
    "drf-no-ratelimit": "django-monolith",
    "fastapi-on-django": "django-monolith",
    "django-transitive": "fastapi-python",
    "fastapi-psycopg2": "fastapi-python",
    "fastapi-service": "fastapi-python",
    "flask-greenfield": "flask-legacy",
}


@pytest.mark.parametrize(("example", "profile"), sorted(EXPECTED.items()))
def test_examples_infer(example: str, profile: str) -> None:
    """Each example infers the profile its README describes (flask-greenfield: the only Flask profile)."""
    report = audit(EXAMPLES / example, AuditOptions(use_config=False))
    assert report.projects[0].profile == profile


def test_ranking_is_deterministic_and_reasoned() -> None:
    """The ranking does not depend on the order profiles are given in, and every fit names its framework."""
    report_graph = _graph("fastapi-on-django")
    catalog = load_catalog()
    forward = rank_profiles(report_graph, PROFILES, catalog)
    backward = rank_profiles(report_graph, list(reversed(PROFILES)), catalog)
    assert forward == backward
    for fit in forward:
        if fit.fits:
            assert any(reason.startswith("framework:") for reason in fit.reasons)


def test_tie_is_reported() -> None:
    """Two profiles with the same best score: the first by name wins and the reason says it was a tie."""
    graph = _graph("fastapi-on-django")
    catalog = load_catalog()
    django = [p for p in PROFILES if p.name in ("django-monolith", "django-ninja-async")]
    ranking = rank_profiles(graph, django, catalog)
    chosen, reason = choose_profile(graph, None, django, catalog, explain=False)
    assert chosen is not None and chosen.name == ranking[0].name
    if ranking[0].score == ranking[1].score:
        assert "tied with" in reason


def test_forced_profile_skips_inference() -> None:
    """A profile given on the command line or in the config is used as is."""
    forced = load_profile("python-library")
    chosen, reason = choose_profile(
        _graph("flask-greenfield"), forced, PROFILES, load_catalog(), explain=True
    )
    assert chosen is forced and "given" in reason


def test_unknown_tokens_are_notices(tmp_path: Path) -> None:
    """A forced profile with a token and a key the catalog does not know: both are reported, with lines."""
    path = tmp_path / "odd.json"
    path.write_text(
        '{\n  "profile_name": "odd",\n  "stack": {\n    "queue": "carrier-pigeon"\n  },\n'
        '  "anti_recommendations": {\n    "using-cobol": "kill — no"\n  }\n}\n'
    )
    report = audit(EXAMPLES / "flask-greenfield", AuditOptions(profile=str(path), use_config=False))
    assert (
        f"{path}:4: unknown stack token 'carrier-pigeon' in 'queue' (no catalog entry): not checkable"
        in report.notices
    )
    assert any("unknown anti-recommendation key 'using-cobol'" in n for n in report.notices)


def test_catalog_errors_are_located(tmp_path: Path) -> None:
    """A catalog.toml in a rules dir with an unknown key fails with its file and line."""
    from auditor.policy.catalog import load_catalog as load

    (tmp_path / "catalog.toml").write_text('[tokens.x]\nsummary = "x"\npackage = ["x"]\n')
    with pytest.raises(ConfigError, match=r"catalog.toml:3: tokens.x.package: unknown key .package."):
        load([tmp_path])


def test_sarif_with_suppressions_passes_schema() -> None:
    """SARIF of a report with suppressed findings and rule-file rules passes the official 2.1.0 schema."""
    schema_path = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
    if not schema_path.is_file():
        pytest.skip("shared schemas absent: ../shared/schemas not found")
    import jsonschema

    report = audit(ROOT / "tests" / "fixtures" / "policy" / "configured-warn", AuditOptions())
    renderer = by_name("sarif")
    assert renderer is not None
    sarif = json.loads(renderer.render(report, RenderOptions()))
    jsonschema.validate(sarif, json.loads(schema_path.read_text()))
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["SA106"]["helpUri"].endswith("docs/rules/SA106.md")


def _graph(example: str):  # type: ignore[no-untyped-def]
    from auditor.audit import load_project_graphs

    _root, projects = load_project_graphs(EXAMPLES / example, AuditOptions())
    return projects[0].graph


def test_flask_greenfield_under_fastapi_policy() -> None:
    """The decision documented in flask-legacy: a team that starts new services on FastAPI sets that profile,
    and then the new Flask app fails on flask-for-new-projects."""
    report = audit(EXAMPLES / "flask-greenfield", AuditOptions(profile="fastapi-python", use_config=False))
    found = {f.rule_id: f for f in report.findings}
    assert found["fastapi-python/flask-for-new-projects"].severity.value == "error"


@pytest.mark.parametrize("name", profile_names())
def test_shipped_profiles_use_only_known_tokens(name: str) -> None:
    """Every token and key of every shipped profile has a catalog entry."""
    from auditor.explain import profile_check
    from auditor.policy.profiles import shipped_profiles

    assert profile_check(shipped_profiles()[name]) == []


def test_catalog_token_types_are_checked(tmp_path: Path) -> None:
    """A token whose packages is a string (not a list) is rejected, not split into characters."""
    (tmp_path / "catalog.toml").write_text('[tokens.x]\nsummary = "x"\npackages = "django"\n')
    with pytest.raises(ConfigError, match=r"catalog.toml:3: tokens.x.packages: must be an array"):
        load_catalog([tmp_path])
