"""Deployable web applications: Django WSGI/ASGI entry points and FastAPI, Flask or Starlette apps.

Facts: ``web-app`` (value = ``django-wsgi``, ``django-asgi``, ``fastapi``, ``flask`` or ``starlette``).
Several of them in different folders of one project are evidence of several services.
"""

from __future__ import annotations

import ast

from auditor.evidence.model import EvidenceOptions, Fact
from auditor.evidence.source import SourceFile, dotted

__all__ = ["collect"]

_APPS = {
    "get_wsgi_application": "django-wsgi",
    "get_asgi_application": "django-asgi",
    "FastAPI": "fastapi",
    "Flask": "flask",
    "Starlette": "starlette",
}


def collect(source: SourceFile, options: EvidenceOptions) -> list[Fact]:
    facts = []
    for node in source.nodes:
        if isinstance(node, ast.Call):
            kind = _APPS.get(dotted(node.func).rsplit(".", 1)[-1])
            if kind is not None:
                facts.append(source.fact("web-app", kind, node))
    facts.sort(key=lambda fact: (fact.line, fact.column))
    return facts[:1]  # one app per module: an entry point is a module
