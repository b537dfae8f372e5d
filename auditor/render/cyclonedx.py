"""``--format cyclonedx``: the resolved dependency graph as a CycloneDX 1.6 JSON SBOM.

Written through cyclonedx-python-lib (imported inside :meth:`render`, never at
import time: it is a large import most runs do not need):

* each package of each project is one ``library`` component, identified by its
  purl (made from ecosystem, name and version when the input gave none), with
  ``scope`` ``required`` when the package is in the ``main`` scope and
  ``optional`` otherwise; the exact scopes (``dev``, ``group:docs``...) are
  kept as ``stack-auditor:scope`` properties;
* the project itself is only ``metadata.component`` (type ``application``),
  never a component. A report with several projects (a monorepo) gives one
  tree: ``metadata.component`` is the audited root, each project is one of its
  sub-components, and a package shared by projects is one component;
* ``dependencies``: each project depends on its direct packages, each package
  on its dependencies (every component has an entry, as the spec asks);
* a package resolved at several versions in one project (forked resolutions;
  the view's version reads ``"5.2.19, 6.1.3"``) is one component per version,
  and a dependency on it points at every version (the graph names the package,
  not the fork);
* the output is reproducible: no timestamp, and a serial number derived from
  the content (UUID 5), so the same graph gives the same bytes.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, ClassVar

from auditor.findings import PackageView, ProjectReport, Report
from auditor.model import MAIN
from auditor.render.base import RenderOptions

__all__ = ["CycloneDxRenderer"]

_SERIAL_NAMESPACE = "6f1b0a52-3f4e-4c55-9a57-8a2f3d0c9e11"


@dataclass(slots=True)
class _Entry:
    """One component to write: the first view seen, and the union of scopes over projects."""

    view: PackageView
    ref: str
    version: str | None
    purl: str
    scopes: set[str] = field(default_factory=set)
    children: set[str] = field(default_factory=set)


class CycloneDxRenderer:
    """The report's packages and edges as CycloneDX 1.6 JSON."""

    name: ClassVar[str] = "cyclonedx"
    suffix: ClassVar[str] = ".cdx.json"

    def render(self, report: Report, options: RenderOptions) -> str:
        """The whole SBOM document for ``report``."""
        from cyclonedx.model import Property
        from cyclonedx.model.bom import Bom
        from cyclonedx.model.component import Component, ComponentScope, ComponentType
        from cyclonedx.output.json import JsonV1Dot6
        from packageurl import PackageURL

        entries, project_refs = _collect(report.projects)
        components: dict[str, Any] = {}
        for ref in sorted(entries):
            entry = entries[ref]
            group, name = _group_and_name(entry.view)
            components[ref] = Component(
                name=name,
                group=group,
                version=entry.version,
                type=ComponentType.LIBRARY,
                bom_ref=ref,
                purl=PackageURL.from_string(entry.purl),
                scope=ComponentScope.REQUIRED if MAIN in entry.scopes else ComponentScope.OPTIONAL,
                properties=[Property(name="stack-auditor:scope", value=s) for s in sorted(entry.scopes)],
            )
        import uuid  # with cyclonedx-python-lib: only for this output

        bom = Bom(serial_number=uuid.uuid5(uuid.UUID(_SERIAL_NAMESPACE), "\n".join(sorted(entries))))
        bom.metadata.timestamp = None  # type: ignore[assignment]  # reproducible output, as cyclonedx-py does
        tool = Component(
            name="stack-auditor",
            type=ComponentType.APPLICATION,
            version="REDACTED" if options.redact_version else (report.tool_version or None),
        )
        bom.metadata.tools.components.add(tool)
        projects = [p for p in report.projects if p.packages or len(report.projects) == 1]
        if len(projects) == 1:
            root = _project_component(projects[0], project_refs[id(projects[0])], Component, ComponentType)
            parts = [(projects[0], root)]
        else:
            root = Component(name=_root_name(report), type=ComponentType.APPLICATION, bom_ref="audit-root")
            parts = []
            for project in projects:
                part = _project_component(project, project_refs[id(project)], Component, ComponentType)
                root.components.add(part)
                parts.append((project, part))
        bom.metadata.component = root
        for component in components.values():
            bom.components.add(component)
        with warnings.catch_warnings():
            # the library warns about an incomplete graph when the root has no dependencies
            warnings.simplefilter("ignore")
            if len(parts) > 1:
                bom.register_dependency(root, [part for _, part in parts])
            for project, part in parts:
                direct = sorted({ref for v in project.packages if v.direct for ref, _, _ in _variants(v)})
                bom.register_dependency(part, [components[r] for r in direct])
            for ref, entry in sorted(entries.items()):
                bom.register_dependency(components[ref], [components[r] for r in sorted(entry.children)])
            text: str = JsonV1Dot6(bom).output_as_string(indent=2)
        return text + "\n"


