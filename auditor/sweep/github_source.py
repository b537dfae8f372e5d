"""GitHub as a sweep source: list an owner's repos with their heads, fetch SBOMs, upload SARIF.

Listing is GraphQL first (100 repos a page with the default branch's head
``oid``, for about one point a page) and REST with ``Link`` pagination as the
fallback (heads then come from ``git ls-remote``, which costs no API quota).
All requests go through the shared REST client (:mod:`auditor.github.client`):
retries, ``Retry-After``/``X-RateLimit-Reset`` waits, redirects, ETags. At
most :data:`MAX_CONCURRENT_REQUESTS` API requests are in flight at once
(secondary rate limits). Facts and limits: ``docs/sweep.md``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from auditor.atomic import write_atomic
from auditor.errors import UsageError
from auditor.github.client import DEFAULT_API_URL, GitHubClient, Response, RetryPolicy
from auditor.github.errors import GitHubError, GitHubHTTPError
from auditor.github.response import CachedResponse
from auditor.github.secret import Secret, token_from_env
from auditor.sweep.git_urls import url_scheme
from auditor.sweep.gitops import GitAuth, web_origin
from auditor.sweep.history import History
from auditor.sweep.model import EMPTY_HEAD, PrepareError, RepoSpec, safe_name
from auditor.sweep.queries import Queries
from auditor.sweep.runner import Preparer, SweepRun, sarif_path
from auditor.sweep.sources import run_parallel
from auditor.sweep.tokens import StaticToken, TokenProvider

__all__ = ["MAX_CONCURRENT_REQUESTS", "GitHubSource", "RefreshingClient", "SqliteResponseCache", "graphql_url"]

MAX_CONCURRENT_REQUESTS = 3
# A nightly sweep may wait out a primary limit (reset within the hour) rather than fail.
SWEEP_RETRY = RetryPolicy(max_attempts=12, max_total_wait=3900.0)
SBOM_POLL_SECONDS = 2.0
SBOM_TIMEOUT_SECONDS = 300.0

_QUERY = """
query($login: String!, $cursor: String) {
  repositoryOwner(login: $login) {
    repositories(first: 100, after: $cursor, orderBy: {field: NAME, direction: ASC}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        nameWithOwner url isArchived isFork isEmpty
        defaultBranchRef { name target { oid } }
        repositoryTopics(first: 20) { nodes { topic { name } } }
      }
    }
  }
  rateLimit { cost remaining resetAt }
}
"""


def _rest_spec(item: Any) -> RepoSpec | None:
    """One REST listing entry as a spec; ``None`` when it lacks a name or a clone URL (a hostile answer)."""
    if not isinstance(item, dict):
        return None
    name, location = item.get("full_name"), item.get("clone_url")
    if not isinstance(name, str) or not name.strip("/") or not isinstance(location, str):
        return None
    topics = item.get("topics")
    return RepoSpec(
        name=name,
        kind="github",
        location=location,
        default_branch=item.get("default_branch") if isinstance(item.get("default_branch"), str) else None,
        topics=tuple(t for t in topics if isinstance(t, str)) if isinstance(topics, list) else (),
        archived=item.get("archived") is True,
        fork=item.get("fork") is True,
        full_name=name,
    )


def graphql_url(api_url: str) -> str:
    """``https://api.github.com/graphql``; on GHES ``https://HOST/api/graphql`` (REST is ``/api/v3``)."""
    base = api_url.rstrip("/")
    return base[: -len("/v3")] + "/graphql" if base.endswith("/api/v3") else base + "/graphql"


def long_lived(token: Secret | None) -> bool:
    """Installation tokens (``ghs_``) expire within the hour: ETags kept across sweeps never match."""
    return token is not None and not token.reveal().startswith(("ghs_", "v1."))


