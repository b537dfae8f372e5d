"""A fake GitHub for the org-sweep tests, on 127.0.0.1: GraphQL and REST listings, SBOM export, git, uploads.

The git side is git's own ``http-backend`` behind a tiny CGI wrapper, and it
demands the ``AUTHORIZATION: basic`` header a sweep sends from the
environment (401 otherwise), so a passing clone proves the token travelled
the way it should. SBOM downloads are served by a second server (another
origin, like GitHub's download host), which records whether a token reached it.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import re
import subprocess
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

# The fake servers listen on loopback only (spelled so the fixture URL scrubber leaves it alone).
LOOPBACK = "127.0.0.1"

CANARY = "ghp_SWEEPCANARY0123456789abcdefghijklmno"
PAGE = 5  # the fake pages by 5 whatever `first`/`per_page` ask: clients must follow the cursors


@dataclass
class FakeRepo:
    """One repository the fake serves: a real git checkout under the server's root."""

    full_name: str
    path: Path
    archived: bool = False
    fork: bool = False
    topics: tuple[str, ...] = ()


class SimulatedClock:
    """Time that moves only when the fake serves a request: each one costs ``step`` seconds.

    The token provider reads the same clock, so tokens that last an hour of GitHub time expire
    after a known number of requests, whatever the machine's speed.
    """

    def __init__(self, step: float) -> None:
        self.now = time.time()
        self.step = step
        self.lock = threading.Lock()

    def __call__(self) -> float:
        with self.lock:
            return self.now

    def tick(self) -> None:
        with self.lock:
            self.now += self.step


@dataclass
class FakeApp:
    """A GitHub App installed on the fake's org: JWT-authenticated /app endpoints, expiring tokens."""

    app_id: str
    public_key: str
    clock: SimulatedClock
    lifetime: float = 3600.0  # GitHub's: one hour
    installation_id: int = 4242
    tokens: dict[str, float] = field(default_factory=dict)  # token -> expiry (simulated time)
    jwt_refused: int = 0
    expired_uses: list[str] = field(default_factory=list)  # what was sent with an expired token

    def check_jwt(self, header: str | None) -> bool:
        import jwt

        if not header or not header.startswith("Bearer "):
            return False
        try:
            claims = jwt.decode(
                header[7:], self.public_key, algorithms=["RS256"], options={"verify_exp": False, "verify_iat": False}
            )
        except jwt.PyJWTError:
            return False
        now = self.clock()
        return claims.get("iss") == self.app_id and claims["iat"] <= now <= claims["exp"]

    def mint(self) -> dict[str, str]:
        token = f"ghs_fake{len(self.tokens):04d}" + hashlib.sha256(str(len(self.tokens)).encode()).hexdigest()[:28]
        expiry = self.clock() + self.lifetime
        self.tokens[token] = expiry
        at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(expiry))
        return {"token": token, "expires_at": at}

    def valid(self, token: str, what: str) -> bool:
        expiry = self.tokens.get(token)
        if expiry is None:
            return False
        if self.clock() >= expiry:
            self.expired_uses.append(what)
            return False
        return True


