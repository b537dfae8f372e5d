"""Runs that outlast a token: GitHub App installation tokens minted and refreshed, or a token command re-run,
against a fake GitHub on 127.0.0.1 whose tokens expire mid-sweep (simulated GitHub time)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from auditor.errors import AuditorError, UsageError
from auditor.sweep.tokens import AppTokens, CommandTokens
from tests.sweep_fake_github import FakeApp, FakeGitHub, FakeRepo, SimulatedClock
from tests.sweep_helpers import by_name, make_repo, sweep

ROOT = Path(__file__).resolve().parents[1]
APP_ID = "31337"
KINDS = ("django-monolith", "fastapi-on-django", "drf-no-ratelimit", "fastapi-service", "monorepo", "flask-greenfield")
# GitHub time, scaled so a short sweep outlives several tokens: each request the fake serves moves the
# clock STEP s; a token lasts LIFETIME s and is replaced MARGIN s before it ends, so a new token every
# (LIFETIME - MARGIN) / STEP = 20 requests, and a token in hand stays good for MARGIN / STEP = 40 more
# requests, far more than one clone makes even with every I/O thread busy. The sweep makes about 80.
STEP, LIFETIME, MARGIN = 10.0, 600.0, 400.0


def _keys() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


@pytest.fixture(scope="module")
def keys() -> tuple[str, str]:
    return _keys()


@pytest.fixture
def fake(tmp_path: Path, keys: tuple[str, str]) -> Iterator[FakeGitHub]:
    """12 repos in org ``acme`` behind a GitHub App whose installation tokens expire."""
    root = tmp_path / "remotes"
    server = FakeGitHub(root)
    server.app = FakeApp(APP_ID, keys[1], SimulatedClock(STEP), lifetime=LIFETIME)
    for n in range(12):
        name = f"acme/{KINDS[n % len(KINDS)]}-{n}"
        make_repo(root / name, KINDS[n % len(KINDS)])
        server.repos[name] = FakeRepo(name, root / name)
    server.start()
    yield server
    server.stop()


def _environ() -> dict[str, str]:
    drop = ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_APP_ID", "GITHUB_APP_PRIVATE_KEY_FILE", "GITHUB_APP_INSTALLATION_ID")
    return {k: v for k, v in os.environ.items() if k not in drop}


def _assert_no_token(out: Path, tokens: list[str]) -> None:
    import base64

    forms = [t.encode() for t in tokens] + [base64.b64encode(f"x-access-token:{t}".encode()) for t in tokens]
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(form in data for form in forms), path


def test_app_tokens_are_refreshed_before_they_expire_mid_sweep(
    fake: FakeGitHub, keys: tuple[str, str], tmp_path: Path
) -> None:
    """Listing, clones and uploads over many GitHub hours: new installation tokens are minted ahead of
    expiry, no request ever carries an expired one, every repo is audited and uploaded."""
    assert fake.app is not None
    clock = fake.app.clock
    tokens = AppTokens(APP_ID, keys[0], fake.api_url, owner="acme", clock=clock, margin=MARGIN)
    out = tmp_path / "out"
    started = clock()
    run, summary = sweep(
        out, orgs=("acme",), api_url=fake.api_url, upload=True, environ=_environ(), tokens=tokens, jobs=1
    )
    lifetimes = (clock() - started) / LIFETIME
    assert lifetimes > 1.1, f"the sweep spanned {lifetimes:.1f} token lifetimes: no token expired mid-sweep"
    assert tokens.fetches >= 3 and len(fake.app.tokens) == tokens.fetches
    assert fake.app.expired_uses == [] and fake.app.jwt_refused == 0 and fake.git_unauthorized == 0
    assert fake.calls["GET /api/v3/orgs/O/installation"] == 1  # found once, then remembered
    repos = by_name(summary)
    assert len(repos) == 12 and all(r["status"] == "ok" for r in repos.values()), {
        n: r["error"] for n, r in repos.items() if r["error"]
    }
    assert run.audited == 12 and len(fake.uploads) == 12
    _assert_no_token(out, list(fake.app.tokens))


def test_a_refused_token_is_replaced_once(fake: FakeGitHub, keys: tuple[str, str], tmp_path: Path) -> None:
    """A token revoked on the server (not expired by the clock) gets a 401: a new one is minted."""
    assert fake.app is not None
    tokens = AppTokens(APP_ID, keys[0], fake.api_url, installation_id="4242", clock=fake.app.clock, margin=MARGIN)
    first = tokens.current().reveal()
    del fake.app.tokens[first]  # revoked
    _, summary = sweep(tmp_path / "out", orgs=("acme",), api_url=fake.api_url, environ=_environ(), tokens=tokens)
    assert all(r["status"] == "ok" for r in summary["repos"]) and tokens.fetches >= 2


def test_token_command_is_run_again_before_expiry(fake: FakeGitHub, tmp_path: Path) -> None:
    """--token-command printing JSON with expires_at: re-run as GitHub time passes; the CLI path works."""
    assert fake.app is not None
    vend = tmp_path / "vend.py"
    vend.write_text(
        "import sys, urllib.request\n"
        "req = urllib.request.Request(sys.argv[1] + '/_test/mint', data=b'', method='POST')\n"
        "print(urllib.request.urlopen(req, timeout=10).read().decode())\n"
    )
    tokens = CommandTokens(f"{sys.executable} {vend} {fake.base}", clock=fake.app.clock, margin=MARGIN)
    out = tmp_path / "out"
    _, summary = sweep(out, orgs=("acme",), api_url=fake.api_url, environ=_environ(), tokens=tokens, jobs=1)
    assert all(r["status"] == "ok" for r in summary["repos"])
    assert tokens.fetches >= 2 and fake.app.expired_uses == []
    _assert_no_token(out, list(fake.app.tokens))


def test_cli_app_options_mint_a_token(fake: FakeGitHub, keys: tuple[str, str], tmp_path: Path) -> None:
    """`sweep --app-id --app-key` (real clock): the installation is found and its token used."""
    assert fake.app is not None
    fake.app.clock.step = 0.0
    key = tmp_path / "app.pem"
    key.write_text(keys[0])
    out = tmp_path / "out"
    args = ["sweep", "--github-org", "acme", "--api-url", fake.api_url, "--out", str(out), "-j", "1"]
    done = subprocess.run(
        [sys.executable, "-m", "auditor", *args, "--app-id", APP_ID, "--app-key", str(key)],
        capture_output=True, text=True, cwd=ROOT, env={**_environ(), "CI": "true"}, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(fake.app.tokens) == 1 and "12 repos" in done.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "auditor", *args, "--app-id", APP_ID, "--app-key", str(tmp_path / "missing.pem")],
        capture_output=True, text=True, cwd=ROOT, env={**_environ(), "CI": "true"}, check=False, timeout=120,
    )  # fmt: skip
    assert bad.returncode == 2 and "private key" in bad.stderr and "Traceback" not in bad.stderr


def test_token_command_failures_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="exited 3"):
        CommandTokens(f"{sys.executable} -c 'import sys; sys.exit(3)'").current()
    with pytest.raises(AuditorError, match="not a usable token"):
        CommandTokens(f"{sys.executable} -c 'print(\"two words\")'").current()
    with pytest.raises(UsageError, match="empty"):
        CommandTokens("   ")
