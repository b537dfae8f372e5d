"""The small parts of a sweep: shards, safe names, URL names, sweep.toml, heads, scrubbing, the CLI."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditor.errors import ConfigError, UsageError
from auditor.sweep.gitops import GitAuth, local_head, web_origin
from auditor.sweep.model import RepoSpec, safe_name
from auditor.sweep.profiles import load_sweep_config
from auditor.sweep.shard import Shard, parse_shard
from auditor.sweep.sources import is_url, name_from_url
from tests.sweep_helpers import git, make_repo

ROOT = Path(__file__).resolve().parents[1]


@given(st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=50, unique=True), st.integers(1, 9))
def test_shards_partition_every_name_exactly_once(names: list[str], count: int) -> None:
    """Every name lands in exactly one of the N shards."""
    for name in names:
        assert sum(Shard(i, count).contains(name) for i in range(1, count + 1)) == 1


def test_shard_assignment_is_stable_across_processes() -> None:
    """The shard of a name does not depend on Python's per-process hash seed."""
    code = (
        "from auditor.sweep.shard import Shard; print([Shard(i, 5).contains('acme/a') for i in range(1, 6)])"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1


@pytest.mark.parametrize("text", ["0/4", "5/4", "1/0", "a/b", "1-4", ""])
def test_bad_shards_are_usage_errors(text: str) -> None:
    """--shard takes I/N with 1 <= I <= N; anything else says so."""
    with pytest.raises(UsageError, match="--shard"):
        parse_shard(text)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("acme/api", "acme__api"), ("api", "api"), ("my-org/web.app", "my-org__web.app")],
)
def test_safe_names(name: str, expected: str) -> None:
    """owner/name becomes owner__name; plain names stay as they are."""
    assert safe_name(name) == expected


def test_safe_names_of_odd_names_differ() -> None:
    """Names that differ only in replaced characters still get different files."""
    assert safe_name("a b/c") != safe_name("a_b/c")
    assert "/" not in safe_name("../../etc/passwd") and not safe_name("../x").startswith(".")


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://github.com/acme/api.git", "acme/api"),
        ("https://github.com/acme/api", "acme/api"),
        ("git@github.com:acme/api.git", "acme/api"),
        ("ssh://git@host:22/group/sub/api.git", "sub/api"),
        ("file:///srv/git/acme/api/", "acme/api"),
    ],
)
def test_names_from_urls(url: str, name: str) -> None:
    """A URL's repo name is its last two path segments without .git."""
    assert is_url(url)
    assert name_from_url(url) == name


def test_local_paths_are_not_urls() -> None:
    """Paths, even with colons or at-signs in folder names, are paths."""
    assert not is_url("../checkouts/api")
    assert not is_url("/srv/a@b/c")


def test_sweep_toml_assignments_and_errors(tmp_path: Path) -> None:
    """Globs and topics assign profiles in order; unknown keys and empty matches are located errors."""
    file = tmp_path / "sweep.toml"
    file.write_text(
        'profile = "org.json"\n[[assign]]\nrepos = "acme/shop-*"\nprofile = "django-monolith"\n'
        '[[assign]]\ntopics = ["fastapi"]\nprofile = "fastapi-python"\n'
    )
    config = load_sweep_config(file)
    assert config.profile_for(RepoSpec("acme/shop-eu", "github", ""), None) == "django-monolith"
    assert config.profile_for(RepoSpec("acme/x", "github", "", topics=("fastapi",)), None) == "fastapi-python"
    assert config.profile_for(RepoSpec("acme/y", "github", ""), "cli-profile") == "cli-profile"
    assert config.profile_for(RepoSpec("acme/y", "github", ""), None) == str(tmp_path / "org.json")
    for text, message in (
        ('[[assign]]\nprofile = "x"\n', "needs repos"),
        ("prolife = 1\n", "unknown key"),
        ('[[assign]]\nrepos = 3\nprofile = "x"\n', "repos must be"),
    ):
        file.write_text(text)
        with pytest.raises(ConfigError, match=message):
            load_sweep_config(file)


def test_local_head_reads_loose_and_packed_refs(tmp_path: Path) -> None:
    """A checkout's head comes from .git (loose or packed ref); a plain folder gets a content digest."""
    repo = make_repo(tmp_path / "r", "django-monolith")
    sha = git(repo, "rev-parse", "HEAD")
    assert local_head(repo) == sha
    git(repo, "pack-refs", "--all")
    assert local_head(repo) == sha
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "requirements.txt").write_text("django\n")
    before = local_head(plain)
    assert before.startswith("tree:")
    (plain / "requirements.txt").write_text("django==5.1\n")
    assert local_head(plain) != before


def test_git_auth_scrubs_raw_and_base64_and_stays_on_its_host() -> None:
    """The git header goes only to the GitHub host, and both forms of the token are scrubbed."""
    auth = GitAuth.for_token("ghp_secret123", web_origin(None))
    basic = base64.b64encode(b"x-access-token:ghp_secret123").decode()
    assert auth.scrub(f"x ghp_secret123 y {basic}") == "x *** y ***"
    assert auth.applies_to("https://github.com/acme/api.git")
    assert not auth.applies_to("https://gitlab.com/acme/api.git")
    assert web_origin("https://ghe.example.com/api/v3") == "https://ghe.example.com"


def test_cli_exit_codes_and_plain_log_lines(tmp_path: Path) -> None:
    """The CLI: no source or a bad shard is exit 2; in CI a sweep logs plain lines and exits 0."""

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "CI": "true"}
        return subprocess.run(
            [sys.executable, "-m", "auditor", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            check=False,
        )

    assert cli("sweep", "--out", str(tmp_path / "o")).returncode == 2
    bad = cli("sweep", "--root", str(tmp_path), "--shard", "9/4", "--out", str(tmp_path / "o"))
    assert bad.returncode == 2 and "--shard" in bad.stderr
    make_repo(tmp_path / "root" / "api", "fastapi-service")
    done = cli("sweep", "--root", str(tmp_path / "root"), "--out", str(tmp_path / "o"), "-j", "1")
    assert done.returncode == 0, done.stderr
    assert "sweep: 1/1 repos" in done.stderr and "\x1b[" not in done.stderr
    merged = cli("merge", str(tmp_path / "o"), "--out", str(tmp_path / "m"))
    assert merged.returncode == 0 and (tmp_path / "m" / "summary.json").is_file()
