"""The registry of output formats: one module each, one line here.

A format's module is imported when the format is chosen, not at start-up:
the SBOM writers bring in uuid and cyclonedx-python-lib, which a SARIF run
never needs.
"""

from __future__ import annotations

from importlib import import_module

from auditor.render.base import Renderer, RenderOptions

__all__ = ["FORMATS", "RenderOptions", "Renderer", "all_renderers", "by_name"]

# --format name -> "module:class"
FORMATS: dict[str, str] = {
    "text": "auditor.render.text:TextRenderer",
    "json": "auditor.render.json:JsonRenderer",
    "sarif": "auditor.render.sarif:SarifRenderer",
    "markdown": "auditor.render.markdown:MarkdownRenderer",
    "cyclonedx": "auditor.render.cyclonedx:CycloneDxRenderer",
    "spdx": "auditor.render.spdx:SpdxRenderer",
}


def by_name(name: str) -> Renderer | None:
    """The renderer registered under ``name`` (``--format``), its module imported now."""
    target = FORMATS.get(name)
    if target is None:
        return None
    module, _, attribute = target.partition(":")
    renderer: Renderer = getattr(import_module(module), attribute)()
    return renderer


def all_renderers() -> list[Renderer]:
    """Every registered renderer, in registry order (imports every output module)."""
    return [renderer for renderer in map(by_name, FORMATS) if renderer is not None]
