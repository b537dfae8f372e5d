"""Rule and catalog ``message`` templates: named fields substituted, nothing else interpreted.

A message is data from a rules file, possibly the audited repository's own.
``str.format`` would interpret it as code: ``{package:>1500000000}`` pads to
gigabytes, ``{package.__class__}`` walks attributes. Here only ``{name}``
for a known field is replaced (``{{`` and ``}}`` are literal braces); any
other brace text is kept as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["fill"]

_FIELD = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


def fill(template: str, values: Mapping[str, str]) -> str:
    """``template`` with each ``{field}`` of ``values`` replaced; other text unchanged."""

    def replace(found: re.Match[str]) -> str:
        text = found.group(0)
        if text == "{{":
            return "{"
        if text == "}}":
            return "}"
        return values.get(found.group(1), text)

    return _FIELD.sub(replace, template)
