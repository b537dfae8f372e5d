"""Django settings read as data: INSTALLED_APPS, MIDDLEWARE, REST_FRAMEWORK, CACHES and friends.

Only module-level code is read (and the ``if``/``try``/``with`` blocks at
module level, whose effects are "possibly"). A literal is read; anything else
(a name, a call, ``*env_apps``) is recorded as "unknown" with its line, never
guessed. Facts:

- ``setting-item`` (value = setting name, detail = the item) for list settings;
- ``setting`` (value = ``NAME.key.key``, detail = the literal or '') for dict settings;
- ``setting-unknown`` (value = setting name) for what cannot be read statically;
- ``setting-removed`` for ``.remove("x")``;
- ``settings-module`` for ``DJANGO_SETTINGS_MODULE`` set in code (value = the dotted module);
- ``star-import`` in a settings file (value = the imported module as a path, ``a/b/base``).
"""

from __future__ import annotations

import ast
from pathlib import PurePosixPath

from auditor.evidence.model import Certainty, EvidenceOptions, Fact
from auditor.evidence.source import SourceFile, string_value, walk

__all__ = ["DICT_SETTINGS", "LIST_SETTINGS", "collect"]

LIST_SETTINGS = frozenset({"INSTALLED_APPS", "MIDDLEWARE", "AUTHENTICATION_BACKENDS"})
DICT_SETTINGS = frozenset({"REST_FRAMEWORK", "CACHES", "DATABASES", "TEMPLATES"})
_SETTINGS = LIST_SETTINGS | DICT_SETTINGS
_MAX_DEPTH = 3


def collect(source: SourceFile, options: EvidenceOptions) -> list[Fact]:
    reader = _Reader(source)
    reader.block(source.tree.body, conditional=False)
    if reader.is_settings:
        reader.facts.extend(reader.star_imports)
    return reader.facts


