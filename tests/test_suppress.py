"""Suppressions: config ignores (package, paths, reason, expiry), inline comments, notices."""

from __future__ import annotations

import datetime as dt

from auditor.config import Config
from auditor.findings import Finding, RuleMeta, Severity
from auditor.model import Provenance
from auditor.policy.suppress import IgnoreEntry, suppress
from auditor.weakening import WEAKENED, apply_severity_visibly

AT = Provenance("pyproject.toml", 30, 1, "[[ignore]]")
TODAY = dt.date(2026, 11, 26)


def finding(
    rule: str = "SA104",
    package: str | None = "flask",
    file: str = "requirements.txt",
    text: str = "flask>=3",
    project: str = ".",
) -> Finding:
    return Finding(rule, Severity.WARNING, "m", project, package, None, Provenance(file, 3, 1, text))


def ignore(rule: str = "SA104", **kw: object) -> IgnoreEntry:
    return IgnoreEntry(rule=rule, reason="because", declared_at=AT, **kw)  # type: ignore[arg-type]


def test_ignore_by_rule() -> None:
    """An ignore naming the rule suppresses the finding with its reason and location; no notice."""
    f = finding()
    assert suppress([f], [ignore()], TODAY) == []
    assert f.suppression is not None
    assert f.suppression.kind == "external"
    assert f.suppression.justification == "because"
    assert f.suppression.declared_at == AT
    assert any("ignored here" in r.message for r in f.related)


def test_ignore_by_package_and_path() -> None:
    """package and paths narrow the ignore: other packages and paths stay reported."""
    hit = finding(package="flask", file="services/legacy/requirements.txt", project="services/legacy")
    other_package = finding(
        package="gunicorn", file="services/legacy/requirements.txt", project="services/legacy"
    )
    other_path = finding(package="flask", file="services/api/requirements.txt", project="services/api")
    notices = suppress(
        [hit, other_package, other_path], [ignore(package="Flask", paths=("services/legacy/**",))], TODAY
    )
    assert notices == []
    assert hit.suppression is not None
    assert other_package.suppression is None
    assert other_path.suppression is None


def test_expired_ignore_reports_again() -> None:
    """Past its until date an ignore stops applying: the finding counts again and a notice says so."""
    f = finding()
    notices = suppress([f], [ignore(until=dt.date(2026, 11, 25))], TODAY)
    assert f.suppression is None
    assert notices == [
        "pyproject.toml:30: the ignore of SA104 expired on 2026-11-25; its findings are reported again"
    ]


def test_ignore_valid_on_its_last_day() -> None:
    """until is inclusive: on that date the ignore still applies."""
    f = finding()
    assert suppress([f], [ignore(until=TODAY)], TODAY) == []
    assert f.suppression is not None and f.suppression.until == "2026-11-26"


def test_unmatched_ignore_is_reported() -> None:
    """An ignore that matches nothing produces a notice (like cargo-deny's unmatched entries)."""
    notices = suppress([finding()], [ignore(rule="SA999")], TODAY)
    assert notices == [
        "pyproject.toml:30: the ignore of SA999 matched no finding (remove it, or check the rule id)"
    ]


def test_inline_ignore() -> None:
    """An inline comment on the declaring line suppresses the listed rule ids, in source."""
    f = finding(text="flask>=3  # stack-auditor: ignore[SA103, SA104] pinned by the base image")
    other = finding(rule="SA101", text=f.location.text if f.location else "")
    assert suppress([f, other], [], TODAY) == []
    assert f.suppression is not None and f.suppression.kind == "inSource"
    assert f.suppression.justification == "pinned by the base image"
    assert other.suppression is None


def test_inline_ignore_in_pyproject_comment() -> None:
    """The same comment works as a TOML comment on the declaring line of pyproject.toml."""
    f = finding(file="pyproject.toml", text='"flask>=3",  # stack-auditor: ignore[SA104] reviewed')
    suppress([f], [], TODAY)
    assert f.suppression is not None


def test_inline_ignore_needs_reason() -> None:
    """An inline ignore without a reason is not applied, and a notice says so."""
    f = finding(text="flask>=3  # stack-auditor: ignore[SA104]")
    notices = suppress([f], [], TODAY)
    assert f.suppression is None
    assert notices == ["requirements.txt:3: inline ignore of SA104 has no reason: not applied"]


def test_severity_overrides() -> None:
    """A severity override changes the finding and the rule metadata; off keeps it, suppressed and reported."""
    meta = RuleMeta("SA104", "unpinned-requirement", Severity.WARNING, "s", "h")
    rules = {"SA104": meta}
    config = Config(file="pyproject.toml", severity={"SA104": "error", "SA101": "off"})
    notices: set[str] = set()
    kept = apply_severity_visibly([finding(), finding(rule="SA101")], rules, config, False, notices)
    assert [(f.rule_id, f.severity, f.suppression is None) for f in kept] == [
        ("SA104", Severity.ERROR, True),
        ("SA101", Severity.WARNING, False),
    ]
    assert rules["SA104"].severity is Severity.ERROR
    assert notices == {f"{WEAKENED}: pyproject.toml turns SA101 off (its findings are shown as suppressed)"}


def test_duplicate_ignore_is_reported() -> None:
    """The same ignore twice: the second is reported as a repeat (cargo-deny reports duplicates too)."""
    second = IgnoreEntry(rule="SA104", reason="again", declared_at=Provenance("pyproject.toml", 40, 1, ""))
    notices = suppress([finding()], [ignore(), second], TODAY)
    assert notices == ["pyproject.toml:40: the ignore of SA104 repeats the one at line 30"]


def test_unknown_severity_override() -> None:
    """A severity override for a rule id nothing can produce is reported."""
    from auditor.policy.suppress import unknown_overrides

    assert unknown_overrides({"SA104": "error", "SA1O4": "error"}, {"SA104"}, "pyproject.toml") == [
        "pyproject.toml: severity override for 'SA1O4' names no known rule (see `stack-auditor rules list`)"
    ]
