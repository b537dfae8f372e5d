"""Project configuration: ``[tool.stack-auditor]`` in ``pyproject.toml`` or ``.stack-auditor.toml``.

The shape is a contract (``docs/configuration.md``)::

    [tool.stack-auditor]
    profile = "django-monolith"    # shipped name or a path to a profile JSON
    rules = ["ci/rules"]           # extra rule folders
    fail-on = "error"
    raw-sql-marker = "raw-sql:"    # the comment that justifies raw SQL (``# raw-sql: <reason>``)
    [tool.stack-auditor.severity]
    SA104 = "error"                # error | warning | note | off
    [[tool.stack-auditor.ignore]]
    rule = "django-monolith/no-rate-limiting"
    package = "djangorestframework"   # optional
    paths = ["services/legacy/**"]    # optional
    reason = "rate limits are enforced at the API gateway"   # required
    until = 2027-06-30                # optional TOML date

In ``.stack-auditor.toml`` the same keys sit at the top level (or under
``[tool.stack-auditor]``). Paths are relative to the config file and must stay
inside the audited root: the config of an audited repository is data, so a
path that leaves the root is reported and not followed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.errors import ConfigError
from auditor.limits import DEFAULT_MAX_FILE_BYTES
from auditor.locate.toml import toml_line
from auditor.model import Provenance
from auditor.policy.suppress import IgnoreEntry

__all__ = ["CONFIG_FILES", "Config", "IgnoreEntry", "find_config", "load_config", "parse_config"]

CONFIG_FILES = (".stack-auditor.toml", "pyproject.toml")
SEVERITY_VALUES = ("error", "warning", "note", "off")
FAIL_ON_VALUES = ("error", "warning", "note", "never")
_KEYS = {"profile", "rules", "severity", "fail-on", "ignore", "raw-sql-marker"}
_IGNORE_KEYS = {"rule", "package", "paths", "reason", "until"}


@dataclass(slots=True)
class Config:
    """The settings of one audited root (empty when it has no configuration)."""

    file: str = ""  # relative to the audited root
    profile: str | None = None  # a shipped name, or a path resolved inside the root
    rule_dirs: list[Path] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    fail_on: str | None = None
    ignores: list[IgnoreEntry] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    raw_sql_marker: str | None = None  # None: the default, ``raw-sql:``


def find_config(root: Path) -> Path | None:
    """The config file of ``root``: ``.stack-auditor.toml``, else a pyproject.toml with the table."""
    from auditor.datafile import read_data_file

    dotfile = root / ".stack-auditor.toml"
    if dotfile.exists() or dotfile.is_symlink():
        return dotfile  # whatever it is, load_config reads it with the guards or says why not
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            text = read_data_file(pyproject, "pyproject.toml", "configuration", root=root)
        except ConfigError:
            return None  # the resolver reports an unreadable pyproject.toml
        if "stack-auditor" in text:
            return pyproject
    return None


def load_config(root: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Config:
    """The configuration of the audited ``root`` (a folder), or an empty one.

    Read as data of the audited repository: inside the root, a regular file, at most ``max_bytes``.
    """
    from auditor.datafile import read_data_file

    path = find_config(root)
    if path is None:
        return Config()
    label = path.relative_to(root).as_posix()
    text = read_data_file(path, label, "configuration", root=root, max_bytes=max_bytes)
    return parse_config(text, label, root)


def parse_config(text: str, label: str, root: Path) -> Config:
    """Parse config ``text`` (file ``label`` relative to ``root``); every error names file and line.

    (long: one check per configuration key)
    """
    import tomli

    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        raise ConfigError(label, getattr(error, "lineno", 0), f"invalid TOML: {getattr(error, 'msg', error)}") from None
    except ValueError as error:
        from auditor.datafile import number_error

        raise number_error(label, text, error) from None
    prefix: tuple[str, ...] = ("tool", "stack-auditor")
    table = data.get("tool", {}).get("stack-auditor") if isinstance(data.get("tool"), dict) else None
    if table is None:
        if label.endswith("pyproject.toml"):
            return Config()
        table, prefix = {k: v for k, v in data.items() if k != "tool"}, ()
    config = Config(file=label)

    def fail(path: tuple[str | int, ...], message: str) -> ConfigError:
        where = ".".join(str(p) for p in (*prefix, *path) if isinstance(p, str)) or "config"
        return ConfigError(label, toml_line(text, (*prefix, *path)), f"{where}: {message}")

    if not isinstance(table, dict):
        raise fail((), "must be a table")
    for key in table:
        if key not in _KEYS:
            raise fail((key,), f"unknown key {key!r} (expected one of: {', '.join(sorted(_KEYS))})")
    base = (root / label).parent
    real_root = root.resolve()
    if "profile" in table:
        config.profile = _profile(table["profile"], base, real_root, label, fail, config)
    rules = table.get("rules", [])
    if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
        raise fail(("rules",), "must be an array of folder paths")
    for folder in rules:
        inside = _inside(base / folder, real_root)
        if inside is None:
            line = toml_line(text, (*prefix, "rules"))
            config.notices.append(f"{label}:{line}: rules folder {folder!r} is outside the audited root: not followed")
        else:
            config.rule_dirs.append(inside)
    severity = table.get("severity", {})
    if not isinstance(severity, dict):
        raise fail(("severity",), "must be a table of rule id = severity")
    for rule_id, value in severity.items():
        if value not in SEVERITY_VALUES:
            raise fail(("severity", rule_id), f"must be one of {', '.join(SEVERITY_VALUES)}, not {value!r}")
        config.severity[rule_id] = value
    if "fail-on" in table:
        if table["fail-on"] not in FAIL_ON_VALUES:
            raise fail(("fail-on",), f"must be one of {', '.join(FAIL_ON_VALUES)}, not {table['fail-on']!r}")
        config.fail_on = table["fail-on"]
    if "raw-sql-marker" in table:
        config.raw_sql_marker = _raw_sql_marker(table["raw-sql-marker"], fail)
    ignores = table.get("ignore", [])
    if not isinstance(ignores, list):
        raise fail(("ignore",), "must be an array of tables ([[...ignore]])")
    for n, entry in enumerate(ignores):
        config.ignores.append(_ignore(entry, n, text, label, prefix, fail))
    return config


def _raw_sql_marker(marker: Any, fail: Any) -> str:
    if not isinstance(marker, str) or not marker.strip() or len(marker) > 40 or "\n" in marker:
        raise fail(("raw-sql-marker",), "must be a short one-line comment prefix such as 'raw-sql:'")
    return marker.strip().removeprefix("#").strip()


def _profile(value: Any, base: Path, real_root: Path, label: str, fail: Any, config: Config) -> str | None:
    from auditor.policy.profiles import profile_names

    if not isinstance(value, str) or not value:
        raise fail(("profile",), "must be a shipped profile name or a path to a profile JSON")
    if value in profile_names():
        return value
    inside = _inside(base / value, real_root)
    if inside is None:
        config.notices.append(f"{label}: profile {value!r} is outside the audited root: not followed")
        return None
    if not inside.is_file():
        raise fail(
            ("profile",),
            f"no shipped profile or file named {value!r} (shipped: {', '.join(profile_names())})",
        )
    return str(inside)


def _inside(path: Path, real_root: Path) -> Path | None:
    resolved = path.resolve()
    return resolved if resolved == real_root or resolved.is_relative_to(real_root) else None


def _ignore(entry: Any, n: int, text: str, label: str, prefix: tuple[str, ...], fail: Any) -> IgnoreEntry:
    where: tuple[str | int, ...] = ("ignore", n)
    if not isinstance(entry, dict):
        raise fail(where, "must be a table with rule and reason")
    for key in entry:
        if key not in _IGNORE_KEYS:
            raise fail((*where, key), f"unknown key {key!r} (expected one of: {', '.join(sorted(_IGNORE_KEYS))})")
    rule = entry.get("rule")
    if not isinstance(rule, str) or not rule:
        raise fail(where, "needs a 'rule' (a rule id such as SA104 or django-monolith/no-rate-limiting)")
    reason = entry.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise fail(where, f"the ignore of {rule!r} needs a non-empty 'reason'")
    package = entry.get("package")
    if package is not None and not isinstance(package, str):
        raise fail((*where, "package"), "must be a package name")
    paths = entry.get("paths", [])
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        raise fail((*where, "paths"), "must be an array of path globs")
    until = entry.get("until")
    if isinstance(until, str):
        try:
            until = dt.date.fromisoformat(until)
        except ValueError:
            raise fail((*where, "until"), f"must be a date like 2027-06-30, not {until!r}") from None
    if isinstance(until, dt.datetime) or (until is not None and not isinstance(until, dt.date)):
        raise fail((*where, "until"), "must be a TOML date like 2027-06-30")
    line = toml_line(text, (*prefix, *where))
    at = Provenance(label, line, 1, "[[ignore]]")
    return IgnoreEntry(
        rule=rule, reason=reason.strip(), declared_at=at, package=package, paths=tuple(paths), until=until
    )