@dataclass
class FakeGitHub:
    """State and knobs of the fake; start with :meth:`start`, stop with :meth:`stop`."""

    git_root: Path
    token: str = CANARY
    repos: dict[str, FakeRepo] = field(default_factory=dict)
    graphql_broken: bool = False  # answer GraphQL with errors: the client must fall back to REST
    throttle: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (path prefix, headers) -> one 429/403
    sync_only: set[str] = field(default_factory=set)  # repos whose generate-report 404s (GHES)
    no_code_scanning: set[str] = field(default_factory=set)  # repos whose SARIF upload is refused (403)
    calls: Counter[str] = field(default_factory=Counter)
    not_modified: int = 0
    uploads: list[dict[str, Any]] = field(default_factory=list)
    download_auth: list[str | None] = field(default_factory=list)
    git_unauthorized: int = 0
    seen_headers: list[str] = field(default_factory=list)
    app: FakeApp | None = None  # set: tokens are the App's installation tokens, which expire

    def start(self) -> FakeGitHub:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.downloads = ThreadingHTTPServer(("127.0.0.1", 0), _download_handler(self))
        for server in (self.server, self.downloads):
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        for server in (self.server, self.downloads):
            server.shutdown()
            server.server_close()

    @property
    def base(self) -> str:
        return f"http://{LOOPBACK}:{self.server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/v3"

    def head(self, full_name: str) -> str | None:
        done = subprocess.run(
            ["git", "rev-parse", "--verify", "-q", "HEAD"],
            cwd=self.repos[full_name].path,
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout.strip() or None

    # --- documents ---------------------------------------------------------------

    def graphql_page(self, cursor: str | None) -> dict[str, Any]:
        names = sorted(self.repos)
        start = int(cursor or 0)
        nodes = []
        for name in names[start : start + PAGE]:
            repo, head = self.repos[name], self.head(name)
            nodes.append(
                {
                    "nameWithOwner": name,
                    "url": f"{self.base}/{name}",
                    "isArchived": repo.archived,
                    "isFork": repo.fork,
                    "isEmpty": head is None,
                    "defaultBranchRef": {"name": "main", "target": {"oid": head}} if head else None,
                    "repositoryTopics": {"nodes": [{"topic": {"name": t}} for t in repo.topics]},
                }
            )
        more = start + PAGE < len(names)
        return {
            "data": {
                "repositoryOwner": {
                    "repositories": {
                        "pageInfo": {"hasNextPage": more, "endCursor": str(start + PAGE) if more else None},
                        "nodes": nodes,
                    }
                },
                "rateLimit": {"cost": 1, "remaining": 4999, "resetAt": "2026-11-26T13:00:00Z"},
            }
        }

    def rest_page(self, page: int) -> tuple[list[dict[str, Any]], bool]:
        names = sorted(self.repos)
        items = [
            {
                "full_name": n,
                "clone_url": f"{self.base}/{n}.git",
                "default_branch": "main",
                "archived": self.repos[n].archived,
                "fork": self.repos[n].fork,
                "topics": list(self.repos[n].topics),
                "pushed_at": "2026-11-26T00:00:00Z",
            }
            for n in names[(page - 1) * PAGE : page * PAGE]
        ]
        return items, page * PAGE < len(names)

    def sbom(self, full_name: str) -> dict[str, Any]:
        """A GitHub-style SPDX 2.3 export naming Django and FastAPI (a profile rule has something to see)."""
        packages = [("django", "5.1.4"), ("fastapi", "0.115.0"), ("djangorestframework", "3.15.2")]
        return {
            "SPDXID": "SPDXRef-DOCUMENT",
            "spdxVersion": "SPDX-2.3",
            "dataLicense": "CC0-1.0",
            "name": f"com.github.{full_name}",
            "documentNamespace": f"https://spdx.org/spdxdocs/fake-{full_name}",
            "creationInfo": {
                "created": "2026-11-26T00:00:00Z",
                "creators": ["Tool: GitHub.com-Dependency-Graph"],
            },
            "packages": [
                {
                    "SPDXID": f"SPDXRef-pypi-{n}-{v}",
                    "name": f"pypi:{n}",
                    "versionInfo": v,
                    "downloadLocation": "NOASSERTION",
                    "externalRefs": [
                        {
                            "referenceCategory": "PACKAGE-MANAGER",
                            "referenceType": "purl",
                            "referenceLocator": f"pkg:pypi/{n}@{v}",
                        }
                    ],
                }
                for n, v in packages
            ],
            "relationships": [
                {
                    "spdxElementId": "SPDXRef-DOCUMENT",
                    "relationshipType": "DESCRIBES",
                    "relatedSpdxElement": f"SPDXRef-pypi-{n}-{v}",
                }
                for n, v in packages
            ],
        }


def _handler(fake: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
            data = body if isinstance(body, bytes) else (b"" if body is None else json.dumps(body).encode())
            self.send_response(status)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            if body is not None and not isinstance(body, bytes):
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def _authorized(self) -> bool:
            header = self.headers.get("Authorization") or ""
            if fake.app is not None:
                return header.startswith("Bearer ") and fake.app.valid(header[7:], f"API {self.path}")
            return header == f"Bearer {fake.token}"

        def _app(self, method: str, path: str) -> bool:
            """The App's own endpoints (JWT) and the test-only token vending of --token-command."""
            app = fake.app
            if app is None:
                return False
            if path == "/_test/mint" and method == "POST":
                self._send(201, app.mint())
                return True
            installation = re.fullmatch(r"/api/v3/(?:orgs|users)/([^/]+)/installation", path)
            access = path == f"/api/v3/app/installations/{app.installation_id}/access_tokens" and method == "POST"
            if not (installation and method == "GET") and not access:
                return False
            if not app.check_jwt(self.headers.get("Authorization")):
                app.jwt_refused += 1
                self._send(401, {"message": "A JSON web token could not be decoded"})
                return True
            fake.calls[f"{method} {re.sub(r'/orgs/[^/]+/', '/orgs/O/', path)}"] += 1
            self._send(201 if access else 200, app.mint() if access else {"id": app.installation_id})
            return True

        def _throttled(self, path: str) -> bool:
            for index, (prefix, headers) in enumerate(fake.throttle):
                if path.startswith(prefix):
                    del fake.throttle[index]
                    status = 429 if "Retry-After" in headers else 403
                    self._send(status, {"message": "API rate limit exceeded"}, headers)
                    return True
            return False

        def do_POST(self) -> None:
            path = urllib.parse.urlsplit(self.path).path
            body = self._body()
            if fake.app is not None:
                fake.app.clock.tick()
                if self._app("POST", path):
                    return None
            fake.calls[f"POST {re.sub(r'/[^/]+/[^/]+/code', '/R/code', path)}"] += 1
            if path.startswith("/api/"):
                fake.seen_headers.append(json.dumps(dict(self.headers)))
                if not self._authorized():
                    return self._send(401, {"message": "Bad credentials"})
            if path == "/api/graphql":
                if self._throttled(path):
                    return None
                if fake.graphql_broken:
                    return self._send(200, {"errors": [{"type": "RATE_LIMITED", "message": "API rate limit exceeded"}]})
                variables = json.loads(body)["variables"]
                return self._send(200, fake.graphql_page(variables.get("cursor")))
            match = re.fullmatch(r"/api/v3/repos/([^/]+/[^/]+)/code-scanning/sarifs", path)
            if match and match.group(1) in fake.no_code_scanning:
                message = "Advanced Security must be enabled for this repository to use code scanning."
                return self._send(403, {"message": message})
            if match:
                payload = json.loads(body)
                payload["sarif"] = json.loads(gzip.decompress(base64.b64decode(payload["sarif"])))
                payload["repo"] = match.group(1)
                fake.uploads.append(payload)
                number = len(fake.uploads)
                return self._send(
                    202,
                    {
                        "id": f"sarif-{number}",
                        "url": f"{fake.api_url}/repos/{match.group(1)}/code-scanning/sarifs/sarif-{number}",
                    },
                )
            if not path.startswith("/api/"):
                return self._git("POST", body)
            return self._send(404, {"message": "Not Found"})

        def do_GET(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            path, query = parts.path, urllib.parse.parse_qs(parts.query)
            if fake.app is not None:
                fake.app.clock.tick()
                if self._app("GET", path):
                    return None
            if not path.startswith("/api/"):
                return self._git("GET", b"")
            fake.calls[
                "GET " + re.sub(r"/repos/[^/]+/[^/]+/", "/repos/R/", re.sub(r"fetch-report/.*", "fetch-report", path))
            ] += 1
            fake.seen_headers.append(json.dumps(dict(self.headers)))
            if not self._authorized():
                return self._send(401, {"message": "Bad credentials"})
            if self._throttled(path):
                return None
            match = re.fullmatch(r"/api/v3/orgs/([^/]+)/repos", path)
            if match:
                page = int(query.get("page", ["1"])[0])
                items, more = fake.rest_page(page)
                data = json.dumps(items).encode()
                etag = '"' + hashlib.sha256(data).hexdigest()[:20] + '"'
                headers = {
                    "ETag": etag,
                    "X-RateLimit-Remaining": "4000",
                    "X-RateLimit-Reset": str(int(time.time()) + 3600),
                }
                if more:
                    headers["Link"] = (
                        f'<{fake.api_url}/orgs/{match.group(1)}/repos?per_page=100&page={page + 1}>; rel="next"'
                    )
                if self.headers.get("If-None-Match") == etag:
                    fake.not_modified += 1
                    return self._send(304, None, headers)
                return self._send(200, data, {**headers, "Content-Type": "application/json"})
            match = re.fullmatch(r"/api/v3/repos/([^/]+/[^/]+)/dependency-graph/sbom(/.*)?", path)
            if match:
                repo, rest = match.group(1), match.group(2) or ""
                if rest == "":
                    return self._send(200, {"sbom": fake.sbom(repo)})
                if rest == "/generate-report":
                    if repo in fake.sync_only:
                        return self._send(404, {"message": "Not Found"})
                    return self._send(
                        201,
                        {
                            "sbom_url": f"{fake.api_url}/repos/{repo}/dependency-graph/sbom/fetch-report/"
                            + repo.replace("/", "-")
                        },
                    )
                if rest.startswith("/fetch-report/"):
                    key = f"ready {repo}"
                    if fake.calls[key] == 0:
                        fake.calls[key] += 1
                        return self._send(202, {}, {"Retry-After": "0"})
                    host = fake.downloads.server_address[1]
                    return self._send(302, None, {"Location": f"http://{LOOPBACK}:{host}/download/{repo}"})
            return self._send(404, {"message": "Not Found"})

        def _git(self, method: str, body: bytes) -> None:
            given = self.headers.get("Authorization") or ""
            if fake.app is not None:
                try:
                    user, _, token = base64.b64decode(given.split(" ", 1)[-1]).decode().partition(":")
                except ValueError:
                    user, token = "", ""
                accepted = user == "x-access-token" and fake.app.valid(token, f"git {self.path}")
            else:
                expected = "basic " + base64.b64encode(f"x-access-token:{fake.token}".encode()).decode()
                accepted = given.lower() == expected.lower()
            if not accepted:
                fake.git_unauthorized += 1
                return self._send(401, b"auth required", {"WWW-Authenticate": 'Basic realm="fake"'})
            parts = urllib.parse.urlsplit(self.path)
            path_info = parts.path.replace(".git/", "/")
            env = {
                "PATH": os.environ["PATH"],
                "GIT_PROJECT_ROOT": str(fake.git_root),
                "GIT_HTTP_EXPORT_ALL": "1",
                "PATH_INFO": path_info,
                "QUERY_STRING": parts.query,
                "REQUEST_METHOD": method,
                "CONTENT_TYPE": self.headers.get("Content-Type", ""),
                "CONTENT_LENGTH": str(len(body)),
                "REMOTE_ADDR": "127.0.0.1",
                "GIT_PROTOCOL": self.headers.get("Git-Protocol", ""),
                "HTTP_CONTENT_ENCODING": self.headers.get("Content-Encoding", ""),
                "HOME": str(fake.git_root),
            }
            done = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True, check=False)
            head, _, payload = done.stdout.partition(b"\r\n\r\n")
            status, headers = 200, {}
            for line in head.decode("latin-1").split("\r\n"):
                key, _, value = line.partition(":")
                if key.lower() == "status":
                    status = int(value.split()[0])
                elif key:
                    headers[key.strip()] = value.strip()
            return self._send(status, payload, headers)

    return Handler


def _download_handler(fake: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    class Downloads(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            fake.download_auth.append(self.headers.get("Authorization"))
            repo = self.path.removeprefix("/download/")
            data = json.dumps(fake.sbom(repo)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Downloads
