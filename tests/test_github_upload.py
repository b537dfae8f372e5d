"""SARIF upload to code scanning against a fake GitHub API on 127.0.0.1, and the ``upload`` CLI command."""

from __future__ import annotations

import base64
import functools
import gzip
import json
import os
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from auditor.errors import InputError
from auditor.github.client import GitHubClient, Secret
from auditor.github.errors import GitHubError, SarifTooLargeError
from auditor.github.upload import UploadResult, encode_sarif, upload_sarif
from tests.fake_github import (
    CANARY_TOKEN,
    FakeGitHub,
    FakeTime,
    Reply,
    assert_api_headers,
    assert_no_canary,
    assert_upload_body,
)

DATA = Path(__file__).parent / "github_data"
SARIF = DATA / "valid.sarif"
REPO = "octo-org/app"
REF = "refs/heads/main"
SHA = "0123456789abcdef0123456789abcdef01234567"
UPLOAD_PATH = f"/repos/{REPO}/code-scanning/sarifs"
STATUS_PATH = f"{UPLOAD_PATH}/47177e22-5596-11eb-80a1-c1e54ef945c6"
RECEIPT = Reply(
    202,
    {"id": "47177e22-5596-11eb-80a1-c1e54ef945c6", "url": f"https://api.github.com{STATUS_PATH}"},
)


def status(state: str, errors: list[str] | None = None) -> Reply:
    """A ``GET .../sarifs/{id}`` answer."""
    return Reply(
        200,
        {
            "processing_status": state,
            "analyses_url": f"https://api.github.com/repos/{REPO}/code-scanning/analyses?sarif_id=47177e22",
            "errors": errors,
        },
    )


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


def run_upload(fake: FakeGitHub, ftime: FakeTime, path: Path = SARIF, **kwargs: Any) -> UploadResult:
    client = GitHubClient(fake.url, Secret(CANARY_TOKEN), sleep=ftime.sleep, wall_clock=ftime.wall, jitter=lambda: 0.5)
    return upload_sarif(
        path,
        REPO,
        REF,
        SHA,
        api_url=fake.url,
        token=Secret(CANARY_TOKEN),
        client=client,
        sleep=ftime.sleep,
        clock=ftime.clock,
        **kwargs,
    )


def error_texts(excinfo: pytest.ExceptionInfo[BaseException]) -> list[str]:
    """Everything a user could see of an exception."""
    exc = excinfo.value
    return [str(exc), repr(exc), "".join(traceback.format_exception(exc))]


def test_upload_success_polls_until_complete(server: FakeGitHub, ftime: FakeTime) -> None:
    """A 202 upload, then pending twice, then complete: the request matches the REST reference exactly."""
    server.add("POST", UPLOAD_PATH, RECEIPT)
    server.add("GET", STATUS_PATH, status("pending"), status("pending"), status("complete", []))
    result = run_upload(server, ftime, checkout_uri="file:///github/workspace", tool_name="stack-auditor")
    assert result.processing_status == "complete" and not result.timed_out
    assert result.sarif_id == "47177e22-5596-11eb-80a1-c1e54ef945c6"
    assert result.errors == ()
    assert server.paths() == [("POST", UPLOAD_PATH)] + [("GET", STATUS_PATH)] * 3
    body = assert_upload_body(server.requests[0], SARIF, ref=REF, commit_sha=SHA)
    assert body["checkout_uri"] == "file:///github/workspace" and body["tool_name"] == "stack-auditor"
    for request in server.requests:
        assert_api_headers(request)
    assert ftime.sleeps == [5.0, 5.0]  # the poll interval, twice
    assert not server.unexpected


def test_upload_without_optional_fields_sends_only_required_ones(server: FakeGitHub, ftime: FakeTime) -> None:
    """Without checkout_uri/tool_name the body is exactly commit_sha, ref, sarif; no wait, no GET."""
    server.add("POST", UPLOAD_PATH, RECEIPT)
    result = run_upload(server, ftime, wait=False)
    assert result.processing_status == "pending" and not result.timed_out
    body = assert_upload_body(server.requests[0], SARIF, ref=REF, commit_sha=SHA)
    assert set(body) == {"commit_sha", "ref", "sarif"}
    assert server.paths() == [("POST", UPLOAD_PATH)]


def test_upload_accepts_a_plain_string_token(server: FakeGitHub, ftime: FakeTime) -> None:
    """token may be a str (wrapped in a Secret at once); the request carries it as a Bearer token."""
    server.add("POST", UPLOAD_PATH, RECEIPT)
    result = upload_sarif(SARIF, REPO, REF, SHA, api_url=server.url, token=CANARY_TOKEN, wait=False)
    assert result.processing_status == "pending"
    assert_api_headers(server.requests[0])


