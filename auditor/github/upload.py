"""Upload a SARIF file to GitHub code scanning through the REST API, and wait for it to be processed.

``POST /repos/{owner}/{repo}/code-scanning/sarifs`` takes ``commit_sha``,
``ref`` and ``sarif`` (the file gzip-compressed, then Base64: what
``gzip -c f.sarif | base64 -w0`` prints), plus optional ``checkout_uri`` and
``tool_name``; it answers 202 ``{id, url}``. ``GET .../sarifs/{sarif_id}``
then reports ``processing_status`` (``pending`` / ``complete`` / ``failed``)
and ``errors``.
https://docs.github.com/en/rest/code-scanning/code-scanning#upload-an-analysis-as-sarif-data
"""

from __future__ import annotations

import base64
import gzip
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.errors import InputError
from auditor.github.client import DEFAULT_API_URL, GitHubClient, Secret
from auditor.github.errors import GitHubError, GitHubHTTPError, RateLimitError, SarifTooLargeError
from auditor.github.secret import bearer_token
from auditor.render.sarif_limits import MAX_COMPRESSED_BYTES

__all__ = [
    "POLL_INTERVAL",
    "UploadResult",
    "encode_sarif",
    "upload_sarif",
    "validate_target",
]

POLL_INTERVAL = 5.0  # seconds between status checks, as github/codeql-action does
_REPO = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
# The endpoint's documented ref forms: refs/heads/<branch>, refs/tags/<tag>,
# refs/pull/<number>/merge or refs/pull/<number>/head.
_REF = re.compile(r"^refs/(?:heads/.+|tags/.+|pull/\d+/(?:merge|head))$")
_SHA = re.compile(r"^[0-9a-fA-F]{40}$")


@dataclass(frozen=True, slots=True)
class UploadResult:
    """What GitHub said about one upload."""

    sarif_id: str
    url: str
    processing_status: str  # "pending" (not waited for, or timed out), "complete" or "failed"
    errors: tuple[str, ...] = ()
    analyses_url: str | None = None
    timed_out: bool = False
    gzip_bytes: int = 0


def validate_target(repo: str, ref: str, commit_sha: str) -> None:
    """Check ``OWNER/NAME``, the ref form and a 40-hex commit before any network traffic."""
    if not _REPO.match(repo):
        raise GitHubError(f"--repo must be OWNER/NAME (e.g. octo-org/app), got {repo!r}")
    if not _REF.match(ref):
        raise GitHubError(
            f"--ref must be refs/heads/<branch>, refs/tags/<tag> or refs/pull/<n>/merge|head, got {ref!r}"
        )
    if not _SHA.match(commit_sha):
        raise GitHubError(f"--commit must be the full 40-hex commit SHA, got {commit_sha!r}")


def _read_sarif(path: Path) -> bytes:
    """The file's bytes, after checking it is a JSON SARIF 2.1.0 log (a clear error, not a 400 later)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), 0, f"cannot read the SARIF file: {exc.strerror or exc}") from None
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(str(path), 0, "expected a UTF-8 JSON SARIF file") from None
    except json.JSONDecodeError as exc:
        raise InputError(str(path), exc.lineno, f"expected a JSON SARIF file: {exc.msg}") from None
    if not isinstance(doc, dict) or doc.get("version") != "2.1.0" or not isinstance(doc.get("runs"), list):
        raise InputError(str(path), 0, 'expected a SARIF log with "version": "2.1.0" and a "runs" list')
    return raw


def encode_sarif(raw: bytes, *, source: str = "SARIF") -> tuple[str, int]:
    """``(base64(gzip(raw)), gzip size)``, refusing a payload over GitHub's compressed-size limit."""
    compressed = gzip.compress(raw, mtime=0)  # mtime=0: the same file gives the same bytes
    if len(compressed) > MAX_COMPRESSED_BYTES:
        raise SarifTooLargeError(
            f"{source}: the gzipped SARIF is {len(compressed):,} bytes, over GitHub's limit of "
            f"{MAX_COMPRESSED_BYTES:,} bytes (10 MB); audit fewer projects per file or upload one file per "
            "category"
        )
    return base64.b64encode(compressed).decode("ascii"), len(compressed)


