"""CKAN's way, reproduced on the machine's PostgreSQL: XLoader's load, then the SQL that CKAN's
DataStore issues for datastore_search, datastore_search_sql and /datastore/dump.

Read from ckanext-xloader (`ckanext/xloader/loader.py`: `load_csv`, `_populate_fulltext`,
`calculate_record_count`, `create_column_indexes`; `jobs.py`: their order) and from CKAN
(`ckanext/datastore/backend/postgres.py`: `create_table`, `create_indexes`, `search_data`,
`search_sql`; `ckanext/datastore/blueprint.py`: `dump_to`). The statements are sent with
psycopg directly, without CKAN's Flask and HTTP layers: what is measured is the database's work,
which favours CKAN.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gen_csv
import psycopg
from measure import (
    AGGREGATE,
    COPY_ONLY,
    EXPORT,
    INGEST,
    PAGE,
    Result,
    SystemRun,
    Timer,
    count_rows,
    repeat,
)
from psycopg import sql

SERVER = "postgresql://postgres@127.0.0.1:5432"
DATABASE = "bench_ckan"
PAGINATE_BY = 32000  # ckanext/datastore/blueprint.py
ROWS_MAX = 32000  # ckan.datastore.search.rows_max
TIMEOUT_MS = 60000  # ckanext/datastore/backend/postgres.py _TIMEOUT
FULLTEXT_CHUNK = 100_000  # ckanext.xloader.search_update_chunks

# CKAN's set_permissions.sql: the trigger function that datastore_create attaches to each table.
TRIGGER_FUNCTION = r"""
CREATE OR REPLACE FUNCTION populate_full_text_trigger() RETURNS trigger AS $body$
    BEGIN
        IF NEW._full_text IS NOT NULL THEN RETURN NEW; END IF;
        NEW._full_text := (SELECT to_tsvector(string_agg(value, ' '))
                           FROM json_each_text(row_to_json(NEW.*)) WHERE key NOT LIKE '\_%');
        RETURN NEW;
    END;
