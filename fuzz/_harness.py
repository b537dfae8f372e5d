"""The atheris harness shared by every ``fuzz/fuzz_<resolver>.py``.

Each input is decoded like the pipeline decodes files (UTF-8; other bytes as
Latin-1 so no input is wasted) and parsed by one resolver. The contract is the
property tests' (``tests/hardening/fuzzkit.check_parse``): a result, or an
``InputError`` naming the file and a line >= 0. Anything else is a crash that
libFuzzer reports with the input saved as ``crash-<sha1>``. Hangs: pass
libFuzzer's ``-timeout=N`` (seconds per input).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

with atheris.instrument_imports(include=["auditor", "pip_requirements_parser", "packaging", "defusedxml"]):
    from auditor.errors import InputError
    from auditor.resolvers import by_name

from tests.hardening.fuzzkit import seed_path, seeds_for  # noqa: E402  (after the instrumented imports)

__all__ = ["run"]


def run(resolver_name: str) -> None:
    """Fuzz one resolver; with no corpus directory given, start from a temporary seed corpus."""
    resolver = by_name(resolver_name)
    if resolver is None:
        raise SystemExit(f"no resolver named {resolver_name!r}")
    seeds = seeds_for(resolver, max_bytes=256 * 1024)
    path = seed_path(resolver, seeds[0][0]) if seeds else resolver_name

    def test_one_input(data: bytes) -> None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        try:
            resolver.parse(text, path)
        except InputError as error:
            if error.file != path or not isinstance(error.line, int) or error.line < 0:
                raise AssertionError(
                    f"badly located InputError: {error.file!r} line {error.line!r}"
                ) from error

    argv = list(sys.argv)
    if not any(not arg.startswith("-") for arg in argv[1:]):
        corpus = Path(tempfile.mkdtemp(prefix=f"fuzz-{resolver_name}-"))
        for n, (_name, text) in enumerate(seeds):
            (corpus / f"seed-{n}").write_text(text, encoding="utf-8")
        argv.append(str(corpus))
        print(f"seed corpus: {corpus} ({len(seeds)} files)", file=sys.stderr)
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()
