"""Declarative rule files (``rules/*.toml``): one ``[[rule]]`` table per rule."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from auditor.errors import ConfigError
from auditor.findings import RuleMeta, Severity
from auditor.model import Provenance
from auditor.policy.conditions import Condition, ConditionError, compile_condition
from auditor.resources import shipped_rules_dir

__all__ = ["Rule", "load_rules"]

_RULE_KEYS = {"id", "name", "severity", "summary", "condition", "message", "help", "use-instead", "tags"}
_REQUIRED = ("id", "name", "severity", "summary", "condition", "message", "help")
_KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9-]*(?:/[A-Za-z0-9-]+)*$")


@dataclass(frozen=True, slots=True)
class Rule:
    """A loaded rule: metadata plus its compiled condition."""

    meta: RuleMeta
    condition: Condition
    message: str
    use_instead: str = ""

    @property
    def id(self) -> str:
        return self.meta.id


def load_rules(extra_dirs: Iterable[Path] = ()) -> list[Rule]:
    """Every rule of the shipped rules folder and of each extra folder, sorted by id; ids are unique."""
    rules: dict[str, Rule] = {}
    for folder in (shipped_rules_dir(), *extra_dirs):
        if not folder.is_dir():
            raise ConfigError(folder.as_posix(), 0, "rules directory not found")
        for path in sorted(folder.glob("*.toml")):
            if path.name == "catalog.toml":
                continue
            for rule in _load_file(path):
                if rule.id in rules and rules[rule.id].meta.origin != rule.meta.origin:
                    at = rule.meta.declared_at
                    raise ConfigError(path.as_posix(), at.line if at else 0, f"duplicate rule id {rule.id!r} (also in {rules[rule.id].meta.origin})")
                rules[rule.id] = rule
    return [rules[key] for key in sorted(rules)]


def _load_file(path: Path) -> list[Rule]:
    import tomli

    label = path.as_posix()
    text = path.read_text(encoding="utf-8")
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        raise ConfigError(label, getattr(error, "lineno", 0), f"invalid TOML: {getattr(error, 'msg', error)}") from None
    if set(data) - {"rule"}:
        raise ConfigError(label, 1, f"unknown top-level key {sorted(set(data) - {'rule'})[0]!r} (expected [[rule]] tables)")
    entries = data.get("rule", [])
    if not isinstance(entries, list):
        raise ConfigError(label, 1, "'rule' must be an array of tables ([[rule]])")
    headers = [m.start() for m in re.finditer(r"^\s*\[\[rule\]\]", text, re.M)]
    rules = []
    for n, entry in enumerate(entries):
        line = text.count("\n", 0, headers[n]) + 1 if n < len(headers) else 0
        rules.append(_rule(entry, label, line, n))
    return rules


def _rule(entry: object, label: str, line: int, n: int) -> Rule:
    where = f"rule[{n}]"
    if not isinstance(entry, dict):
        raise ConfigError(label, line, f"{where} must be a table")
    unknown = set(entry) - _RULE_KEYS
    if unknown:
        raise ConfigError(label, line, f"unknown key {sorted(unknown)[0]!r} in {where}")
    for key in _REQUIRED:
        if key not in entry:
            raise ConfigError(label, line, f"missing {key!r} in {where}")
    if not isinstance(entry["id"], str) or not _ID.match(entry["id"]):
        raise ConfigError(label, line, f"'id' in {where} must look like 'SA101' or 'group/name'")
    if not isinstance(entry["name"], str) or not _KEBAB.match(entry["name"]):
        raise ConfigError(label, line, f"'name' in {where} must be kebab-case")
    try:
        severity = Severity(entry["severity"])
    except ValueError:
        raise ConfigError(label, line, f"'severity' in {where} must be error, warning or note") from None
    try:
        condition = compile_condition(entry["condition"], f"{where}.condition")
    except ConditionError as error:
        raise ConfigError(label, line, str(error)) from None
    meta = RuleMeta(
        id=entry["id"],
        name=entry["name"],
        severity=severity,
        summary=str(entry["summary"]),
        help_markdown=str(entry["help"]).strip(),
        tags=tuple(entry.get("tags", ())),
        origin=label,
        declared_at=Provenance(label, line, 1, "[[rule]]"),
    )
    return Rule(meta=meta, condition=condition, message=str(entry["message"]), use_instead=str(entry.get("use-instead", "")))
