"""git plumbing for sweeps: heads without cloning, blob-less sparse depth-1 clones, token hygiene.

The token reaches git only through the environment
(``GIT_CONFIG_COUNT``/``GIT_CONFIG_KEY_n``/``GIT_CONFIG_VALUE_n``, an
``http.<origin>/.extraHeader`` scoped to the GitHub host), so it is never in
argv (readable in ``/proc``), never written to ``.git/config`` and never in a
remote URL. Every message that leaves this module is scrubbed of the token
and of its base64 form.

URLs come from list files and API answers, so they are hostile: each is
checked against a scheme allow-list before git sees it (no option-looking
entries, no ``ext::``-style transports), always follows ``--``, and git is
told to speak that one protocol only (``GIT_ALLOW_PROTOCOL``). Local heads are
asked of git (``rev-parse``), never read by following ``.git/HEAD`` ourselves.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import urllib.parse
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from auditor.discover import SKIP_DIRS, resolver_for
from auditor.evidence.cost import SOURCE_PATTERNS  # the Python sources the evidence stage reads
from auditor.sweep.git_urls import CLONE_SCHEMES, REMOTE_SCHEMES, GitError, check_url, url_scheme

__all__ = [
    "REMOTE_SCHEMES",
    "SOURCE_PATTERNS",
    "SPARSE_PATTERNS",
    "GitAuth",
    "GitError",
    "check_url",
    "checkout_head",
    "clone_or_fetch",
    "commit_of",
    "git_auth_from_env",
    "git_cleanup",
    "kill_running",
    "local_head",
    "ls_remote_head",
    "web_origin",
]

# Manifests, locks, SBOMs and per-repo config: all an audit reads (non-cone
# mode, because "**/" globs need it; see github-api.md section 6).
SPARSE_PATTERNS = (
    *SOURCE_PATTERNS,
    "**/pyproject.toml",
    "**/.stack-auditor.toml",
    "**/requirements*.txt",
    "**/requirements*.in",
    "**/requirements/*.txt",
    "**/requirements/*.in",
    "**/constraints*.txt",
    "**/uv.lock",
    "**/poetry.lock",
    "**/pdm.lock",
    "**/pylock.toml",
    "**/pylock.*.toml",
    "**/Pipfile",
    "**/Pipfile.lock",
    "**/*.cdx.json",
    "**/*.cdx.xml",
    "**/bom.json",
    "**/bom.xml",
    "**/*.spdx.json",
    "**/*.spdx",
)


@dataclass(frozen=True, slots=True)
class GitAuth:
    """A token for one origin (``https://github.com``); ``secrets`` lists every form to scrub."""

    origin: str
    header: str

    @classmethod
    def for_token(cls, token: str, origin: str) -> GitAuth:
        basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
        return cls(origin.rstrip("/"), f"AUTHORIZATION: basic {basic}")

    def secrets(self) -> tuple[str, ...]:
        basic = self.header.split(" ", 2)[2]
        token = base64.b64decode(basic).decode().split(":", 1)[1]
        return (token, basic)

    def applies_to(self, url: str) -> bool:
        parts = urllib.parse.urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}".lower() == self.origin.lower()

    def scrub(self, text: str) -> str:
        """``text`` without the token or its header form, nor any 8+ character piece of either."""
        from auditor.github.secret import scrub_pieces

        for secret in self.secrets():
            text = scrub_pieces(text, secret)
        return text


