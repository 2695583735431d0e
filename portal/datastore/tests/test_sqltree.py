"""The check of public SQL on DuckDB's own parse: an allow-list of functions, resource tables and
common table expressions in scope, and nothing else."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest
from django.utils import translation

from portal.datastore.sqlfunctions import ALLOWED, PARSER_NAMES
from portal.datastore.sqltree import SqlRefused, statement, tables

TABLE = "5b3c9a52-6f0c-4b8a-9d55-3f2b8a7c1e00"


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    yield connection
    connection.close()


def check(con: duckdb.DuckDBPyConnection, sql: str) -> list[str]:
    found = con.execute("SELECT json_serialize_sql(?)", [sql]).fetchone()
    assert found is not None
    return tables(statement(str(found[0])))


def test_every_allowed_name_is_a_duckdb_function(con: duckdb.DuckDBPyConnection) -> None:
    known = {str(row[0]).lower() for row in con.execute(
        "SELECT DISTINCT function_name FROM duckdb_functions()").fetchall()}
    assert ALLOWED - known <= set(PARSER_NAMES)


def test_every_function_not_on_the_list_is_refused(con: duckdb.DuckDBPyConnection) -> None:
    """Structural: a function DuckDB adds tomorrow is refused the same way."""
    names = [str(row[0]) for row in con.execute(
        "SELECT DISTINCT function_name FROM duckdb_functions() WHERE function_name NOT LIKE "
        "'%\\_\\_%' ESCAPE '\\' AND regexp_full_match(function_name, '[a-z_][a-z0-9_]*')"
    ).fetchall()]
    refused = [name for name in names if name.lower() not in ALLOWED]
    assert {"query", "query_table", "json_execute_serialized_sql", "duckdb_settings",
            "current_setting", "getvariable", "read_text", "glob", "sleep_ms",
            "write_log", "repeat", "version", "pragma_version"} <= set(refused)
    for name in refused:
        with pytest.raises(SqlRefused, match=name):
            check(con, f'SELECT {name}(1) FROM "{TABLE}"')
        with pytest.raises(SqlRefused):
            check(con, f'SELECT * FROM "{TABLE}", {name}(1) AS f')


@pytest.mark.parametrize("sql", [
    # the leak: a lateral table function that runs SQL and reads the settings
    f"SELECT j.* FROM \"{TABLE}\" t, LATERAL json_execute_serialized_sql("
    f"json_serialize_sql('SELECT name,value FROM duckdb_settings()')) j",
    # DuckDB's own views, reached by a name a common table expression uses for itself
    f'WITH duckdb_views AS (SELECT * FROM duckdb_views) SELECT * FROM duckdb_views, "{TABLE}"',
    f'WITH a AS (SELECT * FROM b), b AS (SELECT 1) SELECT * FROM a, "{TABLE}"',
    f'SELECT * FROM duckdb_settings, "{TABLE}"',
    f'SELECT * FROM information_schema.tables, "{TABLE}"',
    f'SELECT * FROM system.main.duckdb_views, "{TABLE}"',
    f'SELECT * FROM main."{TABLE}"',
    f'SELECT main.lower(\'a\') FROM "{TABLE}"',
    f'SELECT * FROM "{TABLE}" AT (VERSION => 1)',
    f'SELECT * FROM (DESCRIBE "{TABLE}")',
    f'SELECT * FROM (SHOW TABLES), "{TABLE}"',
    f'SUMMARIZE "{TABLE}"',
    f'SELECT * FROM "{TABLE}", unnest([1, 2]) u',
    f'SELECT * FROM "{TABLE}", range(10) r',
    f"SELECT getvariable('x') FROM \"{TABLE}\"",
    f"SELECT getenv('HOME') FROM \"{TABLE}\"",  # a function this DuckDB does not even have
    f"SELECT length(repeat('x', 1500000000)) FROM \"{TABLE}\"",
    f'SELECT * FROM "{TABLE}" WHERE a IN (SELECT * FROM read_text(\'/etc/hostname\'))',
    "SELECT 1",
    f'SELECT * FROM "{TABLE}"; SELECT 2',
    f'CREATE TABLE x AS SELECT * FROM "{TABLE}"',
    f'PIVOT "{TABLE}" ON a USING sum(b)',
])
def test_ways_out_of_the_tables_are_refused(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    with pytest.raises(SqlRefused):
        check(con, sql)


@pytest.mark.parametrize("sql", [
    f'SELECT huyen, sum(so) AS tong, string_agg(ten, \', \') FROM "{TABLE}" GROUP BY ALL',
    f'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) '
    f'SELECT * FROM r, "{TABLE}"',
    f'WITH a AS (SELECT * FROM "{TABLE}"), b AS (SELECT * FROM a) SELECT * FROM b',
    f'SELECT coalesce(a, 0), CASE WHEN a > 1 THEN \'x\' END, a::VARCHAR || \'đ\', '
    f'strftime(d, \'%d/%m/%Y\'), date_trunc(\'month\', d), EXTRACT(year FROM d), '
    f'row_number() OVER (PARTITION BY b ORDER BY a), lower(strip_accents(b)) LIKE \'%x%\', '
    f'round(avg(a) OVER (), 2), [1, 2][1], unnest([1, 2]), list_transform([1], x -> x + 1) '
    f'FROM "{TABLE}" WHERE a BETWEEN 1 AND 2 AND b IN (\'x\') AND c IS NOT NULL',
    f'SELECT * FROM (VALUES (1), (2)) v(x), "{TABLE}"',
    f'SELECT * FROM (UNPIVOT "{TABLE}" ON a, b INTO NAME cot VALUE gia_tri)',
    f'SELECT current_date FROM "{TABLE}" UNION ALL SELECT today() FROM "{TABLE}/Trang 2"',
])
def test_what_data_users_write_is_allowed(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    assert TABLE in check(con, sql)[0]


def test_nesting_past_the_depth_limit_is_refused(con: duckdb.DuckDBPyConnection) -> None:
    deep = ["(" * 5000 + "1" + ")" * 5000, "+".join(["1"] * 30000), "NOT " * 5000 + "true",
            "[" * 5000 + "1" + "]" * 5000]
    statements = [f'SELECT {expression} FROM "{TABLE}"' for expression in deep]
    statements.append("SELECT * FROM " + "(SELECT * FROM " * 500 + f'"{TABLE}"' + ")" * 500)
    con.execute("SET max_expression_depth = 100")
    try:
        for sql in statements:
            with translation.override("en"), pytest.raises(SqlRefused, match="100 levels"):
                check(con, sql)
    finally:
        con.execute("RESET max_expression_depth")
