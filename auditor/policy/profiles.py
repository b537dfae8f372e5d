"""Stack profiles in the seed's JSON format, with ``extends`` and located errors.

A profile names its stack (``stack``: key -> token, or a list of token
options) and its anti-recommendations (key -> ``"kill — reason"`` or
``"warn — reason"``). ``extends`` (a shipped name or a path) inherits
everything, overriding stack entries and anti-recommendations key by key.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from auditor.errors import ConfigError
from auditor.findings import Severity
from auditor.locate.json import json_key_line
from auditor.policy.schema import load_schema, validate
from auditor.resources import shipped_profiles_dir

__all__ = [
    "AntiRecommendation",
    "Profile",
    "load_profile",
    "profile_names",
    "shipped_profiles",
]

_VERDICT = re.compile(r"^\s*(kill|warn|note)\s*(?:[—–-]+\s*(.*))?$", re.S)
_SEVERITY = {"kill": Severity.ERROR, "warn": Severity.WARNING, "note": Severity.NOTE}
MAX_EXTENDS_DEPTH = 8


class AntiRecommendation(NamedTuple):
    """One anti-recommendation: the key, its severity (kill -> error, warn -> warning) and the reason."""

    key: str
    severity: Severity
    reason: str
    line: int = 0
    file: str = ""


@dataclass(slots=True)
class Profile:
    """A loaded (and flattened) stack profile."""

    name: str
    description: str
    version: str
    stack: dict[str, str | list[str]]
    anti: dict[str, AntiRecommendation]
    source: str  # shipped name or the path it was loaded from
    stack_lines: dict[str, int] = field(default_factory=dict)
    extends: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)
    identity: list[str] = field(default_factory=list)  # stack keys that identify the profile (inherited + own)
    own_stack_keys: list[str] = field(default_factory=list)  # stack keys this file declares (not inherited)

    def identity_keys(self) -> tuple[str, ...]:
        """The stack keys without which this profile cannot be the right contract.

        Declared with ``"identity"``; a profile that declares none is identified by its
        ``framework`` entry, and one without a framework (a library profile) by nothing:
        it is never inferred.
        """
        if self.identity:
            return tuple(self.identity)
        return ("framework",) if "framework" in self.stack else ()


def shipped_profiles() -> dict[str, Path]:
    """Shipped profile name -> file."""
    return dict(_shipped())


@cache
def _shipped() -> tuple[tuple[str, Path], ...]:
    # The shipped folder does not change while the process runs; one glob is enough.
    return tuple((path.stem, path) for path in sorted(shipped_profiles_dir().glob("*.json")))


def profile_names() -> list[str]:
    return sorted(shipped_profiles())


def load_profile(ref: str, base: Path | None = None, _depth: int = 0, confine: Path | None = None) -> Profile:
    """Load a profile by shipped name or by path (relative to ``base`` for ``extends``).

    The file is checked against ``auditor/schemas/profile.schema.json`` (the
    seed's format plus ``extends``); errors name the file and line. With
    ``confine`` (the audited root, for a profile named in an audited repo's
    config), every file of the ``extends`` chain must resolve inside it.

    (long: validation of each profile section)
    """
    path = _resolve(ref, base)
    if confine is not None and ref not in shipped_profiles() and not path.resolve().is_relative_to(confine.resolve()):
        raise ConfigError(ref, 0, "profile file is outside the audited root: not followed")
    shipped = ref in shipped_profiles() and path == shipped_profiles()[ref]
    label = ref if shipped else str(path)
    from auditor.datafile import number_error, read_data_file

    text = read_data_file(path, label, "profile", root=confine)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigError(label, error.lineno, f"invalid JSON: {error.msg}") from None
    except ValueError as error:
        raise number_error(label, text, error) from None
    if not isinstance(data, dict):
        raise ConfigError(label, 1, "a profile must be a JSON object")
    # A shipped profile is checked by the test suite, not on every run (as shipped rule files are).
    problems = [] if shipped else validate(data, load_schema("profile"))
    if problems:
        first = problems[0]
        raise ConfigError(label, json_key_line(text, first.path), f"{first.where()}: {first.message}")
    name = data["profile_name"]
    if not shipped and name in shipped_profiles() and not _is_shipped_file(path, name):
        # An impostor under a shipped name would pass as the shipped contract (a sweep would show it so).
        raise ConfigError(
            label,
            _line_of(text, "profile_name"),
            f"profile_name {name!r} is reserved for the shipped profile: name yours differently"
            f' and start it with "extends": "{name}"',
        )

    parent: Profile | None = None
    extends = data.get("extends")
    if extends is not None:
        if not isinstance(extends, str):
            raise ConfigError(label, _line_of(text, "extends"), "'extends' must be a profile name or path")
        if _depth >= MAX_EXTENDS_DEPTH:
            raise ConfigError(
                label,
                _line_of(text, "extends"),
                f"'extends' nests deeper than {MAX_EXTENDS_DEPTH} (a cycle?)",
            )
        try:
            parent = load_profile(extends, path.parent, _depth + 1, confine)
        except ConfigError as error:
            if error.file != extends:
                raise  # located inside the parent already
            raise ConfigError(label, _line_of(text, "extends"), f"extends {extends!r}: {error.message}") from None

    stack = dict(parent.stack) if parent else {}
    stack_lines = dict(parent.stack_lines) if parent else {}
    raw_stack = data.get("stack", {})
    if not isinstance(raw_stack, dict):
        raise ConfigError(label, _line_of(text, "stack"), "'stack' must be an object")
    for key, value in raw_stack.items():
        if not (isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))):
            raise ConfigError(
                label, _line_of(text, "stack", key), f"stack entry {key!r} must be a token or a list of tokens"
            )
        stack[key] = value
        stack_lines[key] = _line_of(text, "stack", key)

    anti = dict(parent.anti) if parent else {}
    raw_anti = data.get("anti_recommendations", {})
    if not isinstance(raw_anti, dict):
        raise ConfigError(label, _line_of(text, "anti_recommendations"), "'anti_recommendations' must be an object")
    for key, value in raw_anti.items():
        line = _line_of(text, "anti_recommendations", key)
        match = _VERDICT.match(value) if isinstance(value, str) else None
        if match is None:
            raise ConfigError(label, line, f"anti-recommendation {key!r} must read 'kill — reason' or 'warn — reason'")
        anti[key] = AntiRecommendation(key, _SEVERITY[match.group(1)], (match.group(2) or "").strip(), line, label)

    identity = list(parent.identity) if parent else []
    raw_identity = data.get("identity", [])
    if not isinstance(raw_identity, list) or not all(isinstance(k, str) for k in raw_identity):
        raise ConfigError(label, _line_of(text, "identity"), "'identity' must be a list of stack keys")
    for key in raw_identity:
        if key not in stack:
            raise ConfigError(label, _line_of(text, "identity"), f"identity names {key!r}, which is not a stack key")
        if key not in identity:
            identity.append(key)

    description = data.get("description", parent.description if parent else "")
    version = data.get("version", parent.version if parent else "0")
    return Profile(
        name=name,
        description=str(description),
        version=str(version),
        stack=stack,
        anti=anti,
        source=label,
        stack_lines=stack_lines,
        extends=([parent.name, *parent.extends] if parent else []),
        raw=data,
        identity=identity,
        own_stack_keys=list(raw_stack),
    )


def _resolve(ref: str, base: Path | None) -> Path:
    shipped = shipped_profiles()
    if ref in shipped:
        return shipped[ref]
    path = Path(ref)
    if not path.is_absolute() and base is not None:
        path = base / path  # extends is relative to the extending file, never to the working directory
    if not path.exists():
        known = ", ".join(sorted(shipped))
        raise ConfigError(ref, 0, f"no such profile (shipped: {known}; or give a path to a profile JSON)")
    return path


def _is_shipped_file(path: Path, name: str) -> bool:
    shipped = shipped_profiles()[name]
    try:
        return path.resolve() == shipped.resolve() or path.read_bytes() == shipped.read_bytes()
    except OSError:
        return False


def _line_of(text: str, *path: str) -> int:
    """Line of the key at ``path`` (0 when absent): found by its path, not by the first matching text."""
    return json_key_line(text, path, 0)
