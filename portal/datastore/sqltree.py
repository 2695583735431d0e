"""The check of a public SQL statement, made on DuckDB's own parse of it.

DuckDB's parser (`json_serialize_sql`) is the one that will run the statement, so what is
checked is exactly what runs: no second parser that could read a comment, a quote or a keyword
differently. The parse must be one SELECT (or UNION, VALUES, WITH ... SELECT) whose every
table is a resource table named by its id, or a common table expression in scope, and whose
every function is on the allow-list (sqlfunctions.ALLOWED). Table functions, SHOW/DESCRIBE,
other schemas or catalogues (DuckDB's own views: `duckdb_settings`, `information_schema`...),
time travel and anything this module does not know are refused.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from portal.datastore.sqlfunctions import ALLOWED
from portal.lib.errors import ApplicationError, without_paths

TABLE_NAME = re.compile(
    r"^(?P<id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:/(?P<sheet>.+))?$",
    re.IGNORECASE)
QUERY_NODES = frozenset({"SELECT_NODE", "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE"})
TABLE_REFS = frozenset({"BASE_TABLE", "JOIN", "SUBQUERY", "EXPRESSION_LIST", "EMPTY", "PIVOT"})

Json = dict[str, Any]
Visible = frozenset[str]


class SqlRefused(ApplicationError):
    pass


def statement(serialized: str) -> Json:
    """The one SELECT of `json_serialize_sql`'s answer, or SqlRefused saying why not."""
    try:
        parsed = json.loads(serialized)
    except RecursionError:
        raise _too_deep() from None
    if parsed.get("error"):
        raise _unreadable(str(parsed.get("error_message", "")))
    statements = parsed.get("statements") or []
    if not statements:
        raise SqlRefused(_("Write a SELECT statement."))
    if len(statements) != 1:
        raise SqlRefused(_("Send one statement only."))
    node: Json = statements[0]["node"]
    return node


def tables(node: Json) -> list[str]:
    """The resource tables `node` reads (sorted), once every part of it has been checked."""
    _query_node_type(node)
    names: set[str] = set()
    stack: list[tuple[Any, Visible]] = [(node, frozenset())]
    while stack:
        item, visible = stack.pop()
        if isinstance(item, list):
            stack.extend((child, visible) for child in item)
        elif isinstance(item, dict):
            names.update(_check(item, visible, stack))
    if not names:
        raise SqlRefused(_("Name at least one resource table, as in "
                           "SELECT * FROM \"<resource id>\"."))
    return sorted(names)


def _check(item: Json, visible: Visible, stack: list[tuple[Any, Visible]]) -> list[str]:
    """Check one object of the parse and queue what it holds; the resource tables it names."""
    found: list[str] = []
    if "cte_map" in item:
        visible = _query_node(item, visible, stack)
    elif "class" in item:
        _expression(item)
    elif "sample" in item and "type" in item:
        found = _table_ref(item, visible)
    stack.extend((value, visible) for key, value in item.items() if key != "cte_map")
    return found


def _query_node(node: Json, visible: Visible, stack: list[tuple[Any, Visible]]) -> Visible:
    """Queue each common table expression with the names it may use (the ones before it, and
    itself when recursive: a name used inside its own plain definition would reach DuckDB's
    catalogue), and return the names the rest of the node may use."""
    _query_node_type(node)
    defined: list[str] = []
    for entry in node["cte_map"].get("map") or []:
        name = str(entry["key"]).lower()
        body = entry["value"]
        recursive = body.get("query_node", {}).get("type") == "RECURSIVE_CTE_NODE"
        stack.append((body, visible | set(defined) | ({name} if recursive else set())))
        defined.append(name)
    return visible | set(defined)


def _query_node_type(node: Json) -> None:
    if node.get("type") not in QUERY_NODES:
        raise SqlRefused(_("Only SELECT statements are allowed."))


def _expression(expression: Json) -> None:
    if "function_name" not in expression:
        return
    name = str(expression["function_name"]).lower()
    if expression.get("schema") or expression.get("catalog") or name not in ALLOWED:
        raise SqlRefused(_("The function %(name)s is not allowed here. The functions SQL may "
                           "use are listed in the API documentation.") % {"name": name[:100]})


def _table_ref(ref: Json, visible: Visible) -> list[str]:
    kind = ref.get("type")
    if kind == "TABLE_FUNCTION":
        function = ref.get("function") or {}
        raise SqlRefused(_("The function %(name)s is not allowed here. The functions SQL may "
                           "use are listed in the API documentation.")
                         % {"name": str(function.get("function_name", ""))[:100]})
    if kind not in TABLE_REFS:
        raise SqlRefused(_("Read from resource tables only, named by their id in double "
                           "quotes."))
    if kind != "BASE_TABLE":
        return []
    name = str(ref.get("table_name", ""))
    if ref.get("schema_name") or ref.get("catalog_name") or ref.get("at_clause"):
        raise SqlRefused(_("Read from resource tables only, named by their id in double "
                           "quotes."))
    if name.lower() in visible:
        return []
    if not TABLE_NAME.match(name):
        raise SqlRefused(_("“%(name)s” is not a resource table. Name tables by the resource's "
                           "id in double quotes.") % {"name": name[:100]})
    return [name]


def _unreadable(reason: str) -> SqlRefused:
    if "expression depth" in reason:
        return _too_deep()
    if "Only SELECT" in reason:
        return SqlRefused(_("Only SELECT statements are allowed."))
    return SqlRefused(_("The SQL could not be read: %(reason)s")
                      % {"reason": without_paths(reason.split("\n", 1)[0][:300])})


def _too_deep() -> SqlRefused:
    return SqlRefused(_("The statement nests expressions or subqueries more than %(depth)s "
                        "levels deep. Write it more simply.")
                      % {"depth": settings.DATASTORE_SQL_MAX_DEPTH})
