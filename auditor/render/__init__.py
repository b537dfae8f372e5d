"""The registry of output formats: one module each, one line here."""

from __future__ import annotations

from auditor.render.base import Renderer, RenderOptions
from auditor.render.cyclonedx import CycloneDxRenderer
from auditor.render.json import JsonRenderer
from auditor.render.markdown import MarkdownRenderer
from auditor.render.sarif import SarifRenderer
from auditor.render.spdx import SpdxRenderer
from auditor.render.text import TextRenderer

__all__ = ["RENDERERS", "RenderOptions", "Renderer", "by_name"]

RENDERERS: tuple[Renderer, ...] = (
    TextRenderer(),
    JsonRenderer(),
    SarifRenderer(),
    MarkdownRenderer(),
    CycloneDxRenderer(),
    SpdxRenderer(),
)


def by_name(name: str) -> Renderer | None:
    """The renderer registered under ``name`` (``--format``)."""
    return next((renderer for renderer in RENDERERS if renderer.name == name), None)
