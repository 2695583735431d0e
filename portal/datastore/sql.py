"""SQL from the public: one read-only SELECT over resource tables, or a clear refusal.

The statement is parsed with sqlglot (DuckDB's dialect) and refused unless it is a single
query (SELECT, WITH ... SELECT, UNION of SELECTs) whose tables are all resource tables named by
their id (`"<resource id>"`, or `"<resource id>/<sheet>"` for another sheet of a spreadsheet)
or its own CTEs, and which calls no function that reaches files, settings or the catalogue.
What runs is sqlglot's rendering of the checked tree, not the caller's text, so a comment or a
quoting trick cannot smuggle in anything the check did not see. It then runs in the sandbox
(engine.sandbox), which can read only the Parquet files of those tables, under the time and
memory limits; results are cut at DATASTORE_SQL_MAX_ROWS and flagged as truncated.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlglot
from django.conf import settings
from django.utils.translation import gettext as _
from sqlglot import exp

from portal.datastore import storage
from portal.datastore.engine import run, sandbox
from portal.lib.errors import ApplicationError

TABLE_NAME = re.compile(
    r"^(?P<id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:/(?P<sheet>.+))?$",
    re.IGNORECASE)
# Functions that reach outside the tables (files, settings, the catalogue, other queries).
REFUSED_PREFIXES = ("read_", "duckdb_", "pragma_", "parquet_", "sniff_", "iceberg", "delta",
                    "sqlite_", "postgres_", "mysql_", "glob", "query", "current_setting",
                    "which_secret", "getenv", "load_", "install_", "checkpoint", "icu_")
QUERY_TYPES = (exp.Select, exp.Union, exp.Intersect, exp.Except)


class SqlRefused(ApplicationError):
    pass


@dataclass
class SqlResult:
    columns: list[str]
    types: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool


def parse(sql: str) -> tuple[exp.Expression, list[str]]:
    """The checked statement and the table names it reads, or SqlRefused saying why."""
    if not sql.strip():
        raise SqlRefused(_("Write a SELECT statement."))
    try:
        statements = [tree for tree in sqlglot.parse(sql, read="duckdb")
                      if tree is not None and not isinstance(tree, exp.Semicolon)]
    except sqlglot.errors.SqlglotError as error:  # ParseError, and TokenError for bad text
        raise SqlRefused(_("The SQL could not be read: %(reason)s")
                         % {"reason": str(error).split("\n", 1)[0][:300]}) from None
    if len(statements) != 1:
        raise SqlRefused(_("Send one statement only."))
    tree = statements[0]
    if not isinstance(tree, QUERY_TYPES):
        raise SqlRefused(_("Only SELECT statements are allowed."))
    return tree, _tables(tree)


def _tables(tree: exp.Expression) -> list[str]:
    own = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    names: list[str] = []
    for node in tree.walk():
        if isinstance(node, exp.Command | exp.Pragma | exp.Set | exp.Copy | exp.Attach
                      | exp.Detach | exp.Use | exp.Create | exp.Insert | exp.Update
                      | exp.Delete | exp.Drop | exp.Alter | exp.Describe):
            raise SqlRefused(_("Only SELECT statements are allowed."))
        if isinstance(node, exp.Func):
            _check_function(node)
        if isinstance(node, exp.Table):
            names.extend(_table_name(node, own))
    if not names:
        raise SqlRefused(_("Name at least one resource table, as in "
                           "SELECT * FROM \"<resource id>\"."))
    return sorted(set(names))


def _check_function(node: exp.Func) -> None:
    name = (node.name if isinstance(node, exp.Anonymous) else node.sql_name()).lower()
    if name.startswith(REFUSED_PREFIXES) or isinstance(node, exp.ReadCSV):
        raise SqlRefused(_("The function %(name)s is not allowed here.") % {"name": name})


def _table_name(node: exp.Table, own: set[str]) -> list[str]:
    if not isinstance(node.this, exp.Identifier) or node.args.get("db") \
            or node.args.get("catalog"):
        raise SqlRefused(_("Read from resource tables only, named by their id in double "
                           "quotes."))
    name = node.this.name
    if name in own:
        return []
    if not TABLE_NAME.match(name):
        raise SqlRefused(_("“%(name)s” is not a resource table. Name tables by the resource's "
                           "id in double quotes.") % {"name": name})
    return [name]


def execute(sql: str, *, resolve: Callable[[list[str]], dict[str, dict[str, Any]]],
            ) -> SqlResult:
    """Run a public SQL statement. `resolve` maps the table names to the sheets the caller may
    read (raising NotFound for any other), so permission stays with the caller's selectors."""
    tree, names = parse(sql)
    sheets = resolve(names)
    limit = settings.DATASTORE_SQL_MAX_ROWS
    checked = tree.sql(dialect="duckdb")
    files = {name: storage.readable(sheet["file"]) for name, sheet in sheets.items()}
    with sandbox(files) as con:
        cursor = run(con, f"SELECT * FROM ({checked}) LIMIT {limit + 1}")
        rows = cursor.fetchall()
        columns = [str(column[0]) for column in cursor.description or []]
        types = [str(column[1]) for column in cursor.description or []]
    return SqlResult(columns, types, rows[:limit], len(rows) > limit)
