"""Where the repositories come from: a folder of checkouts (``--root``) and a list file (``--repos``).

The GitHub organisation listing lives in :mod:`auditor.sweep.github_source`.
Sources are combinable; a name listed twice is kept once (first wins).
"""

from __future__ import annotations

import hashlib
import os
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from auditor.discover import SKIP_DIRS, resolver_for
from auditor.errors import UsageError
from auditor.hostile_text import shown_name
from auditor.sweep.gitops import REMOTE_SCHEMES, GitAuth, GitError, local_head, ls_remote_head
from auditor.sweep.model import EMPTY_HEAD, RepoSpec

__all__ = ["dedupe", "from_repos_file", "from_root", "is_url", "name_from_url"]

MAX_REPO_DEPTH = 3  # root/owner/name/.git is as deep as a folder of checkouts goes
_URL_SCHEMES = ("https://", "http://", "ssh://", "git://", "file://")
# What a --repos list may name: the user asked for these sources, so local file:// remotes are fine;
# plain http:// and git:// are recognised as URLs only to be refused with a reason.
LIST_SCHEMES = REMOTE_SCHEMES | {"file"}


def is_url(entry: str) -> bool:
    """A git URL (``https://``, ``ssh://``, ``file://``... or scp-like ``git@host:owner/name``)."""
    if entry.startswith(_URL_SCHEMES):
        return True
    head = entry.split("/", 1)[0]
    return "@" in head and ":" in head


def name_from_url(url: str) -> str:
    """``owner/name`` from a clone URL: its last two path segments without ``.git``."""
    # scp-like "git@host:owner/name.git" has no scheme; its path follows the colon.
    path = urllib.parse.urlsplit(url).path if "://" in url else url.split(":", 1)[-1]
    parts = [p for p in path.rstrip("/").split("/") if p]
    if not parts:
        raise UsageError(f"{url}: no repository name in the URL")
    parts[-1] = parts[-1].removesuffix(".git")
    return "/".join(parts[-2:])


def _has_project(folder: Path) -> bool:
    for current, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS]
        if any(resolver_for(Path(current) / f) is not None for f in filenames):
            return True
    return False


def _git_repos(folder: Path, depth: int) -> Iterator[Path]:
    try:
        children = sorted(p for p in folder.iterdir() if p.is_dir() and p.name not in SKIP_DIRS)
    except OSError:
        return
    for child in children:
        if (child / ".git").exists():
            yield child
        elif depth < MAX_REPO_DEPTH:
            yield from _git_repos(child, depth + 1)


def from_root(root: Path) -> list[RepoSpec]:
    """Every git checkout under ``root`` (up to three levels deep), and every top folder holding a project.

    A top-level folder that is not a checkout and holds no checkout but has
    dependency files is audited as one project folder (named after itself).
    ``root`` itself being a checkout makes it the only repo.
    """
    if not root.is_dir():
        raise UsageError(f"--root {root}: not a folder")
    if (root / ".git").exists():
        return [RepoSpec(shown_name(root.resolve().name), "local", str(root), local_head(root))]
    specs: list[RepoSpec] = []
    repos = list(_git_repos(root, 1))
    holders = {repo.relative_to(root).parts[0] for repo in repos}
    for repo in repos:
        name = shown_name(repo.relative_to(root).as_posix())  # a non-UTF-8 folder name, escaped
        specs.append(RepoSpec(name, "local", str(repo), local_head(repo)))
    for child in sorted(p for p in root.iterdir() if p.is_dir() and p.name not in SKIP_DIRS):
        if child.name not in holders and _has_project(child):
            specs.append(RepoSpec(shown_name(child.name), "local", str(child), local_head(child)))
    specs.sort(key=lambda s: s.name)
    return specs


def from_repos_file(
    file: Path, auth: GitAuth | None = None, io_threads: int = 8, timeout: float = 60.0
) -> list[RepoSpec]:
    """One entry a line (``#`` comments, blank lines ignored): a local path or a git URL.

    Relative paths are taken from the list file's folder. URL heads come
    from ``git ls-remote`` (in parallel threads, no clone); a URL that
    cannot be reached is kept with its error, to be recorded as failed.
    """
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise UsageError(f"--repos {file}: {error.strerror or error}") from None
    specs: list[RepoSpec] = []
    urls: list[RepoSpec] = []
    for number, raw in enumerate(lines, 1):
        entry = raw.split(" #", 1)[0].strip()
        if not entry or entry.startswith("#"):
            continue
        if is_url(entry):
            spec = RepoSpec(name_from_url(entry), "url", entry)
            urls.append(spec)
            specs.append(spec)
            continue
        path = Path(entry).expanduser()
        if not path.is_absolute():
            path = file.parent / path
        if not path.is_dir():
            raise UsageError(f"{file}:{number}: {entry}: not a folder and not a git URL")
        name = entry.rstrip("/").removeprefix("./") or path.resolve().name
        specs.append(RepoSpec(name, "local", str(path), local_head(path)))

    def head(spec: RepoSpec) -> None:
        try:
            head, spec.default_branch = ls_remote_head(spec.location, auth, timeout, LIST_SCHEMES)
            spec.head = head or EMPTY_HEAD
        except GitError as error:
            spec.error = str(error)

    run_parallel(head, urls, io_threads)
    return specs


def run_parallel(action: Callable[[RepoSpec], None], specs: Iterable[RepoSpec], threads: int) -> None:
    """Apply ``action`` to each spec on a few I/O threads (order does not matter)."""
    items = list(specs)
    if not items:
        return
    with ThreadPoolExecutor(max_workers=max(1, min(threads, len(items)))) as pool:
        for _ in pool.map(action, items):
            pass


def dedupe(specs: Iterable[RepoSpec]) -> list[RepoSpec]:
    """Each repository once, sorted by name (a stable order for logs and shards).

    A name listed twice for the same place is kept once (the first listing
    wins). Two *different* remotes that end in the same ``owner/name``
    (``github.com/acme/app`` and ``gitlab.com/acme/app``) are both kept, each
    renamed ``<host>/owner/name`` (plus a short hash if that is still not
    enough), so neither hides the other and the names say which is which.
    """
    groups: dict[str, list[RepoSpec]] = {}
    for spec in specs:
        group = groups.setdefault(spec.name, [])
        if not any(_same_place(spec, other) for other in group):
            group.append(spec)
    chosen: list[RepoSpec] = []
    for name, group in groups.items():
        if len(group) > 1:
            for spec in group:
                spec.name = _qualified(name, spec)
            if len({spec.name for spec in group}) < len(group):
                for spec in group:
                    spec.name += "#" + hashlib.sha256(spec.location.encode("utf-8", "surrogateescape")).hexdigest()[:8]
        chosen.extend(group)
    return sorted(chosen, key=lambda spec: spec.name)


def _place(spec: RepoSpec) -> str:
    if spec.kind == "local":
        return "local:" + spec.location
    location = spec.location
    if "://" not in location:  # scp-like user@host:owner/name
        location = "ssh://" + location.replace(":", "/", 1)
    parts = urllib.parse.urlsplit(location)
    path = parts.path.rstrip("/").removesuffix(".git").lower()
    return f"{(parts.hostname or '').lower()}{path}"


def _same_place(one: RepoSpec, other: RepoSpec) -> bool:
    # A local folder and a remote of the same name: the first listing wins, as before.
    if "local" in (one.kind, other.kind):
        return True
    return _place(one) == _place(other)


def _qualified(name: str, spec: RepoSpec) -> str:
    host = (_place(spec).split("/", 1)[0] or "file") if spec.kind != "local" else "local"
    return f"{host}/{name}"
