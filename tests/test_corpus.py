"""One parametrized test over every file of the shared corpus (../shared/corpus, see its SOURCES.md).

Each file is recognised (by name, else by content) and parses — or, for a
file that is genuinely invalid, fails with a located InputError. The corpus
sits beside the checkout in CI; elsewhere these tests say plainly that it is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.audit import AuditOptions, audit
from auditor.discover import resolver_for
from auditor.errors import InputError
from tests.conftest import SHARED_CORPUS

# Format folder -> the resolvers its files may be read by (companion manifests sit beside locks).
FOLDER_RESOLVERS = {
    "requirements": {"requirements"},
    "pyproject": {"pyproject"},
    "uv-lock": {"uv-lock", "pyproject"},
    "poetry-lock": {"poetry-lock", "pyproject"},
    "pipfile-lock": {"pipfile-lock", "pipfile"},
    "pdm-lock": {"pdm-lock", "pyproject"},
    "pylock": {"pylock"},
    "cyclonedx-json": {"cyclonedx-json"},
    "cyclonedx-xml": {"cyclonedx-xml"},
    "spdx-json": {"spdx-json"},
    "spdx-tv": {"spdx-tv"},
}
# Files that are invalid on purpose upstream, with the located message we expect.
# Each is a deliberately odd upstream test fixture that pip itself refuses.
KNOWN_INVALID: dict[str, str] = {
    "requirements/osv-scalibr-options/per_req_options.txt": (
        "per_req_options.txt:13: invalid requirement 'foo7==1.0 unexpected_text_before_options_stays_around "
        "--hash=sha256:123': Expected comma (within version specifier), semicolon (after version specifier) or end"
    ),
    "requirements/pip-requirements-parser/pip-docs-examples.txt": (
        "pip-docs-examples.txt:78: invalid requirement 'SomePackage1 SomePackage2 --no-binary :all:': "
        "Expected semicolon (after name with no version specifier) or end"
    ),
    "requirements/pip-requirements-parser/requirementslib-tests.txt": (
        "requirementslib-tests.txt:19: invalid requirement 'FooProject==1.2 --hash=sha256:"
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\",': No closing quotation"
    ),
}


def _corpus_files() -> list[Path]:
    if not SHARED_CORPUS.is_dir():
        return []
    return sorted(p for p in SHARED_CORPUS.rglob("*") if p.is_file() and p.name != "SOURCES.md")


FILES = _corpus_files()


def _id(path: Path) -> str:
    return path.relative_to(SHARED_CORPUS).as_posix()


@pytest.mark.corpus
@pytest.mark.parametrize("path", FILES or [None], ids=[_id(p) for p in FILES] or ["absent"])
def test_corpus_file_parses(path: Path | None) -> None:
    """The file is recognised as its folder's format and parses (or fails with a located message)."""
    if path is None:
        pytest.skip(f"shared corpus absent: {SHARED_CORPUS} not found")
    folder = path.relative_to(SHARED_CORPUS).parts[0]
    resolver = resolver_for(path, sniff=True)
    assert resolver is not None, f"{_id(path)}: not recognised"
    assert resolver.name in FOLDER_RESOLVERS[folder], f"{_id(path)}: read as {resolver.name}"
    text = path.read_bytes().decode("utf-8-sig")
    try:
        result = resolver.parse(text, path.name)
    except InputError as error:
        assert _id(path) in KNOWN_INVALID, f"unexpected failure: {error}"
        assert str(error) == KNOWN_INVALID[_id(path)]
        return
    assert _id(path) not in KNOWN_INVALID
    assert result.packages or result.edges or result.projects or result.skipped or result.includes, (
        f"{_id(path)}: nothing read"
    )
    for package in result.packages:
        assert package.provenance is not None and package.provenance.line >= 1, package


@pytest.mark.corpus
@pytest.mark.parametrize("folder", sorted(FOLDER_RESOLVERS))
def test_corpus_folder_audits_without_traceback(folder: str) -> None:
    """Auditing a whole format folder runs the full pipeline; any failure is a located InputFailure."""
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"shared corpus absent: {SHARED_CORPUS} not found")
    report = audit(SHARED_CORPUS / folder, AuditOptions())
    assert report.projects
    for failure in report.failures:
        assert failure.file and failure.message
