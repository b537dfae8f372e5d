"""The registry of input formats: one module each, one entry here.

An entry names the format, says which file names are that format, and where
its resolver lives. The resolver's module is imported the first time a file
of that format is read (or a file of unknown name is sniffed), so an audit
of one requirements file loads one parser, not twelve. File names are
declared here, as syft and pre-commit declare them, because discovery
matches every file of a tree against every format; reading content
(``sniff``) stays with each resolver.

Detection order is the order of :data:`FORMATS`: the first format whose
name pattern matches a path wins; for unknown names, the first resolver
whose ``sniff`` accepts the content.
"""

from __future__ import annotations

import re
from importlib import import_module
from pathlib import PurePosixPath

from auditor.model import FileRole
from auditor.resolvers.base import Resolver

__all__ = ["FORMATS", "Format", "Resolver", "all_resolvers", "by_name", "format_named"]


class Format:
    """One input format: its name, its file names, and its resolver (imported on first use)."""

    __slots__ = ("_folder_files", "_implementation", "_loaded", "_names", "name", "role")

    def __init__(
        self,
        name: str,
        role: FileRole,
        implementation: str,
        names: str,
        folder_files: str | None = None,
        ignore_case: bool = False,
    ) -> None:
        """``names`` must match the whole file name; ``folder_files`` the whole ``folder/name``."""
        flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
        self.name = name
        self.role = role
        self._implementation = implementation
        self._names = re.compile(names, flags)
        self._folder_files = re.compile(folder_files, flags) if folder_files else None
        self._loaded: Resolver | None = None

    def detect(self, path: PurePosixPath) -> bool:
        """True when the file name alone says this is the format."""
        if self._names.fullmatch(path.name):
            return True
        folder = self._folder_files
        return folder is not None and folder.fullmatch(f"{path.parent.name}/{path.name}") is not None

    @property
    def resolver(self) -> Resolver:
        """The resolver, its module imported now if it was not yet."""
        if self._loaded is None:
            module, _, attribute = self._implementation.partition(":")
            self._loaded = getattr(import_module(f"auditor.resolvers.{module}"), attribute)()
        return self._loaded

    def __repr__(self) -> str:
        return f"Format({self.name!r})"


FORMATS: tuple[Format, ...] = (
    Format("uv-lock", "lock", "uv_lock:UvLockResolver", r"uv\.lock"),
    Format("poetry-lock", "lock", "poetry_lock:PoetryLockResolver", r"poetry\.lock"),
    # pdm.<env>.lock is what `pdm lock --lockfile` writes.
    Format("pdm-lock", "lock", "pdm_lock:PdmLockResolver", r"pdm\.(?:.*\.)?lock"),
    # PEP 751: pylock.toml, or pylock.<name>.toml with no dot in the name.
    Format("pylock", "lock", "pylock:PylockResolver", r"pylock(?:\.[^.]+)?\.toml"),
    Format("pipfile-lock", "lock", "pipfile_lock:PipfileLockResolver", r"Pipfile\.lock"),
    Format("pipfile", "manifest", "pipfile:PipfileResolver", r"Pipfile"),
    Format("pyproject", "manifest", "pyproject:PyprojectResolver", r"pyproject\.toml"),
    # SBOMs: the names each specification recommends; any other name is recognised by content.
    Format("cyclonedx-json", "sbom", "cyclonedx_json:CycloneDxJsonResolver", r"bom\.json|.*\.cdx\.json", None, True),
    Format("cyclonedx-xml", "sbom", "cyclonedx_xml:CycloneDxXmlResolver", r"bom\.xml|.*\.cdx\.xml", None, True),
    Format("spdx-json", "sbom", "spdx_json:SpdxJsonResolver", r".*\.spdx\.json", None, True),
    Format("spdx-tv", "sbom", "spdx_tv:SpdxTagValueResolver", r".*\.spdx", None, True),
    Format(
        "requirements",
        "manifest",
        "requirements:RequirementsResolver",
        # pip-compile's inputs are *.in, but MANIFEST.in is setuptools' file list, not requirements.
        r"(?!MANIFEST\.in\Z).*\.in|requirements.*\.txt|.*[-_]requirements\.txt",
        folder_files=r"requirements/.*\.txt",
    ),
)


def format_named(name: str) -> Format | None:
    """The format registered under ``name`` (``--input-format``)."""
    return next((entry for entry in FORMATS if entry.name == name), None)


def by_name(name: str) -> Resolver | None:
    """The resolver of the format registered under ``name``."""
    entry = format_named(name)
    return entry.resolver if entry is not None else None


def all_resolvers() -> list[Resolver]:
    """Every registered resolver, in detection order (imports every format module)."""
    return [entry.resolver for entry in FORMATS]