def test_processing_failed_reports_githubs_errors(server: FakeGitHub, ftime: FakeTime) -> None:
    """``failed`` is a result, not an exception, and carries GitHub's ``errors`` list."""
    server.add("POST", UPLOAD_PATH, RECEIPT)
    errors = ["locationFromSarifResult: expected at least one location"]
    server.add("GET", STATUS_PATH, status("failed", errors))
    result = run_upload(server, ftime)
    assert result.processing_status == "failed"
    assert result.errors == tuple(errors)


def test_processing_timeout_returns_pending(server: FakeGitHub, ftime: FakeTime) -> None:
    """Still pending at the timeout: stop polling (bounded), report ``timed_out`` rather than hang."""
    server.add("POST", UPLOAD_PATH, RECEIPT)
    server.add("GET", STATUS_PATH, status("pending"))
    result = run_upload(server, ftime, timeout=12.0)
    assert result.processing_status == "pending" and result.timed_out
    assert ftime.now <= 12.0
    assert ftime.sleeps == [5.0, 5.0]


@pytest.mark.parametrize(
    ("status_code", "github_message", "expected"),
    [
        (
            403,
            "Advanced Security must be enabled for this repository to use code scanning.",
            "security_events",
        ),
        (403, "Resource not accessible by integration", "Code scanning alerts: write"),
        (404, "Not Found", "was not found, or the token cannot see it"),
        (401, "Bad credentials", "GITHUB_TOKEN"),
        (400, "Invalid request.", "rejected the upload as invalid (400)"),
        (422, "ref is not a valid ref", "rejected the upload as invalid (422)"),
    ],
)
def test_http_errors_give_actionable_messages(
    server: FakeGitHub, ftime: FakeTime, status_code: int, github_message: str, expected: str
) -> None:
    """403/404/401/400/422 become one clear GitHubError naming the likely cause; no retry, no token."""
    server.add("POST", UPLOAD_PATH, Reply(status_code, {"message": github_message}))
    with pytest.raises(GitHubError) as excinfo:
        run_upload(server, ftime)
    message = str(excinfo.value)
    assert expected in message
    assert github_message in message  # GitHub's own words are kept
    assert len(server.requests) == 1 and ftime.sleeps == []
    assert_no_canary(*error_texts(excinfo))


def test_413_from_github_is_a_size_error(server: FakeGitHub, ftime: FakeTime) -> None:
    """GitHub's 413 Payload Too Large maps to SarifTooLargeError with the gzipped size."""
    server.add("POST", UPLOAD_PATH, Reply(413, {"message": "Payload Too Large"}))
    with pytest.raises(SarifTooLargeError) as excinfo:
        run_upload(server, ftime)
    assert "too large (413)" in str(excinfo.value) and "gzipped size" in str(excinfo.value)
    assert_no_canary(*error_texts(excinfo))


def test_local_size_check_refuses_before_sending(server: FakeGitHub, ftime: FakeTime, tmp_path: Path) -> None:
    """A SARIF whose gzip exceeds 10 MB is refused locally: no request reaches GitHub."""
    # Nearly incompressible: base64 of 10.4 MB random bytes (6 bits per char, so gzip stays > 10 MB).
    filler = base64.b64encode(os.urandom(10_400_000)).decode()
    doc = json.loads(SARIF.read_text())
    doc["runs"][0]["properties"] = {"filler": filler}
    big = tmp_path / "big.sarif"
    big.write_text(json.dumps(doc))
    with pytest.raises(SarifTooLargeError) as excinfo:
        run_upload(server, ftime, path=big)
    assert "over GitHub's limit of 10,000,000 bytes" in str(excinfo.value)
    assert server.requests == []


def test_encode_sarif_is_gzip_base64_of_exact_bytes() -> None:
    """encode_sarif gives base64(gzip(raw)) with the gzip size, deterministic for the same input."""
    raw = SARIF.read_bytes()
    encoded, size = encode_sarif(raw)
    assert gzip.decompress(base64.b64decode(encoded)) == raw
    assert size == len(base64.b64decode(encoded))
    assert encode_sarif(raw) == (encoded, size)


