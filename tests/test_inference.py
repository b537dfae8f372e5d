"""Profile inference: a deterministic ranking with reasons; a fit needs the framework; no fit is said."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.audit import AuditOptions, audit
from auditor.errors import ConfigError
from auditor.policy.catalog import load_catalog
from auditor.policy.infer import choose, choose_profile, rank_profiles
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


def test_absent_identity_cannot_win() -> None:
    """A Django project without django-ninja: django-ninja-async does not fit, however many generic entries
    it matches (httpx, pydantic, uvicorn), so django-monolith wins (issue 16: paperless-ngx, healthchecks)."""
    graph = _graph("fastapi-on-django")
    catalog = load_catalog()
    django = [p for p in PROFILES if p.name in ("django-monolith", "django-ninja-async")]
    ranking = rank_profiles(graph, django, catalog)
    ninja = next(fit for fit in ranking if fit.name == "django-ninja-async")
    assert not ninja.fits and ninja.missing_identity == ("api_layer (django-ninja)",)
    assert ranking[0].name == "django-monolith" and ranking[0].fits


def test_tie_is_reported(tmp_path: Path) -> None:
    """Two unrelated profiles with the same identity and score: a tie, with the runner-up and what decides it."""
    twin = tmp_path / "twin.json"
    data = json.loads((ROOT / "profiles" / "django-monolith.json").read_text())
    data["profile_name"] = "acme-django"
    twin.write_text(json.dumps(data))
    candidates = [load_profile("django-monolith"), load_profile(str(twin))]
    choice = choose(_graph("django-monolith"), None, candidates, load_catalog())
    assert choice.inference.status == "tie"
    assert choice.profile is not None and choice.profile.name == "acme-django"  # by name, but said
    assert choice.inference.runner_up == "django-monolith" and choice.inference.margin == 0
    assert "tied with django-monolith" in choice.reason and "to decide" in choice.inference.decided_by


def test_child_beats_parent_only_on_what_it_adds(tmp_path: Path) -> None:
    """A profile extending django-monolith that adds nothing found in the dependencies does not win by name;
    one whose own entry is satisfied does."""
    idle = tmp_path / "aaa-idle.json"
    idle.write_text('{"profile_name": "aaa-idle", "extends": "django-monolith", "stack": {"search": "polars"}}')
    parent = load_profile("django-monolith")
    graph = _graph("django-monolith")
    choice = choose(graph, None, [parent, load_profile(str(idle))], load_catalog())
    assert choice.profile is not None and choice.profile.name == "django-monolith"
    busy = tmp_path / "zzz-busy.json"
    busy.write_text(
        '{"profile_name": "zzz-busy", "extends": "django-monolith", "stack": {"api": "django-rest-framework"}}'
    )
    choice = choose(graph, None, [parent, load_profile(str(busy))], load_catalog())
    assert choice.profile is not None and choice.profile.name == "zzz-busy"
    assert choice.inference.runner_up == "django-monolith" and choice.inference.margin == 1
    assert choice.inference.status == "narrow"


def test_language_outside_is_not_credited(tmp_path: Path) -> None:
    """A requires-python outside the profile's language entry scores nothing (the run flags it instead)."""
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nversion = "1"\nrequires-python = ">=3.14"\ndependencies = ["django>=5,<6"]\n'
    )
    report = audit(tmp_path, AuditOptions(use_config=False, explain_profile=True))
    reason = report.projects[0].profile_reason
    assert "language: python-3.11-or-3.12" not in reason
    assert "framework: django" in reason


def test_default_profile_first_when_it_fits() -> None:
    """The org's default profile is chosen when its identity is present, and inference runs when it is not."""
    report = audit(EXAMPLES / "django-monolith", AuditOptions(use_config=False, default_profile="django-ninja-async"))
    project = report.projects[0]
    assert project.profile == "django-monolith"
    assert project.profile_reason.startswith("the default profile django-ninja-async does not fit (api_layer")
    report = audit(EXAMPLES / "fastapi-service", AuditOptions(use_config=False, default_profile="fastapi-python"))
    assert report.projects[0].profile == "fastapi-python"
    assert report.projects[0].inference is not None and report.projects[0].inference.status == "given"


def test_inference_is_filled_and_rendered() -> None:
    """ProjectReport.inference carries status, runner-up and margin; JSON and SARIF show it."""
    report = audit(EXAMPLES / "django-monolith", AuditOptions(use_config=False))
    inference = report.projects[0].inference
    assert inference is not None and inference.status in ("inferred", "narrow")
    json_renderer, sarif_renderer = by_name("json"), by_name("sarif")
    assert json_renderer is not None and sarif_renderer is not None
    data = json.loads(json_renderer.render(report, RenderOptions()))
    assert data["projects"][0]["inference"]["status"] == inference.status
    sarif = json.loads(sarif_renderer.render(report, RenderOptions()))
    shown = sarif["runs"][0]["properties"]["profiles"][0]
    assert shown["profile"] == "django-monolith" and shown["inference"]["status"] == inference.status


def test_forced_profile_skips_inference() -> None:
    """A profile given on the command line or in the config is used as is."""
    forced = load_profile("python-library")
    chosen, reason = choose_profile(_graph("flask-greenfield"), forced, PROFILES, load_catalog(), explain=True)
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
        f"{path}:4: unknown stack token 'carrier-pigeon' in 'queue' (no catalog entry): not checkable" in report.notices
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
