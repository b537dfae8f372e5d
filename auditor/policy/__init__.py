"""Judge: rules and stack profiles checked against a project's graph, giving findings.

Depends on the model (``auditor.model``, ``auditor.graph``, ``auditor.findings``)
and on data (``rules/``, ``profiles/``), never on how inputs were read or how
findings are shown (``tests/test_layers.py`` keeps it so).
"""

from __future__ import annotations

__all__: list[str] = []
