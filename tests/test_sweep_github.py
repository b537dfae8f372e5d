"""Org sweeps against a fake GitHub on 127.0.0.1: listings, rate limits, ETags, SBOMs, clones, upload."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditor.sweep.github_source import GitHubSource
from tests.sweep_fake_github import CANARY, FakeGitHub, FakeRepo
from tests.sweep_helpers import KINDS, by_name, commit_as, make_repo, sweep

SECRETS = (CANARY.encode(), base64.b64encode(f"x-access-token:{CANARY}".encode()))


@pytest.fixture
def fake(tmp_path: Path) -> Iterator[FakeGitHub]:
    """14 repos in org ``acme``: one of every kind, 2 archived, 1 fork, 1 more; topic ``web`` on three."""
    root = tmp_path / "remotes"
    server = FakeGitHub(root)
    for n in range(10):
        kind = KINDS[n % len(KINDS)]
        name = f"acme/{kind}-{n}"
        make_repo(root / name, kind)
        server.repos[name] = FakeRepo(name, root / name, topics=("python", "web") if n % 4 == 0 else ("python",))
    for name, archived in (("acme/old-1", True), ("acme/old-2", True), ("acme/forked", False)):
        make_repo(root / name, "fastapi-on-django")
        server.repos[name] = FakeRepo(name, root / name, archived=archived, fork=not archived)
    make_repo(root / "acme/topical", "django-monolith")
    server.repos["acme/topical"] = FakeRepo("acme/topical", root / "acme/topical", topics=("python",))
    server.start()
    yield server
    server.stop()


def _environ() -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_TOKEN", "GH_TOKEN")}
    env["GITHUB_TOKEN"] = CANARY
    return env


def _assert_no_canary(out: Path, *texts: str) -> None:
    """The token, raw or as the base64 git header, is nowhere: files (SARIF, summaries, db, clones), logs."""
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in SECRETS:
                assert secret not in data, path
    for text in texts:
        for secret in SECRETS:
            assert secret.decode() not in text


def test_org_sweep_graphql_clones_and_reaudits_only_moved_heads(
    fake: FakeGitHub, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """GraphQL pages, authenticated sparse clones over HTTP, no archived/forks; re-runs audit moved heads."""
    out = tmp_path / "out"
    _run, summary = sweep(out, orgs=("acme",), api_url=fake.api_url, environ=_environ())
    repos = by_name(summary)
    assert set(repos) == {n for n, r in fake.repos.items() if not r.archived and not r.fork}
    assert fake.calls["POST /api/graphql"] == 3  # 11 repos at 5 a page: every cursor followed
    assert repos["acme/monorepo-6"]["head"] == fake.head("acme/monorepo-6")
    assert repos["acme/fastapi-on-django-2"]["findings"]["error"] >= 1
    assert repos["acme/broken-7"]["status"] == "failed"
    assert repos["acme/empty-8"]["status"] == "ok"
    assert (out / "sarif" / "acme__monorepo-6.sarif").is_file()
    assert not (out / ".cache/repos/acme__monorepo-6/src/app.js").exists()  # manifests and Python sources only
    assert fake.git_unauthorized == 0  # every git request carried the header from the environment
    commit_as(fake.repos["acme/django-monolith-0"].path, "fastapi-on-django")
    commit_as(fake.repos["acme/flask-greenfield-5"].path, "django-monolith")
    run2, second = sweep(out, orgs=("acme",), api_url=fake.api_url, environ=_environ())
    assert sorted(run2.audited_names) == ["acme/django-monolith-0", "acme/flask-greenfield-5"]
    assert run2.reused == len(repos) - 2
    new = {c["rule_id"] for c in by_name(second)["acme/django-monolith-0"]["new"]}
    assert "django-monolith/fastapi-on-top-of-django" in new
    _, third = sweep(
        tmp_path / "topic",
        users=("acme",),  # --github-user: the same GraphQL listing (repositoryOwner)
        api_url=fake.api_url,
        environ=_environ(),
        topics=("web",),
        include_archived=True,
        include_forks=True,
    )
    assert {r["name"] for r in third["repos"]} == {n for n, r in fake.repos.items() if "web" in r.topics}
    captured = capfd.readouterr()
    _assert_no_canary(tmp_path, captured.out, captured.err)


def test_rest_fallback_rate_limits_and_etags(
    fake: FakeGitHub, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """GraphQL refused: REST with Link pages; a 429 and an exhausted 403 are waited out; re-runs get 304s."""
    fake.graphql_broken = True
    reset = str(int(time.time()) + 1)
    fake.throttle = [
        ("/api/v3/orgs/acme/repos", {"Retry-After": "1"}),
        ("/api/v3/orgs/acme/repos", {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}),
    ]
    out = tmp_path / "out"
    _run, summary = sweep(out, orgs=("acme",), api_url=fake.api_url, environ=_environ(), jobs=2)
    assert fake.throttle == []  # both throttled answers were met, and the sweep went on
    assert fake.calls["GET /api/v3/orgs/acme/repos"] == 3 + 2
    repos = by_name(summary)
    assert len(repos) == 11 and repos["acme/monorepo-6"]["head"] == fake.head("acme/monorepo-6")
    run2, _ = sweep(out, orgs=("acme",), api_url=fake.api_url, environ=_environ())
    assert fake.not_modified == 3  # every page revalidated with If-None-Match
    assert run2.audited_names == [] and run2.reused == 11
    captured = capfd.readouterr()
    assert "falling back to REST" in captured.err
    _assert_no_canary(tmp_path, captured.out, captured.err)


def test_sbom_export_flow_and_upload(
    fake: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """--via sbom: generate-report, 202, redirect to another host (no token), GHES fallback; --upload."""
    monkeypatch.setattr(GitHubSource, "upload_interval", 0.0)
    fake.sync_only = {"acme/fastapi-psycopg2-4"}
    fake.no_code_scanning = {"acme/fastapi-psycopg2-4"}
    out = tmp_path / "out"
    _run, summary = sweep(
        out,
        orgs=("acme",),
        api_url=fake.api_url,
        environ=_environ(),
        via="sbom",
        topics=("web",),
        upload=True,
    )
    names = {n for n, r in fake.repos.items() if "web" in r.topics and not r.archived and not r.fork}
    assert set(by_name(summary)) == names
    assert fake.calls["GET /api/v3/repos/R/dependency-graph/sbom/generate-report"] == len(names)
    assert fake.calls["GET /api/v3/repos/R/dependency-graph/sbom"] == 1  # the GHES-style repo
    assert len(fake.download_auth) == len(names) - 1 and set(fake.download_auth) == {None}
    saved = out / ".cache/sbom/acme__django-monolith-0/github-dependency-graph.spdx.json"
    assert json.loads(saved.read_text())["spdxVersion"] == "SPDX-2.3"
    assert all(r["status"] == "ok" for r in summary["repos"]), summary["repos"]
    # The export names Django and FastAPI: the SBOM is audited like any SPDX file.
    sbom_rules = {c["rule_id"] for c in by_name(summary)["acme/django-monolith-0"]["new"]}
    assert "django-monolith/fastapi-on-top-of-django" in sbom_rules
    uploads = {u["repo"]: u for u in fake.uploads}
    with_commits = {n for n in names if fake.head(n)}
    assert len(with_commits) == len(names) - 1  # an empty repo has no commit: nothing to upload
    assert set(uploads) == with_commits - fake.no_code_scanning
    first = uploads["acme/django-monolith-0"]
    assert first["commit_sha"] == fake.head("acme/django-monolith-0") and first["ref"] == "refs/heads/main"
    assert first["sarif"]["version"] == "2.1.0"
    refused = by_name(summary)["acme/fastapi-psycopg2-4"]["upload"]
    assert refused.startswith("failed: ") and "Advanced Security" in refused  # recorded; the sweep went on
    accepted = {r["name"] for r in summary["repos"] if (r["upload"] or "").startswith("pending")}
    assert accepted == with_commits - fake.no_code_scanning
    run2, _ = sweep(
        out,
        orgs=("acme",),
        api_url=fake.api_url,
        environ=_environ(),
        via="sbom",
        topics=("web",),
        upload=True,
    )
    assert run2.audited_names == [] and len(fake.uploads) == len(accepted)  # nothing moved: nothing re-sent
    captured = capfd.readouterr()
    _assert_no_canary(tmp_path, captured.out, captured.err)