$body$ LANGUAGE plpgsql
"""


class CkanDatastore:
    """One resource's table in a database of its own, queried as CKAN queries it."""

    def __init__(self, columns: list[str]) -> None:
        self.columns = columns
        self.resource_id = str(uuid.uuid4())
        self.table = sql.Identifier(self.resource_id)
        self.conn: psycopg.Connection[tuple[Any, ...]] | None = None

    # The database of the benchmark: created, then dropped.

    def create_database(self) -> None:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(DATABASE)))
            admin.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0")
                          .format(sql.Identifier(DATABASE)))
        self.conn = psycopg.connect(f"{SERVER}/{DATABASE}")
        self.conn.execute(TRIGGER_FUNCTION)
        self.conn.commit()

    def drop_database(self) -> None:
        if self.conn is not None:
            self.conn.close()
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                          .format(sql.Identifier(DATABASE)))

    @property
    def db(self) -> psycopg.Connection[tuple[Any, ...]]:
        assert self.conn is not None
        return self.conn

    def versions(self) -> dict[str, str]:
        settings = self.db.execute(
            "SELECT name, current_setting(name) FROM pg_settings WHERE name IN "
            "('shared_buffers', 'work_mem', 'maintenance_work_mem', "
            "'max_parallel_workers_per_gather', 'synchronous_commit') ORDER BY name").fetchall()
        version = self.db.execute("SHOW server_version").fetchone()
        self.db.rollback()
        return {"PostgreSQL": str(version[0] if version else "?"),
                "settings": ", ".join(f"{name}={value}" for name, value in settings)}

    # XLoader's direct load (jobs.py direct_load), step by step.

    def ingest(self, csv: Path) -> Result:
        timer = Timer()
        db = self.db
        with timer.step("datastore_create (table + trigger)"):
            self._create(self.table)
            db.execute(sql.SQL("CREATE TRIGGER zfulltext BEFORE INSERT OR UPDATE ON {} "
                               "FOR EACH ROW EXECUTE PROCEDURE populate_full_text_trigger()")
                       .format(self.table))
            db.execute(sql.SQL("ALTER TABLE {} DISABLE TRIGGER zfulltext").format(self.table))
            db.commit()
        with timer.step("COPY FROM STDIN"):
            self._copy(self.table, csv)
        with timer.step("_full_text UPDATE"):
            self._populate_fulltext()
        with timer.step("ANALYZE"):
            db.execute(sql.SQL("ANALYZE {}").format(self.table))
            db.commit()
        queryable = timer.total  # xloader marks the resource viewable here
        with timer.step("GiST index on _full_text"):
            name = hashlib.sha1((self.resource_id + "_full_text").encode()).hexdigest()  # noqa: S324
            db.execute(sql.SQL("CREATE INDEX {} ON {} USING gist(_full_text)")
                       .format(sql.Identifier(name), self.table))
            db.execute(sql.SQL("ALTER TABLE {} ENABLE TRIGGER zfulltext").format(self.table))
            db.commit()
        steps = dict(timer.steps)
        steps["whole XLoader job"] = timer.total
        return Result(INGEST, [queryable], self._row_count(), steps)

    def _create(self, table: sql.Identifier) -> None:
        """xloader's first load: every column is text (types come later, by hand)."""
        fields = sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(column))
                                    for column in self.columns)
        self.db.execute(sql.SQL('CREATE TABLE {} ("_id" serial primary key, '
                                '"_full_text" tsvector, {})').format(table, fields))

    def _copy(self, table: sql.Identifier, csv: Path) -> None:
        columns = sql.SQL(", ").join(sql.Identifier(column) for column in self.columns)
        copy = sql.SQL("COPY {} ({}) FROM STDIN WITH (DELIMITER ',', FORMAT csv, HEADER 1, "
                       "ENCODING 'UTF8')").format(table, columns)
        with self.db.cursor() as cursor, cursor.copy(copy) as pipe, csv.open("rb") as source:
            while block := source.read(1 << 20):
                pipe.write(block)
        self.db.commit()

    def copy_alone(self, csv: Path) -> float:
        """Seconds of XLoader's COPY into a fresh table of the same shape, dropped afterwards
        (COPY timed again, without the rest of the job)."""
        scratch = sql.Identifier(f"{self.resource_id}-copy")
        self._create(scratch)
        self.db.commit()
        start = time.perf_counter()
        self._copy(scratch, csv)
        seconds = time.perf_counter() - start
        self.db.execute(sql.SQL("DROP TABLE {}").format(scratch))
        self.db.commit()
        return seconds

    def _populate_fulltext(self) -> None:
        """loader._populate_fulltext: chunks of _id BETWEEN a AND a + 100000, one transaction."""
        rows = self.db.execute(sql.SQL("SELECT count(_id) FROM {}").format(self.table)).fetchone()
        text = sql.SQL(" || ' ' || ").join(
            sql.SQL("coalesce({}, '')").format(sql.Identifier(column)) for column in self.columns)
        update = sql.SQL("UPDATE {} SET _full_text = to_tsvector({}) "
                         "WHERE _id BETWEEN %s AND %s").format(self.table, text)
        for start in range(0, int(rows[0] if rows else 0), FULLTEXT_CHUNK):
            self.db.execute(update, (start, start + FULLTEXT_CHUNK))
        self.db.commit()

    def _row_count(self) -> str:
        row = self.db.execute(sql.SQL("SELECT count(*) FROM {}").format(self.table)).fetchone()
        self.db.rollback()
        return f"{row[0] if row else 0} rows"

    # datastore_search: what search() and search_data() send for one call.

    def _search_preamble(self) -> None:
        self.db.execute(f"SET LOCAL statement_timeout TO {TIMEOUT_MS}")
        for _ in range(2):  # validate() and search_data() each read the fields: _get_fields
            self.db.execute(sql.SQL("SELECT * FROM {} LIMIT 1").format(self.table)).fetchall()

    def _field_info(self) -> None:
        self.db.execute(
            "select pa.attname as name, pd.description::json -> '_info' as info "
            "from pg_class pc, pg_attribute pa, pg_description pd "
            "where pa.attrelid = pc.oid and pd.objoid = pc.oid "
            "and pd.objsubid = pa.attnum and pc.relname = %s and pa.attnum > 0",
            (self.resource_id,)).fetchall()

    def page(self) -> str:
        """datastore_search(filters={ngay: {gte: ...}}, sort="ngay desc", limit=100), with the
        total (include_total defaults to true), records_format objects."""
        select = sql.SQL(", ").join(sql.SQL("{0} as {0}").format(sql.Identifier(column))
                                    for column in ["_id", *self.columns])
        where = sql.SQL("WHERE (({} >= %s))").format(sql.Identifier(gen_csv.FILTER_COLUMN))
        page = sql.SQL(
            "WITH records_page AS (SELECT * FROM {table} {where} ORDER BY {sort} desc "
            "LIMIT 100 OFFSET 0), select_cols AS (SELECT {select} FROM records_page), "
            "json_cols AS (SELECT array_to_json(array_agg(select_cols))::text j "
            "FROM select_cols) SELECT json_cols.j FROM json_cols"
        ).format(table=self.table, where=where, sort=sql.Identifier(gen_csv.FILTER_COLUMN),
                 select=select)
        count = sql.SQL("SELECT count(*) FROM (SELECT {select} FROM {table} {where}) as t"
                        ).format(select=select, table=self.table, where=where)
        try:
            self._search_preamble()
            records = self.db.execute(page, (gen_csv.FILTER_VALUE,)).fetchone()
            self._field_info()
            total = self.db.execute(count, (gen_csv.FILTER_VALUE,)).fetchone()
        finally:
            self.db.rollback()
        if records is None or not records[0]:
            raise RuntimeError("CKAN's page query returned no records")
        return f"total {total[0] if total else '?'}"

    def aggregate(self) -> str:
        """datastore_search_sql with a GROUP BY: EXPLAIN (to find the tables and check access),
        then the statement wrapped in CKAN's LIMIT rows_max + 1."""
        user_sql = sql.SQL(
            "SELECT {group}, count(*) AS n, sum({amount}::numeric) AS total, "
            "avg({amount}::numeric) AS mean FROM {table} GROUP BY {group} ORDER BY {group}"
        ).format(group=sql.Identifier(gen_csv.GROUP_COLUMN),
                 amount=sql.Identifier(gen_csv.SUM_COLUMN), table=self.table)
        try:
            self.db.execute(f"SET LOCAL statement_timeout TO {TIMEOUT_MS}")
            self.db.execute(sql.SQL("EXPLAIN (VERBOSE, FORMAT JSON) {}").format(user_sql))
            rows = self.db.execute(sql.SQL("SELECT * FROM ({}) AS blah LIMIT {}").format(
                user_sql, sql.Literal(ROWS_MAX + 1))).fetchall()
        finally:
            self.db.rollback()
        return f"{len(rows)} groups"

    def export(self, sink: Path) -> str:
        """/datastore/dump/<id>: datastore_search pages of 32000 rows as CSV, keyset on _id."""
        size = 0
        with sink.open("wb") as out:
            out.write((",".join(["_id", *self.columns]) + "\n").encode())
            for page in self._dump_pages():
                out.write(page)
                size += len(page)
        return f"{size} bytes"

    def _dump_pages(self) -> Iterator[bytes]:
        select = sql.SQL(", ").join(sql.Identifier(column) for column in ["_id", *self.columns])
        last_id: int | None = None
        while True:
            # CKAN binds the values into the COPY's text (literal_binds) and buffers the page.
            where = (sql.SQL("") if last_id is None
                     else sql.SQL('WHERE (("_id" > {}))').format(sql.Literal(last_id)))
            final = sql.SQL('{} ORDER BY "_id" asc LIMIT {} OFFSET 0').format(
                where, sql.Literal(PAGINATE_BY))
            copy = sql.SQL("COPY (WITH records_page AS (SELECT * FROM {table} {final}) "
                           "SELECT {select} FROM records_page) TO STDOUT csv").format(
                table=self.table, final=final, select=select)
            next_id = sql.SQL('SELECT max(_id) FROM (SELECT "_id" FROM {} {}) as z').format(
                self.table, final)
            try:
                self._search_preamble()
                page = bytearray()
                with self.db.cursor() as cursor, cursor.copy(copy) as pipe:
                    for block in pipe:
                        page += block
                row = self.db.execute(next_id).fetchone()
                self._field_info()
            finally:
                self.db.rollback()
            if not page:
                return
            yield bytes(page)
            last_id = int(row[0]) if row and row[0] is not None else None
            if last_id is None:
                return


