"""Re-exports the one TOML and JSON locators (:mod:`auditor.locate`) for the policy loaders."""

from __future__ import annotations

from auditor.locate.json import json_key_line
from auditor.locate.toml import toml_line

__all__ = ["json_key_line", "toml_line"]
