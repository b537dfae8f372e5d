"""Where the shipped ``rules/`` and ``profiles/`` are, in a checkout or an installed wheel."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["shipped_profiles_dir", "shipped_rules_dir"]

_CHECKOUT = Path(__file__).resolve().parent.parent


def _locate(package: str, folder: str) -> Path:
    # An installed wheel carries them as data packages (see pyproject's package-dir);
    # a checkout (or an editable install) has them at the top of the repository.
    try:
        found = resources.files(package)
        path = Path(str(found))
        if path.is_dir():
            return path
    except (ModuleNotFoundError, TypeError):
        pass
    return _CHECKOUT / folder


def shipped_rules_dir() -> Path:
    """The folder of the rule files and the catalog that ship with stack-auditor."""
    return _locate("auditor._rules", "rules")


def shipped_profiles_dir() -> Path:
    """The folder of the stack profiles that ship with stack-auditor."""
    return _locate("auditor._profiles", "profiles")
