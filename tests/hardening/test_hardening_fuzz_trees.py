"""Fuzzing names as well as contents, and every renderer on every fuzzed graph (issue 18).

Hypothesis builds a small tree: folders and files whose names mix hostile
fragments (escape sequences, Markdown, ``#?%`` and spaces, formula starters,
bytes that are not UTF-8, reserved stems) with real seed files, mutated or
not. The whole audit runs on it, then every registered renderer: nothing may
raise; every output must be encodable UTF-8; text carries no control
character but newlines; JSON-based formats parse; SARIF URIs are encoded.
Repository names get the same treatment through the sweep's file naming.
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from auditor.audit import AuditOptions, audit
from auditor.render import RenderOptions, all_renderers
from auditor.resolvers import all_resolvers
from auditor.sweep.model import safe_name
from tests.hardening.fuzzkit import guard, mutate, seed_path, seeds_for
from tests.sweep_helpers import make_repo, sweep

pytestmark = pytest.mark.property

RENDERERS = all_renderers()
SEEDS = [
    (seed_path(resolver, name), text)
    for resolver in all_resolvers()
    for name, text in seeds_for(resolver, max_bytes=16 * 1024)[:6]
]
FRAGMENTS = [
    "\x1b[2J",
    "\x1b]8;;x\x07",
    "\r0 errors",
    "\u202e",
    "[x](https:e.example)",
    "*b*",
    "<img>",
    "@team",
    "|",
    "`",
    "#",
    "?",
    "%41",
    " ",
    "=1+1",
    "-rf",
    "root",
    "a__b",
    "é",
    "\udcff",  # a byte that is not UTF-8, as os.fsdecode shows it
    "..x",
]
NAME = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS),
        st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"), max_size=6),
    ),
    min_size=1,
    max_size=4,
).map("".join).filter(lambda name: name.strip(".") != "" and len(os.fsencode(name)) < 200)
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # tab and newline are text


@st.composite
def trees(draw: st.DrawFn) -> list[tuple[list[str], str, str]]:
    """(folder parts, file name, text) for 1-3 files."""
    files = []
    for _ in range(draw(st.integers(1, 3))):
        folders = draw(st.lists(NAME, max_size=2))
        canonical, text = draw(st.sampled_from(SEEDS))
        stem, dot, suffix = canonical.rpartition(".")
        name = draw(st.sampled_from([canonical, f"{stem}-{draw(NAME)}{dot}{suffix}" if dot else canonical]))
        if draw(st.booleans()):
            text = mutate(text, random.Random(draw(st.integers(0, 2**32))), draw(st.integers(1, 4)))
        files.append((folders, name, text))
    return files


def write_tree(root: Path, tree: list[tuple[list[str], str, str]]) -> None:
    for folders, name, text in tree:
        folder = os.path.join(os.fsencode(root), *(os.fsencode(part) for part in folders))
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, os.fsencode(name)), "w", encoding="utf-8", errors="surrogatepass") as handle:
            handle.write(text)


def check_outputs(report: object) -> None:
    for renderer in RENDERERS:
        out = renderer.render(report, RenderOptions(link_base="https://example.invalid/blob/main"))  # type: ignore[arg-type]
        out.encode("utf-8")  # no lone surrogate reaches any output
        if renderer.name == "text":
            assert not CONTROL.search(out), repr(CONTROL.search(out))
        elif renderer.name == "markdown":
            assert "\x1b" not in out and "\r" not in out
        else:
            document = json.loads(out)
            if renderer.name == "sarif":
                for result in document["runs"][0]["results"]:
                    for location in result["locations"]:
                        uri = location["physicalLocation"]["artifactLocation"]["uri"]
                        assert not re.search(r"[ #?\x00-\x1f]", uri), uri


@settings(max_examples=40, suppress_health_check=(HealthCheck.function_scoped_fixture, HealthCheck.too_slow))
@given(tree=trees())
def test_fuzzed_trees_audit_and_render_in_every_format(tmp_path_factory: pytest.TempPathFactory, tree: object) -> None:
    root = tmp_path_factory.mktemp("tree")
    note(repr(tree))
    write_tree(root, tree)  # type: ignore[arg-type]
    with guard(30):
        report = audit(root, AuditOptions(use_config=False))
        check_outputs(report)


@given(first=NAME, second=NAME, owner=NAME)
def test_repository_names_never_share_a_file(first: str, second: str, owner: str) -> None:
    names = {first, second, f"{owner}/{first}", f"{owner}/{second}", f"{owner}__{first}"}
    stems = {safe_name(name) for name in names}
    assert len(stems) == len(names)
    for stem in stems:
        assert "/" not in stem and not stem.startswith(".") and stem.encode("utf-8", "surrogateescape")


def test_hostile_repository_names_through_a_whole_sweep(tmp_path: Path) -> None:
    root = tmp_path / "root"
    hostile = ["=cmd|' /C calc'!A0", "\x1b[31mred", "[x](https:e.example)", "a #b?c%d", "root", "a__b"]
    for name in hostile:
        make_repo(root / "acme" / name, "fastapi-on-django")
    make_repo(root / "acme" / "a" / "b", "django-monolith")
    _run, summary = sweep(tmp_path / "out", roots=(root,))
    names = {repo["name"] for repo in summary["repos"]}
    assert {f"acme/{name}" for name in hostile} <= names
    sarif_files = {repo["sarif"] for repo in summary["repos"] if repo["sarif"]}
    assert len(sarif_files) == len(summary["repos"])  # one file each, no two repos share one
    out = tmp_path / "out"
    for file in ("summary.md", "summary.csv", "summary.json"):  # report.html: escaped as HTML (its own tests)
        text = (out / file).read_text(encoding="utf-8")
        assert "\x1b" not in text, file
    assert not re.search(r"^[=+@-]|,[=+@-]", (out / "summary.csv").read_text(), re.M)
