"""Declarative rule files (``rules/*.toml``): one ``[[rule]]`` table per rule.

A rule file is validated against ``auditor/schemas/rule-file.schema.json``
(unknown keys are rejected, with the file and line), then each condition is
compiled by the one grammar in :mod:`auditor.policy.conditions`, and each
``help`` must have the fixed sections the docs are built from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from auditor.errors import ConfigError
from auditor.findings import RuleMeta, Severity
from auditor.locate.toml import toml_line
from auditor.model import Provenance
from auditor.policy.conditions import Condition, ConditionError, compile_condition
from auditor.policy.schema import load_validated_toml
from auditor.resources import shipped_rules_dir

__all__ = ["HELP_SECTIONS", "RULE_DOCS_BASE", "Rule", "check_help", "load_rules", "rule_doc_path"]

HELP_SECTIONS = ("What it flags", "Why it matters", "How to fix", "Example")
RULE_DOCS_BASE = "https://github.com/stack-auditor/stack-auditor/blob/main/docs"
NOT_RULE_FILES = {"catalog.toml"}


class Rule(NamedTuple):
    """A loaded rule: metadata plus its compiled condition."""

    meta: RuleMeta
    condition: Condition
    message: str
    use_instead: str = ""
    message_pulled: str = ""  # for a package declared outside the rule's scopes that they reach anyway
    per_file_message: str = ""  # set: several matches in one file make one finding (SA104)

    @property
    def id(self) -> str:
        """The rule's stable id (``SA101``)."""
        return self.meta.id


def rule_doc_path(rule_id: str) -> str:
    """The generated doc of a rule id, relative to ``docs/``: ``/`` becomes a folder.

    ``SA101`` -> ``rules/SA101.md``; ``django-monolith/stack/queue`` ->
    ``rules/django-monolith/stack/queue.md`` (GitHub renders nested folders fine).
    """
    return f"rules/{rule_id}.md"


def check_help(text: str) -> str | None:
    """The first missing or out-of-order required section of a help text, or None."""
    found = [m.group(1).strip() for m in re.finditer(r"^##\s+(.+)$", text, re.M)]
    position = -1
    for section in HELP_SECTIONS:
        if section not in found:
            return f"help lacks the section '## {section}'"
        if found.index(section) < position:
            return f"help section '## {section}' is out of order (expected {' / '.join(HELP_SECTIONS)})"
        position = found.index(section)
    return None


def load_rules(extra_dirs: Iterable[Path] = (), confine: Path | None = None) -> list[Rule]:
    """Every rule of the shipped rules folder and of each extra folder, sorted by id; ids are unique.

    With ``confine`` (the audited root), a rule file under it must not lead out of it.
    """
    rules: dict[str, Rule] = {}
    seen: set[Path] = set()
    shipped = shipped_rules_dir()
    for folder in (shipped, *extra_dirs):
        if not folder.is_dir():
            raise ConfigError(folder.as_posix(), 0, "rules directory not found")
        if folder.resolve() in seen:
            continue  # the same folder named twice (or the shipped one again) adds nothing
        seen.add(folder.resolve())
        for path in sorted(folder.glob("*.toml")):
            if path.name in NOT_RULE_FILES:
                continue
            for rule in load_rule_file(path, shipped=folder == shipped, root=confine):
                if rule.id in rules:
                    at = rule.meta.declared_at
                    raise ConfigError(
                        path.as_posix(),
                        at.line if at else 0,
                        f"duplicate rule id {rule.id!r} (also in {rules[rule.id].meta.origin})",
                    )
                rules[rule.id] = rule
    return [rules[key] for key in sorted(rules)]


def load_rule_file(path: Path, shipped: bool = False, root: Path | None = None) -> list[Rule]:
    """The rules of one file, or a :class:`ConfigError` naming the file and line of the first problem.

    A ``shipped`` file is not re-checked on every run (see ``load_validated_toml``).
    """
    label = path.as_posix()
    text, data = load_validated_toml(path, "rule-file", "rule file", shipped, root)
    return [_rule(entry, label, text, n, shipped) for n, entry in enumerate(data["rule"])]


def _rule(entry: dict[str, object], label: str, text: str, n: int, shipped: bool) -> Rule:
    where = f"rule[{n}]"
    line = toml_line(text, ("rule", n))
    try:
        condition = compile_condition(entry["condition"], f"{where}.condition", shipped)
    except ConditionError as error:
        raise ConfigError(label, toml_line(text, ("rule", n, "condition")), str(error)) from None
    help_text = str(entry["help"]).strip()
    missing = check_help(help_text)
    if missing:
        raise ConfigError(label, toml_line(text, ("rule", n, "help")), f"{where}: {missing}")
    rule_id = str(entry["id"])
    tags = entry.get("tags", ())
    meta = RuleMeta(
        id=rule_id,
        name=str(entry["name"]),
        severity=Severity(entry["severity"]),
        summary=str(entry["summary"]),
        help_markdown=help_text,
        help_uri=f"{RULE_DOCS_BASE}/{rule_doc_path(rule_id)}",
        tags=tuple(str(t) for t in tags) if isinstance(tags, list) else (),
        origin=label,
        declared_at=Provenance(label, line, 1, "[[rule]]"),
    )
    return Rule(
        meta=meta,
        condition=condition,
        message=str(entry["message"]),
        use_instead=str(entry.get("use-instead", "")),
        message_pulled=str(entry.get("message-pulled", "")),
        per_file_message=str(entry.get("per-file-message", "")),
    )