def run(csv: Path, times: int, scratch: Path, export_times: int, keep: bool = False,
        copy_times: int = 1) -> SystemRun:
    with csv.open(encoding="utf-8") as source:
        columns = source.readline().strip().split(",")
    store = CkanDatastore(columns)
    result = SystemRun("ckan")
    store.create_database()
    try:
        result.versions = store.versions()
        copies = [store.copy_alone(csv) for _ in range(copy_times - 1)]
        ingest = store.ingest(csv)
        result.add(ingest)
        result.add(Result(COPY_ONLY, [*copies, ingest.steps["COPY FROM STDIN"]], ingest.answer))
        print(f"  ckan: queryable after {ingest.median:.1f} s ({ingest.answer})", flush=True)
        sink = scratch / "ckan-export.csv"
        for task, query, runs in ((PAGE, store.page, times),
                                  (AGGREGATE, store.aggregate, times),
                                  (EXPORT, lambda: store.export(sink), export_times)):
            try:
                measured = repeat(task, query, runs)
            except psycopg.errors.QueryCanceled:
                # CKAN answers "Search took too long" (or "Query took too long").
                result.notes.append(f"{task}: cancelled by CKAN's statement_timeout of "
                                    f"{TIMEOUT_MS // 1000} s, as CKAN would cancel it")
                store.db.rollback()
                continue
            if task == EXPORT:
                measured.answer = count_rows(sink)
            result.add(measured)
        sink.unlink(missing_ok=True)
    finally:
        if not keep:
            store.drop_database()
    return result
