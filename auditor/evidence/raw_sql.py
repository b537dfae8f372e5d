"""Raw SQL in code: DB-API ``cursor.execute``/``executemany``, Django's ``Manager.raw``, ``RawSQL`` and
``.extra(``, SQLAlchemy's ``text(`` and ``exec_driver_sql``.

A call is justified when a comment on its line, or alone on the line above, starts with the
justification marker (``# raw-sql: <reason>`` by default; ``EvidenceOptions.raw_sql_marker``).
Facts: ``raw-sql`` (value = the kind of call; detail = the reason when justified, certainty
``yes``), or certainty ``possibly`` when the call is not proven to carry SQL text.
"""

from __future__ import annotations

import ast

from auditor.evidence.model import EvidenceOptions, Fact
from auditor.evidence.source import SourceFile, dotted

__all__ = ["collect", "justification"]

_NEEDLES = ("execute", ".raw(", "RawSQL", ".extra(", "exec_driver_sql", "text(")
_SQL_WORDS = (
    "select ",
    "insert ",
    "update ",
    "delete ",
    "create ",
    "alter ",
    "drop ",
    "with ",
    "truncate ",
    "vacuum",
    "analyze",
    "lock ",
    "set ",
    "refresh ",
    "copy ",
    "grant ",
    "explain ",
)


def collect(source: SourceFile, options: EvidenceOptions) -> list[Fact]:
    sqlalchemy_text = _imports_sqlalchemy_text(source.tree.body)
    nodes = source.nodes_near(_NEEDLES)
    schema_defaults = _schema_expressions(nodes)
    facts: dict[int, Fact] = {}
    for node in nodes:
        if not isinstance(node, ast.Call) or id(node) in schema_defaults or node.lineno in facts:
            continue
        kind = _kind(node, sqlalchemy_text)
        if kind is None:
            continue
        reason = justification(source.comment_near(node.lineno), options.raw_sql_marker)
        facts[node.lineno] = source.fact("raw-sql", kind, node, detail=reason)
    return [facts[line] for line in sorted(facts)]


_SCHEMA_KEYWORDS = frozenset({"server_default", "server_onupdate", "postgresql_where", "sqlite_where", "default"})


def _schema_expressions(nodes: list[ast.AST]) -> set[int]:
    """``text()`` in a column default or index condition is schema DDL, not a query."""
    return {
        id(keyword.value)
        for node in nodes
        if isinstance(node, ast.Call)
        for keyword in node.keywords
        if keyword.arg in _SCHEMA_KEYWORDS or (keyword.arg or "").endswith("_where")
    }


def justification(comment: str, marker: str) -> str:
    """The reason after the marker (``raw-sql: reason``), or '' when the comment is no justification."""
    if not marker or not comment.startswith(marker):
        return ""
    return comment[len(marker) :].strip()


def _kind(call: ast.Call, sqlalchemy_text: bool) -> str | None:
    func = call.func
    name = dotted(func)
    last = name.rsplit(".", 1)[-1]
    if last == "RawSQL":
        return "RawSQL"
    if last == "exec_driver_sql":
        return "exec_driver_sql"
    if last == "text" and ((sqlalchemy_text and name == "text") or name in ("sa.text", "sqlalchemy.text")):
        return "sqlalchemy text()"
    if not isinstance(func, ast.Attribute):
        return None
    receiver = dotted(func.value).lower()
    if last in ("execute", "executemany"):
        # DB-API cursors; any other receiver (an SQLAlchemy session or connection) only with SQL text.
        if "cursor" in receiver or receiver in ("cur", "c") or _is_sql(call):
            return f"cursor.{last}"
        return None
    if last == "raw" and (receiver.endswith("objects") or _is_sql(call)):
        return "Manager.raw"
    if last == "extra" and any(k.arg in ("select", "where", "tables") for k in call.keywords):
        return "QuerySet.extra"
    return None


def _is_sql(call: ast.Call) -> bool:
    """The first argument is SQL text written out: a string (or f-string) that starts with an SQL verb."""
    if not call.args:
        return False
    first = call.args[0]
    if isinstance(first, ast.JoinedStr):
        first = next((v for v in first.values if isinstance(v, ast.Constant)), first)
    if isinstance(first, ast.BinOp):
        first = first.left
    text = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
    return text is not None and text.lstrip().lower().startswith(_SQL_WORDS)


def _imports_sqlalchemy_text(nodes: list[ast.stmt]) -> bool:
    return any(
        isinstance(node, ast.ImportFrom)
        and (node.module or "").startswith("sqlalchemy")
        and any(alias.name == "text" for alias in node.names)
        for node in nodes
    )
