"""Generate a large CycloneDX 1.6 JSON document (for the parse benchmarks).

``python benchmarks/gen_cyclonedx.py 10000 > /tmp/bom-10k.cdx.json``: n pypi
components shaped like cyclonedx-py's output (bom-ref, description, licenses,
external references, purl), each depending on up to three earlier ones.
"""

from __future__ import annotations

import json
import random
import sys

__all__ = ["generate"]


def generate(n: int, seed: int = 0) -> str:
    """The text of a CycloneDX 1.6 JSON document with ``n`` components."""
    rng = random.Random(seed)
    components = []
    dependencies = []
    for i in range(n):
        name = f"package-{i}"
        version = f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}"
        ref = f"{name}=={version}"
        components.append(
            {
                "bom-ref": ref,
                "description": f"Package number {i}",
                "externalReferences": [
                    {"type": "vcs", "url": f"https://example.invalid/{name}"},
                    {"type": "website", "url": f"https://example.invalid/{name}/docs"},
                ],
                "licenses": [{"license": {"id": "MIT"}}],
                "name": name,
                "purl": f"pkg:pypi/{name}@{version}",
                "type": "library",
                "version": version,
            }
        )
        deps = sorted({components[rng.randrange(i)]["bom-ref"] for _ in range(min(i, 3))})
        dependencies.append({"ref": ref, "dependsOn": deps} if deps else {"ref": ref})
    document = {
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {
            "component": {"bom-ref": "root", "name": "big-app", "type": "application", "version": "1.0"}
        },
        "components": components,
        "dependencies": [
            {"ref": "root", "dependsOn": [c["bom-ref"] for c in components[:20]]},
            *dependencies,
        ],
    }
    return json.dumps(document, indent=2)


if __name__ == "__main__":
    sys.stdout.write(generate(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))
