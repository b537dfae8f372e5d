"""Parse-time benchmark of the SBOM resolvers against the standard library and cyclonedx-python-lib.

``python benchmarks/sbom_parse.py [N]`` (default 10,000 components) prints, as the best of
several runs: ``json.loads`` / defusedxml parsing alone, our resolvers, and (one run each,
they are slow) cyclonedx-python-lib's ``Bom.from_json`` / ``Bom.from_xml``; then every file
of ../shared/corpus/{cyclonedx-json,cyclonedx-xml,spdx-json,spdx-tv} with its package count.
"""

from __future__ import annotations

import json
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.gen_cyclonedx import generate

__all__ = ["best_of", "to_xml"]


def best_of(func: Callable[[], Any], runs: int = 5) -> float:
    """The fastest of ``runs`` timings of ``func()``, in seconds."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - started)
    return best


def to_xml(document: dict[str, Any]) -> str:
    """The same BOM as CycloneDX 1.6 XML (components, purls, dependencies)."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1">',
    ]
    root = document["metadata"]["component"]
    out.append("  <metadata>")
    out.append(f'    <component type="application" bom-ref={quoteattr(root["bom-ref"])}>')
    out.append(f"      <name>{escape(root['name'])}</name><version>{escape(root['version'])}</version>")
    out.append("    </component>\n  </metadata>\n  <components>")
    for c in document["components"]:
        out.append(f'    <component type="library" bom-ref={quoteattr(c["bom-ref"])}>')
        out.append(f"      <name>{escape(c['name'])}</name>")
        out.append(f"      <version>{escape(c['version'])}</version>")
        out.append(f"      <description>{escape(c['description'])}</description>")
        out.append(f"      <purl>{escape(c['purl'])}</purl>")
        out.append("    </component>")
    out.append("  </components>\n  <dependencies>")
    for d in document["dependencies"]:
        out.append(f"    <dependency ref={quoteattr(d['ref'])}>")
        out.extend(f"      <dependency ref={quoteattr(ref)}/>" for ref in d.get("dependsOn", []))
        out.append("    </dependency>")
    out.append("  </dependencies>\n</bom>\n")
    return "\n".join(out)


def main() -> None:
    """Print the numbers."""
    from cyclonedx.model.bom import Bom
    from defusedxml import ElementTree

    from auditor.resolvers.cyclonedx_json import CycloneDxJsonResolver
    from auditor.resolvers.cyclonedx_xml import CycloneDxXmlResolver
    from auditor.resolvers.spdx_json import SpdxJsonResolver
    from auditor.resolvers.spdx_tv import SpdxTagValueResolver

    warnings.simplefilter("ignore")

    def from_xml(body: str) -> Any:
        return Bom.from_xml(ElementTree.fromstring(body.encode()))

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    text = generate(n)
    xml = to_xml(json.loads(text))
    print(f"generated: {n} components, JSON {len(text) / 1e6:.1f} MB, XML {len(xml) / 1e6:.1f} MB")
    rows = [
        ("json.loads", best_of(lambda: json.loads(text))),
        ("cyclonedx-json resolver", best_of(lambda: CycloneDxJsonResolver().parse(text, "b.cdx.json"))),
        ("Bom.from_json (json.loads + lib)", best_of(lambda: Bom.from_json(json.loads(text)), runs=1)),
        ("defusedxml fromstring", best_of(lambda: ElementTree.fromstring(xml.encode()), runs=3)),
        ("cyclonedx-xml resolver", best_of(lambda: CycloneDxXmlResolver().parse(xml, "b.cdx.xml"), runs=3)),
        ("Bom.from_xml (defusedxml + lib)", best_of(lambda: from_xml(xml), runs=1)),
    ]
    for label, seconds in rows:
        print(f"  {label:36} {seconds * 1000:9.1f} ms")

    corpus = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
    if not corpus.is_dir():
        corpus = corpus.parent.parent / ".." / "shared" / "corpus"
    resolvers = {
        "cyclonedx-json": CycloneDxJsonResolver(),
        "cyclonedx-xml": CycloneDxXmlResolver(),
        "spdx-json": SpdxJsonResolver(),
        "spdx-tv": SpdxTagValueResolver(),
    }
    print("\ncorpus file | packages | edges | ours (ms) | cyclonedx-python-lib (ms)")
    for folder, resolver in resolvers.items():
        for path in sorted((corpus / folder).glob("*/*")):
            body = path.read_text(encoding="utf-8")
            result = resolver.parse(body, path.name)
            ours = best_of(lambda body=body, resolver=resolver: resolver.parse(body, "f"))
            lib = ""
            if folder == "cyclonedx-json":
                lib = f"{best_of(lambda body=body: Bom.from_json(json.loads(body)), 3) * 1000:.1f}"
            elif folder == "cyclonedx-xml":
                lib = f"{best_of(lambda body=body: from_xml(body), 3) * 1000:.1f}"
            print(
                f"{folder}/{path.parent.name}/{path.name} | {len(result.packages)} | {len(result.edges)}"
                f" | {ours * 1000:.1f} | {lib}"
            )


if __name__ == "__main__":
    main()
