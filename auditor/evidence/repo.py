"""Repository facts that are not code: commit authors, CODEOWNERS, a coverage report.

``git log`` runs only on a real checkout, without a pager, prompts, network or the
repository's hooks (log runs none), with a time limit; ``--no-git`` skips it.
CODEOWNERS and coverage reports are read as bounded text, never executed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from auditor.evidence.model import EvidenceOptions, RepoFacts

__all__ = ["AUTHOR_DAYS", "codeowners", "coverage_report", "git_authors", "repo_facts"]

AUTHOR_DAYS = 90
_MAX_REPORT_BYTES = 50_000_000
_CODEOWNERS = ("CODEOWNERS", ".github/CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS")
_COVERAGE_FILES = ("coverage.xml", "cobertura.xml", "coverage.json", "reports/coverage.xml", "coverage/coverage.xml")
_LINE_RATE = re.compile(rb"<coverage\b[^>]*?\bline-rate=\"([0-9.]+)\"")


def repo_facts(root: Path, project: str, options: EvidenceOptions) -> RepoFacts:
    base = root if project in (".", "") else root / project
    if options.read_git:
        authors, why = git_authors(base)
    else:
        authors, why = None, "--no-git: commit history not read"
    owners_file, owned = codeowners(root)
    coverage, coverage_file = coverage_report(root, base)
    return RepoFacts(authors, why, owners_file, owned, coverage, coverage_file)


def git_authors(folder: Path, days: int = AUTHOR_DAYS, timeout: float = 20.0) -> tuple[int | None, str]:
    """Distinct commit author e-mails of the last ``days`` days, or None and why not."""
    if not any((parent / ".git").exists() for parent in (folder.resolve(), *folder.resolve().parents)):
        return None, "not a git checkout"
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_CONFIG_NOSYSTEM": "1", "GIT_OPTIONAL_LOCKS": "0"}
    command = [
        "git",
        "--no-pager",
        "-C",
        str(folder),
        "log",
        f"--since={days}.days.ago",
        "--format=%aE",
        "--no-show-signature",
        "--",
        ".",
    ]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, env=env, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return None, f"git log failed: {type(error).__name__}"
    if done.returncode != 0:
        return None, "git log failed (a shallow or damaged checkout?)"
    emails = {line.strip().lower() for line in done.stdout.decode("utf-8", "replace").splitlines() if line.strip()}
    return len(emails), ""


def codeowners(root: Path) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    for name in _CODEOWNERS:
        path = root / name
        if path.is_file() and not path.is_symlink() and path.stat().st_size < 1_000_000:
            rules = []
            for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
                line = raw.split("#", 1)[0].strip()
                if not line:
                    continue
                pattern, _, owners = line.partition(" ")
                if owners.strip():
                    rules.append((pattern, " ".join(owners.split())))
            return name, tuple(rules)
    return None, ()


def coverage_report(root: Path, base: Path) -> tuple[float | None, str | None]:
    """Line coverage (0..1) from a Cobertura XML (``line-rate``) or coverage.py JSON (``percent_covered``)."""
    for folder in dict.fromkeys((base, root)):
        for name in _COVERAGE_FILES:
            path = folder / name
            if not path.is_file() or path.is_symlink() or path.stat().st_size > _MAX_REPORT_BYTES:
                continue
            relative = path.relative_to(root).as_posix()
            if name.endswith(".xml"):
                with path.open("rb") as handle:
                    match = _LINE_RATE.search(handle.read(4096))
                if match:
                    try:
                        return float(match.group(1)), relative
                    except ValueError:
                        continue
            else:
                try:
                    totals = json.loads(path.read_bytes()).get("totals", {})
                    return float(totals["percent_covered"]) / 100, relative
                except (ValueError, KeyError, TypeError, AttributeError):
                    continue
    return None, None
