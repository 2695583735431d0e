"""/api/v1/open-data-lists: versions, the version in force, items with coverage and datasets."""

from __future__ import annotations

from datetime import date

import pytest
import requests
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.live_server_helper import LiveServer

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.api.tests.conftest import error_of, token_for
from portal.catalog.models import AccessLevel
from portal.lib import factories
from portal.openlist import services
from portal.openlist.models import ListKind, ListVersion
from portal.openlist.testing import item_fields, link, make_version


@pytest.fixture
def version(agency: Agency, other_agency: Agency) -> ListVersion:
    version = make_version(items=[
        item_fields(agency=agency, code="DM-001", name="Doanh nghiệp"),
        item_fields(agency=agency, code="DM-002", publish_by=date(2020, 1, 1)),
        item_fields(agency=other_agency, code="DM-003"),
    ])
    services.version_attach_decision(actor=None, version=version,
                                     decision_file=ContentFile(b"%PDF-1.4\n", name="qd.pdf"))
    return version


def test_the_version_in_force_with_its_items_coverage_and_datasets(
        client: Client, version: ListVersion, agency: Agency) -> None:
    link(version.items.get(code="DM-001"), factories.make_dataset(agency=agency, slug="dn"))
    link(version.items.get(code="DM-001"), factories.make_dataset(
        agency=agency, slug="noi-bo", access_level=AccessLevel.AGENCY))
    body = client.get("/api/v1/open-data-lists/current").json()
    assert body["id"] == version.pk
    assert (body["kind"], body["status"], body["number"]) == ("open_data", "issued", 1)
    assert body["decision_number"] == "1049/QĐ-UBND"
    assert body["decision_date"] == "2021-09-22"
    assert body["decision_url"] == f"/open-data-list/v/{version.pk}/decision.pdf"
    assert body["coverage"] == {"total": 3, "published": 1, "overdue": 1, "not_yet": 1,
                                "share": 33}
    assert {row["agency"]["slug"]: row["published"] for row in body["by_agency"]} == {
        agency.slug: 1, "so-y-te": 0}
    assert sum(row["total"] for row in body["by_sector"]) == 3
    items = body["items"]
    assert (items["total"], items["limit"], items["offset"]) == (3, 100, 0)
    first = items["results"][0]
    assert (first["code"], first["name"], first["coverage"]) == ("DM-001", "Doanh nghiệp",
                                                                 "published")
    assert [d["name"] for d in first["datasets"]] == ["dn"]  # the agency-only one is hidden
    assert items["results"][1]["coverage"] == "overdue"


def test_items_are_filtered_and_paged(client: Client, version: ListVersion) -> None:
    body = client.get("/api/v1/open-data-lists/current?coverage=not_yet").json()
    assert [item["code"] for item in body["items"]["results"]] == ["DM-001", "DM-003"]
    body = client.get(f"/api/v1/open-data-lists/{version.pk}?limit=1&offset=1").json()
    assert body["items"]["total"] == 3
    assert [item["code"] for item in body["items"]["results"]] == ["DM-002"]
    body = client.get("/api/v1/open-data-lists/current?agency=so-y-te").json()
    assert [item["code"] for item in body["items"]["results"]] == ["DM-003"]


def test_versions_newest_first_and_drafts_for_staff_only(
        client: Client, version: ListVersion, member: User) -> None:
    draft = services.draft_create(actor=None, kind=ListKind.OPEN_DATA)
    numbers = [v["number"] for v in client.get("/api/v1/open-data-lists").json()]
    assert numbers == [1]
    error_of(client.get(f"/api/v1/open-data-lists/{draft.pk}"), 404, "not_found")
    headers = {"Authorization": f"Bearer {token_for(member)}"}
    staff = [v["status"] for v in client.get("/api/v1/open-data-lists", headers=headers).json()]
    assert staff == ["draft", "issued"]
    assert client.get(f"/api/v1/open-data-lists/{draft.pk}", headers=headers).status_code == 200


def test_the_shared_database_list_answers_too(client: Client, version: ListVersion,
                                              agency: Agency) -> None:
    error_of(client.get("/api/v1/open-data-lists/current?kind=shared_databases"), 404)
    make_version(kind=ListKind.SHARED_DATABASES, items=[item_fields(agency=agency,
                                                                    code="CSDL-001")])
    body = client.get("/api/v1/open-data-lists/current?kind=shared_databases").json()
    assert body["kind"] == "shared_databases"
    assert [i["code"] for i in body["items"]["results"]] == ["CSDL-001"]
    assert [v["kind"] for v in client.get(
        "/api/v1/open-data-lists?kind=shared_databases").json()] == ["shared_databases"]


@pytest.mark.parametrize(("path", "status"), [
    ("/open-data-lists?kind=secret", 422),
    ("/open-data-lists/current?coverage=maybe", 422),
    ("/open-data-lists/current?limit=0", 422),
    ("/open-data-lists/abc", 422),
    ("/open-data-lists/999999", 404),
    ("/open-data-lists/99999999999999999999", 404),
])
def test_refusals_have_the_one_error_shape(client: Client, version: ListVersion, path: str,
                                           status: int) -> None:
    error_of(client.get(f"/api/v1{path}"), status)


def test_queries_do_not_grow_with_items(client: Client, agency: Agency) -> None:
    def queries(count: int) -> int:
        make_version(items=[item_fields(agency=agency) for _ in range(count)])
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/open-data-lists/current").status_code == 200
        return len(captured.captured_queries)

    assert queries(3) == queries(30)


@pytest.mark.django_db(transaction=True)
def test_a_client_reads_the_list_over_http(live_server: LiveServer, agency: Agency) -> None:
    make_version(items=[item_fields(agency=agency, code="DM-001", name="Chợ")])
    response = requests.get(f"{live_server.url}/api/v1/open-data-lists/current", timeout=30)
    assert response.status_code == 200
    assert response.json()["items"]["results"][0]["name"] == "Chợ"
