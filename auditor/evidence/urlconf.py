"""URLconfs: modules that define ``urlpatterns``, and the Django admin routed (``admin.site.urls``).

Facts: ``urlconf`` (the module-level ``urlpatterns``) and ``admin-route`` (``<x>.site.urls``, or
``<name>.urls`` of a name that holds an admin site, such as ``custom_admin_site.urls``).
"""

from __future__ import annotations

import ast

from auditor.evidence.model import EvidenceOptions, Fact
from auditor.evidence.source import SourceFile, dotted

__all__ = ["collect"]


def collect(source: SourceFile, options: EvidenceOptions) -> list[Fact]:
    facts = []
    for statement in source.tree.body:
        targets = statement.targets if isinstance(statement, ast.Assign) else []
        if isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
            targets = [statement.target]
        if any(isinstance(t, ast.Name) and t.id == "urlpatterns" for t in targets):
            facts.append(source.fact("urlconf", "urlpatterns", statement))
            break
    for node in source.nodes:
        if isinstance(node, ast.Attribute) and node.attr == "urls" and _is_admin_site(node.value):
            facts.append(source.fact("admin-route", dotted(node), node))
    return facts


def _is_admin_site(node: ast.expr) -> bool:
    if isinstance(node, ast.Attribute) and node.attr == "site":
        return True  # admin.site.urls, django.contrib.admin.site.urls
    return isinstance(node, ast.Name) and "admin" in node.id.lower()
