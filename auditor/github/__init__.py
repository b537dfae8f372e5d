"""GitHub integration: a small REST client, SARIF upload to code scanning, and its CLI command.

Import the submodules directly (``auditor.github.client``, ``auditor.github.upload``):
this package stays empty so the CLI can register ``upload`` without paying for
``urllib``/``ssl`` on every start.
"""

from __future__ import annotations

__all__: list[str] = []
