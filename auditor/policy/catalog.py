"""The profile catalog (``rules/catalog.toml``): stack tokens and anti-recommendation keys as facts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from auditor.errors import ConfigError
from auditor.locate.toml import toml_line
from auditor.policy.conditions import Condition, ConditionError, compile_condition
from auditor.policy.schema import load_validated_toml
from auditor.resources import shipped_rules_dir

__all__ = ["AntiEntry", "Catalog", "Token", "load_catalog"]

CATALOG_FILE = "catalog.toml"


class Token(NamedTuple):
    """What one stack token means in packages (or why it cannot be judged)."""

    name: str
    summary: str
    packages: tuple[str, ...] = ()
    version: str | None = None
    alternatives: tuple[str, ...] = ()
    python: Mapping[str, Any] | None = None
    files: tuple[str, ...] = ()
    note: str = ""
    not_checkable: str = ""
    evidence: str = ""  # the judge that reads the code's evidence (auditor/policy/judges.py)
    declared_in: str = ""  # file:line of the entry that won (a repository redefining one is reported)


class AntiEntry(NamedTuple):
    """What one anti-recommendation key checks (or why it cannot be judged)."""

    key: str
    summary: str
    condition: Condition | None
    message: str
    help: str
    not_checkable: str = ""
    tags: tuple[str, ...] = ()
    covers: tuple[str, ...] = ()  # stack tokens whose deviation is the same fact as this key firing
    evidence: str = ""  # the judge that reads the code's evidence (auditor/policy/judges.py)
    declared_in: str = ""  # file:line of the entry that won (a repository redefining one is reported)


class Catalog(NamedTuple):
    tokens: dict[str, Token]
    anti: dict[str, AntiEntry]


def load_catalog(extra_dirs: Iterable[Path] = (), confine: Path | None = None) -> Catalog:
    """The shipped catalog, overridden key by key by a ``catalog.toml`` in each extra rules dir.

    With ``confine`` (the audited root), a catalog under it must not lead out of it.
    """
    catalog = Catalog(tokens={}, anti={})
    shipped = shipped_rules_dir()
    for folder in (shipped, *extra_dirs):
        path = folder / CATALOG_FILE
        if path.exists() or path.is_symlink():
            _merge(catalog, path, shipped=folder == shipped, root=confine)
    return catalog


def _merge(catalog: Catalog, path: Path, shipped: bool = False, root: Path | None = None) -> None:
    label = path.as_posix()
    text, data = load_validated_toml(path, "catalog", "catalog", shipped, root)
    for name, entry in data.get("tokens", {}).items():
        line = toml_line(text, ("tokens", name))
        catalog.tokens[name] = Token(
            name=name,
            summary=str(entry.get("summary", name)),
            packages=tuple(entry.get("packages", ())),
            version=entry.get("version"),
            alternatives=tuple(entry.get("alternatives", ())),
            python=entry.get("python"),
            files=tuple(entry.get("files", ())),
            note=str(entry.get("note", "")),
            not_checkable=str(entry.get("not-checkable", "")),
            evidence=str(entry.get("evidence", "")),
            declared_in=f"{label}:{line}",
        )
    for key, entry in data.get("anti", {}).items():
        line = toml_line(text, ("anti", key))
        condition = None
        if "condition" in entry:
            try:
                condition = compile_condition(entry["condition"], f"anti.{key}.condition", shipped)
            except ConditionError as error:
                raise ConfigError(label, line, str(error)) from None
        elif not entry.get("not-checkable") and not entry.get("evidence"):
            raise ConfigError(label, line, f"anti.{key} needs a condition, an evidence judge or a not-checkable reason")
        catalog.anti[key] = AntiEntry(
            key=key,
            summary=str(entry.get("summary", key)),
            condition=condition,
            message=str(entry.get("message", "{summary}")),
            help=str(entry.get("help", "")).strip(),
            not_checkable=str(entry.get("not-checkable", "")),
            tags=tuple(entry.get("tags", ())),
            covers=tuple(entry.get("covers", ())),
            evidence=str(entry.get("evidence", "")),
            declared_in=f"{label}:{line}",
        )
