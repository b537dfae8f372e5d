"""The renderer contract: a report in, text out. Renderers never print or write files."""

from __future__ import annotations

from typing import Any, ClassVar, NamedTuple, Protocol

from auditor.findings import ProfileInference, Report

__all__ = ["RenderOptions", "Renderer", "inference_dict", "inference_words"]


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


def inference_dict(inference: ProfileInference, camel: bool = False) -> dict[str, Any]:
    """A profile choice's confidence as JSON (snake_case) or SARIF properties (camelCase)."""
    return {
        "status": inference.status,
        ("runnerUp" if camel else "runner_up"): inference.runner_up,
        "margin": inference.margin,
        ("decidedBy" if camel else "decided_by"): inference.decided_by,
    }


def inference_words(inference: ProfileInference | None) -> str:
    """`` (tie with X)``, `` (narrow: X by 1)`` or "" for a choice nobody needs to double-check."""
    if inference is None:
        return ""
    if inference.status == "tie":
        return f" (tie with {inference.runner_up}: {inference.decided_by})"
    if inference.status == "narrow":
        return f" (narrow win over {inference.runner_up} by {inference.margin}: {inference.decided_by})"
    return ""
