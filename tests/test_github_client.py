"""The stdlib GitHub REST client: token hygiene, retries, rate limits, ETag cache, pagination, redirects."""

from __future__ import annotations

import email.utils
import pickle
import socket
import traceback
from collections.abc import Iterator

import pytest

from auditor.github.client import (
    GitHubClient,
    MemoryCache,
    RetryPolicy,
    Secret,
    parse_link_header,
    token_from_env,
)
from auditor.github.errors import GitHubError, GitHubHTTPError, RateLimitError
from tests.fake_github import CANARY_TOKEN, FakeGitHub, FakeTime, Reply, assert_api_headers, assert_no_canary

# The fake servers listen on loopback only (spelled so the fixture URL scrubber leaves it alone).
LOOPBACK = "127.0.0.1"


@pytest.fixture(autouse=True)
def _no_token_in_output(capsys: pytest.CaptureFixture[str]) -> Iterator[None]:
    """Every scenario: the canary token never reaches stdout or stderr."""
    yield
    out, err = capsys.readouterr()
    assert_no_canary(out, err)


@pytest.fixture
def server() -> Iterator[FakeGitHub]:
    with FakeGitHub() as fake:
        yield fake


@pytest.fixture
def ftime() -> FakeTime:
    return FakeTime()


def client_for(fake: FakeGitHub, ftime: FakeTime, **kwargs: object) -> GitHubClient:
    return GitHubClient(
        fake.url,
        Secret(CANARY_TOKEN),
        sleep=ftime.sleep,
        wall_clock=ftime.wall,
        jitter=lambda: 0.0,
        **kwargs,  # type: ignore[arg-type]
    )


def all_texts(exc: BaseException) -> list[str]:
    return [str(exc), repr(exc), "".join(traceback.format_exception(exc))]


# --- the token -------------------------------------------------------------------


def test_secret_never_prints_its_value() -> None:
    """str, repr, f-strings and containers show ``***``; scrub() removes the value from any text."""
    secret = Secret(CANARY_TOKEN)
    shown = [str(secret), repr(secret), f"{secret}", f"{secret!r}", str([secret]), str({"t": secret})]
    assert_no_canary(*shown)
    assert str(secret) == "***"
    assert secret.reveal() == CANARY_TOKEN
    assert secret.scrub(f"Authorization: Bearer {CANARY_TOKEN}.") == "Authorization: Bearer ***."
    with pytest.raises(TypeError):
        pickle.dumps(secret)
    with pytest.raises(ValueError, match="must not be empty"):
        Secret("")


def test_token_from_env_prefers_gh_token() -> None:
    """GH_TOKEN wins over GITHUB_TOKEN, as in gh; blank values count as unset; nothing set gives None."""
    both = token_from_env({"GITHUB_TOKEN": " a1 ", "GH_TOKEN": "b2"})
    assert both is not None and both.reveal() == "b2"
    github_only = token_from_env({"GITHUB_TOKEN": " a1 ", "GH_TOKEN": "  "})
    assert github_only is not None and github_only.reveal() == "a1"
    assert token_from_env({}) is None


def test_unusable_token_is_refused_without_quoting_it() -> None:
    """A token with inner whitespace or non-ASCII is refused; the message names the variable only."""
    with pytest.raises(GitHubError) as excinfo:
        token_from_env({"GH_TOKEN": CANARY_TOKEN + " é"})
    assert "GH_TOKEN is not a usable token" in str(excinfo.value)
    assert_no_canary(*all_texts(excinfo.value))


def test_client_refuses_a_token_that_cannot_be_a_header() -> None:
    """A Secret with a newline is refused up front: http.client would otherwise quote it in its error."""
    with pytest.raises(GitHubError) as excinfo:
        GitHubClient("https://api.github.com", Secret(CANARY_TOKEN + "\nInjected: 1"))
    assert "is not a usable token" in str(excinfo.value)
    assert_no_canary(*all_texts(excinfo.value))


def test_client_repr_hides_token(server: FakeGitHub, ftime: FakeTime) -> None:
    """The client's repr (e.g. in a debugger or a log) shows the URL and ``***``."""
    client = client_for(server, ftime)
    assert "***" in repr(client)
    assert_no_canary(repr(client), vars(client))


def test_reflected_token_is_scrubbed_from_errors(server: FakeGitHub, ftime: FakeTime) -> None:
    """Even if the server echoes the Authorization header in its error, the exception text holds ``***``."""
    server.add("GET", "/echo", Reply(400, {"message": "bad header {authorization}"}))
    with pytest.raises(GitHubHTTPError) as excinfo:
        client_for(server, ftime).get_json("/echo")
    assert "bad header Bearer ***" in str(excinfo.value)
    assert excinfo.value.github_message == "bad header Bearer ***"
    assert_no_canary(*all_texts(excinfo.value))


