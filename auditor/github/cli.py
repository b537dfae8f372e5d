"""``stack-auditor upload``: send a SARIF file to GitHub code scanning.

The main Typer app registers it with ``app.command("upload")(upload)``. The
function returns the exit code (0 uploaded and processed, 1 processing
failed); a usage, input or HTTP error is raised as an
:class:`~auditor.errors.AuditorError` for the app's one error handler (exit 2).
The token is read from ``GH_TOKEN`` or ``GITHUB_TOKEN`` only (``GH_TOKEN``
first, as ``gh`` reads them), never from the command line, where other
processes could read it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from auditor.errors import UsageError
from auditor.github.limits import DEFAULT_API_URL

__all__ = ["EXIT_FAILED", "EXIT_OK", "upload"]

EXIT_OK = 0
EXIT_FAILED = 1


def _say(message: str) -> None:
    typer.echo(message, err=True)


def upload(
    sarif: Annotated[
        Path, typer.Argument(help="SARIF file written by `stack-auditor audit --format sarif`.")
    ],
    repo: Annotated[
        str | None,
        typer.Option("--repo", metavar="OWNER/NAME", envvar="GITHUB_REPOSITORY", help="Target repository."),
    ] = None,
    ref: Annotated[
        str | None,
        typer.Option(
            "--ref",
            envvar="GITHUB_REF",
            help="refs/heads/<branch>, refs/tags/<tag> or refs/pull/<n>/merge|head.",
        ),
    ] = None,
    commit: Annotated[
        str | None,
        typer.Option("--commit", envvar="GITHUB_SHA", help="Full 40-hex SHA of the analysed commit."),
    ] = None,
    checkout_uri: Annotated[
        str | None,
        typer.Option(
            "--checkout-uri", help="file:// URI of the checkout, to make absolute SARIF URIs relative."
        ),
    ] = None,
    api_url: Annotated[
        str,
        typer.Option(
            "--api-url",
            envvar="GITHUB_API_URL",
            help="REST API root; GitHub Enterprise Server: https://HOST/api/v3.",
        ),
    ] = DEFAULT_API_URL,
    no_wait: Annotated[
        bool,
        typer.Option("--no-wait", help="Return after the upload is accepted; do not wait for processing."),
    ] = False,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0, help="Seconds to wait for processing.")
    ] = 120.0,
    tool_name: Annotated[
        str | None,
        typer.Option(
            "--tool-name",
            help="Tool name GitHub files the analysis under (default: the SARIF's own tool.driver.name).",
        ),
    ] = None,
) -> int:
    """Upload a SARIF file to GitHub code scanning (token from GH_TOKEN or GITHUB_TOKEN)."""
    missing = [
        option
        for option, value in (
            ("--repo (or GITHUB_REPOSITORY)", repo),
            ("--ref (or GITHUB_REF)", ref),
            ("--commit (or GITHUB_SHA)", commit),
        )
        if not value
    ]
    if missing:
        raise UsageError(f"missing {', '.join(missing)}")
    assert repo and ref and commit  # narrowed by the check above
    from auditor.github.secret import token_from_env

    token = token_from_env(os.environ)
    if token is None:
        raise UsageError("set GH_TOKEN or GITHUB_TOKEN to a token that may upload code scanning results")
    from auditor.github.upload import upload_sarif

    # Token-free by construction: the client scrubs every message it builds.
    result = upload_sarif(
        sarif,
        repo,
        ref,
        commit,
        checkout_uri,
        tool_name,
        api_url=api_url,
        token=token,
        wait=not no_wait,
        timeout=timeout,
    )
    where = f"{repo} {ref} @ {commit[:12]}"
    if result.processing_status == "failed":
        _say(f"GitHub could not process the SARIF upload {result.sarif_id} for {where}:")
        for error in result.errors or ("(GitHub gave no details)",):
            _say(f"  - {error}")
        return EXIT_FAILED
    if result.processing_status == "complete":
        _say(f"Uploaded {sarif} to {where}: processing complete (id {result.sarif_id}).")
    elif result.timed_out:
        _say(
            f"Uploaded {sarif} to {where} (id {result.sarif_id}); still processing after {timeout:g}s, "
            f"GitHub finishes in the background. Status: {result.url}"
        )
    else:
        _say(f"Uploaded {sarif} to {where} (id {result.sarif_id}); not waiting for processing.")
    return EXIT_OK
