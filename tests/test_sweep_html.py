"""report.html in a real headless Chromium: self-contained, and every chart is drawn."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.sweep_helpers import commit_as, make_repo, sweep

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def _browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    pytest.skip(
        "no headless Chromium on PATH (apt-get install -y chromium): report.html not checked in a browser"
    )


def _chromium(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
    ]
    return subprocess.run([browser, *flags, *args], capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report after two sweeps (so the trend has two points) over drifting, conforming and broken repos."""
    base = tmp_path_factory.mktemp("html")
    root = base / "root"
    for kind in ("django-monolith", "fastapi-on-django", "monorepo", "broken", "drf-no-ratelimit"):
        make_repo(root / kind, kind)
    out = base / "out"
    sweep(out, roots=(root,))
    commit_as(root / "django-monolith", "fastapi-on-django")
    sweep(out, roots=(root,))
    return out / "report.html"


def test_report_is_self_contained(report: Path) -> None:
    """No script, no remote stylesheet, font or image: everything the page needs is inline."""
    html = report.read_text()
    assert "<script" not in html.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "@import" not in html and "url(" not in html
    assert "Content-Security-Policy" in html


def test_report_renders_in_headless_chromium(report: Path, tmp_path: Path) -> None:
    """Chromium loads the page and its DOM holds the five charts with real bars and trend lines."""
    browser = _browser()
    done = _chromium(browser, tmp_path / "profile", "--dump-dom", report.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    for chart in ("chart-severity", "chart-rules", "chart-drift", "chart-profiles", "chart-trend"):
        assert f'id="{chart}"' in dom, chart
    assert len(re.findall(r'<rect class="bar"', dom)) >= 8
    assert dom.count('class="series"') == 3  # error, warning and note lines across the two sweeps
    assert 'data-repo="broken"' in dom and "uv.lock" in dom  # the failed repo, by name, with its error
    assert 'data-label="django-monolith/fastapi-on-top-of-django"' in dom
    shot = tmp_path / "shot.png"
    done = _chromium(
        browser, tmp_path / "profile2", f"--screenshot={shot}", "--window-size=1200,2000", report.as_uri()
    )
    assert done.returncode == 0 and shot.is_file()
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000  # a drawn page, not a blank one
