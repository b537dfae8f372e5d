"""Data files that crash a run or act as code (issue 18, classes 4 and 7).

Class 7: input Python accepts but no output can carry, or that makes a
parser raise what it should not (4,301-digit integers, lone surrogate
escapes, non-UTF-8 file and folder names, a package name that empties in a
purl): each is a located error for its file, exit 2, every other project still
reported in every format. Class 4: rule messages are templates of named
fields, not ``str.format`` code; the configuration, rule and catalog files of
an audited repository are read like its manifests (inside the root, regular
files, bounded).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditor.audit import AuditOptions, audit
from auditor.errors import ConfigError
from auditor.hostile_text import checked_text
from auditor.policy.template import fill

REPO = Path(__file__).resolve().parents[2]
GOOD = REPO / "examples" / "django-monolith"
FORMATS = ("text", "json", "sarif", "markdown", "cyclonedx", "spdx")
BIG = "7" * 4400


def _cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "auditor", *args],
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
        cwd=REPO,
        timeout=timeout,
    )


def _cyclonedx(components: str, extra: str = "") -> str:
    return f'{{"bomFormat": "CycloneDX", "specVersion": "1.5", {extra}"components": [{components}]}}\n'


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A good project beside one project per hostile input."""
    root = tmp_path / "mono"
    shutil.copytree(GOOD, root / "good")
    files = {
        "bigint-toml/pyproject.toml": f'[project]\nname = "x"\nversion = "1"\n\n[tool.x]\nn = {BIG}\n',
        "bigint-lock/uv.lock": f'version = 1\nrevision = {BIG}\nrequires-python = ">=3.10"\n',
        "bigint-json/bom.json": _cyclonedx('{"type": "library", "name": "a", "version": "1"}', f'"version": {BIG}, '),
        "surrogate/bom.json": _cyclonedx(
            '{"type": "library", "name": "a", "version": "1"},\n'
            '{"type": "library", "name": "b\\ud800", "version": "1", "purl": "pkg:pypi/b\\udc00@1"}'
        ),
        "emptyname/bom.json": _cyclonedx(
            '{"type": "library", "name": "grp/", "version": "1"},'
            '{"type": "library", "name": "/", "version": "2", "purl": "pkg:npm/y@2"}'
        ),
    }
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    raw = os.fsencode(root)
    os.makedirs(raw + b"/latin-\xe9-folder", exist_ok=True)
    with open(raw + b"/latin-\xe9-folder/requirements.txt", "w") as handle:
        handle.write("django==5.0\n")
    os.makedirs(raw + b"/named", exist_ok=True)
    with open(raw + b"/named/requirements-\xff.txt", "w") as handle:
        handle.write("flask==3.0\n")
    (root / "named" / "requirements.txt").write_text("flask==3.0\n")
    return root


EXPECTED = {
    "bigint-toml/pyproject.toml": (6, "integer literal over 4,300 digits"),
    "bigint-lock/uv.lock": (2, "integer literal over 4,300 digits"),
    "bigint-json/bom.json": (1, "integer literal over 4,300 digits"),
    "surrogate/bom.json": (2, "lone surrogate escape \\ud800"),
    "latin-\\udce9-folder/requirements.txt": (0, "file name is not valid UTF-8"),
    "named/requirements-\\udcff.txt": (0, "file name is not valid UTF-8"),
}


def test_hostile_inputs_are_located_errors_in_every_format(hostile: Path) -> None:
    for output_format in FORMATS:
        done = _cli("audit", str(hostile), "-f", output_format)
        assert done.returncode == 2, (output_format, done.stderr[-2000:])
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr, output_format
        if output_format in ("text", "markdown"):
            assert "good" in done.stdout, output_format
        else:
            assert json.loads(done.stdout), output_format
    done = _cli("audit", str(hostile), "-f", "json")
    report = json.loads(done.stdout)
    failures = {f["file"]: (f["line"], f["message"]) for f in report["failures"]}
    for file, (line, text) in EXPECTED.items():
        assert file in failures, (file, sorted(failures))
        assert failures[file][0] == line and text in failures[file][1], (file, failures[file])
    projects = {p["path"] for p in report["projects"]}
    assert {"good", "named"} <= projects


def test_empty_purl_name_still_makes_a_valid_sbom(hostile: Path) -> None:
    done = _cli("audit", str(hostile / "emptyname"), "-f", "cyclonedx")
    assert done.returncode in (0, 1), done.stderr
    names = {c["name"] for c in json.loads(done.stdout)["components"]}
    assert {"grp/", "/"} <= names or len(names) >= 2


@pytest.mark.parametrize(
    ("text", "lone"),
    [
        (r'{"a": "\ud83d\ude00"}', False),
        (r'{"a": "\\ud800"}', False),
        (r'{"a": "x\ud800"}', True),
        (r'{"a": "\udc00"}', True),
        (r'{"a": "\ud800\u0041"}', True),
        (r'{"a": "\\\ud800"}', True),
        (r"django==5 # \ud800", False),
    ],
)
def test_lone_surrogate_escapes_are_found_and_pairs_are_not(text: str, lone: bool) -> None:
    if lone:
        with pytest.raises(Exception, match="lone surrogate"):
            checked_text(text, "f.json")
    else:
        assert checked_text(text, "f.json") == text


