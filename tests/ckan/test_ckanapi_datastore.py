"""The real `ckanapi` client reading the DataStore of a running portal, as a library and as a
command, and CKAN's dump URL read as a stream."""

# The SQL statements are what clients send to datastore_search_sql.
# ruff: noqa: S608

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ckanapi
import pytest
import requests
from pytest_django.live_server_helper import LiveServer

from portal.accounts.models import User
from portal.accounts.services import token_create
from portal.agencies.models import Agency, Sector
from portal.catalog.models import Resource
from portal.interop.tests.datastore_tables import ingested, units_resource
from portal.lib import factories

# Transactional: the server's thread must see the data.
pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class Tables:
    units: Resource  # public, with a data dictionary
    hidden: Resource  # in a dataset for the agency only
    editor: User


@pytest.fixture
def tables(agency: Agency, sectors: list[Sector]) -> Tables:
    editor = factories.make_user(role="editor", agency=agency)
    public = factories.make_dataset(agency=agency, user=editor, slug="don-vi-hanh-chinh")
    hidden_dataset = factories.make_dataset(agency=agency, user=editor, slug="noi-bo",
                                            access_level="agency")
    hidden = factories.make_resource(dataset=hidden_dataset, user=editor, filename="an.csv")
    ingested(hidden)
    return Tables(units=units_resource(public, user=editor), hidden=hidden, editor=editor)


@pytest.fixture
def portal(live_server: LiveServer, tables: Tables) -> Iterator[ckanapi.RemoteCKAN]:
    # Closed at the end: a kept-alive connection would outlive the server's shared database
    # connection (in-memory SQLite) and fail in the server's thread.
    with ckanapi.RemoteCKAN(live_server.url) as client:
        yield client


def test_ckanapi_searches_with_filters_q_fields_sort_and_pages(
        portal: ckanapi.RemoteCKAN, tables: Tables) -> None:
    rid = str(tables.units.pk)
    result = portal.action.datastore_search(
        resource_id=rid, filters={"loại": ["xã", "phường"]}, fields=["tên", "dân số"],
        sort="dân số desc", limit=2)
    assert result["total"] == 4
    assert result["records"] == [{"tên": "Hoa Lư", "dân số": 50000},
                                 {"tên": "Nho Quan", "dân số": 30000}]
    assert [field["id"] for field in result["fields"]] == ["tên", "dân số"]
    following = portal.action.datastore_search(
        resource_id=rid, filters={"loại": ["xã", "phường"]}, fields=["tên", "dân số"],
        sort="dân số desc", limit=2, offset=2)
    assert [record["tên"] for record in following["records"]] == ["Gia Viễn, mới", "Tam Điệp"]
    assert portal.action.datastore_search(resource_id=rid, q="ninh binh")["total"] == 1


def test_ckanapi_gets_csv_records_and_distinct_values(portal: ckanapi.RemoteCKAN,
                                                      tables: Tables) -> None:
    result = portal.action.datastore_search(resource_id=str(tables.units.pk),
                                            records_format="csv", fields="mã,tên", limit=2)
    assert result["records"] == "37,Ninh Bình\n1,Hoa Lư\n"
    kinds = portal.action.datastore_search(resource_id=str(tables.units.pk), fields=["loại"],
                                           distinct=True, sort="loại")
    assert [record["loại"] for record in kinds["records"]] == ["phường", "tỉnh", "xã"]


def test_ckanapi_follows_the_next_link(live_server: LiveServer, portal: ckanapi.RemoteCKAN,
                                       tables: Tables) -> None:
    first = portal.action.datastore_search(resource_id=str(tables.units.pk), limit=3)
    response = requests.get(live_server.url + first["_links"]["next"], timeout=30)
    assert [record["_id"] for record in response.json()["result"]["records"]] == [4, 5]


def test_ckanapi_runs_sql_and_reads_the_info(portal: ckanapi.RemoteCKAN, tables: Tables) -> None:
    rid = str(tables.units.pk)
    result = portal.action.datastore_search_sql(
        sql=f'SELECT "loại", count(*) AS n FROM "{rid}" GROUP BY 1 ORDER BY 2 DESC, 1')
    assert result["records"] == [{"loại": "phường", "n": 2}, {"loại": "xã", "n": 2},
                                 {"loại": "tỉnh", "n": 1}]
    info = portal.action.datastore_info(id=rid)
    assert info["meta"]["count"] == 5
    assert info["fields"][3]["info"]["label"] == "Dân số trung bình"


