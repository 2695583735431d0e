"""The public pages of the lists: the version in force, versions, items, downloads, panels."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import AccessLevel
from portal.lib import factories
from portal.openlist import services
from portal.openlist.models import ListKind, ListVersion
from portal.openlist.testing import item_fields, link, make_version

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def version(agency: Agency, other_agency: Agency) -> ListVersion:
    version = make_version(items=[
        item_fields(agency=agency, code="DM-001", name="Danh sách doanh nghiệp"),
        item_fields(agency=agency, code="DM-002", name="Giá đất", publish_by=date(2020, 1, 1)),
        item_fields(agency=other_agency, code="DM-003", name="Cơ sở khám chữa bệnh"),
    ])
    services.version_attach_decision(actor=None, version=version,
                                     decision_file=ContentFile(PDF, name="qd.pdf"))
    return version


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def test_the_list_in_force_shows_its_decision_items_and_coverage(
        client: Client, version: ListVersion, agency: Agency) -> None:
    link(version.items.get(code="DM-001"), factories.make_dataset(agency=agency))
    page = client.get("/open-data-list/").content.decode()
    assert "Danh mục dữ liệu mở" in page
    assert "1049/QĐ-UBND" in page
    assert "Phạm Quang Ngọc" in page
    assert f"/open-data-list/v/{version.pk}/decision.pdf" in page
    assert "Danh sách doanh nghiệp" in page
    assert "1 trên 3 mục đã công bố (33 %)" in page
    assert "Quá hạn" in page
    assert "theo cơ quan" in page
    assert "theo lĩnh vực" in page


@pytest.mark.parametrize(("query", "shown", "hidden"), [
    ("agency=so-y-te", "Cơ sở khám chữa bệnh", "Giá đất"),
    ("coverage=overdue", "Giá đất", "Danh sách doanh nghiệp"),
    ("coverage=not_yet", "Danh sách doanh nghiệp", "Giá đất"),
    ("q=dm-002", "Giá đất", "Cơ sở khám chữa bệnh"),
])
def test_items_are_filtered(client: Client, version: ListVersion, query: str, shown: str,
                            hidden: str) -> None:
    page = client.get(f"/open-data-list/?{query}").content.decode()
    table = page[page.index('id="items-caption"'):]
    assert shown in table
    assert hidden not in table


def test_the_sector_filter(client: Client, version: ListVersion, other_agency: Agency) -> None:
    sector = version.items.get(code="DM-003").sector
    page = client.get(f"/open-data-list/?sector={sector.code}").content.decode()
    assert "Cơ sở khám chữa bệnh" in page[page.index('id="items-caption"'):]


def test_no_list_in_force_yet(client: Client, db: None) -> None:
    page = client.get("/shared-databases/").content.decode()
    assert "Danh mục cơ sở dữ liệu dùng chung" in page
    assert "Chưa có phiên bản nào" in page


def test_a_draft_is_hidden_from_the_public_and_shown_to_staff(
        client: Client, version: ListVersion, member: User) -> None:
    draft = services.draft_create(actor=None, kind=ListKind.OPEN_DATA)
    for path in (f"/open-data-list/v/{draft.pk}/", f"/open-data-list/v/{draft.pk}/export.csv",
                 f"/open-data-list/v/{draft.pk}/items/DM-001/"):
        assert client.get(path).status_code == 404
    assert "Phiên bản 2" not in client.get("/open-data-list/versions/").content.decode()
    client.force_login(member)
    assert client.get(f"/open-data-list/v/{draft.pk}/").status_code == 200
    assert "Phiên bản 2" in client.get("/open-data-list/versions/").content.decode()


def test_the_versions_page_lists_superseded_versions(client: Client, version: ListVersion,
                                                     agency: Agency) -> None:
    make_version(items=[item_fields(agency=agency)], decision_number="77/QĐ-UBND")
    page = client.get("/open-data-list/versions/").content.decode()
    assert "77/QĐ-UBND" in page
    assert "1049/QĐ-UBND" in page
    assert "Đã được thay thế" in page
    old = client.get(f"/open-data-list/v/{version.pk}/").content.decode()
    assert "Giá đất" in old


def test_an_item_shows_only_the_datasets_the_visitor_may_see(
        client: Client, version: ListVersion, agency: Agency, member: User) -> None:
    item = version.items.get(code="DM-001")
    link(item, factories.make_dataset(agency=agency, title="Bộ công khai"))
    link(item, factories.make_dataset(agency=agency, title="Bộ nội bộ",
                                      access_level=AccessLevel.AGENCY))
    page = client.get(f"/open-data-list/v/{version.pk}/items/DM-001/").content.decode()
    assert "Bộ công khai" in page
    assert "Bộ nội bộ" not in page
    client.force_login(member)
    page = client.get(f"/open-data-list/v/{version.pk}/items/DM-001/").content.decode()
    assert "Bộ nội bộ" in page
    assert client.get(f"/open-data-list/v/{version.pk}/items/DM-404/").status_code == 404


def test_downloads(client: Client, version: ListVersion) -> None:
    response = client.get(f"/open-data-list/v/{version.pk}/export.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "danh-muc-du-lieu-mo-v1.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == ["Mã", "DM-001", "DM-002",
                                                                     "DM-003"]
    response = client.get(f"/open-data-list/v/{version.pk}/export.csv")
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert text.startswith("\ufeffMã,Tên dữ liệu")
    assert text.count("\n") == 4
    response = client.get(f"/open-data-list/v/{version.pk}/decision.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    template = client.get("/open-data-list/template.xlsx")
    assert load_workbook(io.BytesIO(template.content)).sheetnames == ["Danh mục", "Hướng dẫn"]


def test_the_dataset_page_shows_the_items_it_fulfils(client: Client, version: ListVersion,
                                                     agency: Agency) -> None:
    dataset = factories.make_dataset(agency=agency)
    page = client.get(f"/dataset/{dataset.slug}").content.decode()
    assert "Trong các danh mục của tỉnh" not in page
    link(version.items.get(code="DM-002"), dataset)
    page = client.get(f"/dataset/{dataset.slug}").content.decode()
    assert "Trong các danh mục của tỉnh" in page
    assert "DM-002 — Giá đất" in page


def test_the_agency_page_shows_its_coverage(client: Client, version: ListVersion,
                                            agency: Agency) -> None:
    page = english(client).get(f"/organization/{agency.slug}").content.decode()
    assert "0 of 2 items published (0 %)" in page
    assert "1 item overdue" in page


def test_the_list_page_makes_as_many_queries_for_3_items_as_for_40(
        client: Client, agency: Agency, other_agency: Agency) -> None:
    def queries(count: int) -> int:
        make_version(items=[item_fields(agency=(agency, other_agency)[n % 2])
                            for n in range(count)])
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/open-data-list/").status_code == 200
        return len(captured.captured_queries)

    assert queries(3) == queries(40)