def test_reflected_token_is_scrubbed_after_retries(server: FakeGitHub, ftime: FakeTime) -> None:
    """A 503 that echoes the token, given up on after the retries, still yields a scrubbed message."""
    server.add("GET", "/echo", Reply(503, {"message": "{authorization}"}))
    client = client_for(server, ftime, retry=RetryPolicy(max_attempts=2))
    with pytest.raises(GitHubHTTPError) as excinfo:
        client.get_json("/echo")
    assert "gave up after 2 attempt(s)" in str(excinfo.value)
    assert_no_canary(*all_texts(excinfo.value))


# --- requests, headers, URLs -------------------------------------------------------


def test_get_sends_documented_headers(server: FakeGitHub, ftime: FakeTime) -> None:
    """Every call carries Accept, X-GitHub-Api-Version, User-Agent and Authorization: Bearer."""
    server.add("GET", "/rate_limit", Reply(200, {"resources": {}}))
    assert client_for(server, ftime).get_json("/rate_limit") == {"resources": {}}
    assert_api_headers(server.requests[0])


def test_post_json_sends_json_body(server: FakeGitHub, ftime: FakeTime) -> None:
    """post_json sends a JSON body with Content-Type application/json and decodes the answer."""
    server.add("POST", "/things", Reply(201, {"id": 1}))
    assert client_for(server, ftime).post_json("/things", {"a": [1, 2]}) == {"id": 1}
    request = server.requests[0]
    assert request.json() == {"a": [1, 2]} and request.headers["content-type"] == "application/json"


def test_query_params_are_encoded(server: FakeGitHub, ftime: FakeTime) -> None:
    """params are URL-encoded into the query string."""
    server.add("GET", "/orgs/acme/repos?type=all&per_page=100", Reply(200, []))
    assert client_for(server, ftime).get_json("/orgs/acme/repos", {"type": "all", "per_page": 100}) == []


@pytest.mark.parametrize("bad", ["ftp://example.com", "api.github.com", "https://x/api?y=1", ""])
def test_bad_api_url_is_a_clear_error(bad: str) -> None:
    """--api-url must be an http(s) URL without query: anything else is a usage error."""
    with pytest.raises(GitHubError, match="--api-url must be an http"):
        GitHubClient(bad, None)


def test_api_url_trailing_slash_and_ghes_prefix() -> None:
    """A trailing slash is dropped; paths join under a GHES /api/v3 root."""
    client = GitHubClient("https://ghes.example.com/api/v3/", None)
    assert client.url("/repos/o/r") == "https://ghes.example.com/api/v3/repos/o/r"


def test_absolute_url_on_another_host_is_refused() -> None:
    """The token is never sent to a host other than the API's (e.g. a URL found in a response)."""
    client = GitHubClient("https://api.github.com", Secret(CANARY_TOKEN))
    with pytest.raises(GitHubError, match="refusing to send the token to another host"):
        client.url("https://evil.example.com/steal")


def test_non_json_body_is_a_clear_error(server: FakeGitHub, ftime: FakeTime) -> None:
    """A 200 with HTML instead of JSON gives a GitHubError, not a JSONDecodeError traceback."""
    server.add("GET", "/html", Reply(200, b"<html>proxy login</html>"))
    with pytest.raises(GitHubError, match="not JSON"):
        client_for(server, ftime).get_json("/html")


# --- retries and rate limits ------------------------------------------------------


def test_5xx_retries_are_bounded_by_attempts(server: FakeGitHub, ftime: FakeTime) -> None:
    """A server that always answers 503 is tried max_attempts times with doubling backoff, then given up."""
    server.add("GET", "/down", Reply(503, {"message": "Service Unavailable"}))
    with pytest.raises(GitHubHTTPError) as excinfo:
        client_for(server, ftime).get_json("/down")
    assert excinfo.value.status == 503
    assert "gave up after 5 attempt(s)" in str(excinfo.value)
    assert len(server.requests) == 5
    assert ftime.sleeps == [0.5, 1.0, 2.0, 4.0]  # jitter 0: half of 1, 2, 4, 8


def test_retries_are_bounded_by_total_wait(server: FakeGitHub, ftime: FakeTime) -> None:
    """The total sleep never exceeds max_total_wait, whatever max_attempts says."""
    server.add("GET", "/down", Reply(500, {}))
    client = client_for(server, ftime, retry=RetryPolicy(max_attempts=50, max_total_wait=10.0))
    with pytest.raises(GitHubHTTPError):
        client.get_json("/down")
    assert sum(ftime.sleeps) <= 10.0
    assert client.total_slept == sum(ftime.sleeps)


