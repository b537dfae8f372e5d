"""The profile catalog (``rules/catalog.toml``): stack tokens and anti-recommendation keys as package facts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.errors import ConfigError
from auditor.policy.conditions import Condition, ConditionError, compile_condition
from auditor.resources import shipped_rules_dir

__all__ = ["AntiEntry", "Catalog", "Token", "load_catalog"]

CATALOG_FILE = "catalog.toml"
_TOKEN_KEYS = {"summary", "packages", "version", "alternatives", "python", "files", "note", "not-checkable"}
_ANTI_KEYS = {"summary", "condition", "message", "help", "not-checkable", "tags"}


@dataclass(frozen=True, slots=True)
class Token:
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
    declared_in: str = ""


@dataclass(frozen=True, slots=True)
class AntiEntry:
    """What one anti-recommendation key checks (or why it cannot be judged)."""

    key: str
    summary: str
    condition: Condition | None
    message: str
    help: str
    not_checkable: str = ""
    tags: tuple[str, ...] = ()
    declared_in: str = ""


@dataclass(slots=True)
class Catalog:
    tokens: dict[str, Token] = field(default_factory=dict)
    anti: dict[str, AntiEntry] = field(default_factory=dict)


def load_catalog(extra_dirs: Iterable[Path] = ()) -> Catalog:
    """The shipped catalog, overridden key by key by a ``catalog.toml`` in each extra rules dir."""
    catalog = Catalog()
    for folder in (shipped_rules_dir(), *extra_dirs):
        path = folder / CATALOG_FILE
        if path.is_file():
            _merge(catalog, path)
    return catalog


def _merge(catalog: Catalog, path: Path) -> None:
    import tomli

    text = path.read_text(encoding="utf-8")
    label = path.as_posix()
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        raise ConfigError(label, getattr(error, "lineno", 0), f"invalid TOML: {getattr(error, 'msg', error)}") from None
    unknown = set(data) - {"tokens", "anti"}
    if unknown:
        raise ConfigError(label, _line(text, sorted(unknown)[0]), f"unknown table {sorted(unknown)[0]!r} (expected tokens, anti)")
    for name, entry in data.get("tokens", {}).items():
        line = _line(text, name)
        if not isinstance(entry, dict):
            raise ConfigError(label, line, f"tokens.{name} must be a table")
        extra = set(entry) - _TOKEN_KEYS
        if extra:
            raise ConfigError(label, line, f"unknown key {sorted(extra)[0]!r} in tokens.{name}")
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
            declared_in=f"{label}:{line}",
        )
    for key, entry in data.get("anti", {}).items():
        line = _line(text, key)
        if not isinstance(entry, dict):
            raise ConfigError(label, line, f"anti.{key} must be a table")
        extra = set(entry) - _ANTI_KEYS
        if extra:
            raise ConfigError(label, line, f"unknown key {sorted(extra)[0]!r} in anti.{key}")
        condition = None
        if "condition" in entry:
            try:
                condition = compile_condition(entry["condition"], f"anti.{key}.condition")
            except ConditionError as error:
                raise ConfigError(label, line, str(error)) from None
        elif not entry.get("not-checkable"):
            raise ConfigError(label, line, f"anti.{key} needs a condition or a not-checkable reason")
        catalog.anti[key] = AntiEntry(
            key=key,
            summary=str(entry.get("summary", key)),
            condition=condition,
            message=str(entry.get("message", "{summary}")),
            help=str(entry.get("help", "")).strip(),
            not_checkable=str(entry.get("not-checkable", "")),
            tags=tuple(entry.get("tags", ())),
            declared_in=f"{label}:{line}",
        )


def _line(text: str, key: str) -> int:
    for candidate in (f'."{key}"]', f".{key}]", f"[{key}]"):
        offset = text.find(candidate)
        if offset >= 0:
            return text.count("\n", 0, offset) + 1
    return 0
