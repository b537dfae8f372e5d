"""The audit on nine trimmed real repositories, scored against their hand-written labels.

Reads ``../shared/realworld`` (repositories + ``LABELS.json``; see its README) and makes one test
per labelled check, as ``../shared/tools/realworld-score`` counts them: no input failure, no project
under a ``not_projects`` folder, the inferred profile, each ``must`` / ``must_not`` finding, and the
message of each ``if_present`` finding. The audit runs as ``stack-auditor audit REPO --format json``
does, in-process.

Checks that wait for another issue's work are listed in :data:`PENDING` with the issue that brings
them; they are strict xfails, so the day they pass the suite says so and the entry goes.
"""

from __future__ import annotations

import fnmatch
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from auditor.audit import AuditOptions, audit
from auditor.render import RenderOptions
from auditor.render.json import report_to_dict

REALWORLD = Path(__file__).resolve().parents[2] / "shared" / "realworld"
LABELS = REALWORLD / "LABELS.json"
ABSENT = f"{REALWORLD} not found: the realworld labels live in ../shared/realworld next to the checkout"

# Checks that wait for another issue's work, by check id -> reason (strict xfails). Empty since the
# code evidence (issue 17: DRF throttles, the admin, threads) and the scope and marker-fork work
# (issue 15: SA110 on torch forks, SA103 groups and why-paths) landed: every label passes.
PENDING: dict[str, str] = {}


def _labels() -> dict[str, Any]:
    return json.loads(LABELS.read_text(encoding="utf-8")) if LABELS.is_file() else {}


def _check_ids() -> list[str]:
    ids: list[str] = []
    for repo, label in _labels().items():
        ids.append(f"{repo}/no-input-failure")
        ids.extend(f"{repo}/not_projects/{bad}" for bad in label.get("not_projects", []))
        for path, want in label.get("projects", {}).items():
            ids.append(f"{repo}/{path}/profile")
            for kind in ("must", "must_not", "if_present"):
                ids.extend(f"{repo}/{path}/{kind}/{_spec_id(spec)}" for spec in want.get(kind, []))
    return ids


def _spec_id(spec: dict[str, str]) -> str:
    return "/".join(part for part in (spec.get("rule", "*"), spec.get("package", "")) if part)


def _params() -> list[Any]:
    if not LABELS.is_file():
        return [pytest.param("absent", marks=pytest.mark.skip(reason=ABSENT))]
    return [
        pytest.param(check, marks=pytest.mark.xfail(strict=True, reason=PENDING[check])) if check in PENDING else check
        for check in _check_ids()
    ]


@cache
def _report(repo: str) -> dict[str, Any]:
    report = audit(REALWORLD / repo, AuditOptions(fail_on="never"))
    data = report_to_dict(report, RenderOptions())
    data["_exit_2"] = bool(report.failures) or report.no_dependency_files
    return data


def _matches(finding: dict[str, Any], spec: dict[str, str]) -> bool:
    if not fnmatch.fnmatchcase(finding.get("rule_id", ""), spec.get("rule", "*")):
        return False
    if "package" in spec and (finding.get("package") or "").lower() != spec["package"].lower():
        return False
    return "file" not in spec or ((finding.get("location") or {}).get("file") or "").endswith(spec["file"])


def _has_message(finding: dict[str, Any], spec: dict[str, str]) -> bool:
    text = json.dumps(finding)
    return all(value in text for key, value in spec.items() if key.startswith("message_contains"))


@pytest.mark.parametrize("check", _params())
def test_realworld_label(check: str) -> None:
    labels = _labels()
    repo = next(name for name in labels if check.startswith(f"{name}/"))
    data = _report(repo)
    projects = {p["path"]: p for p in data["projects"]}
    rest = check.removeprefix(f"{repo}/")
    if rest == "no-input-failure":
        assert not data["_exit_2"], data["failures"] or "no dependency files"
        return
    if rest.startswith("not_projects/"):
        bad = rest.removeprefix("not_projects/").rstrip("/")
        assert [p for p in projects if p == bad or p.startswith(bad + "/")] == []
        return
    path = next(p for p in labels[repo]["projects"] if rest.startswith(f"{p}/"))
    want = labels[repo]["projects"][path]
    assert path in projects, f"project {path} not found (found {sorted(projects)})"
    project = projects[path]
    kind_and_spec = rest.removeprefix(f"{path}/")
    if kind_and_spec == "profile":
        assert project["profile"] == want["profile"], project["profile_reason"]
        return
    kind, _, spec_id = kind_and_spec.partition("/")
    spec = next(s for s in want[kind] if _spec_id(s) == spec_id)
    hits = [f for f in project["findings"] if _matches(f, spec)]
    why = spec.get("why", "")
    if kind == "must":
        assert [f for f in hits if _has_message(f, spec)], f"missing: {why}"
    elif kind == "must_not":
        assert hits == [], f"unwanted ({why}): {[(f['rule_id'], f['package']) for f in hits]}"
    else:
        assert all(_has_message(f, spec) for f in hits), f"message lacks {spec.get('message_contains')}: {why}"


def test_pending_checks_exist() -> None:
    """Every pending entry names a real check: a renamed label must not leave a stale xfail behind."""
    if not LABELS.is_file():
        pytest.skip(ABSENT)
    assert set(PENDING) <= set(_check_ids())


@pytest.mark.parametrize(
    ("repo", "anti", "stack_key"),
    [
        ("netbox", "django-monolith/deleting-django-admin", "admin"),
        ("healthchecks", "django-monolith/no-celery-but-spawning-threads", "queue"),
    ],
)
def test_code_evidence_and_stack_entry_are_one_finding(repo: str, anti: str, stack_key: str) -> None:
    """The admin removed (netbox) and threads instead of a queue (healthchecks) are each one fact: the
    anti-recommendation judged from code names the stack entry, which is not reported again."""
    if not LABELS.is_file():
        pytest.skip(ABSENT)
    findings = [f for p in _report(repo)["projects"] for f in p["findings"]]
    assert not [f for f in findings if f["rule_id"] == f"django-monolith/stack/{stack_key}"]
    named = [f for f in findings if f["rule_id"] == anti]
    assert named and all(f["profile_entry"].endswith(f"stack.{stack_key}") for f in named)
    assert all(f"{stack_key} entry" in f["message"] for f in named)