def _collect(projects: list[ProjectReport]) -> tuple[dict[str, _Entry], dict[int, str]]:
    """Every distinct package version (by bom-ref) with its scopes and dependency refs, over all projects."""
    entries: dict[str, _Entry] = {}
    project_refs: dict[int, str] = {}
    for project in projects:
        project_refs[id(project)] = f"project:{project.path}"
        by_name: dict[str, list[PackageView]] = {}
        for view in project.packages:
            by_name.setdefault(view.name, []).append(view)
        for view in project.packages:
            # dependencies are names; the one of the same ecosystem in the same project is meant
            children: set[str] = set()
            for name in view.dependencies:
                candidates = by_name.get(name, [])
                same = [c for c in candidates if c.ecosystem == view.ecosystem] or candidates
                children.update(ref for c in same[:1] for ref, _, _ in _variants(c))
            for ref, version, purl in _variants(view):
                entry = entries.get(ref)
                if entry is None:
                    entry = entries[ref] = _Entry(view, ref, version, purl)
                entry.scopes.update(view.scopes or (MAIN,))
                entry.children.update(children - {ref})
    return entries, project_refs


def _variants(view: PackageView) -> list[tuple[str, str | None, str]]:
    """(bom-ref, version, purl) for each version of the view; the purl doubles as the bom-ref."""
    if view.purls and len(view.purls) == len(view.versions):  # made once for every output (package_views)
        return [(purl, version, purl) for version, purl in zip(view.versions, view.purls, strict=True)]
    from packageurl import PackageURL

    given = None
    if view.purl:
        try:
            given = PackageURL.from_string(view.purl)
        except ValueError:
            given = None  # made again from the parts below
    result = []
    versions: list[str | None] = list(view.version.split(", ")) if view.version else [None]
    for version in versions:
        if given is not None and (given.version or None) == version:
            purl = view.purl or ""
        elif given is not None:
            purl = PackageURL(given.type, given.namespace, given.name, version, given.qualifiers).to_string()
        else:
            group, name = _group_and_name(view)
            try:
                purl = PackageURL(
                    type=view.ecosystem or "generic", namespace=group, name=name, version=version
                ).to_string()
            except ValueError:  # a type the purl spec refuses: the name is kept, under "generic"
                purl = PackageURL(type="generic", name=name, version=version).to_string()
        result.append((purl, version, purl))
    return result


def _group_and_name(view: PackageView) -> tuple[str | None, str]:
    """``(namespace, name)`` for a purl; a name that splits into an empty part is kept whole."""
    if view.ecosystem != "pypi" and "/" in view.name:
        group, _, name = view.name.rpartition("/")
        if group and name:
            return group, name
    return None, view.name or "unnamed"


def _project_component(project: ProjectReport, ref: str, component: Any, kind: Any) -> Any:
    return component(
        name=project.name or (project.path if project.path != "." else "project"),
        type=kind.APPLICATION,
        bom_ref=ref,
    )


def _root_name(report: Report) -> str:
    root = report.root.rstrip("/").rsplit("/", 1)[-1]
    return root if root not in ("", ".") else "audit"
