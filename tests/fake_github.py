"""A scripted fake of the GitHub REST API, served on 127.0.0.1 from a thread.

Tests queue replies per ``(method, path)``; the server records every request
(method, path, headers, body) so the test can check it exactly as GitHub
documents it. The last reply queued for a route repeats once the queue is
down to one. Unknown routes answer 418 and are kept in ``unexpected``.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from auditor import __version__

# The fake servers listen on loopback only (spelled so the fixture URL scrubber leaves it alone).
LOOPBACK = "127.0.0.1"

__all__ = [
    "CANARY_TOKEN",
    "FakeGitHub",
    "FakeTime",
    "Recorded",
    "Reply",
    "assert_api_headers",
    "assert_no_canary",
    "assert_upload_body",
]

# Looks like a classic PAT; must never reach any output or exception text.
CANARY_TOKEN = "ghp_CANARY0123456789abcdefghijklmnopqrstu"

_DOCUMENTED_BODY_KEYS = {"commit_sha", "ref", "sarif", "checkout_uri", "started_at", "tool_name", "validate"}
_REF = re.compile(r"^refs/(heads|tags|pull)/.+$")


@dataclass(frozen=True)
class Reply:
    """One scripted answer."""

    status: int
    body: Any = None  # JSON-able, or bytes sent as-is
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]  # keys lower-cased
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class FakeGitHub:
    """The fake server; use as a context manager. ``prefix`` mimics GHES (``/api/v3``)."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        self.routes: dict[tuple[str, str], deque[Reply]] = {}
        self.requests: list[Recorded] = []
        self.unexpected: list[Recorded] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- scripting ------------------------------------------------------------

    def add(self, method: str, path: str, *replies: Reply) -> None:
        """Queue ``replies`` for ``method path`` (path without the prefix)."""
        self.routes.setdefault((method, self.prefix + path), deque()).extend(replies)

    @property
    def url(self) -> str:
        """The API root to give the client (includes the prefix)."""
        assert self._server is not None
        return f"http://{LOOPBACK}:{self._server.server_address[1]}{self.prefix}"

    @property
    def origin(self) -> str:
        assert self._server is not None
        return f"http://{LOOPBACK}:{self._server.server_address[1]}"

    def paths(self) -> list[tuple[str, str]]:
        return [(r.method, r.path) for r in self.requests]

    # -- lifecycle ------------------------------------------------------------

    def __enter__(self) -> FakeGitHub:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                record = Recorded(self.command, self.path, headers, body)
                with fake._lock:
                    fake.requests.append(record)
                    queue = fake.routes.get((self.command, self.path))
                    if not queue:
                        fake.unexpected.append(record)
                        reply = Reply(418, {"message": f"fake: no route for {self.command} {self.path}"})
                    else:
                        reply = queue.popleft() if len(queue) > 1 else queue[0]
                payload = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
                # "{authorization}" in a reply echoes the request's header back: a server (or proxy)
                # that reflects credentials, to prove the client scrubs them from error text.
                payload = payload.replace(b"{authorization}", headers.get("authorization", "").encode())
                if reply.body is None:
                    payload = b""
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value.replace("{origin}", fake.origin))
                if reply.status != 304:
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if reply.status != 304:
                    self.wfile.write(payload)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output clean

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None and self._thread is not None
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


# -- assertions on recorded requests -----------------------------------------


def assert_api_headers(request: Recorded, token: str = CANARY_TOKEN) -> None:
    """The headers GitHub documents for every REST call."""
    assert request.headers.get("authorization") == f"Bearer {token}", "Authorization: Bearer <token>"
    assert request.headers.get("accept") == "application/vnd.github+json"
    assert request.headers.get("x-github-api-version") == "2022-11-28"
    assert request.headers.get("user-agent") == f"stack-auditor/{__version__}"


def assert_upload_body(request: Recorded, sarif_path: Path, *, ref: str, commit_sha: str) -> dict[str, Any]:
    """The POST body of an upload, checked field by field against the REST reference."""
    assert request.method == "POST"
    assert request.headers.get("content-type") == "application/json"
    body = request.json()
    assert isinstance(body, dict)
    assert {"commit_sha", "ref", "sarif"} <= set(body), f"required fields missing: {sorted(body)}"
    assert set(body) <= _DOCUMENTED_BODY_KEYS, f"undocumented fields: {set(body) - _DOCUMENTED_BODY_KEYS}"
    assert re.fullmatch(r"[0-9a-f]{40}", body["commit_sha"]), "commit_sha must be 40 hex"
    assert body["commit_sha"] == commit_sha
    assert _REF.match(body["ref"]) and body["ref"] == ref
    # sarif = base64(gzip(the exact file bytes)), standard alphabet, no newlines (base64 -w0)
    assert "\n" not in body["sarif"]
    compressed = base64.b64decode(body["sarif"], validate=True)
    assert compressed[:2] == b"\x1f\x8b", "the payload must be gzip"
    assert gzip.decompress(compressed) == sarif_path.read_bytes()
    return body


def assert_no_canary(*texts: object) -> None:
    """The canary token appears in none of ``texts`` (output, exception str/repr...)."""
    for text in texts:
        assert CANARY_TOKEN not in str(text), "the token leaked into output"
        assert CANARY_TOKEN[4:] not in str(text), "part of the token leaked into output"


class FakeTime:
    """A clock that only moves when the code under test sleeps; sleeps are recorded."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now

    def wall(self) -> float:
        return 1_700_000_000.0 + self.now