def _explain(error: GitHubHTTPError, repo: str, gzip_bytes: int) -> GitHubError:
    """Turn an HTTP status from the upload endpoint into advice the user can act on."""
    if isinstance(error, RateLimitError):
        return error  # throttling, not permissions: the message already says when it resets
    said = f" GitHub said: {error.github_message}" if error.github_message else ""
    if error.status == 401:
        return GitHubError(f"GitHub rejected the token (401): check GITHUB_TOKEN / GH_TOKEN.{said}")
    if error.status == 403:
        return GitHubError(
            f"GitHub refused the upload to {repo} (403). Code scanning may not be enabled for the "
            "repository (private repositories need GitHub Advanced Security or Code Security), the "
            "repository may be archived, or the token lacks permission: a classic token needs the "
            "`security_events` scope (`public_repo` is enough only for public repositories); a "
            "fine-grained token or GitHub App needs 'Code scanning alerts: write' (in Actions: "
            f"`permissions: security-events: write`).{said}"
        )
    if error.status == 404:
        return GitHubError(
            f"Repository {repo} was not found, or the token cannot see it (404); check --repo and the "
            f"token's access.{said}"
        )
    if error.status == 413:
        return SarifTooLargeError(
            f"GitHub rejected the SARIF as too large (413); its gzipped size is {gzip_bytes:,} bytes.{said}"
        )
    if error.status in (400, 422):
        return GitHubError(
            f"GitHub rejected the upload as invalid ({error.status}): the SARIF, --ref "
            f"(refs/heads/..., refs/tags/..., refs/pull/<n>/merge|head) or --commit (a commit that exists "
            f"in {repo}) is not accepted.{said}"
        )
    return error


def upload_sarif(
    path: Path,
    repo: str,
    ref: str,
    commit_sha: str,
    checkout_uri: str | None = None,
    tool_name: str | None = None,
    *,
    api_url: str = DEFAULT_API_URL,
    token: Secret | str,
    wait: bool = True,
    timeout: float = 120.0,
    poll_interval: float = POLL_INTERVAL,
    client: GitHubClient | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> UploadResult:
    """Upload ``path`` to ``repo`` for ``ref``/``commit_sha``; with ``wait``, poll until processed.

    Raises :class:`~auditor.errors.InputError` for an unreadable or non-SARIF
    file, :class:`SarifTooLargeError` over the size limit, :class:`GitHubError`
    with advice for 401/403/404/413/400/422. Processing ``failed`` is not an
    exception: it comes back as ``processing_status == "failed"`` with
    GitHub's ``errors``. Past ``timeout`` the result is ``pending`` with
    ``timed_out`` set: GitHub keeps processing in the background (the
    codeql-action also continues rather than failing).

    (long: retry loop of the upload)
    """
    validate_target(repo, ref, commit_sha)
    raw = _read_sarif(path)
    sarif, gzip_bytes = encode_sarif(raw, source=str(path))
    secret = token if isinstance(token, Secret) else bearer_token(token)
    api = client or GitHubClient(api_url, secret, sleep=sleep)
    body: dict[str, Any] = {"commit_sha": commit_sha.lower(), "ref": ref, "sarif": sarif}
    if checkout_uri:
        body["checkout_uri"] = checkout_uri
    if tool_name:
        body["tool_name"] = tool_name
    try:
        receipt = api.post_json(f"/repos/{repo}/code-scanning/sarifs", body)
    except GitHubHTTPError as exc:
        raise _explain(exc, repo, gzip_bytes) from None
    if not isinstance(receipt, dict) or not receipt.get("id"):
        raise GitHubError(f"GitHub accepted the upload to {repo} but returned no SARIF id")
    sarif_id, url = str(receipt["id"]), str(receipt.get("url") or "")
    result = UploadResult(sarif_id, url, "pending", gzip_bytes=gzip_bytes)
    if not wait:
        return result
    status_path = f"/repos/{repo}/code-scanning/sarifs/{sarif_id}"
    deadline = clock() + timeout
    while True:
        try:
            status = api.get_json(status_path)
        except GitHubHTTPError as exc:
            raise _explain(exc, repo, gzip_bytes) from None
        state = str(status.get("processing_status", "")) if isinstance(status, dict) else ""
        if state in ("complete", "failed"):
            errors = tuple(str(item) for item in (status.get("errors") or ()))
            return UploadResult(
                sarif_id, url, state, errors, status.get("analyses_url"), gzip_bytes=gzip_bytes
            )
        if state != "pending":
            raise GitHubError(f"unexpected processing_status {state!r} for SARIF upload {sarif_id}")
        if clock() + poll_interval > deadline:
            return UploadResult(sarif_id, url, "pending", timed_out=True, gzip_bytes=gzip_bytes)
        sleep(poll_interval)
