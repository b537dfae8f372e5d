"""bandit over ``auditor/`` finds nothing of medium severity or above (as scripts/security-scan.sh checks)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_bandit_reports_no_medium_or_high_issue() -> None:
    """Run bandit with the project's configuration; every medium/high finding fails the test, by location."""
    done = subprocess.run(
        [sys.executable, "-m", "bandit", "-q", "-r", "auditor", "-c", "pyproject.toml", "-f", "json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.stdout, f"bandit did not run (pip install bandit): {done.stderr}"
    results = json.loads(done.stdout)["results"]
    serious = [
        f"{r['filename']}:{r['line_number']}: {r['test_id']} {r['issue_text']}"
        for r in results
        if r["issue_severity"] in ("MEDIUM", "HIGH")
    ]
    assert serious == []
