"""Peer tools (cdxgen, cyclonedx-py, uv export): their command lines, versions, and a result cache.

Peers are slow (cyclonedx-py takes minutes on a 236-package poetry.lock) and do
not change when stack-auditor does, so each peer runs once per (command line,
input bytes, peer version, timeout) and the result is kept in
``benchmarks/.work/peer-cache.json``; ``run.py --fresh-peers`` ignores it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import shutil
from dataclasses import asdict, replace
from pathlib import Path

from benchmarks._measure import Command, Result, Sample, measure, version_of

__all__ = ["PEER_CACHE", "peer_commands", "peer_exe", "peer_version", "run_peer"]

HERE = Path(__file__).resolve().parent
PEER_CACHE = HERE / ".work" / "peer-cache.json"
_INSTALL = {
    "cdxgen": "npm install -g @cyclonedx/cdxgen",
    "cyclonedx-py": "pip install cyclonedx-bom",
    "uv": "pip install uv",
}


def peer_exe(name: str) -> str | None:
    """``name`` on PATH, else in ``benchmarks/.work/peers/bin`` (the README's isolated install)."""
    found = shutil.which(name)
    if found:
        return found
    local = HERE / ".work" / "peers" / "bin" / name
    return str(local) if local.is_file() else None


@functools.cache
def peer_version(name: str) -> str:
    """The peer's ``--version`` first line, or ``not installed``."""
    exe = peer_exe(name)
    return version_of([exe, "--version"]) if exe else "not installed"


def peer_commands(kind: str, lock: str, out: Path, timeout: float) -> list[tuple[str, Command | None, str]]:
    """(peer name, command or None when absent, install hint) for a ``uv`` or ``poetry`` lock."""
    folder = Path(lock).parent
    stem = f"{kind}-{folder.name}"  # output file names only
    found: list[tuple[str, Command | None, str]] = []
    names = ["cdxgen", "cyclonedx-py"] if kind == "poetry" else ["cdxgen", "uv"]
    for name in names:
        exe = peer_exe(name)
        command = None
        argv: tuple[str, ...]
        env: tuple[tuple[str, str], ...]
        if exe and name == "cdxgen":
            # --no-install-deps: read the lock only, as the other tools do; FETCH_LICENSE off: no network.
            argv = (exe, "-t", "python", "--no-install-deps", "-o", str(out / f"cdxgen-{stem}.json"), str(folder))
            env = (("FETCH_LICENSE", "false"), ("CDXGEN_NO_BANNER", "true"))
            command = Command("cdxgen -t python", argv, env=env, timeout=timeout)
        elif exe and name == "cyclonedx-py":
            argv = (exe, "poetry", "-o", str(out / f"cyclonedx-py-{stem}.json"), str(folder))
            command = Command("cyclonedx-py poetry", argv, timeout=timeout)
        elif exe and name == "uv":
            argv = (exe, "export", "--frozen", "--offline", "--no-progress", "-q", "-o",
                    str(out / f"uv-export-{stem}.txt"))  # fmt: skip
            env = (("UV_CACHE_DIR", str(out.parent / "uv-cache")),)
            command = Command("uv export --frozen", argv, cwd=folder, env=env, timeout=timeout)
        label = "uv export" if name == "uv" else name
        found.append((label, command, f"{name} not installed ({_INSTALL[name]})"))
    return found


def _key(command: Command, lock: str, peer: str) -> str:
    """Peer, command shape, input bytes, version, timeout: not paths, so quick and full runs share."""
    folder = Path(lock).parent
    digest = hashlib.sha256()
    digest.update("\0".join([peer, command.label, *(a.rsplit("/", 1)[-1] for a in command.argv[1:])]).encode())
    for item in sorted(folder.iterdir()):
        if item.is_file():
            digest.update(item.name.encode() + b"\0" + item.read_bytes())
    digest.update(peer_version(peer).encode())
    digest.update(f"{command.timeout}".encode())
    return digest.hexdigest()


def run_peer(command: Command, lock: str, peer: str, log_dir: Path, fresh: bool = False) -> Result:
    """Run a peer once (no warm-up), or return its cached result; the label says when it was measured."""
    cache = json.loads(PEER_CACHE.read_text(encoding="utf-8")) if PEER_CACHE.is_file() else {}
    key = _key(command, lock, peer.replace("uv export", "uv"))
    entry = cache.get(key)
    if entry is not None and not fresh:
        labelled = replace(command, label=f"{command.label} (cached, {entry['when']})")
        return Result(labelled, [Sample(**s) for s in entry["samples"]], entry["error"])
    (result,) = measure([command], 1, log_dir, warmup=False)
    if result.samples or result.error:
        now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        cache[key] = {"when": now, "samples": [asdict(s) for s in result.samples], "error": result.error}
        PEER_CACHE.parent.mkdir(parents=True, exist_ok=True)
        PEER_CACHE.write_text(json.dumps(cache, indent=1) + "\n", encoding="utf-8")
    return result
