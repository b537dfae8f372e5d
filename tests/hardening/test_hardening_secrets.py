"""Secrets (issue 18, class 5) and the GitHub client's limits (class 6).

A token echoed by a proxy is scrubbed *before* the message is cut, and any
piece of 8+ characters of it goes too; credentials in requirement URLs are
masked in every output of ``audit`` and ``sweep``. The client never reads an
unbounded body and a slow-drip answer cannot outlast ``timeout``.
"""

from __future__ import annotations

import base64
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditor.github.client import GitHubClient, RetryPolicy
from auditor.github.errors import GitHubError
from auditor.github.secret import Secret, scrub_pieces
from auditor.redact import redact
from auditor.sweep.gitops import GitAuth
from tests.fake_github import CANARY_TOKEN, LOOPBACK, FakeGitHub, Reply
from tests.sweep_helpers import make_repo, sweep

REPO = Path(__file__).resolve().parents[2]
FORMATS = ("text", "json", "sarif", "markdown", "cyclonedx", "spdx")


def _pieces(secret: str, size: int = 8) -> set[str]:
    return {secret[i : i + size] for i in range(len(secret) - size + 1)}


def _leaks(text: str, secret: str) -> list[str]:
    return [piece for piece in _pieces(secret) if piece in text]


def test_scrub_removes_every_piece_of_eight_or_more() -> None:
    token = CANARY_TOKEN
    cases = [
        f"proxy said: {token[:-1]}",  # cut before the last character
        f"...{token[5:]} and {token[:12]}",
        f"wrapped: {token[:20]}\n{token[20:]}",
        f"twice {token}{token}",
    ]
    for text in cases:
        scrubbed = scrub_pieces(text, token)
        assert not _leaks(scrubbed, token), (text, scrubbed)
        assert "***" in scrubbed
    assert scrub_pieces(f"short {token[:7]} ok", token) == f"short {token[:7]} ok"
    assert Secret(token).scrub(f"x{token[3:30]}y") == "x***y"


def test_git_auth_scrubs_pieces_of_the_token_and_of_its_header_form() -> None:
    auth = GitAuth.for_token(CANARY_TOKEN, "https://github.com")
    basic = base64.b64encode(f"x-access-token:{CANARY_TOKEN}".encode()).decode()
    text = auth.scrub(f"fatal: {CANARY_TOKEN[2:-3]} / {basic[4:30]}")
    assert not _leaks(text, CANARY_TOKEN) and not _leaks(text, basic)


@pytest.mark.parametrize("at", [0, 150, 170, 190])
def test_an_echoed_token_is_scrubbed_before_the_message_is_cut(at: int) -> None:
    """A non-JSON error body (a proxy page) echoing the header at any offset around the 200-character cut."""
    body = (b"x" * at) + b"<proxy> {authorization} </proxy>" + b"y" * 400
    with FakeGitHub() as server:
        server.add("GET", "/echo", Reply(400, body))
        client = GitHubClient(server.url, Secret(CANARY_TOKEN), retry=RetryPolicy(max_attempts=1))
        with pytest.raises(GitHubError) as raised:
            client.get_json("/echo")
    texts = [str(raised.value), repr(raised.value), getattr(raised.value, "github_message", "")]
    for text in texts:
        assert not _leaks(text, CANARY_TOKEN), text


# --- credentials in requirement URLs ---------------------------------------------------------

SECRETS = ("s3cr3tPassw0rd", "hunter2hunter2", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "pw123456789z")
REQUIREMENTS = """\
--extra-index-url https://alice:s3cr3tPassw0rd@index.invalid/simple
django==5.0
djangorestframework==3.15
private-lib @ https://bob:hunter2hunter2@files.corp.example/private_lib-1.0-py3-none-any.whl
git+https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/acme/thing.git#egg=thing
-r https://carol:pw123456789z@corp.example/req.txt
broken @@ https://dave:pw123456789z@x/y
"""


def test_redact_masks_passwords_and_lone_tokens_only() -> None:
    assert redact("https://alice:pw@h/x") == "https://alice:***@h/x"
    assert redact("git+https://tok@h/x") == "git+https://***@h/x"
    assert redact("ssh://git@github.com/a/b") == "ssh://git@github.com/a/b"
    assert redact("pkg:pypi/x@1?download_url=https%3A%2F%2Fu%3Ap%40h%2Fx") == (
        "pkg:pypi/x@1?download_url=https%3A%2F%2Fu%3A***%40h%2Fx"
    )
    assert redact("django==5.0 ; python_version >= '3.10'") == "django==5.0 ; python_version >= '3.10'"


def test_requirement_url_credentials_reach_no_audit_output(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text(REQUIREMENTS)
    for output_format in FORMATS:
        done = subprocess.run(
            [sys.executable, "-m", "auditor", "audit", str(tmp_path), "-f", output_format],
            capture_output=True,
            text=True,
            check=False,
            cwd=REPO,
        )
        assert done.returncode in (0, 1, 2) and "Traceback" not in done.stderr, done.stderr
        for secret in SECRETS:
            assert secret not in done.stdout + done.stderr, (output_format, secret)
        if output_format == "text":
            assert "carol:***@corp.example" in done.stdout  # masked, not dropped


def test_requirement_url_credentials_reach_no_sweep_output(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "root" / "acme" / "app", "django-monolith")
    (repo / "requirements.txt").write_text(REQUIREMENTS)
    out = tmp_path / "out"
    sweep(out, roots=(tmp_path / "root",))
    for path in out.rglob("*"):
        if path.is_file() and ".cache" not in path.parts:
            data = path.read_bytes()
            for secret in SECRETS:
                assert secret.encode() not in data, (path, secret)


# --- the GitHub client's limits ----------------------------------------------------------------


@pytest.fixture
def raw_server() -> Iterator[tuple[str, list[bytes]]]:
    """A 127.0.0.1 server answering each connection with the next scripted raw reply, then dripping."""
    script: list[bytes] = []
    listener = socket.socket()
    listener.bind((LOOPBACK, 0))
    listener.listen(8)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                connection.recv(65536)
                reply = script[0] if script else b""
                try:
                    if reply == b"drip":
                        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
                        while not stop.is_set():
                            connection.sendall(b"x")
                            time.sleep(0.05)
                    else:
                        connection.sendall(reply)
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    host, port = listener.getsockname()[:2]
    yield f"http://{host}:{port}", script
    stop.set()
    listener.close()


def test_a_slow_drip_answer_cannot_outlast_the_timeout(raw_server: tuple[str, list[bytes]]) -> None:
    url, script = raw_server
    script.append(b"drip")
    client = GitHubClient(url, None, timeout=1.0, retry=RetryPolicy(max_attempts=1))
    started = time.monotonic()
    with pytest.raises(GitHubError):
        client.get_json("/slow")
    assert time.monotonic() - started < 4.0


def test_an_answer_over_the_body_cap_is_refused(raw_server: tuple[str, list[bytes]]) -> None:
    url, script = raw_server
    body = b"[" + b"1," * 600_000 + b"1]"
    script.append(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    client = GitHubClient(url, None, max_body_bytes=1_000_000, retry=RetryPolicy(max_attempts=1))
    with pytest.raises(GitHubError, match="over 1000000 bytes"):
        client.get_json("/big")