class SqliteResponseCache:
    """The client's ETag cache, kept in the sweep's history (``http_cache``), safe across threads."""

    def __init__(self, path: Path) -> None:
        self.history = History(path, shared=True)
        self.lock = threading.Lock()

    def get(self, key: str) -> CachedResponse | None:
        with self.lock:
            row = self.history.cache_get(key)
        if row is None:
            return None
        return CachedResponse(row[0], row[1], row[2], json.loads(row[3]), row[4])

    def put(self, key: str, entry: CachedResponse) -> None:
        with self.lock:
            self.history.cache_put(
                key,
                entry.etag,
                entry.last_modified,
                entry.status,
                json.dumps(dict(entry.headers)),
                entry.body,
            )


class RefreshingClient(GitHubClient):
    """The REST client with a token that may change mid-sweep: each request sends the provider's
    current token, a 401 gets a new one (once), and every token it ever had is scrubbed."""

    def __init__(self, api_url: str, tokens: TokenProvider, **kwargs: Any) -> None:
        super().__init__(api_url, tokens.current(), **kwargs)
        self.tokens = tokens

    def _send(self, method: str, url: str, data: bytes | None, extra: Mapping[str, str]) -> Response:
        self.token = self.tokens.current()
        return super()._send(method, url, data, extra)

    def _scrub(self, text: str) -> str:
        return self.tokens.scrub(text)

    def request(self, method: str, path_or_url: str, **kwargs: Any) -> Response:
        try:
            return super().request(method, path_or_url, **kwargs)
        except GitHubHTTPError as error:
            if error.status != 401:
                raise
            self.tokens.invalidate()
            return super().request(method, path_or_url, **kwargs)


