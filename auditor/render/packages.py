"""The package list of a project as JSON: one renderer for ``graph --format json`` and ``audit --format json``.

Unknown stays unknown: ``direct`` is ``true``, ``false`` or ``"unknown"`` (no file of the project
records what it declares), ``scopes`` a list or ``"unknown"`` (no file states them).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from auditor.findings import PackageView

__all__ = ["UNKNOWN", "package_dict", "packages_json"]

UNKNOWN = "unknown"


def package_dict(view: PackageView) -> dict[str, Any]:
    """One package: identity, versions with their purls, classification, where it is declared, what it needs."""
    return {
        "name": view.name,
        "version": view.version,
        "versions": list(view.versions),
        "ecosystem": view.ecosystem,
        "purl": view.purl,
        "purls": list(view.purls),
        "source": view.source,
        "direct": UNKNOWN if view.direct is None else view.direct,
        "scopes": list(view.scopes) if view.scopes else UNKNOWN,
        "declared_scopes": list(view.declared_scopes),
        "location": None if view.location is None else {"file": view.location.file, "line": view.location.line},
        "dependencies": list(view.dependencies),
        "licence": next((record.licence for record in view.records if record.licence), None),
    }


def packages_json(views: Iterable[PackageView]) -> list[dict[str, Any]]:
    return [package_dict(view) for view in views]
