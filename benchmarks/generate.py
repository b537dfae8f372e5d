"""Generate the benchmark inputs under ``benchmarks/.work/`` (gitignored), deterministically.

Usage::

    python benchmarks/generate.py [--quick] [--out DIR] [--force]

Writes a ``manifest.json`` naming every input; ``run.py`` calls :func:`generate_all`
itself, so running this script alone is only useful to look at the inputs.
Outputs are cached: a stamp (sizes + a hash of the generator sources) skips
regeneration when nothing changed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.gen_locks import poetry_lock, poetry_pyproject, uv_lock, uv_pyproject
from benchmarks.gen_other import cyclonedx_json, git_repos, requirements_tree

__all__ = ["HERE", "REAL_POETRY", "REAL_UV", "Sizes", "generate_all", "main"]

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def _find_corpus() -> Path:
    """``../shared/corpus`` beside the checkout; a git worktree one level deeper looks one level up."""
    env = os.environ.get("STACK_AUDITOR_CORPUS")
    if env:
        return Path(env)
    for base in (REPO.parent, REPO.parent.parent):
        if (base / "shared" / "corpus").is_dir():
            return base / "shared" / "corpus"
    return REPO.parent / "shared" / "corpus"


CORPUS = _find_corpus()
REAL_UV = CORPUS / "uv-lock" / "pydantic-ai"
REAL_POETRY = CORPUS / "poetry-lock" / "saleor-2025-lock21"
SEED = 20250601


@dataclass(frozen=True)
class Sizes:
    """How big each generated input is. ``quick()`` is for a smoke run of the harness."""

    uv_packages: int = 5000
    poetry_packages: int = 5000
    growth: tuple[int, ...] = (500, 1000, 2000, 5000)
    requirement_lines: int = 20000
    cyclonedx_components: int = 10000
    sweep_repos: int = 1000

    @classmethod
    def quick(cls) -> Sizes:
        """Small inputs: every scenario runs, in seconds."""
        return cls(
            uv_packages=1000,
            poetry_packages=1000,
            growth=(100, 1000),
            requirement_lines=4000,
            cyclonedx_components=2000,
            sweep_repos=40,
        )


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _sources_hash() -> str:
    digest = hashlib.sha256()
    for name in ("_synth.py", "gen_locks.py", "gen_other.py", "generate.py"):
        digest.update((HERE / name).read_bytes())
    return digest.hexdigest()[:16]


def _uv_project(folder: Path, n: int) -> Path:
    _write(folder / "pyproject.toml", uv_pyproject(n, SEED))
    return _write(folder / "uv.lock", uv_lock(n, SEED))


def _poetry_project(folder: Path, n: int) -> Path:
    _write(folder / "pyproject.toml", poetry_pyproject(n, SEED))
    return _write(folder / "poetry.lock", poetry_lock(n, SEED))


def _copy_real(src: Path, dest: Path) -> Path | None:
    """Copy a corpus project so that peers (which may write beside their input) never touch ../shared."""
    if not src.is_dir():
        return None
    dest.mkdir(parents=True, exist_ok=True)
    for item in sorted(src.iterdir()):
        if item.is_file():
            shutil.copyfile(item, dest / item.name)
    return dest


def _stamp(**fields: object) -> dict[str, object]:
    # Through JSON once, so that it compares equal to the stamp read back (tuples become lists).
    loaded: dict[str, object] = json.loads(json.dumps({**fields, "sources": _sources_hash(), "seed": SEED}))
    return loaded


def _cached(stamp_path: Path, stamp: dict[str, object]) -> dict[str, str] | None:
    if not stamp_path.is_file():
        return None
    cached = json.loads(stamp_path.read_text(encoding="utf-8"))
    if cached.get("stamp") != stamp or not all(Path(p).exists() for p in cached["inputs"].values()):
        return None
    return dict(cached["inputs"])


def _files(work: Path, sizes: Sizes) -> dict[str, str]:
    for sub in ("gen", "real"):
        if (work / sub).exists():
            shutil.rmtree(work / sub)
    gen = work / "gen"
    inputs: dict[str, str] = {}
    inputs["uv-large"] = str(_uv_project(gen / f"uv-{sizes.uv_packages}", sizes.uv_packages))
    inputs["poetry-large"] = str(_poetry_project(gen / f"poetry-{sizes.poetry_packages}", sizes.poetry_packages))
    # One-package locks: the fixed cost (start-up, imports, one resolver) that the growth fit subtracts.
    inputs["growth-uv-base"] = str(_uv_project(gen / "uv-base", 1))
    inputs["growth-poetry-base"] = str(_poetry_project(gen / "poetry-base", 1))
    for n in sizes.growth:
        uv_dir, poetry_dir = gen / f"uv-{n}", gen / f"poetry-{n}"
        inputs[f"growth-uv-{n}"] = str(uv_dir / "uv.lock" if uv_dir.is_dir() else _uv_project(uv_dir, n))
        inputs[f"growth-poetry-{n}"] = str(
            poetry_dir / "poetry.lock" if poetry_dir.is_dir() else _poetry_project(poetry_dir, n)
        )
    tree_dir = gen / f"requirements-{sizes.requirement_lines}"
    for rel, text in requirements_tree(sizes.requirement_lines, SEED).items():
        _write(tree_dir / rel, text)
    inputs["requirements-tree"] = str(tree_dir / "requirements.txt")
    sbom = gen / f"cyclonedx-{sizes.cyclonedx_components}" / "sbom.cdx.json"
    inputs["cyclonedx-large"] = str(_write(sbom, cyclonedx_json(sizes.cyclonedx_components, SEED)))
    inputs["one-line-requirements"] = str(_write(gen / "startup" / "requirements.txt", "requests==2.32.3\n"))
    real_uv = _copy_real(REAL_UV, work / "real" / "uv-pydantic-ai")
    if real_uv is not None:
        inputs["uv-real"] = str(real_uv / "uv.lock")
    real_poetry = _copy_real(REAL_POETRY, work / "real" / "poetry-saleor")
    if real_poetry is not None:
        inputs["poetry-real"] = str(real_poetry / "poetry.lock")
    return inputs


def generate_all(work: Path, sizes: Sizes, force: bool = False, sweep: bool = True) -> dict[str, str]:
    """Write every input under ``work`` and return the manifest: input name -> path.

    The files and the sweep's git repositories are stamped separately, so that
    running without the sweep scenario neither builds nor throws away the repos.
    """
    files_stamp = _stamp(sizes={k: v for k, v in asdict(sizes).items() if k != "sweep_repos"})
    inputs = None if force else _cached(work / "manifest.json", files_stamp)
    if inputs is None:
        inputs = _files(work, sizes)
        manifest = json.dumps({"stamp": files_stamp, "inputs": inputs}, indent=2)
        (work / "manifest.json").write_text(manifest + "\n", encoding="utf-8")
    if sweep:
        repos = work / "sweep" / "repos"
        sweep_stamp = _stamp(repos=sizes.sweep_repos)
        if force or _cached(work / "sweep" / "manifest.json", sweep_stamp) is None:
            shutil.rmtree(work / "sweep", ignore_errors=True)
            git_repos(repos, sizes.sweep_repos, SEED)
            manifest = json.dumps({"stamp": sweep_stamp, "inputs": {"sweep-root": str(repos)}}, indent=2)
            (work / "sweep" / "manifest.json").write_text(manifest + "\n", encoding="utf-8")
        inputs["sweep-root"] = str(repos)
    return inputs


def main(argv: list[str] | None = None) -> int:
    """Command line: generate the inputs and print the manifest."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small inputs (a smoke run)")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="where to write (default: benchmarks/.work/full or .work/quick)",
    )
    parser.add_argument("--force", action="store_true", help="regenerate even when the stamp matches")
    parser.add_argument("--no-sweep", action="store_true", help="skip the git repositories for the sweep")
    args = parser.parse_args(argv)
    sizes = Sizes.quick() if args.quick else Sizes()
    out = args.out or HERE / ".work" / ("quick" if args.quick else "full")
    inputs = generate_all(out, sizes, force=args.force, sweep=not args.no_sweep)
    for name, path in inputs.items():
        print(f"{name:24} {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