# --- class 4: message templates ------------------------------------------------------------


def test_fill_substitutes_named_fields_only() -> None:
    values = {"package": "django", "reason": "why"}
    assert fill("{package}: {reason}", values) == "django: why"
    assert fill("{package:>1500000000}", values) == "{package:>1500000000}"
    kept = "{package.__class__} {0} {unknown}"
    assert fill(kept + " {{package}}", values) == kept + " {package}"


RULE = """
[[rule]]
id = "ORG001"
name = "no-django"
severity = "error"
summary = "django is banned here"
message = "{message}"
condition = {{ present = ["django"] }}
help = '''
## What it flags
django.

## Why it matters
Because.

## How to fix
Remove it.

## Example
django==5
'''
"""


def _repo_with_rule(root: Path, message: str) -> Path:
    shutil.copytree(GOOD, root)
    (root / "ci-rules").mkdir()
    (root / "ci-rules" / "org.toml").write_text(RULE.format(message=message))
    (root / ".stack-auditor.toml").write_text('rules = ["ci-rules"]\n')
    return root


def test_a_repository_rule_message_cannot_pad_to_gigabytes(tmp_path: Path) -> None:
    root = _repo_with_rule(tmp_path / "repo", "{package:>1500000000} {package.__class__.__mro__}")
    started = time.perf_counter()
    report = audit(root, AuditOptions())
    assert time.perf_counter() - started < 20
    messages = [f.message for f in report.findings if f.rule_id == "ORG001"]
    assert messages and all(m.startswith("{package:>1500000000} {package.__class__.__mro__}") for m in messages)


# --- class 4: configuration, rule and catalog files as data ------------------------------------


def test_config_symlinked_out_of_the_root_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.toml"
    outside.write_text('fail-on = "never"\n')
    root = tmp_path / "repo"
    shutil.copytree(GOOD, root)
    (root / ".stack-auditor.toml").symlink_to(outside)
    with pytest.raises(ConfigError, match="leads out of the audited root"):
        audit(root, AuditOptions())


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_config_linked_to_a_device_is_refused_at_once(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(GOOD, root)
    (root / ".stack-auditor.toml").symlink_to("/dev/zero")
    with pytest.raises(ConfigError):
        audit(root, AuditOptions())


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("name", [".stack-auditor.toml", "requirements.txt", "ci-rules/extra.toml"])
def test_a_fifo_named_like_an_input_never_hangs(tmp_path: Path, name: str) -> None:
    root = _repo_with_rule(tmp_path / "repo", "{package} is banned")
    if name != "ci-rules/extra.toml":
        (root / name).unlink()
    os.mkfifo(root / name)
    done = _cli("audit", str(root), timeout=30)
    assert done.returncode == 2, done.stderr
    assert "not a regular file" in done.stderr + done.stdout and "Traceback" not in done.stderr


def test_rule_and_catalog_files_symlinked_out_of_the_root_are_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "catalog.toml").write_text("[tokens]\n")
    root = _repo_with_rule(tmp_path / "repo", "{package} is banned")
    (root / "ci-rules" / "catalog.toml").symlink_to(outside / "catalog.toml")
    with pytest.raises(ConfigError, match="leads out of the audited root"):
        audit(root, AuditOptions())
    (root / "ci-rules" / "catalog.toml").unlink()
    (root / "ci-rules" / "more.toml").symlink_to(outside / "catalog.toml")
    with pytest.raises(ConfigError, match="leads out of the audited root"):
        audit(root, AuditOptions())


def test_config_read_honours_max_file_bytes(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(GOOD, root)
    (root / ".stack-auditor.toml").write_text('fail-on = "error"\n' + "#" * 5000 + "\n")
    with pytest.raises(ConfigError, match="over the limit of 4096"):
        audit(root, AuditOptions(max_file_bytes=4096))


def test_config_with_a_huge_integer_is_a_located_error(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(GOOD, root)
    (root / ".stack-auditor.toml").write_text(f'fail-on = "error"\nx = {BIG}\n')
    with pytest.raises(ConfigError) as raised:
        audit(root, AuditOptions())
    assert raised.value.line == 2


def test_a_sweep_over_non_utf8_folder_names_reports_them_and_goes_on(tmp_path: Path) -> None:
    from tests.sweep_helpers import by_name, make_repo, sweep

    root = tmp_path / "root"
    make_repo(root / "acme" / "good", "django-monolith")
    raw = os.fsencode(root / "acme") + b"/bad-\xff"
    make_repo(Path(os.fsdecode(raw)), "django-monolith")
    with open(raw + b"/requirements-\xfe.txt", "w") as handle:
        handle.write("flask==3.0\n")
    for _ in range(2):  # the second run reads the history the first one wrote
        _run, summary = sweep(tmp_path / "out", roots=(root,))
        repos = by_name(summary)
        assert repos["acme/good"]["status"] == "ok"
        assert "acme/bad-\\udcff" in repos, sorted(repos)
    assert "file name is not valid UTF-8" in (tmp_path / "out" / "summary.csv").read_text()
