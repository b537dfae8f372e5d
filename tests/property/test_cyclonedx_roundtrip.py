"""Property: generated CycloneDX JSON documents parse back to the same packages, each located on its line.

Documents vary what real generators vary: key order, whitespace and blank lines, nesting,
scopes, purl spelling (``Foo_Bar`` vs ``foo-bar``), and strings that contain JSON syntax
(braces, brackets, quotes, the word ``components``) to trip a naive position scan. Each
component object is written on one line, so "the provenance line contains the component's
name" is exactly "the provenance points at that component".
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.model import canonical_name
from auditor.resolvers.cyclonedx_json import CycloneDxJsonResolver

pytestmark = pytest.mark.property

RESOLVER = CycloneDxJsonResolver()
SCOPES = {None: "main", "required": "main", "optional": "optional:sbom", "excluded": "excluded"}

names = st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,6}([-_.][A-Za-z0-9]{1,4}){0,2}", fullmatch=True)
versions = st.from_regex(r"[0-9]{1,3}(\.[0-9]{1,3}){0,3}((a|b|rc|\.post|\.dev)[0-9]{1,2})?", fullmatch=True)
tricky_text = st.lists(
    st.sampled_from([*'{}[]",:\\ abcé\n\t', "components", '"name"', "\u2028"]), max_size=12
).map("".join)


@st.composite
def components(draw: st.DrawFn, depth: int = 0) -> list[dict[str, Any]]:
    """A list of component dicts (pypi purls), some with nested components."""
    result = []
    for _ in range(draw(st.integers(0, 6 if depth == 0 else 2))):
        name = draw(names)
        item: dict[str, Any] = {"type": "library", "name": name, "version": draw(versions)}
        item["purl"] = f"pkg:pypi/{draw(st.sampled_from([name, name.lower(), name.replace('-', '_')]))}"
        item["purl"] += f"@{item['version']}"
        scope = draw(st.sampled_from(list(SCOPES)))
        if scope is not None:
            item["scope"] = scope
        if draw(st.booleans()):
            item["description"] = draw(tricky_text)
        if depth < 2 and draw(st.integers(0, 4)) == 0:
            item["components"] = draw(components(depth + 1))
        keys = draw(st.permutations(list(item)))
        result.append({key: item[key] for key in keys})
    return result


def _flatten(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for item in items for c in (item, *_flatten(item.get("components", [])))]


def _render(items: list[dict[str, Any]], seed: int) -> str:
    """Pretty outer document, one line per top-level component, random spacing and blank lines."""
    rng = random.Random(seed)
    lines = []
    for item in items:
        separators = rng.choice([(",", ":"), (", ", ": "), (" , ", " : ")])
        rendered = json.dumps(item, separators=separators, ensure_ascii=rng.random() < 0.5)
        lines.append(" " * rng.randint(0, 8) + rendered)
    body = (",\n" + "\n" * rng.randint(0, 2)).join(lines)
    head = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1}
    head_text = json.dumps(head, indent=rng.choice([None, 2]))[:-1].rstrip()
    return f'{head_text},\n  "components": [\n{body}\n  ]\n}}\n'


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=components(), seed=st.integers(0, 2**16))
def test_generated_documents_round_trip(items: list[dict[str, Any]], seed: int) -> None:
    """Same (name, version, scope) multiset back, and each provenance is that component's own "name" key."""
    text = _render(items, seed)
    result = RESOLVER.parse(text, "gen.cdx.json")
    flat = _flatten(items)
    expected = sorted((canonical_name(c["name"]), c["version"], SCOPES[c.get("scope")]) for c in flat)
    actual = sorted((p.name, p.version, next(iter(p.scopes))) for p in result.packages)
    assert actual == expected
    lines = text.split("\n")
    for component, package in zip(flat, result.packages, strict=True):
        assert package.provenance is not None
        line = lines[package.provenance.line - 1]
        assert line[package.provenance.column - 1 :].startswith('"name"')  # the component's own name key
        encoded = (json.dumps(component["name"]), json.dumps(component["name"], ensure_ascii=False))
        assert any(e in line for e in encoded), (component["name"], line)
