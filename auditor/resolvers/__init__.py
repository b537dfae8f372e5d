"""The registry of input formats: one module each, one line here.

Detection order is the order of this list: the first resolver whose
``detect`` accepts a path wins; for unknown names, the first whose ``sniff``
accepts the content.
"""

from __future__ import annotations

from auditor.resolvers.base import Resolver
from auditor.resolvers.cyclonedx_json import CycloneDxJsonResolver
from auditor.resolvers.cyclonedx_xml import CycloneDxXmlResolver
from auditor.resolvers.pdm_lock import PdmLockResolver
from auditor.resolvers.pipfile import PipfileResolver
from auditor.resolvers.pipfile_lock import PipfileLockResolver
from auditor.resolvers.poetry_lock import PoetryLockResolver
from auditor.resolvers.pylock import PylockResolver
from auditor.resolvers.pyproject import PyprojectResolver
from auditor.resolvers.requirements import RequirementsResolver
from auditor.resolvers.spdx_json import SpdxJsonResolver
from auditor.resolvers.spdx_tv import SpdxTagValueResolver
from auditor.resolvers.uv_lock import UvLockResolver

__all__ = ["RESOLVERS", "Resolver", "by_name"]

RESOLVERS: tuple[Resolver, ...] = (
    UvLockResolver(),
    PoetryLockResolver(),
    PdmLockResolver(),
    PylockResolver(),
    PipfileLockResolver(),
    PipfileResolver(),
    PyprojectResolver(),
    CycloneDxJsonResolver(),
    CycloneDxXmlResolver(),
    SpdxJsonResolver(),
    SpdxTagValueResolver(),
    RequirementsResolver(),
)


def by_name(name: str) -> Resolver | None:
    """The resolver registered under ``name`` (``--input-format``)."""
    return next((resolver for resolver in RESOLVERS if resolver.name == name), None)