class GitHubSource:
    """Listing, SBOM export and SARIF upload against one GitHub (github.com or GHES)."""

    upload_interval = 1.0  # content-creating requests: at least a second apart (GitHub's advice)

    def __init__(self, client: GitHubClient, tokens: TokenProvider | None, log: Callable[[str], None]) -> None:
        self.client = client
        self.tokens = tokens
        self.log = log
        self.gate = threading.BoundedSemaphore(MAX_CONCURRENT_REQUESTS)
        self.origin = web_origin(client.api_url)

    @property
    def token(self) -> Secret | None:
        """The token to use now."""
        return self.tokens.current() if self.tokens is not None else None

    def current(self) -> GitAuth | None:
        """Git credentials for the current token (an :class:`auditor.sweep.runner.AuthSource`)."""
        token = self.token
        return GitAuth.for_token(token.reveal(), self.origin) if token is not None else None

    def scrub(self, text: str) -> str:
        """``text`` without any token of this sweep, raw or in git's basic-auth form."""
        if self.tokens is None:
            return text
        text = self.tokens.scrub(text)
        auth = self.current()
        return auth.scrub(text) if auth is not None else text

    @classmethod
    def from_environment(
        cls,
        api_url: str | None,
        environ: Mapping[str, str],
        db: Path,
        log: Callable[[str], None],
        tokens: TokenProvider | None = None,
    ) -> GitHubSource:
        """``tokens`` (an App or a token command), else ``GITHUB_TOKEN``/``GH_TOKEN``; ETags persisted
        only for a long-lived token (installation tokens change every hour)."""
        url = api_url or DEFAULT_API_URL
        if tokens is not None:
            return cls(RefreshingClient(url, tokens, retry=SWEEP_RETRY), tokens, log)
        token = token_from_env(environ)
        cache = SqliteResponseCache(db) if long_lived(token) else None
        client = GitHubClient(url, token, retry=SWEEP_RETRY, cache=cache)
        return cls(client, StaticToken(token) if token else None, log)

    def close(self) -> None:
        """Close the ETag cache's database connection, if any."""
        cache = self.client.cache
        if isinstance(cache, SqliteResponseCache):
            with cache.lock:
                cache.history.close()

    def _request(self, method: str, url: str, **kwargs: Any) -> Response:
        with self.gate:
            return self.client.request(method, url, **kwargs)

    # --- listing -----------------------------------------------------------------

    def list_repos(self, owner: str, kind: str, topics: tuple[str, ...], archived: bool, forks: bool) -> list[RepoSpec]:
        """Every repo of ``owner`` (``kind``: ``org`` or ``user``) that passes the filters, with its head."""
        try:
            specs = self._list_graphql(owner)
        except (GitHubError, KeyError, TypeError, AttributeError, ValueError) as error:
            self.log(f"GraphQL listing of {owner} failed ({error}); falling back to REST")
            specs = self._list_rest(owner, kind)
        self._check_locations(specs)
        chosen = [
            s
            for s in specs
            if (archived or not s.archived) and (forks or not s.fork) and (not topics or set(topics) & set(s.topics))
        ]
        unknown = [s for s in chosen if s.head is None and not s.error]
        if unknown:
            from auditor.sweep.gitops import GitError, ls_remote_head

            def head(spec: RepoSpec) -> None:
                try:
                    head, _ = ls_remote_head(spec.location, self.current(), schemes=self._schemes())
                    spec.head = head or EMPTY_HEAD
                except GitError as error:
                    spec.error = str(error)

            run_parallel(head, unknown, 8)
        return chosen

    def _schemes(self) -> frozenset[str]:
        return frozenset({url_scheme(web_origin(self.client.api_url))})

    def _check_locations(self, specs: list[RepoSpec]) -> None:
        """A listed clone URL must be on the API's own git host, in its scheme (the answer is hostile:
        ``--upload-pack=...``, ``ext::...`` or another host never reach git); others are failed repos."""
        from auditor.redact import redact
        from auditor.sweep.gitops import GitError, check_url

        origin = web_origin(self.client.api_url).rstrip("/") + "/"
        for spec in specs:
            try:
                if not isinstance(spec.location, str) or not isinstance(spec.name, str):
                    raise GitError("the listing gave no usable name or clone URL")
                if not spec.location.lower().startswith(origin.lower()):
                    raise GitError(f"refused git URL {redact(spec.location)[:200]!r}: not on {origin}")
                check_url(spec.location, self._schemes())
            except GitError as error:
                spec.error = str(error)
                spec.head = spec.head or EMPTY_HEAD

    def _list_graphql(self, owner: str) -> list[RepoSpec]:
        specs: list[RepoSpec] = []
        cursor: str | None = None
        while True:
            body = {"query": _QUERY, "variables": {"login": owner, "cursor": cursor}}
            answer = self._request("POST", graphql_url(self.client.api_url), json_body=body).json()
            if not isinstance(answer, dict) or answer.get("errors"):
                errors = answer.get("errors") if isinstance(answer, dict) else answer
                text = self.token.scrub(json.dumps(errors)) if self.token else json.dumps(errors)
                raise GitHubError(f"GraphQL error: {text[:300]}")  # scrubbed before it is cut
            data = answer.get("data") or {}
            owner_node = data.get("repositoryOwner")
            if owner_node is None:
                raise GitHubError(f"GraphQL: no organisation or user {owner!r}")
            page = owner_node["repositories"]
            for node in page["nodes"]:
                ref = node.get("defaultBranchRef") or {}
                specs.append(
                    RepoSpec(
                        name=node["nameWithOwner"],
                        kind="github",
                        location=node["url"],
                        head=(ref.get("target") or {}).get("oid") or EMPTY_HEAD,
                        default_branch=ref.get("name"),
                        topics=tuple(t["topic"]["name"] for t in node["repositoryTopics"]["nodes"]),
                        archived=bool(node["isArchived"]),
                        fork=bool(node["isFork"]),
                        full_name=node["nameWithOwner"],
                    )
                )
            if not page["pageInfo"]["hasNextPage"]:
                return specs
            cursor = page["pageInfo"]["endCursor"]

    def _list_rest(self, owner: str, kind: str) -> list[RepoSpec]:
        path = f"/orgs/{owner}/repos" if kind == "org" else f"/users/{owner}/repos"
        params = {"per_page": 100, "type": "all" if kind == "org" else "owner", "sort": "full_name"}
        try:
            with self.gate:
                items = list(self.client.paginate(path, params))
        except (GitHubError, ValueError) as error:
            raise UsageError(f"cannot list the repositories of {owner}: {error}") from None
        specs = []
        for number, item in enumerate(items):
            spec = _rest_spec(item)
            if spec is None:
                self.log(f"{path}: repository entry {number} is malformed; skipped")
            else:
                specs.append(spec)
        return specs

    # --- SBOM export ---------------------------------------------------------------

    def sbom_preparer(self, cache: Path) -> Preparer:
        """A preparer that downloads each GitHub repo's dependency-graph SBOM into a folder to audit
        (other repos are left to the default: a local folder, or a clone)."""

        def prepare(spec: RepoSpec) -> Path | None:
            if spec.kind != "github":
                return None
            folder = cache / "sbom" / safe_name(spec.name)
            try:
                document = self.fetch_sbom(spec.full_name or spec.name)
            except GitHubError as error:
                raise PrepareError("sbom", str(error)) from None
            write_atomic(folder / "github-dependency-graph.spdx.json", json.dumps(document, indent=1) + "\n")
            return folder

        return prepare

    def fetch_sbom(self, repo: str) -> Any:
        """The SPDX document: ``generate-report``, then poll ``fetch-report`` (202 until ready, then 302).

        A server without the asynchronous endpoints (GHES) answers 404 to
        ``generate-report``: the synchronous ``/dependency-graph/sbom`` is used.
        """
        base = f"/repos/{repo}/dependency-graph/sbom"
        try:
            receipt = self._request("GET", f"{base}/generate-report").json()
        except GitHubHTTPError as error:
            if error.status != 404:
                raise
            return _unwrap(self._request("GET", base).json())
        url = receipt.get("sbom_url") if isinstance(receipt, dict) else None
        if not isinstance(url, str):
            raise GitHubError(f"{repo}: generate-report returned no sbom_url")
        deadline = time.monotonic() + SBOM_TIMEOUT_SECONDS
        while True:
            response = self._request("GET", url)
            if response.status == 200:
                return _unwrap(response.json())
            if time.monotonic() > deadline:
                raise GitHubError(f"{repo}: the SBOM was not ready after {SBOM_TIMEOUT_SECONDS:.0f}s")
            time.sleep(_poll_delay(response))

    # --- SARIF upload --------------------------------------------------------------

    def upload_all(self, history: History, run: SweepRun, out: Path) -> None:
        """Upload the SARIF of every repo audited in this sweep to its code scanning (serially)."""
        from auditor.github.upload import upload_sarif

        if self.tokens is None:
            raise UsageError("--upload needs a token: GITHUB_TOKEN, GH_TOKEN, a GitHub App or --token-command")
        queries = Queries(history.db)
        first = True
        for name in sorted(run.audited_names):
            record = queries.repo(run.sweep_id, name)
            if record is None:
                continue
            path = sarif_path(out, record.name)
            commit = record.head or ""
            if not (record.full_name and record.default_branch and len(commit) == 40 and path.is_file()):
                continue
            if not first:
                time.sleep(self.upload_interval)
            first = False
            try:
                with self.gate:
                    result = upload_sarif(
                        path,
                        record.full_name,
                        f"refs/heads/{record.default_branch}",
                        commit,
                        token=self.tokens.current(),
                        client=self.client,
                        wait=False,
                    )
                status = f"{result.processing_status} {result.sarif_id}"
            except GitHubError as error:
                status = "failed: " + self.scrub(str(error))
                self.log(f"{record.name}: SARIF upload {status}")
            history.record_upload(run.sweep_id, record.name, status)


def _unwrap(document: Any) -> Any:
    if isinstance(document, dict) and isinstance(document.get("sbom"), dict):
        return document["sbom"]
    return document


def _poll_delay(response: Response) -> float:
    retry_after = response.header("retry-after")
    try:
        return min(30.0, max(0.0, float(retry_after))) if retry_after else SBOM_POLL_SECONDS
    except ValueError:
        return SBOM_POLL_SECONDS
