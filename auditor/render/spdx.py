"""``--format spdx``: the resolved graph as an SPDX 2.3 JSON document.

One SPDX package per project (described by the document) and one per
resolved package version, with ``DEPENDS_ON`` relationships from the graph
and purls as ``PACKAGE-MANAGER`` external references. The namespace is
derived from the content, so the same graph gives the same document.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from typing import Any, ClassVar

from auditor.findings import PackageView, ProjectReport, Report
from auditor.render.base import RenderOptions

__all__ = ["SpdxRenderer"]

_ID_SAFE = re.compile(r"[^A-Za-z0-9.-]+")


def _spdx_id(*parts: str) -> str:
    return "SPDXRef-" + _ID_SAFE.sub("-", "-".join(parts)).strip("-")


def _created(options: RenderOptions) -> str:
    # Reproducible builds: SOURCE_DATE_EPOCH wins; golden files use the epoch itself.
    epoch = 0 if options.redact_version else int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def _package(view: PackageView, version: str | None, spdx_id: str) -> dict[str, Any]:
    package: dict[str, Any] = {
        "SPDXID": spdx_id,
        "name": view.name,
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": False,
        "primaryPackagePurpose": "LIBRARY",
    }
    if version:
        package["versionInfo"] = version
    # One purl per version, made once for every output (auditor.views).
    purl = dict(zip(view.versions, view.purls, strict=False)).get(version) if version else view.purl
    if purl:
        package["externalRefs"] = [
            {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": purl}
        ]
    if view.scopes:
        package["comment"] = "stack-auditor scopes: " + ", ".join(view.scopes)
    return package


def _project_packages(project: ProjectReport) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    root_id = _spdx_id("Project", project.path)
    root = {
        "SPDXID": root_id,
        "name": project.name or project.path,
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": False,
        "primaryPackagePurpose": "APPLICATION",
    }
    packages: list[dict[str, Any]] = []
    relationships: list[dict[str, Any]] = []
    ids: dict[str, list[str]] = {}
    for view in project.packages:
        versions: list[str | None] = [v.strip() for v in (view.version or "").split(",") if v.strip()] or [None]
        for version in versions:
            spdx_id = _spdx_id("Package", project.path, view.ecosystem, view.name, version or "unresolved")
            ids.setdefault(view.name, []).append(spdx_id)
            packages.append(_package(view, version, spdx_id))
    for view in project.packages:
        for source in ids[view.name]:
            if view.direct:
                relationships.append(
                    {"spdxElementId": root_id, "relationshipType": "DEPENDS_ON", "relatedSpdxElement": source}
                )
            for dependency in view.dependencies:
                for target in ids.get(dependency, []):
                    relationships.append(
                        {"spdxElementId": source, "relationshipType": "DEPENDS_ON", "relatedSpdxElement": target}
                    )
    return root, packages, relationships


class SpdxRenderer:
    name: ClassVar[str] = "spdx"
    suffix: ClassVar[str] = ".spdx.json"

    def render(self, report: Report, options: RenderOptions) -> str:
        packages: list[dict[str, Any]] = []
        relationships: list[dict[str, Any]] = []
        for project in report.projects:
            root, members, edges = _project_packages(project)
            packages.append(root)
            packages.extend(members)
            relationships.append(
                {
                    "spdxElementId": "SPDXRef-DOCUMENT",
                    "relationshipType": "DESCRIBES",
                    "relatedSpdxElement": root["SPDXID"],
                }
            )
            relationships.extend(edges)
        body = json.dumps([packages, relationships], sort_keys=True)
        digest = hashlib.sha256(body.encode()).hexdigest()[:32]
        version = "0.0.0" if options.redact_version else report.tool_version
        document = {
            "spdxVersion": "SPDX-2.3",
            "dataLicense": "CC0-1.0",
            "SPDXID": "SPDXRef-DOCUMENT",
            "name": "stack-auditor-" + ("-".join(p.name or p.path for p in report.projects) or "empty"),
            "documentNamespace": f"https://github.com/stack-auditor/stack-auditor/spdx/{digest}",
            "creationInfo": {"created": _created(options), "creators": [f"Tool: stack-auditor-{version}"]},
            "packages": packages,
            "relationships": relationships,
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
