"""The query layer: filters, search, sort, keyset cursors, totals and aggregates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from django.test import override_settings

from portal.datastore import query, storage
from portal.datastore.engine import Connection, QueryTimeout, sandbox
from portal.datastore.query import (
    Filter,
    Metric,
    QueryError,
    RecordsQuery,
    Table,
    aggregate,
    records,
    table_of,
)
from portal.datastore.tests.conftest import Ingest

pytestmark = pytest.mark.django_db

CSV = (
    "Mã,Tên xã,Huyện,Dân số,Ngày\n"
    "001,Phường Hoa Lư,Hoa Lư,12.345,15/03/2026\n"
    "002,Xã Gia Viễn,Gia Viễn,8.200,01/12/2025\n"
    "003,Xã Kim Sơn,Kim Sơn,,02/01/2024\n"
    "004,Xã Đồng Hướng,Kim Sơn,5.100,\n"
    "005,Phường Nam Định,Nam Định,20.000,10/10/2025\n"
)


@pytest.fixture
def table(ingest: Ingest) -> Table:
    _resource, state = ingest(CSV.encode())
    assert state.current is not None
    return table_of(state.current.sheets[0])


def names(table: Table, query: RecordsQuery) -> list[str]:
    return [record["Tên xã"] for record in records(table, query).records()]


@pytest.mark.parametrize(("one", "expected"), [
    (Filter("Dân số", "gt", "8200"), ["Phường Hoa Lư", "Phường Nam Định"]),
    (Filter("Dân số", "gte", "8200"), ["Phường Hoa Lư", "Xã Gia Viễn", "Phường Nam Định"]),
    (Filter("Dân số", "lt", "8200"), ["Xã Đồng Hướng"]),
    (Filter("Dân số", "lte", "5100"), ["Xã Đồng Hướng"]),
    (Filter("Huyện", "eq", "Kim Sơn"), ["Xã Kim Sơn", "Xã Đồng Hướng"]),
    (Filter("Huyện", "ne", "Kim Sơn"), ["Phường Hoa Lư", "Xã Gia Viễn", "Phường Nam Định"]),
    (Filter("Mã", "in", ["001", "005"]), ["Phường Hoa Lư", "Phường Nam Định"]),
    (Filter("Tên xã", "contains", "dong huong"), ["Xã Đồng Hướng"]),
    (Filter("Tên xã", "starts_with", "phuong"), ["Phường Hoa Lư", "Phường Nam Định"]),
    (Filter("Dân số", "is_null", "true"), ["Xã Kim Sơn"]),
    (Filter("Ngày", "gte", "01/12/2025"), ["Phường Hoa Lư", "Xã Gia Viễn"]),
    (Filter("Ngày", "lt", "2025-01-01"), ["Xã Kim Sơn"]),
])
def test_each_filter_operator(table: Table, one: Filter, expected: list[str]) -> None:
    assert names(table, RecordsQuery(filters=[one])) == expected


def test_search_ignores_case_and_accents_including_d(table: Table) -> None:
    assert names(table, RecordsQuery(q="dong HUONG")) == ["Xã Đồng Hướng"]
    assert names(table, RecordsQuery(q="kim son")) == ["Xã Kim Sơn", "Xã Đồng Hướng"]


def test_sort_puts_empty_cells_last_and_total_counts_all_matches(table: Table) -> None:
    page = records(table, RecordsQuery(sort=[("Dân số", True)], limit=2))
    assert [record["Dân số"] for record in page.records()] == [20000, 12345]
    assert page.total == 5
    assert page.total_is_estimate is False
    ascending = records(table, RecordsQuery(sort=[("Dân số", False)]))
    assert [record["Dân số"] for record in ascending.records()] == [5100, 8200, 12345, 20000,
                                                                   None]


@pytest.mark.parametrize("sort", [[], [("Dân số", True)], [("Huyện", False), ("Dân số", True)]])
def test_cursor_pages_through_every_row_once(table: Table, sort: list[tuple[str, bool]]) -> None:
    whole = records(table, RecordsQuery(sort=sort, limit=100)).records()
    seen, cursor = [], ""
    while True:
        page = records(table, RecordsQuery(sort=sort, limit=2, cursor=cursor))
        seen.extend(page.records())
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == whole


def test_a_cursor_from_another_sort_or_forged_is_refused(table: Table) -> None:
    page = records(table, RecordsQuery(sort=[("Dân số", True)], limit=1))
    assert page.next_cursor
    with pytest.raises(QueryError):
        records(table, RecordsQuery(limit=1, cursor=page.next_cursor))
    with pytest.raises(QueryError):
        records(table, RecordsQuery(limit=1, cursor="bm90IGEgY3Vyc29y"))


def test_totals_are_exact_unless_counting_takes_too_long(
        table: Table, monkeypatch: pytest.MonkeyPatch) -> None:
    kim_son = RecordsQuery(filters=[Filter("Huyện", "eq", "Kim Sơn")])
    page = records(table, kim_son)
    assert (page.total, page.total_is_estimate) == (2, False)
    with override_settings(DATASTORE_EXACT_TOTAL_SECONDS=0):  # always estimate
        page = records(table, kim_son)
    assert page.total_is_estimate is True
    assert page.total is not None
    # An exact count stopped by its time limit gives way to the estimate from a sample.
    counted: list[float | None] = []

    def slow(con: Connection, sql: str, params: list[Any], timeout: float | None = None) -> int:
        counted.append(timeout)
        if "SAMPLE" not in sql:
            raise QueryTimeout("stopped")
        return 0

    monkeypatch.setattr(query, "_count", slow)  # in this process: the query runs here
    page = query.records_from(storage.readable(table.file), table, kim_son)
    assert (page.total, page.total_is_estimate) == (0, True)
    assert counted == [2, None]  # the budget of DATASTORE_EXACT_TOTAL_SECONDS, then no budget


@pytest.mark.parametrize("query", [
    RecordsQuery(filters=[Filter("không có", "eq", "1")]),
    RecordsQuery(filters=[Filter("Dân số", "gt", "nhiều")]),
    RecordsQuery(filters=[Filter("Dân số", "like", "1")]),
    RecordsQuery(sort=[('"Dân số"; DROP TABLE t; --', False)]),
    RecordsQuery(fields=["Tên xã", "1; SELECT 1"]),
    RecordsQuery(limit=10**9),
    RecordsQuery(filters=[Filter("Ngày", "eq", "32/13/2025")]),
])
def test_bad_requests_are_query_errors(table: Table, query: RecordsQuery) -> None:
    with pytest.raises(QueryError):
        records(table, query)


def test_values_with_sql_in_them_are_only_values(table: Table) -> None:
    assert names(table, RecordsQuery(filters=[Filter("Huyện", "eq", "x' OR '1'='1")])) == []


def test_distinct_values(table: Table) -> None:
    page = records(table, RecordsQuery(fields=["Huyện"], distinct=True, sort=[("Huyện", False)]))
    assert [record["Huyện"] for record in page.records()] == [
        "Gia Viễn", "Hoa Lư", "Kim Sơn", "Nam Định"]
    assert page.total == 4


def test_aggregate_groups_with_each_metric(table: Table) -> None:
    names_, rows, truncated = aggregate(
        table, group_by=["Huyện"],
        metrics=[Metric("count"), Metric("sum", "Dân số"), Metric("avg", "Dân số"),
                 Metric("min", "Dân số"), Metric("max", "Dân số"),
                 Metric("count_distinct", "Tên xã")],
        filters=[Filter("Huyện", "ne", "Nam Định")])
    assert names_ == ["Huyện", "count", "sum(Dân số)", "avg(Dân số)", "min(Dân số)",
                      "max(Dân số)", "count_distinct(Tên xã)"]
    assert rows == [("Gia Viễn", 1, 8200, 8200.0, 8200, 8200, 1),
                    ("Hoa Lư", 1, 12345, 12345.0, 12345, 12345, 1),
                    ("Kim Sơn", 2, 5100, 5100.0, 5100, 5100, 2)]
    assert truncated is False


def test_aggregate_refuses_sums_of_text_and_unknown_functions(table: Table) -> None:
    with pytest.raises(QueryError):
        aggregate(table, group_by=[], metrics=[Metric("sum", "Tên xã")], filters=[])
    with pytest.raises(QueryError):
        aggregate(table, group_by=[], metrics=[Metric("median; drop", "Dân số")], filters=[])


def test_row_numbers_are_positions_also_in_files_that_stored_them(tmp_path: Path) -> None:
    """`_id` is read from the row's position; a file written when `_id` was stored gives the
    same columns, not the number twice."""
    new, old = tmp_path / "new.parquet", tmp_path / "old.parquet"
    with duckdb.connect() as con:
        con.execute(f"COPY (SELECT 'x' || range AS ten FROM range(3)) TO '{new}'")
        con.execute(f"COPY (SELECT range + 1 AS _id, 'x' || range AS ten FROM range(3)) "
                    f"TO '{old}'")
    for path in (new, old):
        with sandbox({"t": path}) as con:
            result = con.execute("SELECT * FROM t ORDER BY _id DESC")
            assert [column[0] for column in result.description] == ["_id", "ten"]
            assert result.fetchall() == [(3, "x2"), (2, "x1"), (1, "x0")]