def _env(url: str | None, auth: GitAuth | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_CONFIG_")}
    env.update({"GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "", "SSH_ASKPASS": "", "LC_ALL": "C"})
    # The one protocol of the checked URL (never ext/fd); redirects and submodules inherit it.
    env["GIT_ALLOW_PROTOCOL"] = (url_scheme(url) if url else "") or "none"
    env["GIT_PROTOCOL_FROM_USER"] = "0"
    if auth is not None and url is not None and auth.applies_to(url):
        env.update(
            {
                "GIT_CONFIG_COUNT": "1",
                "GIT_CONFIG_KEY_0": f"http.{auth.origin}/.extraheader",
                "GIT_CONFIG_VALUE_0": auth.header,
            }
        )
    return env


def _run(
    args: list[str],
    *,
    cwd: Path | None = None,
    url: str | None = None,
    auth: GitAuth | None = None,
    timeout: float = 300.0,
) -> str:
    try:
        # Its own session, so a timeout ends git and every helper it started (ssh, remote-https).
        process = subprocess.Popen(
            ["git", *args],
            cwd=cwd,
            env=_env(url, auth),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            start_new_session=True,
        )
    except OSError as error:
        raise GitError(f"cannot run git: {error.strerror or error}") from None
    with _LIVE_LOCK:
        _LIVE[process.pid] = process
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(process)
        raise GitError(f"git {args[0]} timed out after {timeout:.0f}s") from None
    except BaseException:
        kill_group(process)
        raise
    finally:
        with _LIVE_LOCK:
            _LIVE.pop(process.pid, None)
    if process.returncode != 0:
        detail = (stderr.strip().splitlines() or [f"exit code {process.returncode}"])[-1]
        from auditor.redact import redact

        message = redact(f"git {args[0]} failed: {detail}")
        raise GitError(auth.scrub(message) if auth else message)
    return stdout


# git commands running now (each the leader of its own process group), for kill_running().
_LIVE: dict[int, subprocess.Popen[str]] = {}
_LIVE_LOCK = threading.Lock()


def kill_running() -> None:
    """Kill every git command still running, with everything it started (registered with atexit)."""
    with _LIVE_LOCK:
        running = list(_LIVE.values())
    for process in running:
        kill_group(process)


atexit.register(kill_running)


@contextlib.contextmanager
def git_cleanup() -> Iterator[None]:
    """Around a sweep: SIGTERM (a CI cancel, Kubernetes) ends it as an exit, not a silent death, and
    no git process group outlives it whatever way it ends (git runs in sessions of its own)."""
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        yield
    finally:
        kill_running()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _exit_on_sigterm(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def kill_group(process: subprocess.Popen[str]) -> None:
    """Kill ``process`` and its process group (it was started in a session of its own), then reap it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()
    process.communicate()


def local_head(folder: Path) -> str:
    """The checked-out commit of a git working tree (``git rev-parse``).

    A repository without commits, or a folder that is not a git checkout,
    gets ``tree:<hash>`` over its dependency files' names, sizes and
    modification times, so editing a manifest still counts as a change.
    """
    return commit_of(folder) or _tree_digest(folder)


_SHA = re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")


def commit_of(folder: Path) -> str | None:
    """The commit ``HEAD`` points to, as git resolves it; ``None`` when there is none.

    Asked of git rather than read from ``.git/HEAD``: a hostile ``ref:`` line
    (``ref: ../../../etc/passwd``) or ``gitdir:`` file would otherwise make us
    read, and report, a file outside the folder. git only ever answers a
    commit id; the search stops at ``folder`` (an enclosing repository is not it).
    """
    if not (folder / ".git").exists():
        return None
    env = {"GIT_CEILING_DIRECTORIES": str(folder.absolute().parent)}
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", "--end-of-options", "HEAD^{commit}"],
            cwd=folder,
            env={**_env(None, None), **env},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=60.0,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    sha = done.stdout.strip()
    return sha if done.returncode == 0 and _SHA.match(sha) else None


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for current, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for filename in sorted(filenames):
            path = Path(current) / filename
            if filename != ".stack-auditor.toml" and resolver_for(path) is None:
                continue
            try:
                stat = path.stat()
            except OSError:
                continue
            relative = path.relative_to(folder).as_posix()
            digest.update(f"{relative}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return "tree:" + digest.hexdigest()[:40]


def ls_remote_head(
    url: str,
    auth: GitAuth | None = None,
    timeout: float = 60.0,
    schemes: frozenset[str] = REMOTE_SCHEMES,
) -> tuple[str | None, str | None]:
    """``(sha, branch)`` of the remote's HEAD, without cloning (``git ls-remote --symref -- URL HEAD``).

    ``(None, None)`` for an empty repository.
    """
    check_url(url, schemes)
    out = _run(["ls-remote", "--symref", "--", url, "HEAD"], url=url, auth=auth, timeout=timeout)
    sha = branch = None
    for line in out.splitlines():
        left, _, right = line.partition("\t")
        if left.startswith("ref: ") and right == "HEAD":
            branch = left[5:].removeprefix("refs/heads/")
        elif right == "HEAD":
            sha = left.strip()
    return sha, branch


def checkout_head(folder: Path) -> str | None:
    """The commit checked out in ``folder`` (``None`` for an empty repository)."""
    return commit_of(folder)


def clone_or_fetch(
    url: str,
    dest: Path,
    auth: GitAuth | None = None,
    timeout: float = 300.0,
    schemes: frozenset[str] = CLONE_SCHEMES,
) -> str | None:
    """Bring ``dest`` to the remote's default-branch head with only the dependency files checked out.

    First time: ``clone --depth 1 --filter=blob:none --sparse --no-checkout``
    into a temporary folder beside ``dest`` (renamed when complete, so a
    killed sweep leaves no half clone), ``sparse-checkout set --no-cone``,
    ``checkout``. Later: ``fetch --depth 1 origin HEAD`` and a forced checkout
    of ``FETCH_HEAD``; a cache that fails to fetch, or whose ``origin`` is not
    ``url`` (the URL changed), is cloned afresh. Returns the commit checked out.

    (long: git steps with their error handling)
    """
    check_url(url, schemes)
    if (dest / ".git").is_dir() and _origin_of(dest) != url:
        shutil.rmtree(dest, ignore_errors=True)
    if (dest / ".git").is_dir():
        try:
            _run(
                ["fetch", "--quiet", "--depth", "1", "--filter=blob:none", "origin", "HEAD"],
                cwd=dest,
                url=url,
                auth=auth,
                timeout=timeout,
            )
            _run(
                ["checkout", "--quiet", "--force", "--detach", "FETCH_HEAD"],
                cwd=dest,
                url=url,
                auth=auth,
                timeout=timeout,
            )
            return checkout_head(dest)
        except GitError as error:
            if "couldn't find remote ref" in str(error).lower():
                return checkout_head(dest)  # an empty remote: nothing to fetch
            shutil.rmtree(dest, ignore_errors=True)
    dest.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        _run(
            [
                "clone",
                "--quiet",
                "--depth",
                "1",
                "--filter=blob:none",
                "--sparse",
                "--no-checkout",
                "--",
                url,
                str(temporary / "c"),
            ],
            url=url,
            auth=auth,
            timeout=timeout,
        )
        work = temporary / "c"
        _run(
            ["sparse-checkout", "set", "--no-cone", *SPARSE_PATTERNS],
            cwd=work,
            url=url,
            auth=auth,
            timeout=timeout,
        )
        if commit_of(work) is not None:
            _run(["checkout", "--quiet"], cwd=work, url=url, auth=auth, timeout=timeout)
        shutil.rmtree(dest, ignore_errors=True)
        work.rename(dest)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    return checkout_head(dest)


def _origin_of(clone: Path) -> str | None:
    try:
        return _run(["config", "--get", "remote.origin.url"], cwd=clone, timeout=60.0).strip()
    except GitError:
        return None


def web_origin(api_url: str | None) -> str:
    """The git host for an API URL: api.github.com -> https://github.com; https://HOST/api/v3 -> https://HOST."""
    if not api_url:
        return "https://github.com"
    parts = urllib.parse.urlsplit(api_url)
    host = parts.netloc
    if host.lower() == "api.github.com":
        host = "github.com"
    elif host.lower().startswith("api."):
        host = host[4:]  # GHE.com data residency: api.<sub>.ghe.com serves git at <sub>.ghe.com
    return f"{parts.scheme}://{host}"


def git_auth_from_env(api_url: str | None, environ: Mapping[str, str]) -> GitAuth | None:
    """``GITHUB_TOKEN`` (else ``GH_TOKEN``) as a git header for the GitHub host only; ``None`` without one."""
    for name in ("GITHUB_TOKEN", "GH_TOKEN"):
        value = environ.get(name, "").strip()
        if value:
            return GitAuth.for_token(value, web_origin(api_url))
    return None
