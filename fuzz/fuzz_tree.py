"""atheris harness over whole trees: hostile folder and file names, seed or fuzzed contents, every renderer.

Each input picks 1-3 files (folder names and file-name variants from the
fuzzer's bytes or from hostile fragments; contents a real seed or fuzzed
text), audits the tree and renders it in every format under the checks of
``tests/hardening/test_hardening_fuzz_trees.py`` (no exception, UTF-8
outputs, no control characters in text, JSON formats parse, encoded SARIF
URIs). Run as the per-resolver harnesses: ``python fuzz/fuzz_tree.py -max_total_time=300``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

with atheris.instrument_imports(include=["auditor"]):
    from auditor.audit import AuditOptions, audit

from tests.hardening.test_hardening_fuzz_trees import FRAGMENTS, SEEDS, check_outputs, write_tree  # noqa: E402


def _name(data: atheris.FuzzedDataProvider) -> str:
    if data.ConsumeBool():
        return FRAGMENTS[data.ConsumeIntInRange(0, len(FRAGMENTS) - 1)]
    text = data.ConsumeUnicodeNoSurrogates(12).replace("/", "_").replace("\x00", "_")
    return text if text.strip(".") else "x"


def test_one_input(raw: bytes) -> None:
    data = atheris.FuzzedDataProvider(raw)
    tree = []
    for _ in range(data.ConsumeIntInRange(1, 3)):
        folders = [_name(data) for _ in range(data.ConsumeIntInRange(0, 2))]
        canonical, text = SEEDS[data.ConsumeIntInRange(0, len(SEEDS) - 1)]
        stem, dot, suffix = canonical.rpartition(".")
        name = f"{stem}-{_name(data)}{dot}{suffix}" if dot and data.ConsumeBool() else canonical
        if data.ConsumeBool():
            text = data.ConsumeUnicodeNoSurrogates(8192)
        tree.append((folders, name, text))
    with tempfile.TemporaryDirectory() as folder:
        try:
            write_tree(Path(folder), tree)
        except OSError:
            return  # a name the file system refuses (too long, ...): nothing to audit
        check_outputs(audit(Path(folder), AuditOptions(use_config=False)))


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
