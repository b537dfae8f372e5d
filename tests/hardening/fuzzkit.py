"""Shared fuzzing machinery: seed files, mutations, and the resolver contract check.

Used by the hypothesis property tests (``test_hardening_fuzz.py``) and by the
atheris harnesses under ``fuzz/``. The contract every resolver must keep on
any input: return a :class:`ResolveResult`, or raise :class:`InputError`
naming the file and a line ``>= 0`` -- never another exception, never a hang.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import random
import signal
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from auditor.errors import InputError
from auditor.model import ResolveResult
from auditor.resolvers import Resolver, all_resolvers
from tests.resolver_cases import detects

__all__ = [
    "REPO",
    "SHARED_CORPUS",
    "Hang",
    "check_parse",
    "guard",
    "mutate",
    "seed_path",
    "seeds_for",
]

REPO = Path(__file__).resolve().parents[2]
# The shared corpus sits beside the checkout; STACK_AUDITOR_CORPUS points elsewhere (a git worktree).
SHARED_CORPUS = Path(os.environ.get("STACK_AUDITOR_CORPUS") or REPO / ".." / "shared" / "corpus")
SEED_ROOTS = (REPO / "examples", REPO / "tests" / "corpus", REPO / "tests" / "bad_inputs", SHARED_CORPUS)
NOT_SEEDS = (".md", ".expected.txt")

# Fragments that stress tokenizers: quotes, brackets, escapes, markup, NUL, huge numbers.
TOKENS = (
    '"',
    "'",
    '"""',
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    ",",
    "=",
    ":",
    "\n",
    "\r\n",
    "\\",
    "\\u",
    "#",
    "\x00",
    "\ufeff",
    "\u2028",
    "\ud7ff",
    "-r ",
    "-c ",
    "--hash=sha256:",
    "@",
    ";",
    "==",
    ">=",
    "~=",
    "===",
    "*",
    "<",
    ">",
    "</",
    '<!DOCTYPE x [<!ENTITY a "b">]>',
    "&a;",
    '<?xml version="1.0"?>',
    "<![CDATA[",
    "1e999",
    "-0",
    "99999999999999999999999999",
    "true",
    "null",
    "[]",
    "{}",
    "inf",
    "nan",
    "1979-05-27",
    "name",
    "version",
    "package",
    "dependencies",
    "bomFormat",
    "specVersion",
    "components",
    "packages",
    "SPDXID",
    "PackageName: ",
    "Relationship: ",
    "[[package]]",
    "[project]",
    "include-group",
    "\t",
)
# Literals of every TOML/JSON type, to put a wrong type into a field.
TOML_VALUES = (
    '"x"',
    "1",
    "-1.5",
    "true",
    "[]",
    "{}",
    '[1, "a"]',
    "{ a = 1 }",
    "1979-05-27T07:32:00Z",
    '""',
    "[[]]",
)
JSON_VALUES: tuple[Any, ...] = ("x", 1, -1.5, True, None, [], {}, [1, "a"], {"a": 1}, "", [[[]]])


def _is_seed(path: Path) -> bool:
    return path.is_file() and not path.name.endswith(NOT_SEEDS) and path.name != "SOURCES.md"


def _all_seed_files(max_bytes: int) -> list[Path]:
    found: list[Path] = []
    for root in SEED_ROOTS:
        if root.is_dir():
            found.extend(p for p in sorted(root.rglob("*")) if _is_seed(p) and p.stat().st_size <= max_bytes)
    return found


@functools.lru_cache(maxsize=64)
def seeds_for(resolver: Resolver, max_bytes: int = 128 * 1024) -> list[tuple[str, str]]:
    """(canonical file name, text) of every committed or shared file of this resolver's format.

    A file belongs to a resolver when the resolver detects its name, or it
    sits in a corpus folder named after the resolver, or the resolver sniffs
    its first bytes (the shared corpus keeps upstream names like ``example.toml``).
    """
    seeds: list[tuple[str, str]] = []
    for file in _all_seed_files(max_bytes):
        try:
            text = file.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
        in_folder = resolver.name in file.parts
        if detects(resolver.name, PurePosixPath(file.name)) or in_folder or resolver.sniff(text[:4096]):
            seeds.append((file.name, text))
    return seeds


def seed_path(resolver: Resolver, name: str) -> str:
    """A path the resolver would be given for this seed: its canonical name when the seed's is not."""
    if detects(resolver.name, PurePosixPath(name)):
        return name
    for candidate in CANONICAL_NAMES:
        if detects(resolver.name, PurePosixPath(candidate)):
            return candidate
    return name


CANONICAL_NAMES = (
    "uv.lock",
    "pyproject.toml",
    "requirements.txt",
    "poetry.lock",
    "pylock.toml",
    "Pipfile",
    "Pipfile.lock",
    "pdm.lock",
    "bom.json",
    "bom.xml",
    "sbom.cdx.json",
    "sbom.cdx.xml",
    "sbom.spdx.json",
    "sbom.spdx",
    "bom.cdx.json",
    "bom.cdx.xml",
    "x.spdx.json",
    "x.spdx",
)


