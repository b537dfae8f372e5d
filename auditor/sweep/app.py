"""From a parsed command line to a finished sweep: sources, token, sweep, uploads, summaries."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.errors import UsageError
from auditor.github.limits import DEFAULT_API_URL
from auditor.sweep.gitops import GitAuth, git_auth_from_env, git_cleanup
from auditor.sweep.model import RepoSpec
from auditor.sweep.outputs import write_outputs
from auditor.sweep.profiles import load_sweep_config
from auditor.sweep.progress import Progress, make_progress
from auditor.sweep.runner import AuthSource, SweepOptions, SweepRun, run_sweep
from auditor.sweep.shard import parse_shard
from auditor.sweep.sources import dedupe, from_repos_file, from_root

if TYPE_CHECKING:
    from auditor.sweep.github_source import GitHubSource
    from auditor.sweep.tokens import TokenProvider

__all__ = ["SweepRequest", "run_request"]


@dataclass(frozen=True, slots=True)
class SweepRequest:
    """The ``sweep`` command's options, as given."""

    out: Path
    roots: tuple[Path, ...] = ()
    repo_files: tuple[Path, ...] = ()
    orgs: tuple[str, ...] = ()
    users: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    include_archived: bool = False
    include_forks: bool = False
    via: str = "clone"
    api_url: str | None = None
    db: Path | None = None
    cache_dir: Path | None = None
    jobs: int = 0
    repo_timeout: float = 600.0
    resume: bool = False
    force: bool = False
    shard: str | None = None
    profile: str | None = None
    rule_dirs: tuple[Path, ...] = ()
    config: Path | None = None
    upload: bool = False
    progress: str = "auto"
    excludes: tuple[str, ...] = ()
    app_id: str | None = None  # a GitHub App: installation tokens minted and refreshed
    app_key: Path | None = None  # its private key (PEM); or GITHUB_APP_PRIVATE_KEY in the environment
    installation_id: str | None = None
    token_command: str | None = None  # run (no shell) for a token, again before it expires
    token_ttl: float = 3000.0
    policy_from_org_only: bool | None = None  # None: yes when an org sweep.toml is given


def _label(request: SweepRequest) -> str:
    parts = [f"root:{p}" for p in request.roots] + [f"repos:{p}" for p in request.repo_files]
    parts += [f"github-org:{o}" for o in request.orgs] + [f"github-user:{u}" for u in request.users]
    return " ".join(parts)


def run_request(request: SweepRequest, environ: Mapping[str, str], tokens: TokenProvider | None = None) -> SweepRun:
    """Run one sweep end to end and write every output into ``request.out``.

    ``tokens``: a token provider to use instead of the one the request and environment describe.
    """
    if request.via == "sbom" and not (request.orgs or request.users):
        raise UsageError("--via sbom needs --github-org or --github-user")
    progress = make_progress(request.progress)
    options = SweepOptions(
        out=request.out,
        db=request.db,
        cache_dir=request.cache_dir,
        jobs=request.jobs,
        repo_timeout=request.repo_timeout,
        resume=request.resume,
        force=request.force,
        shard=parse_shard(request.shard) if request.shard else None,
        profile=request.profile,
        rule_dirs=request.rule_dirs,
        config=load_sweep_config(request.config),
        policy_from_org_only=(
            request.config is not None if request.policy_from_org_only is None else request.policy_from_org_only
        ),
        sources_label=_label(request),
        excludes=request.excludes,
    )
    github = None
    auth: GitAuth | AuthSource | None = None
    tokens = tokens or _token_provider(request, environ)
    if request.orgs or request.users or request.upload or tokens is not None:
        from auditor.sweep.github_source import GitHubSource

        github = GitHubSource.from_environment(request.api_url, environ, options.db_path, progress.message, tokens)
        auth = github
    elif request.repo_files:
        auth = _auth_for_urls(request.api_url, environ)
    try:
        with git_cleanup():
            run, summary = _sweep(request, options, progress, github, auth)
    finally:
        if github is not None:
            github.close()
    totals = summary["totals"]
    run.failed_total = totals["failed"]
    sys.stderr.write(
        f"sweep {run.sweep_id}: {totals['repos']} repos ({run.audited} audited, {run.reused} unchanged,"
        f" {totals['failed']} failed); {totals['new']} new, {totals['fixed']} fixed -> {options.out}\n"
    )
    return run


def _token_provider(request: SweepRequest, environ: Mapping[str, str]) -> TokenProvider | None:
    """A token command, or a GitHub App (from options or ``GITHUB_APP_*``); ``None``: a plain token."""
    from auditor.sweep.tokens import AppTokens, CommandTokens

    if request.token_command:
        return CommandTokens(request.token_command, request.token_ttl)
    app_id = request.app_id or environ.get("GITHUB_APP_ID", "").strip() or None
    if app_id is None:
        return None
    key_file = request.app_key or (
        Path(environ["GITHUB_APP_PRIVATE_KEY_FILE"]) if environ.get("GITHUB_APP_PRIVATE_KEY_FILE") else None
    )
    if key_file is not None:
        try:
            key = key_file.read_text(encoding="utf-8")
        except OSError as error:
            raise UsageError(f"{key_file}: cannot read the GitHub App private key: {error.strerror or error}") from None
    else:
        key = environ.get("GITHUB_APP_PRIVATE_KEY", "")
    if "PRIVATE KEY" not in key:
        raise UsageError("a GitHub App needs its private key (PEM): --app-key FILE or GITHUB_APP_PRIVATE_KEY")
    owner = (request.orgs or request.users or (None,))[0]
    installation = request.installation_id or environ.get("GITHUB_APP_INSTALLATION_ID", "").strip() or None
    return AppTokens(app_id, key, request.api_url or DEFAULT_API_URL, owner, installation)


def _sweep(
    request: SweepRequest,
    options: SweepOptions,
    progress: Progress,
    github: GitHubSource | None,
    auth: GitAuth | AuthSource | None,
) -> tuple[SweepRun, dict[str, Any]]:
    """List every source, sweep, upload, and write the summaries."""
    io_threads = max(4, min(16, options.workers * 2))
    specs: list[RepoSpec] = []
    for root in request.roots:
        specs += from_root(root)
    for file in request.repo_files:
        current = auth if auth is None or isinstance(auth, GitAuth) else auth.current()
        specs += from_repos_file(file, current, io_threads, min(request.repo_timeout, 120.0))
    prepare = None
    if github is not None:
        for org in request.orgs:
            specs += github.list_repos(org, "org", request.topics, request.include_archived, request.include_forks)
        for user in request.users:
            specs += github.list_repos(user, "user", request.topics, request.include_archived, request.include_forks)
        if request.via == "sbom":
            prepare = github.sbom_preparer(options.cache)
    specs = dedupe(specs)
    run = run_sweep(options, specs, progress, prepare, auth)
    from auditor.sweep.history import History

    with History(options.db_path) as history:
        if request.upload:
            assert github is not None
            github.upload_all(history, run, options.out)
        summary = write_outputs(history, run.sweep_id, options.out)
    return run, summary


def _auth_for_urls(api_url: str | None, environ: Mapping[str, str]) -> GitAuth | None:
    """A token for URL lists goes only to the GitHub host (github.com, or the GHES host of --api-url)."""
    return git_auth_from_env(api_url, environ)