def test_jitter_spreads_backoff(server: FakeGitHub) -> None:
    """With jitter, each backoff step lies in [step/2, step]."""
    ftime = FakeTime()
    server.add("GET", "/down", Reply(502, {}), Reply(502, {}), Reply(200, {}))
    client = GitHubClient(server.url, None, sleep=ftime.sleep, jitter=lambda: 1.0)
    client.get_json("/down")
    assert ftime.sleeps == [1.0, 2.0]


def test_network_error_is_retried_then_reported(ftime: FakeTime) -> None:
    """Connection refused: retried within the policy, then one GitHubError naming the host."""
    with socket.socket() as sock:  # find a free port, then close it so nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = GitHubClient(
        f"http://{LOOPBACK}:{port}", Secret(CANARY_TOKEN), sleep=ftime.sleep, retry=RetryPolicy(max_attempts=3)
    )
    with pytest.raises(GitHubError) as excinfo:
        client.get_json("/x")
    assert f"could not reach 127.0.0.1:{port}" in str(excinfo.value)
    assert len(ftime.sleeps) == 2
    assert_no_canary(*all_texts(excinfo.value))


def test_plain_403_is_not_retried(server: FakeGitHub, ftime: FakeTime) -> None:
    """A 403 without rate-limit signs is a permission problem: no retry."""
    server.add("GET", "/secret", Reply(403, {"message": "Resource not accessible by integration"}))
    with pytest.raises(GitHubHTTPError) as excinfo:
        client_for(server, ftime).get_json("/secret")
    assert excinfo.value.status == 403 and not isinstance(excinfo.value, RateLimitError)
    assert len(server.requests) == 1 and ftime.sleeps == []


def test_secondary_rate_limit_without_headers_waits_a_minute(server: FakeGitHub, ftime: FakeTime) -> None:
    """403 'secondary rate limit' with no Retry-After: wait at least 60 s (GitHub's advice), then go on."""
    limited = Reply(403, {"message": "You have exceeded a secondary rate limit."})
    server.add("GET", "/busy", limited, Reply(200, {"ok": True}))
    assert client_for(server, ftime).get_json("/busy") == {"ok": True}
    assert ftime.sleeps == [60.0]


def test_429_without_headers_backs_off_from_a_minute(server: FakeGitHub, ftime: FakeTime) -> None:
    """429 with no header: 60 s, then 120 s, ... within the total-wait bound."""
    server.add("GET", "/busy", Reply(429, {}), Reply(429, {}), Reply(200, []))
    assert client_for(server, ftime).get_json("/busy") == []
    assert ftime.sleeps == [60.0, 120.0]


def test_retry_after_as_http_date(server: FakeGitHub, ftime: FakeTime) -> None:
    """Retry-After may be an HTTP date: wait until then."""
    when = email.utils.formatdate(ftime.wall() + 42, usegmt=True)
    server.add("GET", "/busy", Reply(429, {}, {"Retry-After": when}), Reply(200, {}))
    client_for(server, ftime).get_json("/busy")
    assert ftime.sleeps == [pytest.approx(42.0, abs=1.0)]


def test_rate_limit_give_up_is_a_rate_limit_error(server: FakeGitHub, ftime: FakeTime) -> None:
    """Still limited after the allowed waits: RateLimitError (a GitHubHTTPError) with the status."""
    server.add("GET", "/busy", Reply(429, {"message": "slow down"}, {"Retry-After": "100"}))
    client = client_for(server, ftime, retry=RetryPolicy(max_total_wait=150.0))
    with pytest.raises(RateLimitError) as excinfo:
        client.get_json("/busy")
    assert excinfo.value.status == 429 and ftime.sleeps == [100.0]


# --- conditional requests -------------------------------------------------------------


def test_etag_cache_revalidates_with_if_none_match(server: FakeGitHub, ftime: FakeTime) -> None:
    """A cached ETag is sent as If-None-Match; a 304 returns the cached body marked from_cache."""
    server.add(
        "GET",
        "/repos/o/r",
        Reply(200, {"full_name": "o/r"}, {"ETag": '"abc123"', "Last-Modified": "Wed, 01 Jan 2025 00:00:00 GMT"}),
        Reply(304, None, {"ETag": '"abc123"'}),
    )
    cache = MemoryCache()
    client = client_for(server, ftime, cache=cache)
    first = client.request("GET", "/repos/o/r")
    second = client.request("GET", "/repos/o/r")
    assert not first.from_cache and second.from_cache
    assert second.json() == {"full_name": "o/r"} and second.status == 200
    assert "if-none-match" not in server.requests[0].headers
    assert server.requests[1].headers["if-none-match"] == '"abc123"'
    assert server.requests[1].headers["if-modified-since"] == "Wed, 01 Jan 2025 00:00:00 GMT"
    assert list(cache.entries) == [client.url("/repos/o/r")]


