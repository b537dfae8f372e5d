"""Hostile URLs and repository metadata against the sweep's git plumbing (issue 18, classes 1, 2, 9).

A ``--repos`` line or a GitHub listing's ``clone_url`` is attacker-controlled:
it must never reach git as an option or a transport that runs commands, and a
checkout's ``.git`` must never make the sweep read a file outside it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from auditor.sweep.gitops import REMOTE_SCHEMES, GitError, check_url, clone_or_fetch, commit_of, local_head
from tests.sweep_fake_github import CANARY, FakeGitHub, FakeRepo
from tests.sweep_helpers import by_name, git, make_repo, sweep

HOSTILE_URLS = (
    "--upload-pack=touch PWNED;x@h:y",
    "-uPWNED@h:y",
    " --upload-pack=touch PWNED@h:y",
    "ext::sh -c touch% PWNED",
    "fd::17",
    "http://example.com/a/b.git",
    "git://example.com/a/b.git",
    "https://example.com/a\n--upload-pack=x",
    "file:///tmp/a",
)


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_check_url_refuses_options_transports_and_schemes_outside_the_list(url: str) -> None:
    with pytest.raises(GitError, match="refused git URL"):
        check_url(url, REMOTE_SCHEMES)


@pytest.mark.parametrize(
    "url",
    ["https://github.com/acme/app.git", "ssh://git@github.com/acme/app.git", "git@github.com:acme/app.git"],
)
def test_check_url_accepts_https_ssh_and_scp_like(url: str) -> None:
    assert check_url(url) == url


def test_file_urls_only_where_local_sources_were_asked_for(tmp_path: Path) -> None:
    assert check_url(f"file://{tmp_path}", REMOTE_SCHEMES | {"file"})
    with pytest.raises(GitError):
        check_url(f"file://{tmp_path}")


def test_repos_list_entry_that_looks_like_an_option_never_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each hostile line is a failed repo with the reason; nothing is executed; the others are audited."""
    monkeypatch.chdir(tmp_path)
    good = make_repo(tmp_path / "remotes" / "acme" / "good", "django-monolith")
    listing = tmp_path / "repos.txt"
    lines = ["--upload-pack=touch PWNED;x@h:y", "http://index.invalid/acme/plain.git", f"file://{good}"]
    listing.write_text("\n".join(lines) + "\n")
    _run, summary = sweep(tmp_path / "out", repo_files=(listing,))
    assert not list(tmp_path.rglob("PWNED*"))
    repos = by_name(summary)
    assert repos["acme/good"]["status"] == "ok"
    failed = [r for n, r in repos.items() if n != "acme/good"]
    assert len(failed) == 2 and all(r["status"] == "failed" and "refused git URL" in r["error"] for r in failed)


def test_github_listing_clone_urls_are_checked_and_malformed_entries_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A listing naming ``--upload-pack``, ``ext::``, another host or nothing usable: failed or skipped."""
    monkeypatch.chdir(tmp_path)
    fake = FakeGitHub(tmp_path / "remotes", graphql_broken=True)
    make_repo(fake.git_root / "acme/good", "django-monolith")
    fake.repos["acme/good"] = FakeRepo("acme/good", fake.git_root / "acme/good")
    fake.start()
    try:
        honest = fake.rest_page

        def hostile_page(page: int) -> tuple[list[Any], bool]:
            items, more = honest(page)
            items += [
                {"full_name": "acme/opt", "clone_url": "--upload-pack=touch PWNED;x@h:y"},
                {"full_name": "acme/ext", "clone_url": "ext::sh -c touch% PWNED"},
                {"full_name": "acme/elsewhere", "clone_url": "https://evil.example/acme/x.git"},
                {"full_name": "acme/nourl"},
                {"full_name": 12, "clone_url": None},
                "not an object",
            ]
            return items, more

        monkeypatch.setattr(fake, "rest_page", hostile_page)
        environ = {k: v for k, v in os.environ.items() if k != "GH_TOKEN"} | {"GITHUB_TOKEN": CANARY}
        _run, summary = sweep(tmp_path / "out", orgs=("acme",), api_url=fake.api_url, environ=environ)
    finally:
        fake.stop()
    assert not list(tmp_path.rglob("PWNED*"))
    repos = by_name(summary)
    assert repos["acme/good"]["status"] == "ok"
    assert set(repos) == {"acme/good", "acme/opt", "acme/ext", "acme/elsewhere"}
    for name in ("acme/opt", "acme/ext", "acme/elsewhere"):
        assert repos[name]["status"] == "failed", name


def test_head_ref_pointing_outside_the_checkout_is_never_read(tmp_path: Path) -> None:
    """``ref: ../../secret`` in ``.git/HEAD``: the secret's content appears nowhere (git is asked, not files)."""
    secret = tmp_path / "secret"
    secret.write_text("TOPSECRET-0123456789\n")
    repo = make_repo(tmp_path / "root" / "acme" / "evil", "django-monolith")
    (repo / ".git" / "HEAD").write_text("ref: ../../../../secret\n")
    assert commit_of(repo) is None
    assert "TOPSECRET" not in local_head(repo)
    gitfile = make_repo(tmp_path / "root" / "acme" / "evil2", "django-monolith")
    shutil.rmtree(gitfile / ".git")
    (gitfile / ".git").write_text(f"gitdir: {tmp_path}\n")  # HEAD of the gitdir would be tmp_path/HEAD
    (tmp_path / "HEAD").write_text("TOPSECRET-0123456789\n")
    assert "TOPSECRET" not in local_head(gitfile)
    out = tmp_path / "out"
    sweep(out, roots=(tmp_path / "root",))
    for path in out.rglob("*"):
        if path.is_file():
            assert b"TOPSECRET" not in path.read_bytes(), path


