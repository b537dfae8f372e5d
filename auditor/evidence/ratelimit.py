"""Rate limiting written in code: DRF ``throttle_classes``/``throttle_scope`` on views, django-ratelimit
decorators, slowapi's ``Limiter`` and fastapi-limiter's ``RateLimiter``.

Throttling configured in settings (``REST_FRAMEWORK`` ``DEFAULT_THROTTLE_*``) and rate-limiting apps or
middleware (django-axes, django-ratelimit's middleware) are settings facts; the judge reads both.
Facts: ``rate-limit`` (value = what limits: ``throttle_classes``, ``@ratelimit``, ``slowapi Limiter``...).
"""

from __future__ import annotations

import ast

from auditor.evidence.model import EvidenceOptions, Fact
from auditor.evidence.source import SourceFile, dotted

__all__ = ["collect"]

_DECORATORS = {"ratelimit": "@ratelimit", "throttle_classes": "@throttle_classes", "limits": "@limits"}
_CONSTRUCTORS = {"Limiter": "slowapi Limiter", "RateLimiter": "fastapi-limiter RateLimiter"}


def collect(source: SourceFile, options: EvidenceOptions) -> list[Fact]:
    facts = []
    for node in source.nodes:
        if isinstance(node, ast.ClassDef):
            facts.extend(_class_attributes(source, node))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for decorator in node.decorator_list:
                what = _decorator(decorator)
                if what:
                    facts.append(source.fact("rate-limit", what, decorator, detail=node.name))
        elif isinstance(node, ast.Call):
            name = dotted(node.func).rsplit(".", 1)[-1]
            if name in _CONSTRUCTORS:
                facts.append(source.fact("rate-limit", _CONSTRUCTORS[name], node))
            elif dotted(node.func).endswith("FastAPILimiter.init"):
                facts.append(source.fact("rate-limit", "fastapi-limiter", node))
    return facts


def _class_attributes(source: SourceFile, cls: ast.ClassDef) -> list[Fact]:
    facts = []
    for statement in cls.body:
        if not isinstance(statement, (ast.Assign, ast.AnnAssign)) or statement.value is None:
            continue
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        for target in targets:
            if not isinstance(target, ast.Name) or target.id not in ("throttle_classes", "throttle_scope"):
                continue
            value = statement.value
            if isinstance(value, (ast.List, ast.Tuple)) and not value.elts:
                continue  # throttle_classes = []: throttling switched off for this view
            facts.append(source.fact("rate-limit", target.id, statement, detail=cls.name))
    return facts


def _decorator(node: ast.expr) -> str:
    """What a decorator limits, '' if it is none of ours (``method_decorator(ratelimit(...))`` too)."""
    name = dotted(node)
    last = name.rsplit(".", 1)[-1]
    if last in _DECORATORS:
        return _DECORATORS[last]
    if last == "limit" and "limiter" in name.lower():
        return "slowapi @limiter.limit"
    if last == "method_decorator" and isinstance(node, ast.Call) and node.args:
        return _decorator(node.args[0])
    return ""