def test_ckanapi_raises_validation_error_on_bad_input(portal: ckanapi.RemoteCKAN,
                                                      tables: Tables) -> None:
    rid = str(tables.units.pk)
    bad: list[tuple[dict[str, Any], str]] = [
        ({"sort": "mã; DROP TABLE x"}, "sort"),
        ({"filters": {"không có": 1}}, "filters"),
        ({"fields": ["không có"]}, "fields"),
        ({"limit": 100_000}, "limit")]
    for params, key in bad:
        with pytest.raises(ckanapi.ValidationError) as error:
            portal.action.datastore_search(resource_id=rid, **params)
        assert list(error.value.error_dict) == ["__type", key]
    for statement in ["COPY (SELECT 1) TO '/tmp/x.csv'", "SELECT * FROM read_csv('/etc/passwd')",
                      f'SELECT 1 FROM "{rid}"; SELECT 2', "ATTACH '/tmp/x.db'", "PRAGMA version"]:
        with pytest.raises(ckanapi.ValidationError) as error:
            portal.action.datastore_search_sql(sql=statement)
        assert list(error.value.error_dict) == ["__type", "query"]


def test_ckanapi_raises_not_found_for_a_hidden_table_unless_its_agency_asks(
        live_server: LiveServer, portal: ckanapi.RemoteCKAN, tables: Tables) -> None:
    rid = str(tables.hidden.pk)
    with pytest.raises(ckanapi.NotFound):
        portal.action.datastore_search(resource_id=rid)
    with pytest.raises(ckanapi.NotFound):
        portal.action.datastore_search_sql(sql=f'SELECT * FROM "{rid}"')
    token = token_create(user=tables.editor, name="ckanapi", read_only=True)[1]
    with ckanapi.RemoteCKAN(live_server.url, apikey=token) as staff:
        assert staff.action.datastore_search(resource_id=rid)["records"] == [
            {"_id": 1, "ma": 1, "ten": "Hoa Lu"}]


def _ckanapi(*arguments: str) -> subprocess.CompletedProcess[str]:
    folder = Path(sys.executable).parent
    # `ckanapi dump` starts its workers as `ckanapi` from the PATH.
    path = os.pathsep.join([str(folder), os.environ.get("PATH", "")])
    return subprocess.run([str(folder / "ckanapi"), *arguments], capture_output=True, text=True,
                          timeout=120, check=False, env=os.environ | {"PATH": path})


def test_ckanapi_command_line_searches(live_server: LiveServer, tables: Tables) -> None:
    finished = _ckanapi("action", "datastore_search", f"resource_id={tables.units.pk}",
                        'filters:{"loại": "xã"}', "fields=tên", "-r", live_server.url)
    assert finished.returncode == 0, finished.stderr
    assert json.loads(finished.stdout)["records"] == [{"tên": "Nho Quan"},
                                                      {"tên": "Gia Viễn, mới"}]


def test_ckanapi_dump_reads_the_datastore_fields_of_active_resources(
        live_server: LiveServer, tables: Tables, tmp_path: Path) -> None:
    output = tmp_path / "datasets.jsonl"
    finished = _ckanapi("dump", "datasets", "don-vi-hanh-chinh", "--datastore-fields",
                        "-O", str(output), "-q", "-r", live_server.url)
    assert finished.returncode == 0, finished.stderr
    resource = json.loads(output.read_text(encoding="utf-8"))["resources"][0]
    assert resource["datastore_active"] is True
    assert [field["id"] for field in resource["datastore_fields"]][:3] == ["_id", "mã", "tên"]


def test_dump_streams_csv_with_a_bom(live_server: LiveServer, tables: Tables) -> None:
    with requests.get(f"{live_server.url}/datastore/dump/{tables.units.pk}",
                      params={"bom": "true", "sort": "mã"}, stream=True, timeout=30) as response:
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        content = b"".join(response.iter_content(chunk_size=16))
    assert content.startswith(b"\xef\xbb\xbf")
    found = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert [row[1] for row in found] == ["mã", "1", "2", "3", "4", "37"]


def test_dump_of_a_hidden_table_is_404(live_server: LiveServer, tables: Tables) -> None:
    response = requests.get(f"{live_server.url}/datastore/dump/{tables.hidden.pk}", timeout=30)
    assert response.status_code == 404