class Hang(BaseException):
    """A parse ran past the guard's time limit."""


@contextlib.contextmanager
def guard(seconds: float) -> Iterator[None]:
    """Raise :class:`Hang` in this (main) thread if the block runs longer than ``seconds``."""

    def alarm(_signum: int, _frame: object) -> None:
        raise Hang(f"parse ran over {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_parse(resolver: Resolver, text: str, path: str, seconds: float = 10.0) -> ResolveResult | InputError:
    """Parse under the guard; anything but a result or a located InputError propagates."""
    try:
        with guard(seconds):
            result = resolver.parse(text, path)
    except InputError as error:
        assert error.file == path, f"InputError names {error.file!r}, not the parsed file {path!r}"
        assert isinstance(error.line, int), f"line is {error.line!r}, not an int"
        assert error.line >= 0, f"negative line {error.line}"
        assert error.message.strip(), "empty message"
        assert "\n" not in error.message, f"multi-line message (one failure, one line): {error.message!r}"
        str(error)  # must render
        return error
    assert isinstance(result, ResolveResult), f"parse returned {type(result).__name__}"
    for package in result.packages:
        assert package.provenance is None or package.provenance.line >= 1
    return result


# --- mutations ---------------------------------------------------------------------------------


def _replace_value(text: str, rng: random.Random) -> str:
    """Structure-aware: on a ``key = value`` / ``"key": value`` line, put a value of another type."""
    lines = text.split("\n")
    candidates = [n for n, line in enumerate(lines) if "=" in line or '":' in line]
    if not candidates:
        return text
    n = rng.choice(candidates)
    line = lines[n]
    if '":' in line:
        key = line.split('":', 1)[0]
        value = json.dumps(rng.choice(JSON_VALUES))
        lines[n] = f'{key}": {value}' + ("," if line.rstrip().endswith(",") else "")
    else:
        key = line.split("=", 1)[0]
        lines[n] = f"{key}= {rng.choice(TOML_VALUES)}"
    return "\n".join(lines)


def _mutate_json_tree(value: Any, rng: random.Random, depth: int = 0) -> Any:
    """Structure-aware JSON: replace, drop or retype one node somewhere in the tree."""
    if isinstance(value, dict) and value and depth < 12:
        key = rng.choice(sorted(value))
        roll = rng.random()
        copy = dict(value)
        if roll < 0.15:
            del copy[key]
        elif roll < 0.35:
            copy[key] = rng.choice(JSON_VALUES)
        else:
            copy[key] = _mutate_json_tree(value[key], rng, depth + 1)
        return copy
    if isinstance(value, list) and value and depth < 12:
        copy = list(value)
        n = rng.randrange(len(copy))
        roll = rng.random()
        if roll < 0.15:
            copy.append(copy[n])  # a duplicate entry
        elif roll < 0.3:
            copy[n] = rng.choice(JSON_VALUES)
        else:
            copy[n] = _mutate_json_tree(copy[n], rng, depth + 1)
        return copy
    return rng.choice(JSON_VALUES)


def mutate(text: str, rng: random.Random, rounds: int) -> str:
    """Apply ``rounds`` random mutations: byte-level and structure-aware (TOML/JSON values, lines)."""
    if text.lstrip().startswith(("{", "[")) and rng.random() < 0.4:
        with contextlib.suppress(ValueError, RecursionError):
            text = json.dumps(_mutate_json_tree(json.loads(text), rng), indent=rng.choice((None, 2)))
    for _ in range(rounds):
        op = rng.randrange(8)
        size = len(text)
        at = rng.randint(0, size)
        if op == 0:  # truncate
            text = text[:at]
        elif op == 1:  # delete a span
            text = text[:at] + text[at + rng.randint(1, 64) :]
        elif op == 2:  # insert a token
            text = text[:at] + rng.choice(TOKENS) + text[at:]
        elif op == 3:  # insert random characters (any code point but surrogates)
            noise = "".join(
                chr(rng.choice((rng.randint(0, 127), rng.randint(0, 0xD7FF)))) for _ in range(rng.randint(1, 8))
            )
            text = text[:at] + noise + text[at:]
        elif op in (4, 5):
            text = _replace_value(text, rng)
        else:  # duplicate, drop or swap whole lines
            lines = text.split("\n")
            if len(lines) > 1:
                i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
                choice = rng.randrange(3)
                if choice == 0:
                    lines.insert(j, lines[i])
                elif choice == 1:
                    del lines[i]
                else:
                    lines[i], lines[j] = lines[j], lines[i]
                text = "\n".join(lines)
    return text


def resolver_ids() -> list[str]:
    """Test ids: one per registered resolver."""
    return [resolver.name for resolver in all_resolvers()]
