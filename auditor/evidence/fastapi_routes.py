"""FastAPI routes: request bodies without a model, and blocking HTTP calls inside ``async def`` routes.

A route is a function decorated with ``<app or router>.get/post/put/patch/delete/api_route(...)``.
Facts: ``untyped-body`` (a parameter typed ``dict``/``Any``, or ``await request.json()``; value = the
route) and ``sync-http`` (a ``requests`` call in an ``async def`` route; value = the call).
"""

from __future__ import annotations

import ast

from auditor.evidence.model import EvidenceOptions, Fact
from auditor.evidence.source import SourceFile, dotted, walk

__all__ = ["collect"]

_ROUTE_METHODS = frozenset({"get", "post", "put", "patch", "delete", "api_route", "websocket"})
_BODY_METHODS = frozenset({"post", "put", "patch", "api_route"})
_UNTYPED = frozenset({"dict", "Dict", "typing.Dict", "Any", "typing.Any", "Mapping", "typing.Mapping"})
_NOT_BODY = frozenset({"Depends", "Query", "Header", "Path", "Cookie", "Security", "Form", "File"})
_REQUESTS_CALLS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "Session"})


def collect(source: SourceFile, options: EvidenceOptions) -> list[Fact]:
    requests_names = _requests_names(source.nodes)
    facts = []
    for node in source.nodes:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        methods = [_route_method(d) for d in node.decorator_list]
        methods = [m for m in methods if m]
        if not methods:
            continue
        if _BODY_METHODS.intersection(methods):
            facts.extend(_untyped_bodies(source, node))
        if isinstance(node, ast.AsyncFunctionDef) and requests_names:
            facts.extend(_sync_http(source, node, requests_names))
    return facts


def _route_method(decorator: ast.expr) -> str:
    func = decorator.func if isinstance(decorator, ast.Call) else None
    if (
        isinstance(func, ast.Attribute)
        and func.attr in _ROUTE_METHODS
        and isinstance(func.value, (ast.Name, ast.Attribute))
    ):
        return func.attr
    return ""


def _untyped_bodies(source: SourceFile, function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[Fact]:
    facts = []
    args = function.args
    defaults: list[ast.expr | None] = [None] * (len(args.args) - len(args.defaults)) + list(args.defaults)
    pairs = list(zip(args.args, defaults, strict=True)) + list(zip(args.kwonlyargs, args.kw_defaults, strict=True))
    request_params = set()
    for arg, default in pairs:
        annotation = _annotation_name(arg.annotation)
        if annotation in ("Request", "starlette.requests.Request", "fastapi.Request"):
            request_params.add(arg.arg)
            continue
        if annotation not in _UNTYPED:
            continue
        if default is not None and dotted(default).rsplit(".", 1)[-1] in _NOT_BODY:
            continue
        facts.append(source.fact("untyped-body", function.name, arg, detail=f"{arg.arg}: {annotation}"))
    for node in walk(function):
        if (
            isinstance(node, ast.Await)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Attribute)
            and node.value.func.attr == "json"
            and isinstance(node.value.func.value, ast.Name)
            and node.value.func.value.id in request_params
        ):
            facts.append(
                source.fact("untyped-body", function.name, node, detail=f"await {node.value.func.value.id}.json()")
            )
    return facts


def _annotation_name(annotation: ast.expr | None) -> str:
    if annotation is None:
        return ""
    if isinstance(annotation, ast.Subscript):
        base = dotted(annotation.value)
        if base.rsplit(".", 1)[-1] == "Annotated":
            inner = annotation.slice
            first = inner.elts[0] if isinstance(inner, ast.Tuple) and inner.elts else inner
            return _annotation_name(first)
        return base
    return dotted(annotation)


def _requests_names(nodes: list[ast.AST]) -> set[str]:
    """Local names of the ``requests`` module (``import requests``, ``import requests as r``)."""
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.asname or alias.name for alias in node.names if alias.name == "requests")
    return names


def _sync_http(source: SourceFile, function: ast.AsyncFunctionDef, names: set[str]) -> list[Fact]:
    facts = []
    for node in walk(function):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = node.func.value
            if isinstance(receiver, ast.Name) and receiver.id in names and node.func.attr in _REQUESTS_CALLS:
                facts.append(source.fact("sync-http", f"requests.{node.func.attr}", node, detail=function.name))
    return facts
