"""atheris fuzzer for the ``spdx-json`` resolver.

Usage: ``python fuzz/fuzz_spdx_json.py [corpus_dir] [libFuzzer flags]`` (see fuzz/README.md).
"""

from __future__ import annotations

from _harness import run

if __name__ == "__main__":
    run("spdx-json")
