"""Version checks: is a version inside a specifier, and the release numbers of a plain version.

The policy asks the first (``django >=5,<6``, ``requires-python``); the
Poetry resolver needs the second for ``^`` and ``~``. packaging answers
both, but importing ``packaging.specifiers`` costs about 25 ms (it brings
in ``packaging.tags``, and with it platform, logging and subprocess): more
than reading a typical lockfile, on every audit. Nearly every check
compares a plain release (``5.2.1``, ``3.11``) with plain clauses
(``>=5,<6``, ``==3.*``, ``~=3.11``, ``!=3.9.1``), which are answered here
on integer tuples. Every other form (pre-, post- and dev-releases, epochs,
local versions, a leading ``v``, ``===``, anything malformed) goes to
packaging. ``tests/test_versions.py`` checks that both agree on generated
inputs.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

__all__ = ["InvalidSpecifierError", "compare", "contains", "is_specifier", "is_version", "pep440_release", "release"]

# Parts of at most 15 digits: longer ones (up to Python's 4300-digit int limit) go to packaging.
_PLAIN = re.compile(r"[0-9]{1,15}(?:\.[0-9]{1,15})*")
_CLAUSE = re.compile(r"\s*(~=|==|!=|<=|>=|<|>)\s*([0-9]{1,15}(?:\.[0-9]{1,15})*)(\.\*)?\s*")

Release = tuple[int, ...]
Clause = tuple[str, Release, bool]  # operator, release, wildcard


class InvalidSpecifierError(ValueError):
    """The text is not a PEP 440 version specifier."""


def release(text: str) -> Release | None:
    """The release of a plain version (``3.11`` -> ``(3, 11)``), None for any other form."""
    return tuple(int(part) for part in text.split(".")) if _PLAIN.fullmatch(text) else None


def pep440_release(text: str) -> Release | None:
    """The release of any PEP 440 version (``v1.2rc1`` -> ``(1, 2)``), None when the text is none."""
    plain = release(text)
    if plain is not None:
        return plain
    parsed = _packaging_version(text)
    return tuple(parsed.release) if parsed is not None else None


def contains(specifier: str, version: str) -> bool:
    """Whether ``version`` satisfies ``specifier`` (pre-releases admitted); False for an invalid version.

    Raises :class:`InvalidSpecifierError` for an invalid specifier.
    """
    clauses = _plain_clauses(specifier)
    candidate = release(version) if clauses is not None else None
    if clauses is None or candidate is None:
        return _packaging_contains(specifier, version)
    return all(_holds(operator, wanted, wildcard, candidate) for operator, wanted, wildcard in clauses)


def is_version(text: str) -> bool:
    """Whether ``text`` is a PEP 440 version."""
    return release(text) is not None or _packaging_version(text) is not None


def is_specifier(text: str) -> bool:
    """Whether ``text`` is a PEP 440 version specifier (plain clauses answered without packaging)."""
    if _plain_clauses(text) is not None:
        return True
    try:
        _packaging_specifier(text)
    except InvalidSpecifierError:
        return False
    return True


def compare(left: str, right: str) -> int:
    """-1, 0 or 1 as version ``left`` is lower than, equal to or higher than ``right`` (both valid)."""
    plain_left, plain_right = release(left), release(right)
    a: Any = _key(plain_left) if plain_left is not None else None
    b: Any = _key(plain_right) if plain_right is not None else None
    if a is None or b is None:
        a, b = _packaging_version(left), _packaging_version(right)
        if a is None or b is None:
            raise ValueError(f"not a version: {left if a is None else right!r}")
    return int(a > b) - int(a < b)


@lru_cache(maxsize=512)
def _plain_clauses(specifier: str) -> tuple[Clause, ...] | None:
    clauses: list[Clause] = []
    for text in specifier.split(","):
        if not text.strip():
            continue  # packaging skips empty clauses too
        found = _CLAUSE.fullmatch(text)
        if found is None:
            return None
        operator, numbers, wildcard = found.group(1), found.group(2), bool(found.group(3))
        wanted = tuple(int(part) for part in numbers.split("."))
        if wildcard and operator not in ("==", "!="):
            return None  # invalid: packaging says why
        if operator == "~=" and len(wanted) < 2:
            return None
        clauses.append((operator, wanted, wildcard))
    return tuple(clauses)


def _key(parts: Release) -> Release:
    """Comparison key of a release: trailing zeros do not count (``1.0 == 1``)."""
    end = len(parts)
    while end > 1 and parts[end - 1] == 0:
        end -= 1
    return parts[:end]


def _prefix_equal(wanted: Release, candidate: Release) -> bool:
    padded = candidate + (0,) * (len(wanted) - len(candidate))
    return padded[: len(wanted)] == wanted


def _holds(operator: str, wanted: Release, wildcard: bool, candidate: Release) -> bool:
    if operator in ("==", "!="):
        same = _prefix_equal(wanted, candidate) if wildcard else _key(candidate) == _key(wanted)
        return same if operator == "==" else not same
    if operator == "~=":
        return _key(candidate) >= _key(wanted) and _prefix_equal(wanted[:-1], candidate)
    have, bound = _key(candidate), _key(wanted)
    if operator == ">=":
        return have >= bound
    if operator == "<=":
        return have <= bound
    return have > bound if operator == ">" else have < bound


def _packaging_version(text: str) -> Any:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(text)
    except (InvalidVersion, ValueError):  # ValueError: over Python's 4300-digit int limit
        return None


def _packaging_specifier(specifier: str) -> Any:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        return SpecifierSet(specifier)
    except InvalidSpecifier as error:
        raise InvalidSpecifierError(str(error)) from None


def _packaging_contains(specifier: str, version: str) -> bool:
    from packaging.version import InvalidVersion, Version

    spec = _packaging_specifier(specifier)
    try:
        parsed = Version(version)
    except (InvalidVersion, ValueError):  # ValueError: over Python's 4300-digit int limit
        return False
    return bool(spec.contains(parsed, prereleases=True))
