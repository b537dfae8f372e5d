"""The renderer contract: a report in, text out. Renderers never print or write files."""

from __future__ import annotations

from typing import ClassVar, NamedTuple, Protocol

from auditor.findings import Report

__all__ = ["RenderOptions", "Renderer"]


class RenderOptions(NamedTuple):
    """Options a renderer may honour; each ignores what does not concern it."""

    color: bool = False
    category: str | None = None  # SARIF automationDetails.id
    link_base: str | None = None  # Markdown: make file:line a link
    redact_version: bool = False  # golden files: no tool version in the bytes


class Renderer(Protocol):
    """One output format."""

    name: ClassVar[str]  # kebab-case, unique, used by --format
    suffix: ClassVar[str]  # file suffix for per-project outputs, e.g. ".sarif"

    def render(self, report: Report, options: RenderOptions) -> str:
        """The whole document for ``report``."""
