"""report.html in a real headless Chromium: self-contained, every element there at two widths, the inline
script allowed by the CSP and working (search, filter, sort), and an axe-core accessibility pass.

Screenshots of both widths are written to ``build/test-output/`` (kept for people to look at). The
browser tests skip, saying so, only when no Chromium is installed (``apt-get install chromium``; CI
installs it). axe-core is vendored under ``tests/vendor/axe-core`` (MPL-2.0, see its README).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import shutil
import struct
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.sweep_helpers import commit_as, git, make_repo, sweep

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "build" / "test-output"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
WIDTHS = (1400, 520)  # headless Chromium does not go below 500 px


def _browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no headless Chromium on PATH (apt-get install -y chromium): report.html not checked in a browser")


def _chromium(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
    ]
    return subprocess.run([browser, *flags, *args], capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report after two sweeps over drifting, conforming, broken and file-less repos; between them one
    repo drifts and one breaks (its findings on the lock become stale)."""
    base = tmp_path_factory.mktemp("html")
    root = base / "root"
    kinds = (
        "django-monolith", "fastapi-on-django", "monorepo", "broken", "drf-no-ratelimit", "bare-readme",
        "django-transitive",
    )  # fmt: skip
    for kind in kinds:
        make_repo(root / kind, kind)
    out = base / "out"
    sweep(out, roots=(root,))
    commit_as(root / "django-monolith", "fastapi-on-django")
    with (root / "django-transitive" / "uv.lock").open("a") as lock:
        lock.write("\n[[package]\nname = broken\n")
    git(root / "django-transitive", "commit", "-qam", "break the lock")
    sweep(out, roots=(root,))
    return out / "report.html"


def _csp(page: str) -> str:
    match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert match, "no CSP"
    return match.group(1)


