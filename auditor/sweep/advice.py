"""What a person can do about a repo that failed: one sentence per kind of failure."""

from __future__ import annotations

import json

from auditor.sweep.queries import RepoRecord

__all__ = ["exclude_entry", "failure_advice", "failure_title"]

_TITLES = {
    "input": "a dependency file could not be read",
    "clone": "the repository could not be fetched",
    "timeout": "the audit ran out of time",
    "crash": "the audit process died",
    "sbom": "GitHub's dependency-graph export failed",
}
_ADVICE = {
    "clone": "Check that the URL is right and that the token can read the repository (Contents: read).",
    "timeout": ("Raise --repo-timeout, or skip large vendored folders with --exclude or [[exclude]] in sweep.toml."),
    "crash": "The worker was killed (memory?) or crashed: the sweep went on; report it with the repo's files.",
    "sbom": "Check that the dependency graph is enabled for the repository, or sweep it with --via clone.",
}


def failure_title(record: RepoRecord) -> str:
    """What failed, in words."""
    return _TITLES.get(record.error_kind or "", "the audit failed")


def exclude_entry(repo: str, files: list[str]) -> str:
    """The sweep.toml entry that skips ``files`` in ``repo`` only (TOML strings via JSON quoting)."""
    paths = ", ".join(json.dumps(f) for f in files)
    return f"[[exclude]] repos = [{json.dumps(repo)}] paths = [{paths}]"


def failure_advice(record: RepoRecord) -> str:
    """What to do next; for unreadable files, the files and the excludes that would skip them."""
    if record.status == "ok":
        return ""
    if record.error_kind == "input":
        files = record.failed_file_list
        if not files:
            return "Fix the file named in the error, or skip it with [[exclude]] in sweep.toml."
        return (
            f"Fix {', '.join(files)} (the error names the line), or skip it for this repo in sweep.toml:"
            f" {exclude_entry(record.name, files)}. The other files were audited."
        )
    return _ADVICE.get(record.error_kind or "", "")
