"""Start-up stays lean: importing the CLI (and running --version) pulls in no heavy library.

Heavy modules are imported inside the code paths that need them; this test
keeps it that way (performance issue: start-up within 2x a bare `import tomli`).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = (
    "cyclonedx",
    "rich",
    "jsonschema",
    "httpx",
    "pydantic",
    "sqlite3",
    "urllib.request",
    "ssl",
    "defusedxml",
    "pip_requirements_parser",
    "packaging.requirements",
    "spdx_tools",
    "yaml",
)


def _modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_imports_no_heavy_library() -> None:
    """`import auditor.cli` loads none of the heavy libraries."""
    loaded = _modules_after("import auditor.cli")
    assert not [m for m in HEAVY if m in loaded]


def test_version_fast_path_imports_no_heavy_library() -> None:
    """`stack-auditor --version` answers before any heavy import, and before Typer."""
    loaded = _modules_after(
        "import sys\nsys.argv = ['stack-auditor', '--version']\nfrom auditor.entry import main\nmain()"
    )
    assert not [m for m in (*HEAVY, "typer") if m in loaded]


def test_auditing_a_uv_lock_needs_no_sbom_or_network_library() -> None:
    """Auditing a uv.lock to SARIF touches no SBOM, schema, HTTP or database library."""
    from tests.conftest import EXAMPLES

    code = (
        "from pathlib import Path\nfrom auditor.audit import audit, AuditOptions\n"
        "from auditor.render import by_name, RenderOptions\n"
        f"r = audit(Path({str(EXAMPLES / 'fastapi-service' / 'uv.lock')!r}), AuditOptions())\n"
        "by_name('sarif').render(r, RenderOptions())"
    )
    loaded = _modules_after(code)
    assert not [m for m in ("cyclonedx", "rich", "jsonschema", "httpx", "pydantic", "sqlite3", "ssl") if m in loaded]


def test_a_small_audit_loads_neither_typer_nor_packaging(tmp_path: Path) -> None:
    """The start-up target's own scenario: a pinned requirements file to SARIF, through the console entry point.

    It needs no Typer (the fast path parses the command line), no packaging (an
    exact pin takes the regex path; shipped rules are not re-validated), no XML,
    no uuid (CycloneDX output only), no hashlib (fingerprints: this audit has no
    finding), and no other format's resolver.
    """
    (tmp_path / "requirements.txt").write_text("requests==2.32.3\n")
    out = tmp_path / "out.sarif"
    code = (
        "import sys\n"
        f"sys.argv = ['stack-auditor', 'audit', {str(tmp_path / 'requirements.txt')!r}, '-f', 'sarif', '-o', "
        f"{str(out)!r}]\n"
        "import os\nos._exit = sys.exit  # the fast path's hard exit would skip the probe's report\n"
        "from auditor.entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    loaded = _modules_after(code)
    assert out.is_file()
    assert not [m for m in ("typer", "packaging", "xml.etree", "defusedxml", "uuid", "hashlib", *HEAVY) if m in loaded]
    formats = {m.rsplit(".", 1)[1] for m in loaded if m.startswith("auditor.resolvers.") and not m[18:].startswith("_")}
    assert formats == {"base", "requirements"}  # one parser, not twelve