def _hash(script: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()


def test_report_is_self_contained(report: Path) -> None:
    """Nothing loads from anywhere; the one inline script is allowed by its hash and nothing else runs."""
    page = report.read_text()
    assert not re.search(r"""\bsrc\s*=""", page) and "<link" not in page and "<iframe" not in page.lower()
    assert "@import" not in page and "url(" not in page
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 1 and page.lower().count("<script") == 1
    csp = _csp(page)
    assert "default-src 'none'" in csp and f"script-src '{_hash(scripts[0])}'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert re.findall(r'href="(https?://[^"]+)"', page), "rule titles link their documentation"


def test_report_content_without_a_browser(report: Path) -> None:
    """The elements people act on are in the markup (the page works without its script)."""
    page = report.read_text()
    for landmark in ("<header>", '<main id="main">', '<nav aria-label="Sections">', "<footer>"):
        assert landmark in page
    assert 'id="top-findings"' in page and "Errors first" in page
    assert page.index('data-rule="django-monolith/fastapi-on-top-of-django"') < page.index('class="sev-warning"')
    top = page.split('data-rule="django-monolith/fastapi-on-top-of-django"', 1)[1].split("</tr>", 1)[0]
    anchors = re.findall(r'href="#(repo-[^"]+)"', top)
    assert len(anchors) == 2 and all(f'<tr id="{a}"' in page for a in anchors)  # links to the repos' rows
    assert "FastAPI next to Django" in page or "two web frameworks" in page  # a rule title, not just its id
    assert 'href="https://github.com/stack-auditor/stack-auditor/blob/main/docs/rules/' in page
    failure = re.search(r'<div class="failure" data-repo="broken">(.*?)</div>', page, re.S)
    assert failure and "uv.lock" in failure.group(1)
    assert "[[exclude]] repos = [&quot;broken&quot;] paths = [&quot;uv.lock&quot;]" in failure.group(1)
    assert 'data-repo="bare-readme" data-state="no dependency files"' in page
    row = page.split(' data-repo="django-monolith" data-state=', 1)[1].split("<tr id=", 1)[0]
    assert '<details class="drill">' in row and 'href="sarif/django-monolith.sarif"' in row
    assert '<tr class="finding" data-state="new">' in row and "pyproject.toml:" in row
    assert 'data-state="unchanged"' in page  # the other repos' findings were there last time
    stale = page.split(' data-repo="django-transitive" data-state=', 1)[1].split("<tr id=", 1)[0]
    assert '<tr class="finding" data-state="stale">' in stale and "uv.lock:" in stale
    assert '<div class="failure" data-repo="django-transitive">' in page and "kept as stale" in page
    for chart in ("chart-severity", "chart-rules", "chart-drift", "chart-profiles", "chart-trend"):
        assert f'<figure id="fig-{chart}"' in page and f'id="cap-{chart}"' in page
    assert page.count("<caption>") >= 7  # a data table per chart, the top list, the repo table
    assert "svg text:not([fill])" in page  # legend colours are not overridden


_PROBE = """(function () {
  function box(selector) {
    var element = document.querySelector(selector);
    if (!element) { return null; }
    var rect = element.getBoundingClientRect();
    return [Math.round(rect.width), Math.round(rect.height)];
  }
  function visible() {
    return Array.prototype.filter.call(document.querySelectorAll("#repos > tbody > tr"), function (row) {
      return !row.hidden;
    }).map(function (row) { return row.getAttribute("data-repo"); });
  }
  var out = {width: window.innerWidth, scroll: document.documentElement.scrollWidth, boxes: {},
             ready: document.body.getAttribute("data-script")};
  SELECTORS.forEach(function (selector) { out.boxes[selector] = box(selector); });
  var legend = document.querySelector("#chart-profiles text.legend");
  out.legend = legend ? getComputedStyle(legend).fill : null;
  var search = document.getElementById("repo-search"), show = document.getElementById("repo-show");
  search.value = "BROKEN"; search.dispatchEvent(new Event("input"));
  out.searched = visible(); out.count = document.getElementById("repo-count").textContent;
  search.value = ""; search.dispatchEvent(new Event("input"));
  show.value = "no dependency files"; show.dispatchEvent(new Event("change"));
  out.filtered = visible();
  show.value = ""; show.dispatchEvent(new Event("change"));
  var errors = document.querySelectorAll("#repos thead th")[2];
  errors.querySelector("button").click();
  out.sort = errors.getAttribute("aria-sort");
  out.sorted = Array.prototype.map.call(document.querySelectorAll("#repos > tbody > tr"), function (row) {
    return Number(row.getAttribute("data-errors"));
  });
  var pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}());
"""
_SELECTORS = [
    "main", "nav", "#top-findings", "#chart-severity", "#chart-rules", "#chart-drift", "#chart-profiles",
    "#chart-trend", ".failure", "#repos", "#repo-search", "#repo-show",
]  # fmt: skip


def _with_scripts(page: str, *scripts: str) -> str:
    """The page with more inline scripts at the end, each allowed by its hash in the page's own CSP."""
    csp = _csp(page)
    hashes = " ".join(f"'{_hash(s)}'" for s in scripts)
    page = page.replace(csp, csp.replace("script-src ", f"script-src {hashes} "))
    tags = "".join(f"<script>{s}</script>" for s in scripts)
    return page.replace("</body>", tags + "</body>")


def _read_pre(dom: str, element_id: str) -> Any:
    match = re.search(rf'<pre id="{element_id}">(.*?)</pre>', dom, re.S)
    assert match, f"the injected script did not finish: no #{element_id} in the DOM"
    return json.loads(html.unescape(match.group(1)))


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("width", WIDTHS)
def test_report_in_headless_chromium_at_two_widths(report: Path, tmp_path: Path, width: int) -> None:
    """Every element is laid out, the page uses the full width without overflowing it, the script runs
    under the real CSP, and search, filter and sort work; a screenshot is kept."""
    browser = _browser()
    real = _chromium(browser, tmp_path / "p0", f"--window-size={width},1200", "--dump-dom", report.as_uri())
    assert real.returncode == 0, real.stderr[-2000:]
    assert 'data-script="ready"' in real.stdout, "the report's script did not run under its own CSP"

    probe = _PROBE.replace("SELECTORS", json.dumps(_SELECTORS))
    copy = tmp_path / "probe.html"
    copy.write_text(_with_scripts(report.read_text(), probe))
    done = _chromium(browser, tmp_path / "p1", f"--window-size={width},1200", "--dump-dom", copy.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    result = _read_pre(done.stdout, "probe")
    assert result["ready"] == "ready" and result["width"] == width
    for selector, size in result["boxes"].items():
        assert size and size[0] > 0 and size[1] > 0, f"{selector} is not laid out at {width}px"
    assert result["scroll"] <= width, "the page overflows the window sideways"
    assert result["boxes"]["main"][0] >= width - 60, "the page does not use the window's width"
    assert result["legend"] in ("rgb(46, 125, 50)", "#2e7d32"), "legend text must keep its colour"
    assert result["searched"] == ["broken"] and result["count"] == "1 of 7 repos shown"
    assert result["filtered"] == ["bare-readme"]
    assert result["sort"] == "ascending" and result["sorted"] == sorted(result["sorted"])

    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / f"sweep-report-{width}.png"
    shot.unlink(missing_ok=True)
    taken = _chromium(browser, tmp_path / "p2", f"--screenshot={shot}", f"--window-size={width},2400", report.as_uri())
    assert taken.returncode == 0 and shot.is_file(), taken.stderr[-2000:]
    assert _png_size(shot) == (width, 2400) and shot.stat().st_size > 20_000  # drawn, not blank


_AXE_RUN = """Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
axe.run(document, {resultTypes: ["violations"]}).then(function (results) {
  var pre = document.createElement("pre");
  pre.id = "axe";
  pre.textContent = JSON.stringify(results.violations.map(function (v) {
    return {id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(function (n) { return n.target.join(" "); })};
  }));
  document.body.appendChild(pre);
});
"""


def test_report_passes_axe_core(report: Path, tmp_path: Path) -> None:
    """axe-core (vendored) finds no violation: WCAG 2 A/AA and best practices, contrast included, with
    every drill-down and data table open."""
    browser = _browser()
    page = _with_scripts(report.read_text(), AXE.read_text(encoding="utf-8"), _AXE_RUN)
    copy = tmp_path / "axe.html"
    copy.write_text(page)
    done = _chromium(
        browser, tmp_path / "p", "--window-size=1400,1200", "--virtual-time-budget=30000", "--dump-dom", copy.as_uri()
    )
    assert done.returncode == 0, done.stderr[-2000:]
    violations = _read_pre(done.stdout, "axe")
    assert violations == [], json.dumps(violations, indent=1)
