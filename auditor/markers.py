"""Can a dependency's environment marker hold anywhere the lock installs?

A lock states the Pythons it was resolved for (pdm's ``requires_python``, uv's
``requires-python``, Poetry's ``python-versions``). A marker that is false for
every admitted Python on every common platform (``tomli; python_version < "3.11"``
under ``>=3.11``) describes a dependency the lock can never install: not an edge,
and not a declared dependency the lock is missing.

Markers are evaluated with ``packaging.markers`` (imported only when a marker is
met) over a small grid of environments; anything it cannot evaluate holds.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product

from auditor.versions import contains

__all__ = ["can_hold", "mentions_python", "python_range_can_hold"]

_PYTHONS = tuple(f"3.{minor}" for minor in range(6, 16))
# sys_platform, platform_system, os_name, platform_machine: the platforms wheels are built for.
_PLATFORMS = (
    ("linux", "Linux", "posix", "x86_64"),
    ("linux", "Linux", "posix", "aarch64"),
    ("darwin", "Darwin", "posix", "arm64"),
    ("darwin", "Darwin", "posix", "x86_64"),
    ("win32", "Windows", "nt", "AMD64"),
)
_IMPLEMENTATIONS = (("cpython", "CPython"), ("pypy", "PyPy"))


_PYTHON_VARIABLES = re.compile(r"\bpython_(?:full_)?version\b")
_PLATFORM_VARIABLES = re.compile(r"\b(?:sys_platform|platform_system|os_name|platform_machine)\b")
_IMPLEMENTATION_VARIABLES = re.compile(r"\b(?:implementation_name|platform_python_implementation)\b")


def mentions_python(marker: str) -> bool:
    """Whether a marker restricts the Python version (the only thing a lock's range says)."""
    return bool(_PYTHON_VARIABLES.search(marker))


def python_range_can_hold(marker: str, requires_python: str) -> bool:
    """:func:`can_hold`, judged only for markers about the Python version (the lock's range says nothing else)."""
    if not mentions_python(marker):
        return True  # a platform or extra marker holds somewhere the lock applies
    return can_hold(marker, requires_python)


@lru_cache(maxsize=4096)
def can_hold(marker: str | None, requires_python: str | None = None) -> bool:
    """False only when ``marker`` is false in every environment the Python range admits.

    Only the variables the marker names are varied (a marker about Pythons alone is tried once
    per admitted Python), which keeps a long uv marker to a few evaluations.
    """
    if not marker:
        return True
    from packaging.markers import InvalidMarker, Marker, UndefinedComparison, UndefinedEnvironmentName

    try:
        parsed = Marker(marker)
    except InvalidMarker:
        return True
    pythons = [p for p in _PYTHONS if _admits(requires_python, p)] or list(_PYTHONS)
    platforms = _PLATFORMS if _PLATFORM_VARIABLES.search(marker) else _PLATFORMS[:1]
    implementations = _IMPLEMENTATIONS if _IMPLEMENTATION_VARIABLES.search(marker) else _IMPLEMENTATIONS[:1]
    extras = ["", *_extras_named(marker)] if "extra" in marker else [""]
    # Pythons vary fastest: most markers that mention them hold for some admitted Python at once.
    for extra, (impl, impl_name), (platform, system, os_name, machine), python in product(
        extras, implementations, platforms, pythons
    ):
        environment = {
            "python_version": python,
            "python_full_version": f"{python}.0",
            "sys_platform": platform,
            "platform_system": system,
            "os_name": os_name,
            "platform_machine": machine,
            "implementation_name": impl,
            "platform_python_implementation": impl_name,
            "extra": extra,
        }
        try:
            if parsed.evaluate(environment):
                return True
        except (UndefinedComparison, UndefinedEnvironmentName, ValueError, TypeError):
            return True
    return False


def _admits(requires_python: str | None, python: str) -> bool:
    if not requires_python:
        return True
    try:
        # "3.11" must count as admitted by ">=3.11.4": any patch release of the minor version will do.
        return contains(requires_python, f"{python}.99") or contains(requires_python, f"{python}.0")
    except ValueError:
        return True


def _extras_named(marker: str) -> list[str]:
    return re.findall(r"""extra\s*==\s*["']([^"']+)["']""", marker)
