"""``stack-auditor sweep`` and ``stack-auditor merge``: Typer-ready command functions.

Registered in :mod:`auditor.cli` through small wrappers that import this
module only when the command runs (so ``--version`` never loads sqlite3,
rich or the thread pools). Exit codes: in :func:`sweep`'s docstring, which ``--help`` shows.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from auditor.errors import UsageError

__all__ = ["merge", "sweep"]

VIA = ("clone", "sbom")

PROGRESS = ("auto", "bar", "log", "none")


def sweep(
    root: Annotated[
        list[Path] | None, typer.Option("--root", help="A folder of checkouts (repeatable).")
    ] = None,
    repos: Annotated[
        list[Path] | None,
        typer.Option("--repos", help="A file: one local path or git URL a line (repeatable)."),
    ] = None,
    github_org: Annotated[
        list[str] | None, typer.Option("--github-org", help="A GitHub organisation (repeatable).")
    ] = None,
    github_user: Annotated[
        list[str] | None, typer.Option("--github-user", help="A GitHub user's repos (repeatable).")
    ] = None,
    topic: Annotated[
        list[str] | None, typer.Option("--topic", help="Only GitHub repos with this topic (repeatable: any).")
    ] = None,
    include_archived: Annotated[
        bool, typer.Option("--include-archived", help="Also sweep archived GitHub repos.")
    ] = False,
    include_forks: Annotated[bool, typer.Option("--include-forks", help="Also sweep forks.")] = False,
    via: Annotated[
        str,
        typer.Option(
            "--via", help="GitHub repos: 'clone' (sparse, default) or 'sbom' (dependency-graph export)."
        ),
    ] = "clone",
    api_url: Annotated[
        str | None,
        typer.Option(
            "--api-url", envvar="GITHUB_API_URL", help="GitHub API URL (GHES: https://HOST/api/v3); Actions sets it."
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Output folder (see docs/sweep.md).")] = Path(
        "sweep-out"
    ),
    db: Annotated[Path | None, typer.Option("--db", help="History database (default: OUT/sweep.db).")] = None,
    cache_dir: Annotated[
        Path | None, typer.Option("--cache-dir", help="Clone cache (default: OUT/.cache).")
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Parallel audits (default: number of CPUs).")] = 0,
    repo_timeout: Annotated[
        float, typer.Option("--repo-timeout", help="Seconds per repo (clone and audit) before it fails.")
    ] = 600.0,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue the interrupted sweep in this history.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Re-audit every repo, even unchanged ones.")] = False,
    shard: Annotated[
        str | None,
        typer.Option("--shard", help="Only shard I of N (e.g. 2/8), by a stable hash of the name."),
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile", "-p", help="Org-wide profile (name or JSON path) where nothing else assigns one."
        ),
    ] = None,
    rules: Annotated[
        list[Path] | None, typer.Option("--rules", help="Extra rules directory (repeatable).")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", help="sweep.toml: profiles by repo glob or topic (default: ./sweep.toml if present)."
        ),
    ] = None,
    upload: Annotated[
        bool, typer.Option("--upload", help="Upload each audited GitHub repo's SARIF to its code scanning.")
    ] = False,
    progress: Annotated[str, typer.Option("--progress", help="auto, bar, log or none.")] = "auto",
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", help="Glob of paths to skip in every repo (repeatable; per repo: sweep.toml)."),
    ] = None,
    app_id: Annotated[
        str | None,
        typer.Option("--app-id", envvar="GITHUB_APP_ID", help="GitHub App id: installation tokens, refreshed."),
    ] = None,
    app_key: Annotated[
        Path | None,
        typer.Option(
            "--app-key", envvar="GITHUB_APP_PRIVATE_KEY_FILE", help="The GitHub App's private key (PEM file)."
        ),
    ] = None,
    installation_id: Annotated[
        str | None,
        typer.Option(
            "--installation-id",
            envvar="GITHUB_APP_INSTALLATION_ID",
            help="Default: the App's installation on the owner.",
        ),
    ] = None,
    token_command: Annotated[
        str | None,
        typer.Option(
            "--token-command", help="Command printing a token (or JSON token/expires_at), re-run before expiry."
        ),
    ] = None,
    token_ttl: Annotated[
        float, typer.Option("--token-ttl", help="Seconds a --token-command token is used without expires_at.")
    ] = 3000.0,
    fail_on_failed: Annotated[
        bool, typer.Option("--fail-on-failed", help="Exit 1 when any repo failed (clone, file, timeout).")
    ] = False,
    policy_from_org_only: Annotated[
        bool | None,
        typer.Option(
            "--policy-from-org-only/--allow-repo-policy",
            help="Ignore each repo's own weakening settings (severity off, own profiles, catalog overrides)."
            " Default: on when an org sweep.toml is given.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Audit many repositories: a folder of checkouts, a list of paths or URLs, or a GitHub organisation.

    Exit codes: 0 the sweep completed (repos that failed are listed in the summaries);
    1 with --fail-on-failed, the sweep completed but at least one repo failed;
    2 usage error, unreadable sweep.toml, or a source that could not be listed at all.
    """
    from auditor.sweep.app import SweepRequest, run_request

    if via not in VIA:
        raise UsageError(f"unknown --via {via!r} (choose from: {', '.join(VIA)})")
    if progress not in PROGRESS:
        raise UsageError(f"unknown --progress {progress!r} (choose from: {', '.join(PROGRESS)})")
    if not (root or repos or github_org or github_user):
        raise UsageError("nothing to sweep: give --root, --repos, --github-org or --github-user")
    if config is None and Path("sweep.toml").is_file():
        config = Path("sweep.toml")
    request = SweepRequest(
        roots=tuple(root or ()),
        repo_files=tuple(repos or ()),
        orgs=tuple(github_org or ()),
        users=tuple(github_user or ()),
        topics=tuple(topic or ()),
        include_archived=include_archived,
        include_forks=include_forks,
        via=via,
        api_url=api_url,
        out=out,
        db=db,
        cache_dir=cache_dir,
        jobs=jobs,
        repo_timeout=repo_timeout,
        resume=resume,
        force=force,
        shard=shard,
        profile=profile,
        rule_dirs=tuple(rules or ()),
        config=config,
        upload=upload,
        progress=progress,
        excludes=tuple(exclude or ()),
        app_id=app_id,
        app_key=app_key,
        installation_id=installation_id,
        token_command=token_command,
        token_ttl=token_ttl,
        policy_from_org_only=policy_from_org_only,
    )
    run = run_request(request, dict(os.environ))  # an AuditorError: the command group's one handler
    raise typer.Exit(1 if fail_on_failed and run.failed_total else 0)


def merge(
    inputs: Annotated[list[Path], typer.Argument(help="Sweep output folders (one per shard).")],
    out: Annotated[Path, typer.Option("--out", help="The merged output folder.")] = Path("sweep-out"),
    db: Annotated[Path | None, typer.Option("--db", help="Merged history (default: OUT/sweep.db).")] = None,
) -> None:
    """Join the outputs of sharded sweeps (SARIF, summaries, history) into one."""
    from auditor.sweep.merge import merge_outputs

    summary = merge_outputs(list(inputs), out, db)
    totals = summary["totals"]
    typer.echo(
        f"merged {len(inputs)} outputs: {totals['repos']} repos, {totals['failed']} failed,"
        f" {totals['new']} new, {totals['fixed']} fixed -> {out}",
        err=True,
    )
    raise typer.Exit(0)

