"""The evidence stage on the trimmed real repositories of ../shared/realworld (LABELS.json's code checks).

These read ../shared/realworld; without it (a clone alone) they are skipped and say so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.evidence.model import Evidence, EvidenceOptions
from auditor.evidence.scan import collect_evidence
from auditor.graph import ProjectGraph
from auditor.policy.judges import admin_state, rate_limiting, threads

REALWORLD = Path(__file__).resolve().parents[1].parent / "shared" / "realworld"

pytestmark = pytest.mark.skipif(
    not REALWORLD.is_dir(), reason=f"{REALWORLD} is absent: the real-repository evidence checks need it"
)


def _evidence(repo: str, project: str = ".") -> Evidence:
    return collect_evidence(REALWORLD / repo, project, EvidenceOptions(read_git=False))


class _Graph:
    """Just enough of a ProjectGraph for the judges: the packages present, with no locations."""

    path = "."
    dependencies_at = None

    def __init__(self, *names: str) -> None:
        self.names = set(names)

    def find(self, name: str) -> object | None:
        return _Node(name) if name in self.names else None


class _Node:
    location = None
    version = "1"
    scopes: frozenset[str] = frozenset()

    def __init__(self, name: str) -> None:
        self.name = name

    def label(self) -> str:
        return f"{self.name} 1"


def _graph(*names: str) -> ProjectGraph:
    return _Graph(*names)  # type: ignore[return-value]


def test_netbox_removed_the_admin_and_does_not_throttle() -> None:
    evidence = _evidence("netbox")
    state = admin_state(_graph("django"), evidence)
    assert state.status == "missing"
    assert state.at is not None and state.at.file == "netbox/netbox/settings.py"
    assert "netbox/netbox/settings.py:994" in state.detail  # INSTALLED_APPS.extend(django_apps): unknown, said
    verdict = rate_limiting(_graph("django", "djangorestframework"), evidence)
    [hit] = verdict.hits
    assert (hit.location.file, hit.location.line) == ("netbox/netbox/settings.py", 779)  # REST_FRAMEWORK = {


def test_paperless_throttles_and_keeps_the_admin() -> None:
    evidence = _evidence("paperless-ngx")
    verdict = rate_limiting(_graph("django", "djangorestframework"), evidence)
    assert verdict.hits == ()
    assert "REST_FRAMEWORK.DEFAULT_THROTTLE_RATES at src/paperless/settings/__init__.py:172" in verdict.detail
    state = admin_state(_graph("django"), evidence)
    assert state.status == "ok" and "src/paperless/urls.py:294" in state.detail
    assert threads(_graph("django", "celery"), evidence).hits == ()


def test_healthchecks_starts_threads_from_application_code_only() -> None:
    evidence = _evidence("healthchecks")
    started = [(f.file, f.line, f.value) for f in evidence.of("thread")]
    assert started == [
        ("hc/lib/emails.py", 77, "EmailThread (a threading.Thread subclass)"),
        ("hc/lib/s3.py", 155, "threading.Thread"),
    ]  # hc/api/management/commands/sendalerts.py's ThreadPoolExecutor is a command, not a request path
    verdict = threads(_graph("django"), evidence)
    assert [h.location.file for h in verdict.hits if not h.note] == ["hc/lib/emails.py", "hc/lib/s3.py"]
    assert admin_state(_graph("django"), evidence).status == "ok"


@pytest.mark.parametrize(("repo", "project"), [("polar", "server"), ("full-stack-fastapi-template", "backend")])
def test_fastapi_services_with_models_have_no_untyped_bodies(repo: str, project: str) -> None:
    evidence = _evidence(repo, project)
    assert evidence.read and evidence.files_parsed > 0
    assert evidence.of("untyped-body") == []
    assert evidence.of("sync-http") == []