def test_5xx_then_success_is_retried_with_backoff(server: FakeGitHub, ftime: FakeTime) -> None:
    """502 and 503 are retried with exponential backoff and jitter, then the 202 goes through."""
    server.add("POST", UPLOAD_PATH, Reply(502, {"message": "Bad Gateway"}), Reply(503, {}), RECEIPT)
    server.add("GET", STATUS_PATH, status("complete"))
    result = run_upload(server, ftime)
    assert result.processing_status == "complete"
    # jitter fixed at 0.5: step/2 + step/2*0.5 with steps 1 s and 2 s
    assert ftime.sleeps == [0.75, 1.5]
    posts = [r for r in server.requests if r.method == "POST"]
    assert len(posts) == 3
    for post in posts:
        assert_upload_body(post, SARIF, ref=REF, commit_sha=SHA)


def test_429_retry_after_then_success(server: FakeGitHub, ftime: FakeTime) -> None:
    """A 429 with Retry-After waits exactly that long, then succeeds."""
    server.add("POST", UPLOAD_PATH, Reply(429, {"message": "slow down"}, {"Retry-After": "7"}), RECEIPT)
    server.add("GET", STATUS_PATH, status("complete"))
    assert run_upload(server, ftime).processing_status == "complete"
    assert ftime.sleeps == [7.0]


def test_403_primary_rate_limit_waits_for_reset(server: FakeGitHub, ftime: FakeTime) -> None:
    """403 with X-RateLimit-Remaining: 0 waits until X-RateLimit-Reset (+1 s), then succeeds."""
    reset = str(int(ftime.wall()) + 30)
    limited = Reply(
        403,
        {"message": "API rate limit exceeded"},
        {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset, "X-RateLimit-Limit": "1000"},
    )
    server.add("POST", UPLOAD_PATH, limited, RECEIPT)
    server.add("GET", STATUS_PATH, status("complete"))
    assert run_upload(server, ftime).processing_status == "complete"
    assert ftime.sleeps == [31.0]


def test_rate_limit_longer_than_budget_fails_fast(server: FakeGitHub, ftime: FakeTime) -> None:
    """A reset an hour away exceeds the total-wait bound: fail at once with a clear message, no sleep."""
    reset = str(int(ftime.wall()) + 3600)
    server.add(
        "POST",
        UPLOAD_PATH,
        Reply(
            403,
            {"message": "API rate limit exceeded"},
            {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset},
        ),
    )
    with pytest.raises(GitHubError) as excinfo:
        run_upload(server, ftime)
    assert "rate limit exhausted" in str(excinfo.value) and "gave up after 1 attempt" in str(excinfo.value)
    assert ftime.sleeps == []
    assert_no_canary(*error_texts(excinfo))


def test_ghes_api_url_prefix(ftime: FakeTime) -> None:
    """With a GHES root (https://HOST/api/v3) every path carries the /api/v3 prefix."""
    with FakeGitHub(prefix="/api/v3") as ghes:
        ghes.add("POST", UPLOAD_PATH, RECEIPT)
        ghes.add("GET", STATUS_PATH, status("complete"))
        assert run_upload(ghes, ftime).processing_status == "complete"
        assert ghes.paths() == [("POST", "/api/v3" + UPLOAD_PATH), ("GET", "/api/v3" + STATUS_PATH)]
        assert_upload_body(ghes.requests[0], SARIF, ref=REF, commit_sha=SHA)
        assert not ghes.unexpected


@pytest.mark.parametrize(
    ("repo", "ref", "sha", "expected"),
    [
        ("octo-org", REF, SHA, "--repo must be OWNER/NAME"),
        (REPO, "main", SHA, "--ref must be refs/heads/"),
        (REPO, "refs/pull/7/files", SHA, "--ref must be refs/heads/"),
        (REPO, REF, SHA[:7], "--commit must be the full 40-hex"),
    ],
)
def test_bad_target_is_refused_before_any_request(
    server: FakeGitHub, ftime: FakeTime, repo: str, ref: str, sha: str, expected: str
) -> None:
    """Malformed --repo/--ref/--commit give a usage message and never reach the network."""
    with pytest.raises(GitHubError, match=expected):
        upload_sarif(SARIF, repo, ref, sha, api_url=server.url, token=Secret(CANARY_TOKEN), sleep=ftime.sleep)
    assert server.requests == []


@pytest.mark.parametrize(
    ("content", "line", "expected"),
    [
        (b'{"version": "2.1.0",\n "runs": [\n', 3, "expected a JSON SARIF file"),
        (b'{"version": "2.0.0", "runs": []}', 0, 'expected a SARIF log with "version": "2.1.0"'),
        (b"\xff\xfe", 0, "expected a UTF-8 JSON SARIF file"),
    ],
)
def test_bad_sarif_file_is_an_input_error(
    server: FakeGitHub, ftime: FakeTime, tmp_path: Path, content: bytes, line: int, expected: str
) -> None:
    """A file that is not SARIF 2.1.0 JSON gives InputError(file, line, ...) and is never sent."""
    path = tmp_path / "broken.sarif"
    path.write_bytes(content)
    with pytest.raises(InputError) as excinfo:
        run_upload(server, ftime, path=path)
    assert excinfo.value.line == line and expected in excinfo.value.message
    assert server.requests == []


