"""``python -m auditor`` runs the CLI."""

from __future__ import annotations

from auditor.entry import main

main()
