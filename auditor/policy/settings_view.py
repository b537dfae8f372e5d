"""The project's Django settings, as the settings module named by ``DJANGO_SETTINGS_MODULE`` sees them.

The settings module is the one ``manage.py``, ``wsgi.py``, ``asgi.py`` or the pytest/tox
configuration names, plus every module it star-imports (split settings: ``from .base import *``).
When no named module is found among the files that assign settings, every such file counts.
"""

from __future__ import annotations

from auditor.evidence.model import Evidence, Fact

__all__ = ["SettingsView", "settings_files"]

_SETTING_KINDS = ("setting", "setting-item", "setting-unknown", "setting-removed")


def settings_files(evidence: Evidence) -> set[str]:
    candidates = {f.file for f in evidence.facts if f.kind in _SETTING_KINDS}
    named = {f.value.replace(".", "/") for f in evidence.facts if f.kind == "settings-module"}
    chosen = {file for file in candidates if any(_is_module(file, module) for module in named)}
    if not chosen:
        return candidates
    imports = [f for f in evidence.facts if f.kind == "star-import"]
    todo = list(chosen)
    while todo:
        current = todo.pop()
        for fact in imports:
            if fact.file != current:
                continue
            for file in candidates - chosen:
                if _is_module(file, fact.value):
                    chosen.add(file)
                    todo.append(file)
    return chosen


def _is_module(file: str, module: str) -> bool:
    """``a/b/settings.py`` or ``a/b/settings/__init__.py`` is module ``b/settings`` (matched as a path suffix)."""
    stem = file[: -len("/__init__.py")] if file.endswith("/__init__.py") else file.removesuffix(".py")
    return stem == module or stem.endswith(f"/{module}")


class SettingsView:
    """Setting facts restricted to the settings module(s)."""

    def __init__(self, evidence: Evidence) -> None:
        files = settings_files(evidence)
        self.facts = [f for f in evidence.facts if f.kind in _SETTING_KINDS and f.file in files]

    def items(self, *names: str) -> list[Fact]:
        return [f for f in self.facts if f.kind == "setting-item" and f.value in names]

    def item(self, name: str, *prefixes: str) -> Fact | None:
        return next((f for f in self.items(name) if f.detail.startswith(prefixes)), None)

    def values(self, *paths: str) -> list[Fact]:
        return [f for f in self.facts if f.kind in ("setting", "setting-item") and f.value in paths]

    def first(self, name: str) -> Fact | None:
        return next((f for f in self.facts if f.kind == "setting" and f.value == name), None)

    def unknown(self, name: str) -> list[Fact]:
        return [f for f in self.facts if f.kind == "setting-unknown" and f.value == name]
