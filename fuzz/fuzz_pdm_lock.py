"""atheris fuzzer for the ``pdm-lock`` resolver.

Usage: ``python fuzz/fuzz_pdm_lock.py [corpus_dir] [libFuzzer flags]`` (see fuzz/README.md).
"""

from __future__ import annotations

from _harness import run

if __name__ == "__main__":
    run("pdm-lock")
