"""atheris fuzzer for the ``spdx-tv`` resolver.

Usage: ``python fuzz/fuzz_spdx_tv.py [corpus_dir] [libFuzzer flags]`` (see fuzz/README.md).
"""

from __future__ import annotations

from _harness import run

if __name__ == "__main__":
    run("spdx-tv")