def test_post_is_never_cached(server: FakeGitHub, ftime: FakeTime) -> None:
    """Only GETs go through the cache."""
    server.add("POST", "/x", Reply(201, {}, {"ETag": '"e"'}))
    cache = MemoryCache()
    client_for(server, ftime, cache=cache).post_json("/x", {})
    assert cache.entries == {}


# --- pagination and redirects ---------------------------------------------------------


def test_parse_link_header() -> None:
    """rel values map to their URLs; several rels in one link are all kept."""
    header = (
        '<https://api.github.com/orgs/o/repos?page=2>; rel="next", '
        '<https://api.github.com/orgs/o/repos?page=9>; rel="last", <https://x/y>; rel="prev first"'
    )
    assert parse_link_header(header) == {
        "next": "https://api.github.com/orgs/o/repos?page=2",
        "last": "https://api.github.com/orgs/o/repos?page=9",
        "prev": "https://x/y",
        "first": "https://x/y",
    }
    assert parse_link_header("") == {}


def test_paginate_follows_link_next(server: FakeGitHub, ftime: FakeTime) -> None:
    """paginate yields every item across pages by following rel="next" until it is absent."""
    page2 = "{origin}/orgs/o/repos?per_page=2&page=2"
    link = f'<{page2}>; rel="next", <{page2}>; rel="last"'
    server.add("GET", "/orgs/o/repos?per_page=2", Reply(200, [{"n": 1}, {"n": 2}], {"Link": link}))
    server.add("GET", "/orgs/o/repos?per_page=2&page=2", Reply(200, [{"n": 3}]))
    items = list(client_for(server, ftime).paginate("/orgs/o/repos", {"per_page": 2}))
    assert items == [{"n": 1}, {"n": 2}, {"n": 3}]
    for request in server.requests:
        assert_api_headers(request)


def test_paginate_items_key(server: FakeGitHub, ftime: FakeTime) -> None:
    """Object-shaped pages (GET /installation/repositories) are unwrapped with items_key."""
    server.add("GET", "/installation/repositories", Reply(200, {"total_count": 1, "repositories": [{"id": 7}]}))
    client = client_for(server, ftime)
    assert list(client.paginate("/installation/repositories", items_key="repositories")) == [{"id": 7}]


def test_same_origin_redirect_keeps_token(server: FakeGitHub, ftime: FakeTime) -> None:
    """A renamed repository (301 on the same host) is followed with the token."""
    server.add("GET", "/repos/old/name", Reply(301, None, {"Location": "{origin}/repositories/42"}))
    server.add("GET", "/repositories/42", Reply(200, {"id": 42}))
    assert client_for(server, ftime).get_json("/repos/old/name") == {"id": 42}
    assert_api_headers(server.requests[1])


def test_cross_origin_redirect_drops_token(server: FakeGitHub, ftime: FakeTime) -> None:
    """A redirect to another host (a download URL) is followed without the Authorization header."""
    with FakeGitHub() as other:
        other.add("GET", "/download", Reply(200, {"sbom": {}}))
        server.add("GET", "/report", Reply(302, None, {"Location": other.url + "/download"}))
        assert client_for(server, ftime).get_json("/report") == {"sbom": {}}
        assert "authorization" not in other.requests[0].headers
        assert other.requests[0].headers["accept"] == "application/vnd.github+json"


def test_validation_errors_list_is_kept(server: FakeGitHub, ftime: FakeTime) -> None:
    """GitHub's 422 ``errors[]`` details are appended to its ``message`` in the error text."""
    body = {
        "message": "Validation Failed",
        "errors": [
            {"resource": "Sarif", "code": "invalid", "message": "ref is not valid"},
            "commit_sha unknown",
        ],
    }
    server.add("POST", "/x", Reply(422, body))
    with pytest.raises(GitHubHTTPError) as excinfo:
        client_for(server, ftime).post_json("/x", {})
    assert excinfo.value.github_message == "Validation Failed (ref is not valid; commit_sha unknown)"
    assert str(excinfo.value) == "POST /x: HTTP 422: Validation Failed (ref is not valid; commit_sha unknown)"


def test_non_json_error_body_is_quoted_briefly(server: FakeGitHub, ftime: FakeTime) -> None:
    """An HTML error page (a proxy) is quoted in at most 200 characters."""
    server.add("GET", "/x", Reply(404, b"<html>" + b"x" * 500))
    with pytest.raises(GitHubHTTPError) as excinfo:
        client_for(server, ftime).get_json("/x")
    assert len(excinfo.value.github_message) == 200
