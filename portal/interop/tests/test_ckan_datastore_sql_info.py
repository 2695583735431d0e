"""datastore_search_sql, datastore_info and the `datastore_active` flag of resources."""

# The SQL statements are what clients send to datastore_search_sql.
# ruff: noqa: S608

from __future__ import annotations

import pytest
from django.conf import LazySettings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.accounts.models import User
from portal.catalog.models import Resource
from portal.interop.tests.conftest import Catalogue, call
from portal.interop.tests.datastore_tables import ingested, units_resource
from portal.lib import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(catalogue: Catalogue) -> Resource:
    return units_resource(catalogue.public)


def sql(client: Client, statement: str) -> dict[str, object]:
    return call(client, "datastore_search_sql", "post", sql=statement).body


def test_sql_returns_records_and_fields_in_ckans_shape(client: Client, units: Resource) -> None:
    statement = (f'SELECT "loại", count(*) AS "số", sum("dân số") AS tổng, avg("tỷ lệ") AS tb, '
                 f'min("ngày lập") AS đầu FROM "{units.pk}" GROUP BY 1 ORDER BY 1')
    result = call(client, "datastore_search_sql", sql=statement).result
    assert set(result) == {"sql", "records", "fields"}  # records_truncated only when true
    assert result["sql"] == statement
    assert result["fields"] == [{"id": "loại", "type": "text"}, {"id": "số", "type": "int"},
                                {"id": "tổng", "type": "int"}, {"id": "tb", "type": "numeric"},
                                {"id": "đầu", "type": "date"}]
    assert result["records"] == [
        {"loại": "phường", "số": 2, "tổng": 50000, "tb": 1.375, "đầu": "2025-07-01"},
        {"loại": "tỉnh", "số": 1, "tổng": 1234567, "tb": 1.5, "đầu": "2025-07-01"},
        {"loại": "xã", "số": 2, "tổng": 55000, "tb": 1.0, "đầu": "2025-07-03"}]


def test_sql_joins_two_tables(client: Client, units: Resource, catalogue: Catalogue,
                              editor: User) -> None:
    codes = factories.make_resource(dataset=catalogue.public, user=editor, filename="ma.csv",
                                    content="mã,vùng\n1,Bắc\n3,Nam\n".encode())
    ingested(codes)
    result = call(client, "datastore_search_sql", sql=(
        f'SELECT u."tên", c."vùng" FROM "{units.pk}" u JOIN "{codes.pk}" c ON u."mã" = c."mã" '
        f'ORDER BY 1')).result
    assert result["records"] == [{"tên": "Hoa Lư", "vùng": "Bắc"},
                                 {"tên": "Nho Quan", "vùng": "Nam"}]


def test_sql_results_past_the_limit_are_truncated(client: Client, units: Resource,
                                                  settings: LazySettings) -> None:
    settings.DATASTORE_SQL_MAX_ROWS = 2
    result = call(client, "datastore_search_sql", sql=f'SELECT * FROM "{units.pk}"').result
    assert len(result["records"]) == 2
    assert result["records_truncated"] is True


ESCAPES = [
    "COPY (SELECT 1) TO '/tmp/x.csv'",
    "ATTACH '/tmp/x.db' AS x",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_csv_auto('/etc/passwd')",
    "SELECT * FROM '/etc/passwd'",
    "SELECT * FROM read_parquet('/tmp/*.parquet')",
    "SELECT 1; SELECT 2",
    'SELECT * FROM "{id}"; DROP TABLE "{id}"',
    "PRAGMA database_list",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "SELECT current_setting('allowed_paths')",
    "SELECT * FROM duckdb_settings()",
    "SELECT 1 /* */; COPY (SELECT 1) TO '/tmp/x'",
    'SELECT * FROM "{id}" -- \n; ATTACH \'/tmp/x.db\'',
    "SELECT * FROM glob('/etc/*')",
    "SELECT getenv('HOME')",
    "SELECT * FROM information_schema.tables",
    'SELECT * FROM "{id}" WHERE "không có" = 1',
    "DELETE FROM \"{id}\"",
    "",
    "SELEC * FROM x",
]


def test_sandbox_escapes_are_validation_errors_on_query(client: Client, units: Resource) -> None:
    for statement in ESCAPES:
        body = sql(client, statement.replace("{id}", str(units.pk)))
        assert body["success"] is False, statement
        error = body["error"]
        assert isinstance(error, dict)
        assert error["__type"] == "Validation Error", (statement, error)
        key = "sql" if not statement else "query"
        assert list(error) == ["__type", key], (statement, error)


def test_a_comment_hides_nothing(client: Client, units: Resource) -> None:
    """What runs is the checked statement: a comment is dropped, never executed."""
    statement = f'SELECT "mã" FROM "{units.pk}" /* ; COPY (SELECT 1) TO \'/tmp/x\' */ LIMIT 1'
    assert call(client, "datastore_search_sql", sql=statement).result["records"] == [{"mã": 37}]


def test_sql_over_an_unknown_table_is_not_found(client: Client) -> None:
    body = sql(client, 'SELECT * FROM "00000000-0000-0000-0000-000000000000"')
    assert body["error"] == {"__type": "Not Found Error", "message": body["error"]["message"]}  # type: ignore[index]


def test_info_describes_the_table_and_its_dictionary(client: Client, units: Resource) -> None:
    result = call(client, "datastore_info", id=str(units.pk)).result
    assert result["meta"]["count"] == 5
    assert result["meta"]["table_type"] == "BASE TABLE"
    assert result["meta"]["id"] == str(units.pk)
    assert result["meta"]["size"] > 0
    assert [field["id"] for field in result["fields"]] == [
        "mã", "tên", "loại", "dân số", "ngày lập", "tỷ lệ", "đô thị"]
    population = result["fields"][3]
    assert population["type"] == "int"
    assert population["info"] == {"label": "Dân số trung bình", "notes": "Số người cư trú",
                                  "type_override": "", "unit": "người"}
    assert population["schema"]["native_type"] == "integer"
    assert "info" not in result["fields"][0]
    assert call(client, "datastore_info", resource_id=str(units.pk)).result == result


def test_datastore_active_marks_resources_with_a_ready_table(
        client: Client, units: Resource, catalogue: Catalogue) -> None:
    dataset = call(client, "package_show", id=catalogue.public.slug).result
    active = {resource["id"]: resource["datastore_active"] for resource in dataset["resources"]}
    uploaded = catalogue.public.resources.exclude(pk=units.pk).get()
    assert active == {str(uploaded.pk): False, str(units.pk): True}
    assert call(client, "resource_show", id=str(units.pk)).result["datastore_active"] is True


def test_datastore_active_costs_no_query_per_dataset(
        client: Client, catalogue: Catalogue, editor: User) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/3/action/package_search", {"rows": 50})
        assert response.status_code == 200
        return len(captured)

    def add_dataset_with_table() -> None:
        dataset = factories.make_dataset(agency=catalogue.public.agency, user=editor)
        ingested(factories.make_resource(dataset=dataset, user=editor))

    add_dataset_with_table()
    with_one = queries()
    add_dataset_with_table()
    add_dataset_with_table()
    assert queries() == with_one
    results = client.get("/api/3/action/package_search", {"rows": 50}).json()["result"]
    flags = [resource["datastore_active"] for dataset in results["results"]
             for resource in dataset["resources"]]
    assert flags.count(True) == 3
