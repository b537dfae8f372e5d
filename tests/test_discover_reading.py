"""What is read: dependency files by name *and* content, default excludes, --include, and an empty path.

Issue 16: MANIFEST.in and Jinja templates ended audits with exit 2; test fixtures and template folders
were audited as projects; a path without dependency files passed silently.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from auditor.audit import AuditOptions, audit
from auditor.cli import app
from auditor.discover import DEFAULT_EXCLUDES, discover_tree
from auditor.entry import parse_audit_argv
from tests.files import write_files

LOCK_FREE_APP = "django==5.2.1\n"


def test_manifest_in_is_not_a_dependency_file(tmp_path: Path) -> None:
    """MANIFEST.in (packaging) is skipped with a note; requirements.in and a requirements-like dev.in are read."""
    write_files(
        tmp_path,
        {
            "MANIFEST.in": "include LICENSE\nrecursive-include src *.py\ngraft docs\n",
            "requirements.in": "django>=5\n",
            "dev.in": "pytest==8.3.3\nruff\n",
            "setup.cfg.in": "[metadata]\nname = @NAME@\n",
        },
    )
    report = audit(tmp_path, AuditOptions(use_config=False))
    assert not report.failures
    assert report.projects[0].files == ["dev.in", "requirements.in"]
    skipped = {s.name: s.reason for s in report.skipped}
    assert "not requirements" in skipped["setup.cfg.in"]
    # MANIFEST.in never matches the requirements name pattern (auditor/resolvers registry): not even sniffed.
    assert "MANIFEST.in" not in skipped


def test_jinja_template_is_skipped_not_an_input_error(tmp_path: Path) -> None:
    """A requirements file or pyproject.toml that fails to parse because it is a Jinja template is skipped
    with a note, while a valid pyproject.toml that quotes ``{{ }}`` in a string is still read."""
    write_files(
        tmp_path,
        {
            "app/requirements.txt": "django==5.2.1\n{%- if cookiecutter.q == 'y' %}\ncelery==5.4.0\n{%- endif %}\n",
            "app/pyproject.toml": '[project]\nname = "{{ cookiecutter.project_slug }}"\nversion = "1"\n{% if x %}\n',
            "lib/pyproject.toml": (
                '[project]\nname = "lib"\nversion = "1"\ndependencies = ["attrs"]\n'
                '[tool.ruff]\nexclude = ["{{cookiecutter.project_slug}}"]\n'
            ),
            "broken/requirements.txt": "django==5.2.1\n!!! not a requirement\n",
        },
    )
    report = audit(tmp_path, AuditOptions(use_config=False))
    assert [f.file for f in report.failures] == ["broken/requirements.txt"]  # a broken file is still an error
    assert "app" not in {p.path for p in report.projects}  # nothing of it was a dependency file
    notes = {s.name: s.reason for s in report.skipped}
    assert notes["app/requirements.txt"].startswith("a Jinja template (line 2: '{%- if'")
    assert "app/pyproject.toml" in notes
    assert "lib" in {p.path for p in report.projects}


def test_default_excludes_are_counted_and_overridable(tmp_path: Path) -> None:
    """Fixtures, templated folders and venvs are left out and counted; --include and
    --no-default-excludes bring them back."""
    write_files(
        tmp_path,
        {
            "requirements.txt": LOCK_FREE_APP,
            "tests/fixtures/one/requirements.txt": "flask==3.0.0\n",
            "tests/fixtures/two/requirements.txt": "flask==3.0.0\n",
            "{{cookiecutter.project_slug}}/requirements.txt": "{% if x %}\n",
            "env/pyvenv.cfg": "home = /usr/bin\n",
            "env/lib/requirements.txt": "six==1.0\n",
        },
    )
    found = discover_tree(tmp_path)
    assert [p.path for p in found.projects] == ["."]
    assert found.excluded == {"(holds pyvenv.cfg)": 1, "*{{*": 1, "fixtures": 1}
    included = discover_tree(tmp_path, includes=("tests/fixtures",))
    assert [p.path for p in included.projects] == [".", "tests/fixtures/one", "tests/fixtures/two"]
    everything = discover_tree(tmp_path, default_excludes=False)
    assert len(everything.projects) == 5 and everything.excluded == {}
    # A user's --exclude is counted under its own pattern.
    assert discover_tree(tmp_path, excludes=("tests",)).excluded["tests"] == 1


def test_excluded_folders_are_shown_and_options_wired(tmp_path: Path) -> None:
    """Text output says "excluded N folders (patterns)"; JSON lists them; both CLI parsers know the options."""
    write_files(tmp_path, {"requirements.txt": LOCK_FREE_APP, "tests/fixtures/a/requirements.txt": "flask==3.0.0\n"})
    result = CliRunner().invoke(app, ["audit", str(tmp_path), "--no-config", "--fail-on", "never"])
    assert "excluded 1 folder (fixtures)" in result.stdout
    result = CliRunner().invoke(
        app, ["audit", str(tmp_path), "--no-config", "--format", "json", "--include", "tests/fixtures"]
    )
    data = json.loads(result.stdout)
    assert [p["path"] for p in data["projects"]] == [".", "tests/fixtures/a"] and data["excluded"] == {}
    result = CliRunner().invoke(
        app, ["audit", str(tmp_path), "--no-config", "--format", "json", "--no-default-excludes"]
    )
    assert len(json.loads(result.stdout)["projects"]) == 2
    parsed = parse_audit_argv([str(tmp_path), "--include", "a/*", "--include=b", "--no-default-excludes"])
    assert parsed is not None
    assert parsed["include"] == ["a/*", "b"] and parsed["no_default_excludes"] is True


def test_no_dependency_files_is_exit_2(tmp_path: Path) -> None:
    """A path with nothing to audit says so and exits 2, naming what was excluded or skipped
    (through the console script's fast path, as CI runs it)."""
    write_files(tmp_path, {"setup.cfg.in": "[metadata]\n", "tests/fixtures/x/requirements.txt": "six==1.0\n"})
    result = subprocess.run(
        [sys.executable, "-m", "auditor", "audit", str(tmp_path), "--no-config"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert f"no dependency files found under {tmp_path}" in result.stderr
    assert "excluded 1 folder (fixtures)" in result.stderr and "setup.cfg.in" in result.stderr
    assert audit(tmp_path, AuditOptions(use_config=False)).no_dependency_files


def test_default_excludes_are_documented() -> None:
    """Every default exclude appears in the generated docs/discovery.md (python -m auditor.docs)."""
    page = (Path(__file__).resolve().parents[1] / "docs" / "discovery.md").read_text(encoding="utf-8")
    for rule in DEFAULT_EXCLUDES:
        assert f"| `{rule.pattern}` |" in page


def test_named_look_alikes_are_passed_over(tmp_path: Path) -> None:
    """A pre-commit hook passes every changed *.in: MANIFEST.in named on the command line is skipped with a
    note (exit 0 when it is the only file), and the requirements named beside it are audited."""
    write_files(tmp_path, {"MANIFEST.in": "include LICENSE\n", "requirements.in": "django==5.2.1\n"})
    both = audit([tmp_path / "MANIFEST.in", tmp_path / "requirements.in"], AuditOptions(use_config=False))
    assert [p.files for p in both.projects] == [["requirements.in"]] and not both.failures
    assert [s.reason for s in both.skipped] == ["a packaging manifest, not a dependency file: not read"]
    result = CliRunner().invoke(app, ["audit", str(tmp_path / "MANIFEST.in"), "--no-config"])
    assert result.exit_code == 0, result.output
    assert "skipped: MANIFEST.in: a packaging manifest" in result.stdout
    assert "0 projects" in result.stdout