# --- the CLI command -----------------------------------------------------------


def cli_app() -> typer.Typer:
    """The real app: its command group turns an AuditorError into one line and exit code 2."""
    from auditor.cli import app

    return app


def invoke(args: list[str], env: dict[str, str | None]) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli_app(), ["upload", *args], env=env, standalone_mode=False)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert_no_canary(result.stdout, result.stderr, result.exception)
    return result.return_value, result.stdout, result.stderr


@pytest.fixture
def fast_cli(monkeypatch: pytest.MonkeyPatch, ftime: FakeTime) -> None:
    """Make the CLI's polling sleep on the fake clock instead of the real one."""
    from auditor.github import upload as upload_module

    real = upload_module.upload_sarif
    monkeypatch.setattr(upload_module, "upload_sarif", functools.partial(real, sleep=ftime.sleep, clock=ftime.clock))


def gh_env(server: FakeGitHub, **extra: str | None) -> dict[str, str | None]:
    env: dict[str, str | None] = {
        "GITHUB_TOKEN": CANARY_TOKEN,
        "GH_TOKEN": None,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_REF": REF,
        "GITHUB_SHA": SHA,
        "GITHUB_API_URL": server.url,
    }
    env.update(extra)
    return env


@pytest.mark.usefixtures("fast_cli")
def test_cli_upload_defaults_from_actions_env(server: FakeGitHub) -> None:
    """In Actions, repo/ref/sha/api-url come from GITHUB_*; exit 0 and a one-line summary on stderr."""
    server.add("POST", UPLOAD_PATH, RECEIPT)
    server.add("GET", STATUS_PATH, status("pending"), status("complete"))
    code, out, err = invoke([str(SARIF)], gh_env(server))
    assert code == 0, err
    assert out == ""
    assert "processing complete" in err
    assert_upload_body(server.requests[0], SARIF, ref=REF, commit_sha=SHA)
    assert_api_headers(server.requests[0])


@pytest.mark.usefixtures("fast_cli")
def test_cli_options_override_env_and_gh_token_works(server: FakeGitHub) -> None:
    """--repo/--ref/--commit/--api-url beat the environment; GH_TOKEN serves when GITHUB_TOKEN is unset."""
    pr_ref = "refs/pull/42/merge"
    server.add("POST", "/repos/other/repo/code-scanning/sarifs", RECEIPT)
    args = [str(SARIF), "--repo", "other/repo", "--ref", pr_ref, "--commit", SHA, "--api-url", server.url]
    args += ["--checkout-uri", "file:///work", "--no-wait"]
    env = gh_env(server, GITHUB_TOKEN=None, GH_TOKEN=CANARY_TOKEN, GITHUB_REPOSITORY="x/y", GITHUB_API_URL=None)
    code, _, err = invoke(args, env)
    assert code == 0, err
    assert "not waiting" in err
    body = assert_upload_body(server.requests[0], SARIF, ref=pr_ref, commit_sha=SHA)
    assert body["checkout_uri"] == "file:///work"
    assert_api_headers(server.requests[0])


@pytest.mark.usefixtures("fast_cli")
def test_cli_processing_failed_exits_1(server: FakeGitHub) -> None:
    """Processing failed: exit 1, GitHub's errors listed on stderr."""
    server.add("POST", UPLOAD_PATH, RECEIPT)
    server.add("GET", STATUS_PATH, status("failed", ["rejecting SARIF: bad region"]))
    code, _, err = invoke([str(SARIF)], gh_env(server))
    assert code == 1
    assert "could not process" in err and "  - rejecting SARIF: bad region" in err


@pytest.mark.usefixtures("fast_cli")
@pytest.mark.parametrize("status_code", [403, 404, 413, 422])
def test_cli_http_errors_exit_2_without_traceback(server: FakeGitHub, status_code: int) -> None:
    """HTTP errors: exit 2, one 'stack-auditor:' line, no traceback, no token."""
    server.add("POST", UPLOAD_PATH, Reply(status_code, {"message": "nope"}))
    code, _, err = invoke([str(SARIF)], gh_env(server))
    assert code == 2
    assert err.startswith("stack-auditor: ") and err.count("\n") == 1 and "Traceback" not in err
    assert f"({status_code})" in err


