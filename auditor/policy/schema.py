"""A small JSON Schema validator for the schemas stack-auditor ships (``auditor/schemas/*.json``).

The shipped schemas are plain JSON Schema (draft 2020-12) and pass any full
validator (the tests check them with ``jsonschema``); this module implements
the subset they use (``type``, ``properties``, ``required``,
``additionalProperties``, ``patternProperties``, ``propertyNames``, ``enum``,
``pattern``, ``minLength``, ``items``, ``minItems``, ``oneOf``, ``anyOf``,
local ``$ref``), so loading a rule file or a profile needs no extra runtime
dependency. Each problem carries the path of the offending value, which the
loaders turn into a line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

__all__ = ["SchemaProblem", "load_schema", "load_validated_toml", "validate"]

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "number": (int, float),
}


class SchemaProblem(NamedTuple):
    """One violation: where (a path of keys and indexes) and what was expected."""

    path: tuple[str | int, ...]
    message: str

    def where(self) -> str:
        """The path as ``rule[0].condition.all[1]``."""
        out = ""
        for part in self.path:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
        return out or "the document"


@cache
def load_schema(name: str) -> Mapping[str, Any]:
    """A shipped schema by file stem, e.g. ``rule-file`` -> ``auditor/schemas/rule-file.schema.json``."""
    try:
        text = (
            resources.files("auditor").joinpath("schemas").joinpath(f"{name}.schema.json").read_text(encoding="utf-8")
        )
    except (ModuleNotFoundError, FileNotFoundError, TypeError):
        text = (Path(__file__).resolve().parent.parent / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    data: Mapping[str, Any] = json.loads(text)
    return data


def validate(value: Any, schema: Mapping[str, Any]) -> list[SchemaProblem]:
    """Every problem of ``value`` against ``schema``, in document order."""
    problems: list[SchemaProblem] = []
    _check(value, schema, schema, (), problems)
    return problems


def _type_ok(value: Any, kind: str) -> bool:
    if kind in ("integer", "number") and isinstance(value, bool):
        return False  # bool is an int subclass; JSON Schema keeps them apart
    return isinstance(value, _TYPES[kind])


def _check(
    value: Any,
    schema: Mapping[str, Any],
    root: Mapping[str, Any],
    path: tuple[str | int, ...],
    out: list[SchemaProblem],
) -> None:
    if "$ref" in schema:
        ref = schema["$ref"]
        target: Any = root
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        _check(value, target, root, path, out)
        return
    kind = schema.get("type")
    if kind is not None:
        kinds = kind if isinstance(kind, list) else [kind]
        if not any(_type_ok(value, k) for k in kinds):
            out.append(
                SchemaProblem(path, f"must be {' or '.join(_article(k) for k in kinds)}, not {_json_type(value)}")
            )
            return
    for combinator in ("oneOf", "anyOf"):
        if combinator in schema:
            options = schema[combinator]
            passing = [o for o in options if not validate_sub(value, o, root, path)]
            if not passing:
                best = min((validate_sub(value, o, root, path) for o in options), key=len)
                out.extend(best)
                return
    if "enum" in schema and value not in schema["enum"]:
        out.append(SchemaProblem(path, f"must be one of {', '.join(map(str, schema['enum']))}, not {value!r}"))
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            out.append(SchemaProblem(path, "must not be empty"))
        if "pattern" in schema and not re.search(schema["pattern"], value):
            out.append(
                SchemaProblem(
                    path,
                    schema.get("description-of-pattern", f"must match {schema['pattern']}") + f", not {value!r}",
                )
            )
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            out.append(SchemaProblem(path, f"must have at least {schema['minItems']} item(s)"))
        if "items" in schema:
            for n, item in enumerate(value):
                _check(item, schema["items"], root, (*path, n), out)
    if isinstance(value, dict):
        _check_object(value, schema, root, path, out)


def _check_object(
    value: dict[str, Any],
    schema: Mapping[str, Any],
    root: Mapping[str, Any],
    path: tuple[str | int, ...],
    out: list[SchemaProblem],
) -> None:
    properties = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    extra = schema.get("additionalProperties", True)
    names = schema.get("propertyNames")
    for key, item in value.items():
        if names is not None:
            _check(key, names, root, (*path, key), out)
        if key in properties:
            _check(item, properties[key], root, (*path, key), out)
            continue
        matched = [p for p in patterns if re.search(p, key)]
        for pattern in matched:
            _check(item, patterns[pattern], root, (*path, key), out)
        if matched:
            continue
        if extra is False:
            known = ", ".join(sorted(properties))
            hint = f" (expected one of: {known})" if known else ""
            out.append(SchemaProblem((*path, key), f"unknown key {key!r}{hint}"))
        elif isinstance(extra, dict):
            _check(item, extra, root, (*path, key), out)
    # Missing keys last: a misspelt key ("stak") is the better first message than "missing 'stack'".
    for key in schema.get("required", ()):
        if key not in value:
            out.append(SchemaProblem(path, f"missing required key {key!r}"))


def validate_sub(
    value: Any, schema: Mapping[str, Any], root: Mapping[str, Any], path: tuple[str | int, ...]
) -> list[SchemaProblem]:
    """Problems of ``value`` against a sub-schema of ``root`` (for oneOf/anyOf)."""
    out: list[SchemaProblem] = []
    _check(value, schema, root, path, out)
    return out


def _article(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


def _json_type(value: Any) -> str:
    for name, types in (
        ("boolean", (bool,)),
        ("integer", (int,)),
        ("number", (float,)),
        ("string", (str,)),
        ("array", (list,)),
        ("object", (dict,)),
    ):
        if isinstance(value, types):
            return name
    return type(value).__name__


def load_validated_toml(
    path: Path, schema: str, what: str, shipped: bool = False, root: Path | None = None
) -> tuple[str, dict[str, Any]]:
    """Read a TOML data file (rule file, catalog) and check it against ``schema``: its text and data.

    Every problem is a :class:`ConfigError` naming the file and line. A
    ``shipped`` file (part of stack-auditor) is not checked again on every run:
    the test suite checks each one in full.
    """
    import tomli

    from auditor.errors import ConfigError
    from auditor.locate.toml import toml_line

    label = path.as_posix()
    from auditor.datafile import number_error, read_data_file

    text = read_data_file(path, label, what, root=root)
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        raise ConfigError(label, getattr(error, "lineno", 0), f"invalid TOML: {getattr(error, 'msg', error)}") from None
    except ValueError as error:
        raise number_error(label, text, error) from None
    problems = [] if shipped else validate(data, load_schema(schema))
    if problems:
        first = problems[0]
        raise ConfigError(label, toml_line(text, first.path), f"{first.where()}: {first.message}")
    return text, data
