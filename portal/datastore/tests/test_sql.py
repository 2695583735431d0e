"""The SQL sandbox: one SELECT over resource tables the caller may see, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings

from portal.accounts.models import User
from portal.catalog.models import AccessLevel
from portal.datastore import selectors
from portal.datastore.engine import QueryTimeout
from portal.datastore.sql import SqlRefused, execute
from portal.datastore.tests.conftest import Ingest
from portal.datastore.tests.tables import xlsx
from portal.lib.errors import NotFound

pytestmark = pytest.mark.django_db

ANONYMOUS = AnonymousUser()


def run_sql(sql: str, user: User | AnonymousUser = ANONYMOUS) -> list[tuple[object, ...]]:
    return execute(sql, resolve=lambda names: selectors.sql_tables(user, names)).rows


@pytest.fixture
def table_id(ingest: Ingest) -> str:
    body = "huyen,so\n" + "".join(f"H{i % 3},{i}\n" for i in range(1, 301))
    resource, state = ingest(body.encode())
    assert state.current is not None
    return str(resource.pk)


def test_select_group_and_join_over_resource_tables(table_id: str) -> None:
    rows = run_sql(f'SELECT huyen, sum(so) AS tong FROM "{table_id}" GROUP BY huyen '
                   f"ORDER BY huyen")
    assert rows == [("H0", 15150), ("H1", 14950), ("H2", 15050)]
    joined = run_sql(f'WITH a AS (SELECT * FROM "{table_id}") SELECT count(*) FROM a '
                     f'JOIN "{table_id}" b ON a._id = b._id')
    assert joined == [(300,)]


def test_trailing_semicolon_and_comments_are_fine(table_id: str) -> None:
    assert run_sql(f'/* tổng */ SELECT count(*) FROM "{table_id}"; -- hết') == [(300,)]


def test_results_are_capped_and_flagged(table_id: str) -> None:
    with override_settings(DATASTORE_SQL_MAX_ROWS=10):
        result = execute(f'SELECT * FROM "{table_id}"',
                         resolve=lambda names: selectors.sql_tables(ANONYMOUS, names))
    assert len(result.rows) == 10
    assert result.truncated is True
    assert result.columns == ["_id", "huyen", "so"]


@pytest.mark.parametrize("template", [
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM '/etc/passwd'",
    "SELECT * FROM read_parquet('{path}')",
    "SELECT * FROM \"{id}\", glob('/*')",
    "COPY (SELECT * FROM \"{id}\") TO '/tmp/stolen.csv'",
    "ATTACH '/tmp/other.db' AS other",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "PRAGMA database_list",
    "SELECT * FROM \"{id}\"; SELECT * FROM \"{id}\"",
    "SELECT * FROM \"{id}\"; DROP TABLE \"{id}\"",
    "SELECT * FROM \"{id}\" /* */; ATTACH '/x' AS y",
    "SELECT current_setting('allowed_paths') FROM \"{id}\"",
    "SELECT * FROM duckdb_settings()",
    "SELECT * FROM main.\"{id}\"",
    "SELECT * FROM \"{id}\" WHERE so IN (SELECT * FROM read_text('/etc/hostname'))",
    "SELECT * FROM query_table('{id}')",
    "CREATE TABLE x AS SELECT 1",
    "SELECT 1",
    "",
    "SELEC * FRM",
])
def test_every_way_out_of_the_sandbox_is_refused(table_id: str, template: str) -> None:
    sql = template.format(id=table_id, path=Path(settings.MEDIA_ROOT) / "x.parquet")
    with pytest.raises(SqlRefused):
        run_sql(sql)


def test_a_query_that_runs_forever_is_stopped_and_the_next_one_runs(table_id: str) -> None:
    endless = (f'SELECT count(*) FROM "{table_id}" a, "{table_id}" b, "{table_id}" c, '
               f'"{table_id}" d, "{table_id}" e')
    with override_settings(DATASTORE_QUERY_TIMEOUT=1), pytest.raises(QueryTimeout):
        run_sql(endless)
    assert run_sql(f'SELECT count(*) FROM "{table_id}"') == [(300,)]


def test_unknown_and_hidden_tables_are_not_found(ingest: Ingest, editor: User,
                                                 outsider: User) -> None:
    resource, _state = ingest(b"a\n1\n")
    dataset = resource.dataset
    dataset.access_level = AccessLevel.AGENCY
    dataset.save(update_fields=["access_level"])
    sql = f'SELECT count(*) FROM "{resource.pk}"'
    for stranger in (ANONYMOUS, outsider):
        with pytest.raises(NotFound):
            run_sql(sql, stranger)
    assert run_sql(sql, editor) == [(1,)]
    with pytest.raises(NotFound):
        run_sql('SELECT * FROM "00000000-0000-0000-0000-000000000000"')


def test_tables_of_other_sheets_by_name(ingest: Ingest) -> None:
    content = xlsx(("Một", [["a"], [1]]), ("Hai", [["b"], [2], [3]]))
    resource, state = ingest(content, "hai-trang.xlsx")
    assert state.current is not None
    assert run_sql(f'SELECT sum(b) FROM "{resource.pk}/Hai"') == [(5,)]
