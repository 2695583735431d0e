"""The real `ckanapi` client, as a library and as a command, against a running portal."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import ckanapi
import pytest
import requests
from pytest_django.live_server_helper import LiveServer

from portal.agencies.models import Agency, Sector
from portal.lib import factories

CSV = "mã,tên\n37,Ninh Bình\n".encode()

# Transactional: the server's thread must see the data (conftest.py reloads the default sectors
# and licences for such tests).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def portal(live_server: LiveServer, agency: Agency, other_agency: Agency,
           sectors: list[Sector]) -> Iterator[ckanapi.RemoteCKAN]:
    editor = factories.make_user(role="editor", agency=agency)
    public = factories.make_dataset(agency=agency, user=editor, slug="dan-so",
                                    title="Dân số", keywords=["dân số"], sectors=[sectors[0]])
    factories.make_resource(dataset=public, user=editor, content=CSV, filename="dan-so.csv")
    factories.make_dataset(agency=agency, user=editor, slug="noi-bo", access_level="agency")
    outsider = factories.make_user(role="editor", agency=other_agency)
    factories.make_dataset(agency=other_agency, user=outsider, slug="benh-vien",
                           keywords=["y tế"], sectors=[sectors[3]])
    # Closed at the end: a kept-alive connection would outlive the server's shared database
    # connection (in-memory SQLite) and fail in the server's thread.
    with ckanapi.RemoteCKAN(live_server.url) as client:
        yield client


def test_ckanapi_searches_with_fq_rows_and_facets(portal: ckanapi.RemoteCKAN) -> None:
    result = portal.action.package_search(
        fq='organization:so-nong-nghiep-moi-truong tags:"dân số"', rows=5,
        **{"facet.field": ["organization", "res_format"]})
    assert result["count"] == 1
    assert [dataset["name"] for dataset in result["results"]] == ["dan-so"]
    assert result["search_facets"]["res_format"]["items"] == [
        {"name": "CSV", "display_name": "CSV", "count": 1}]


def test_ckanapi_gets_a_dataset_whose_resource_downloads(
        portal: ckanapi.RemoteCKAN, live_server: LiveServer) -> None:
    dataset = portal.action.package_show(id="dan-so")
    resource = dataset["resources"][0]
    assert resource["url"].startswith(f"{live_server.url}/dataset/dan-so/resource/")
    assert resource["hash"] == hashlib.sha256(CSV).hexdigest()
    assert portal.action.resource_show(id=resource["id"])["url"] == resource["url"]


def test_ckanapi_lists_public_datasets_and_organizations(portal: ckanapi.RemoteCKAN) -> None:
    assert portal.action.package_list() == ["benh-vien", "dan-so"]
    assert portal.action.organization_list() == ["so-nong-nghiep-moi-truong", "so-y-te"]
    assert "y-te" in portal.action.group_list()


def test_ckanapi_raises_not_found_for_a_missing_or_hidden_dataset(
        portal: ckanapi.RemoteCKAN) -> None:
    with pytest.raises(ckanapi.NotFound):
        portal.action.package_show(id="khong-co")
    with pytest.raises(ckanapi.NotFound):
        portal.action.package_show(id="noi-bo")


def test_ckanapi_raises_validation_error_on_bad_input(portal: ckanapi.RemoteCKAN) -> None:
    with pytest.raises(ckanapi.ValidationError) as error:
        portal.action.package_search(rows="nhiều")
    assert list(error.value.error_dict) == ["__type", "rows"]  # the message is Vietnamese
    with pytest.raises(ckanapi.ValidationError):
        portal.action.package_search(sort="popularity desc")


def test_ckanapi_raises_search_query_error_on_unreadable_fq(portal: ckanapi.RemoteCKAN) -> None:
    with pytest.raises(ckanapi.SearchQueryError):
        portal.action.package_search(fq='tags:"không đóng')


def test_ckanapi_with_get_only_reads_the_query_string(live_server: LiveServer,
                                                      portal: ckanapi.RemoteCKAN) -> None:
    with ckanapi.RemoteCKAN(live_server.url, get_only=True) as reader:
        result = reader.action.package_search(fq="groups:y-te", **{"facet.field": '["tags"]'})
    assert [dataset["name"] for dataset in result["results"]] == ["benh-vien"]
    assert result["facets"]["tags"] == {"y tế": 1}


def test_ckan_harvester_style_get_with_or_and_time_range(live_server: LiveServer,
                                                         portal: ckanapi.RemoteCKAN) -> None:
    """What ckanext-harvest's CKAN harvester asks a remote CKAN, word for word."""
    response = requests.get(f"{live_server.url}/api/3/action/package_search", params={
        "fq": "organization:so-y-te OR organization:so-nong-nghiep-moi-truong "
              "metadata_modified:[2000-01-01T00:00:00.000000Z TO *]",
        "rows": "100", "start": "0", "sort": "id asc"}, timeout=30)
    assert response.status_code == 200
    assert {dataset["name"] for dataset in response.json()["result"]["results"]} == {
        "dan-so", "benh-vien"}


def test_ckanapi_command_line_lists_datasets(live_server: LiveServer,
                                             portal: ckanapi.RemoteCKAN) -> None:
    command = Path(sys.executable).parent / "ckanapi"
    finished = subprocess.run(
        [str(command), "action", "package_list", "-r", live_server.url],
        capture_output=True, text=True, timeout=120, check=False)
    assert finished.returncode == 0, finished.stderr
    assert json.loads(finished.stdout) == ["benh-vien", "dan-so"]