@pytest.mark.usefixtures("fast_cli")
def test_cli_timeout_exits_0_with_warning(server: FakeGitHub) -> None:
    """Still processing at --timeout: exit 0 (GitHub finishes in the background), said on stderr."""
    server.add("POST", UPLOAD_PATH, RECEIPT)
    server.add("GET", STATUS_PATH, status("pending"))
    code, _, err = invoke([str(SARIF), "--timeout", "6"], gh_env(server))
    assert code == 0
    assert "still processing after 6s" in err


@pytest.mark.parametrize(
    ("drop", "expected"),
    [
        ("GITHUB_TOKEN", "set GH_TOKEN or GITHUB_TOKEN"),
        ("GITHUB_REPOSITORY", "missing --repo (or GITHUB_REPOSITORY)"),
        ("GITHUB_SHA", "missing --commit (or GITHUB_SHA)"),
    ],
)
def test_cli_missing_settings_exit_2(server: FakeGitHub, drop: str, expected: str) -> None:
    """No token / repo / commit: exit 2 with what to set, and nothing is sent."""
    code, _, err = invoke([str(SARIF)], gh_env(server, **{drop: None}))
    assert code == 2 and expected in err
    assert server.requests == []


def test_cli_missing_file_exits_2(server: FakeGitHub, tmp_path: Path) -> None:
    """A SARIF path that does not exist: exit 2, the message names the file."""
    missing = tmp_path / "nope.sarif"
    code, _, err = invoke([str(missing)], gh_env(server))
    assert code == 2 and str(missing) in err and "cannot read" in err


def test_cli_bad_token_characters_are_not_echoed(server: FakeGitHub) -> None:
    """A token with a newline is refused without quoting it (it would otherwise land in a header error)."""
    code, _, err = invoke([str(SARIF)], gh_env(server, GITHUB_TOKEN=CANARY_TOKEN + "\nX"))
    assert code == 2 and "GITHUB_TOKEN is not a usable token" in err
    assert server.requests == []


def test_receipt_without_id_is_an_error(server: FakeGitHub, ftime: FakeTime) -> None:
    """A 202 that carries no SARIF id cannot be polled: a clear GitHubError."""
    server.add("POST", UPLOAD_PATH, Reply(202, {"url": "x"}))
    with pytest.raises(GitHubError, match="returned no SARIF id"):
        run_upload(server, ftime)


def test_unknown_processing_status_is_an_error(server: FakeGitHub, ftime: FakeTime) -> None:
    """A processing_status outside pending/complete/failed stops polling with a clear message."""
    server.add("POST", UPLOAD_PATH, RECEIPT)
    server.add("GET", STATUS_PATH, status("exploded"))
    with pytest.raises(GitHubError, match="unexpected processing_status 'exploded'"):
        run_upload(server, ftime)


def test_status_404_while_polling_is_explained(server: FakeGitHub, ftime: FakeTime) -> None:
    """A 404 on the status URL gets the same repository/access advice as on the upload."""
    server.add("POST", UPLOAD_PATH, RECEIPT)
    server.add("GET", STATUS_PATH, Reply(404, {"message": "Not Found"}))
    with pytest.raises(GitHubError, match="was not found, or the token cannot see it"):
        run_upload(server, ftime)


@pytest.mark.usefixtures("fast_cli")
def test_cli_tool_name_reaches_the_request(server: FakeGitHub) -> None:
    """--tool-name is sent as the body's tool_name; without it the body has none (GitHub reads the SARIF)."""
    server.add("POST", UPLOAD_PATH, RECEIPT)
    server.add("POST", UPLOAD_PATH, RECEIPT)
    code, _, err = invoke([str(SARIF), "--no-wait", "--tool-name", "stack-auditor-api"], gh_env(server))
    assert code == 0, err
    code, _, err = invoke([str(SARIF), "--no-wait"], gh_env(server))
    assert code == 0, err
    with_name, without = (request.json() for request in server.requests)
    assert with_name["tool_name"] == "stack-auditor-api"
    assert "tool_name" not in without


def test_cli_gh_token_wins_over_github_token(server: FakeGitHub) -> None:
    """As in gh: with both set, GH_TOKEN is the one sent."""
    server.add("POST", UPLOAD_PATH, RECEIPT)
    code, _, err = invoke([str(SARIF), "--no-wait"], gh_env(server, GITHUB_TOKEN="ghp_wrong", GH_TOKEN=CANARY_TOKEN))
    assert code == 0, err
    assert server.requests[0].headers["authorization"] == f"Bearer {CANARY_TOKEN}"
