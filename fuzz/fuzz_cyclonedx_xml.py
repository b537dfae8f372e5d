"""atheris fuzzer for the ``cyclonedx-xml`` resolver.

Usage: ``python fuzz/fuzz_cyclonedx_xml.py [corpus_dir] [libFuzzer flags]`` (see fuzz/README.md).
"""

from __future__ import annotations

from _harness import run

if __name__ == "__main__":
    run("cyclonedx-xml")