def test_head_of_a_real_checkout_and_of_a_worktree(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", "django-monolith")
    sha = git(repo, "rev-parse", "HEAD")
    assert commit_of(repo) == sha
    git(repo, "worktree", "add", "--detach", str(tmp_path / "wt"))
    assert commit_of(tmp_path / "wt") == sha
    plain = tmp_path / "repo" / "sub"
    plain.mkdir()
    assert commit_of(plain) is None  # the enclosing repository is not this folder's


def test_cache_whose_origin_changed_is_cloned_afresh(tmp_path: Path) -> None:
    """A cached clone of the old URL is never fetched for the new one (the new repository is audited)."""
    old = make_repo(tmp_path / "old", "django-monolith")
    new = make_repo(tmp_path / "new", "fastapi-on-django")
    dest = tmp_path / "cache" / "acme__app"
    schemes = REMOTE_SCHEMES | {"file"}
    assert clone_or_fetch(f"file://{old}", dest, schemes=schemes) == git(old, "rev-parse", "HEAD")
    assert clone_or_fetch(f"file://{new}", dest, schemes=schemes) == git(new, "rev-parse", "HEAD")
    origin = subprocess.run(
        ["git", "config", "--get", "remote.origin.url"], cwd=dest, capture_output=True, text=True, check=True
    )
    assert origin.stdout.strip() == f"file://{new}"


def test_two_remotes_ending_in_the_same_name_are_both_swept_under_distinct_names(tmp_path: Path) -> None:
    one = make_repo(tmp_path / "one" / "acme" / "app", "django-monolith")
    two = make_repo(tmp_path / "two" / "acme" / "app", "fastapi-on-django")
    listing = tmp_path / "repos.txt"
    listing.write_text(f"file://{one}\nfile://{two}\nfile://{one}/\n")  # the first twice: kept once
    out = tmp_path / "out"
    _run, summary = sweep(out, repo_files=(listing,))
    repos = by_name(summary)
    assert len(repos) == 2 and all(name.startswith("file/acme/app#") for name in repos), sorted(repos)
    heads = {repo["head"] for repo in repos.values()}
    assert heads == {git(one, "rev-parse", "HEAD"), git(two, "rev-parse", "HEAD")}
    assert len(list((out / "sarif").glob("*.sarif"))) == 2


def test_output_names_never_collide() -> None:
    from auditor.render.escape import file_stem
    from auditor.sweep.model import safe_name

    names = ["a/b", "a__b", "a_/b", "a/_b", "a___b", "/a/b", "a/b/", "a b/c", "a_b/c", "root", "a//b"]
    stems = [safe_name(name) for name in names]
    assert len(set(stems)) == len(stems), stems
    assert safe_name("acme/app") == "acme__app" and safe_name("my_org/web_app") == "my_org__web_app"
    assert file_stem("root", reserved={"root"}) != "root"


def test_sarif_per_project_names_never_collide(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from auditor.cli import app

    root = tmp_path / "mono"
    example = Path(__file__).resolve().parents[2] / "examples" / "django-monolith"
    for folder in (".", "root", "a/b", "a__b"):
        shutil.copytree(example, root / folder, dirs_exist_ok=True)
    out = tmp_path / "per-project"
    CliRunner().invoke(app, ["audit", str(root), "--sarif-per-project", str(out)])
    files = sorted(path.name for path in out.iterdir())
    assert len(files) == 4 and "root.sarif" in files and "a__b.sarif" in files, files
    import json

    categories = {json.loads((out / f).read_text())["runs"][0]["automationDetails"]["id"] for f in files}
    assert len(categories) == 4


def test_a_timed_out_git_leaves_no_process_behind(tmp_path: Path) -> None:
    """git and what it started (here a shell and its background sleep) are killed as one group."""
    from auditor.sweep.gitops import _run

    pidfile = tmp_path / "pid"
    alias = f"alias.slow=!sh -c 'sleep 300 & echo $! > {pidfile}; wait'"
    with pytest.raises(GitError, match="timed out"):
        _run(["-c", alias, "slow"], cwd=tmp_path, timeout=2)
    pid = int(pidfile.read_text())
    for _ in range(50):
        if not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]:
            break
        time.sleep(0.1)
    else:
        os.kill(pid, 9)
        raise AssertionError("the sleep git started outlived the timeout")