class _Reader:
    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.facts: list[Fact] = []
        self.star_imports: list[Fact] = []
        self.is_settings = False
        self.names: dict[str, ast.expr] = {}  # module-level names bound to literal lists

    def block(self, body: list[ast.stmt], conditional: bool) -> None:
        for statement in body:
            self.statement(statement, conditional)

    def statement(self, node: ast.stmt, conditional: bool) -> None:
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            self.assignment(node, conditional)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            self.call(node.value, conditional)
        elif isinstance(node, ast.If):
            self.block(node.body, True)
            self.block(node.orelse, True)
        elif isinstance(node, ast.Try) or (hasattr(ast, "TryStar") and type(node).__name__ == "TryStar"):
            for part in ("body", "orelse", "finalbody"):
                self.block(getattr(node, part), True)
            for handler in getattr(node, "handlers", []):
                self.block(handler.body, True)
        elif isinstance(node, (ast.With, ast.For, ast.While)):
            self.block(node.body, True)
        elif isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):
            self.star_imports.append(self.source.fact("star-import", self._module_path(node), node))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.globals_in(node)

    def _module_path(self, node: ast.ImportFrom) -> str:
        module = (node.module or "").replace(".", "/")
        if not node.level:
            return module
        folder = PurePosixPath(self.source.path).parent
        for _ in range(node.level - 1):
            folder = folder.parent
        return (folder / module).as_posix() if module else folder.as_posix()

    def globals_in(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """A function that rebinds a setting with ``global`` changes it in ways a reader cannot follow."""
        for node in walk(function):
            if isinstance(node, ast.Global):
                for name in node.names:
                    if name in _SETTINGS:
                        self.unknown(name, node, f"changed inside {function.name}()")

    def assignment(self, node: ast.Assign | ast.AnnAssign | ast.AugAssign, conditional: bool) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = node.value
        if value is None:
            return
        for target in targets:
            if isinstance(target, ast.Name) and isinstance(value, (ast.List, ast.Tuple, ast.BinOp)):
                self.names[target.id] = value
            if isinstance(target, ast.Name) and target.id == "DJANGO_SETTINGS_MODULE":
                module = string_value(value)
                if module:
                    self.facts.append(self.source.fact("settings-module", module, node))
            elif isinstance(target, ast.Name) and target.id in _SETTINGS:
                self.is_settings = True
                if target.id in LIST_SETTINGS:
                    self.list_value(target.id, value, conditional)
                else:
                    self.dict_value(target.id, value, conditional, 0)
            elif isinstance(target, ast.Subscript):
                self.subscript(target, value, conditional)

    def subscript(self, target: ast.Subscript, value: ast.expr, conditional: bool) -> None:
        """``REST_FRAMEWORK["KEY"] = ...`` and ``os.environ["DJANGO_SETTINGS_MODULE"] = "x"``."""
        key = string_value(target.slice)
        base = target.value
        if key == "DJANGO_SETTINGS_MODULE":
            module = string_value(value)
            if module:
                self.facts.append(self.source.fact("settings-module", module, target))
        elif isinstance(base, ast.Name) and base.id in DICT_SETTINGS and key is not None:
            self.is_settings = True
            self.dict_value(f"{base.id}.{key}", value, conditional, 1)

    def call(self, call: ast.Call, conditional: bool) -> None:
        func = call.func
        if not isinstance(func, ast.Attribute):
            return
        receiver = func.value
        if func.attr == "setdefault" and len(call.args) >= 2 and string_value(call.args[0]) == "DJANGO_SETTINGS_MODULE":
            module = string_value(call.args[1])
            if module:
                self.facts.append(self.source.fact("settings-module", module, call))
            return
        name = receiver.id if isinstance(receiver, ast.Name) else None
        if name is None and isinstance(receiver, ast.Subscript) and isinstance(receiver.value, ast.Name):
            key = string_value(receiver.slice)
            if receiver.value.id in DICT_SETTINGS and key is not None:
                self.setting_list_call(f"{receiver.value.id}.{key}", func.attr, call, conditional)
            return
        if name in LIST_SETTINGS:
            self.is_settings = True
            self.setting_list_call(name, func.attr, call, conditional)
        elif name in DICT_SETTINGS and func.attr == "update" and call.args:
            self.is_settings = True
            self.dict_value(name, call.args[0], conditional, 0)

    def setting_list_call(self, name: str, method: str, call: ast.Call, conditional: bool) -> None:
        certainty: Certainty = "possibly" if conditional else "yes"
        if method in ("append", "insert") and call.args:
            item = call.args[-1]
            literal = string_value(item)
            if literal is None:
                self.unknown(name, call, f".{method}() of a value that is not a literal")
            else:
                self.facts.append(self.source.fact("setting-item", name, call, certainty, literal))
        elif method == "extend" and call.args:
            self.list_value(name, call.args[0], conditional, extend=True)
        elif method == "remove" and call.args:
            literal = string_value(call.args[0])
            if literal is not None:
                self.facts.append(self.source.fact("setting-removed", name, call, certainty, literal))

    def list_value(self, name: str, value: ast.expr, conditional: bool, extend: bool = False) -> None:
        certainty: Certainty = "possibly" if conditional else "yes"
        items = _items(value, name, self.names)
        if items is None:
            self.unknown(name, value, "assigned a value that is not a literal list")
            return
        for item in items:
            literal = string_value(item)
            if literal is not None:
                self.facts.append(self.source.fact("setting-item", name, item, certainty, literal))
            elif isinstance(item, ast.Dict):
                self.dict_value(f"{name}[]", item, conditional, 1)
            else:
                self.unknown(name, item, "an entry that is not a literal")
        if not extend and not items:
            self.facts.append(self.source.fact("setting", name, value, certainty, "(empty)"))

    def dict_value(self, path: str, value: ast.expr, conditional: bool, depth: int) -> None:
        certainty: Certainty = "possibly" if conditional else "yes"
        if isinstance(value, ast.Dict):
            self.facts.append(self.source.fact("setting", path, value, certainty, "" if value.keys else "(empty)"))
            for key_node, item in zip(value.keys, value.values, strict=True):
                key = string_value(key_node)
                if key is None:
                    self.unknown(path, item, "a key that is not a literal (or ** unpacking)")
                elif depth < _MAX_DEPTH:
                    self.dict_value(f"{path}.{key}", item, conditional, depth + 1)
        elif isinstance(value, (ast.List, ast.Tuple)) and path.count(".") == 0:
            for item in value.elts:  # TEMPLATES = [{...}]
                self.dict_value(f"{path}[]", item, conditional, depth + 1)
        elif isinstance(value, (ast.List, ast.Tuple, ast.Set)):
            literals = [string_value(e) for e in value.elts]
            detail = ", ".join(v for v in literals if v is not None) if all(v is not None for v in literals) else ""
            self.facts.append(
                self.source.fact(
                    "setting",
                    path,
                    value,
                    certainty if detail or not literals else "unknown",
                    detail or ("(empty)" if not literals else ""),
                )
            )
        else:
            literal = string_value(value)
            if literal is None and isinstance(value, ast.Constant):
                literal = repr(value.value)
            self.facts.append(
                self.source.fact("setting", path, value, certainty if literal is not None else "unknown", literal or "")
            )

    def unknown(self, name: str, node: ast.AST, why: str) -> None:
        self.facts.append(self.source.fact("setting-unknown", name, node, "unknown", why))


def _items(value: ast.expr, name: str, names: dict[str, ast.expr], depth: int = 0) -> list[ast.expr] | None:
    """The entries of a list setting's value: literals, ``a + b``, ``[*NAME, ...]`` and module-level
    names bound to literal lists (``DJANGO_APPS + LOCAL_APPS``); a part that cannot be read stays
    as itself (reported unknown). None when the value is no list expression at all."""
    if depth > 20:
        return None
    if isinstance(value, (ast.List, ast.Tuple, ast.Set)):
        out: list[ast.expr] = []
        for element in value.elts:
            if isinstance(element, ast.Starred):
                inner = element.value
                if isinstance(inner, ast.Name) and inner.id == name:
                    continue  # [*INSTALLED_APPS, "x"]: the earlier value, already read
                out.extend(_items(inner, name, names, depth + 1) or [inner])
            else:
                out.append(element)
        return out
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
        left = _items(value.left, name, names, depth + 1)
        right = _items(value.right, name, names, depth + 1)
        return (left if left is not None else [value.left]) + (right if right is not None else [value.right])
    if isinstance(value, ast.Name):
        if value.id == name:
            return []
        bound = names.get(value.id)
        return _items(bound, name, names, depth + 1) if bound is not None else None
    return None
