"""The shipped ``rules/`` and ``profiles/``, read through ``importlib.resources`` from any install.

They ship as the regular packages ``auditor._rules`` and ``auditor._profiles``
(pyproject's ``package-dir`` maps the repository's top-level ``rules/`` and
``profiles/`` there), so :func:`importlib.resources.files` finds them in a
wheel, an sdist install, pipx, ``pip install git+URL`` and an editable install
alike. The rest of the tool reads them as folders: where the install is not a
folder on disk (a zip on ``sys.path``), the files are extracted once, as
:func:`importlib.resources.as_file` does, into a folder removed at exit.

A checkout run without installing (the repository on ``sys.path``) has no
``auditor._rules`` package; the folders at the top of the repository serve
then. A shipped set with no file in it is an :class:`InstallError`, never an
empty list of rules or profiles.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.errors import InstallError

if TYPE_CHECKING:
    from importlib.abc import Traversable

__all__ = ["shipped_profiles_dir", "shipped_rules_dir"]

_CHECKOUT = Path(__file__).resolve().parent.parent


@cache
def shipped_rules_dir() -> Path:
    """The folder of the rule files and the catalog that ship with stack-auditor."""
    return _shipped_folder("auditor._rules", "rules", ".toml")


@cache
def shipped_profiles_dir() -> Path:
    """The folder of the stack profiles that ship with stack-auditor."""
    return _shipped_folder("auditor._profiles", "profiles", ".json")


def _shipped_folder(package: str, checkout_folder: str, suffix: str) -> Path:
    folder = _as_folder(_traversable(package, checkout_folder))
    if not any(path.suffix == suffix for path in folder.iterdir()):
        raise InstallError(f"{folder}: no shipped *{suffix} file: this installation of stack-auditor is incomplete")
    return folder


def _traversable(package: str, checkout_folder: str) -> Traversable:
    try:
        return resources.files(package)
    except ModuleNotFoundError:
        pass
    folder = _CHECKOUT / checkout_folder
    if (folder / "__init__.py").is_file():
        return folder
    raise InstallError(f"{package}: the shipped data package is missing: this installation is incomplete")


def _as_folder(found: Traversable) -> Path:
    """``found`` itself when it is a folder on disk, else a temporary copy of its tree."""
    if isinstance(found, Path):
        return found
    target = Path(tempfile.mkdtemp(prefix="stack-auditor-data-"))
    atexit.register(shutil.rmtree, target, ignore_errors=True)
    _copy_tree(found, target)
    return target


def _copy_tree(source: Traversable, target: Path) -> None:
    for entry in source.iterdir():
        if entry.is_dir():
            if entry.name != "__pycache__":
                (target / entry.name).mkdir()
                _copy_tree(entry, target / entry.name)
        else:
            (target / entry.name).write_bytes(entry.read_bytes())
