"""The staff pages: each role's answer, and the list's life from draft to decision."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from portal.accounts.models import Role, User
from portal.agencies.models import Agency
from portal.lib import factories
from portal.openlist.models import (
    Amendment,
    AmendmentStatus,
    ItemDataset,
    ListKind,
    ListVersion,
    Plan,
    VersionStatus,
)
from portal.openlist.testing import item_fields, make_version

PDF = b"%PDF-1.7\n%%EOF\n"


def logged_in(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def xlsx(rows: list[list[object]]) -> SimpleUploadedFile:
    book = Workbook()
    book.active.append(["Mã", "Tên dữ liệu", "Mô tả", "Cơ quan chủ trì", "Lĩnh vực",
                        "Tần suất cập nhật"])
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("danh-muc.xlsx", buffer.getvalue())


@pytest.fixture
def version(agency: Agency) -> ListVersion:
    return make_version(items=[item_fields(agency=agency, code="DM-001"),
                               item_fields(agency=agency, code="DM-002")])


@pytest.fixture
def admin(agency: Agency) -> User:
    return factories.make_user(role=Role.ADMIN, agency=agency)


def test_a_supervisor_prepares_imports_and_issues_a_version(
        supervisor: User, version: ListVersion, agency: Agency) -> None:
    client = logged_in(supervisor)
    response = client.post("/open-data-list/drafts/new")
    draft = ListVersion.objects.get(status=VersionStatus.DRAFT)
    assert response["Location"] == f"/open-data-list/v/{draft.pk}/edit"
    sector = agency.sectors.first()
    assert sector is not None
    wrong = client.post(f"/open-data-list/v/{draft.pk}/import",
                        {"file": xlsx([["DM-001", "", "", "khong-co", sector.code, "annual"]])})
    assert wrong.status_code == 400
    page = wrong.content.decode()
    assert "Dòng 2, cột “Cơ quan chủ trì”: không có cơ quan nào" in page
    assert "Dòng 2, cột “Tên dữ liệu”: hãy nhập tên của mục" in page
    assert draft.items.count() == 2  # nothing imported
    right = client.post(f"/open-data-list/v/{draft.pk}/import", {"file": xlsx([
        ["DM-001", "Doanh nghiệp", "", agency.slug, sector.code, "annual"],
        ["DM-010", "Chợ", "", agency.name, sector.name_vi, "Hằng quý"]])})
    assert right.status_code == 302
    assert sorted(draft.items.values_list("code", flat=True)) == ["DM-001", "DM-010"]
    issued = client.post(f"/open-data-list/v/{draft.pk}/issue", {
        "decision_number": "15/QĐ-UBND", "decision_date": "2026-01-05",
        "signer": "Trần Song Tùng", "notes": "",
        "decision_file": SimpleUploadedFile("qd.pdf", PDF)})
    assert issued.status_code == 302
    draft.refresh_from_db()
    version.refresh_from_db()
    assert draft.status == VersionStatus.ISSUED
    assert version.status == VersionStatus.SUPERSEDED
    assert "15/QĐ-UBND" in client.get("/open-data-list/").content.decode()


def test_issuing_refuses_a_file_that_is_not_a_pdf(supervisor: User, version: ListVersion) -> None:
    client = logged_in(supervisor)
    client.post("/open-data-list/drafts/new")
    draft = ListVersion.objects.get(status=VersionStatus.DRAFT)
    response = client.post(f"/open-data-list/v/{draft.pk}/issue", {
        "decision_number": "15/QĐ-UBND", "decision_date": "2026-01-05", "signer": "A",
        "decision_file": SimpleUploadedFile("qd.pdf", b"MZ\x90\x00 not a pdf")})
    assert response.status_code == 400
    assert "Tệp này không phải là PDF" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_a_supervisor_edits_and_removes_items_of_the_draft(supervisor: User, agency: Agency,
                                                           version: ListVersion) -> None:
    client = logged_in(supervisor)
    client.post("/open-data-list/drafts/new")
    draft = ListVersion.objects.get(status=VersionStatus.DRAFT)
    sector = agency.sectors.first()
    assert sector is not None
    fields = {"code": "DM-003", "name": "Trường học", "agency": agency.pk, "sector": sector.pk,
              "frequency": "annual", "access_level": "public", "publish_by": "2026-12-31"}
    assert client.post(f"/open-data-list/v/{draft.pk}/items/new", fields).status_code == 302
    duplicate = client.post(f"/open-data-list/v/{draft.pk}/items/new", fields)
    assert duplicate.status_code == 400
    assert "Phiên bản này đã có mục khác mang mã DM-003" in duplicate.content.decode()
    edited = client.post(f"/open-data-list/v/{draft.pk}/items/DM-003/edit",
                         fields | {"name": "Trường học phổ thông"})
    assert edited.status_code == 302
    assert client.post(f"/open-data-list/v/{draft.pk}/items/DM-001/delete").status_code == 302
    assert sorted(draft.items.values_list("code", flat=True)) == ["DM-002", "DM-003"]
    issued_item = client.get(f"/open-data-list/v/{version.pk}/items/DM-001/edit")
    assert issued_item.status_code == 200  # the form shows, the service refuses
    refused = client.post(f"/open-data-list/v/{version.pk}/items/DM-001/edit", fields)
    assert refused.status_code == 400
    assert "Chỉ sửa được bản dự thảo" in refused.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "editor", "admin", "member"])
def test_only_supervisors_and_sysadmins_keep_the_list(who: str, version: ListVersion,
                                                      agency: Agency, editor: User,
                                                      member: User, admin: User) -> None:
    user = {"anonymous": None, "editor": editor, "admin": admin, "member": member}[who]
    client = logged_in(user)
    draft = make_version(kind=ListKind.OPEN_DATA, items=[item_fields(agency=agency)],
                         issue=False)
    for path in ("/open-data-list/drafts/new", f"/open-data-list/v/{draft.pk}/edit",
                 f"/open-data-list/v/{draft.pk}/import", f"/open-data-list/v/{draft.pk}/issue",
                 f"/open-data-list/v/{draft.pk}/items/new",
                 f"/open-data-list/v/{version.pk}/decision"):
        response = client.post(path)
        assert response.status_code == (302 if user is None else 403), path
        if user is None:
            assert response["Location"].startswith("/user/login")
    assert ListVersion.objects.count() == 2


def test_an_editor_links_its_dataset_and_an_outsider_may_not(
        editor: User, outsider: User, version: ListVersion, agency: Agency) -> None:
    dataset = factories.make_dataset(agency=agency, title="Doanh nghiệp 2025")
    item_path = f"/open-data-list/v/{version.pk}/items/DM-001"
    assert logged_in(outsider).get(f"{item_path}/link").status_code == 403
    client = logged_in(editor)
    assert "Liên kết một bộ dữ liệu của cơ quan bạn" in client.get(f"{item_path}/").content.decode()
    assert client.post(f"{item_path}/link", {"dataset": str(dataset.pk)}).status_code == 302
    assert ItemDataset.objects.filter(code="DM-001", dataset=dataset).exists()
    page = client.get(f"{item_path}/").content.decode()
    assert "Doanh nghiệp 2025" in page
    assert "Đã công bố" in page
    assert logged_in(outsider).post(f"{item_path}/unlink/{dataset.slug}").status_code == 403
    assert client.post(f"{item_path}/unlink/{dataset.slug}").status_code == 302
    assert not ItemDataset.objects.exists()


def test_an_agency_proposes_and_the_supervisor_decides(
        editor: User, member: User, supervisor: User, version: ListVersion,
        agency: Agency) -> None:
    assert logged_in(member).get("/open-data-list/amendments/new").status_code == 403
    sector = agency.sectors.first()
    assert sector is not None
    client = logged_in(editor)
    empty = client.post("/open-data-list/amendments/new", {"action": "add", "reason": ""})
    assert empty.status_code == 400
    response = client.post("/open-data-list/amendments/new", {
        "action": "add", "name": "Danh sách chợ", "sector": sector.pk, "reason": "Cần thiết"})
    amendment = Amendment.objects.get()
    assert response["Location"] == f"/open-data-list/amendments/{amendment.pk}"
    assert client.post(response["Location"], {"decision": "accept"}).status_code == 403
    boss = logged_in(supervisor)
    pending = boss.get("/open-data-list/amendments/?status=pending").content.decode()
    assert "Danh sách chợ" in pending
    refused = boss.post(response["Location"], {"decision": "reject", "reason": ""})
    assert refused.status_code == 400
    assert boss.post(response["Location"], {"decision": "accept"}).status_code == 302
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.ACCEPTED
    draft = ListVersion.objects.get(status=VersionStatus.DRAFT)
    assert draft.items.filter(name="Danh sách chợ").exists()
    assert "Đã đưa vào dự thảo" in client.get("/open-data-list/amendments/").content.decode()


def test_agencies_see_only_their_own_amendments(editor: User, outsider: User,
                                                version: ListVersion, agency: Agency) -> None:
    logged_in(editor).post("/open-data-list/amendments/new", {
        "action": "remove", "code": "DM-002", "reason": "Trùng lặp"})
    amendment = Amendment.objects.get()
    other = logged_in(outsider)
    assert "DM-002" not in other.get("/open-data-list/amendments/").content.decode()
    assert other.get(f"/open-data-list/amendments/{amendment.pk}").status_code == 404


def test_an_agency_admin_sets_its_plans_and_its_members_read_them(
        admin: User, editor: User, outsider: User, supervisor: User, agency: Agency,
        version: ListVersion) -> None:
    path = f"/dashboard/plans/{agency.slug}"
    client = logged_in(admin)
    response = client.post(f"{path}/new", {
        "name": "2026", "start": "2026-01-01", "end": "2026-12-31", "item_codes": ["DM-001"],
        "target_datasets": "5", "target_on_time_share": "90"})
    assert response.status_code == 302
    plan = Plan.objects.get()
    assert plan.item_codes == ["DM-001"]
    page = logged_in(editor).get(path).content.decode()
    assert "0 / 1" in page
    assert "90 %" in page
    assert logged_in(editor).get(f"{path}/new").status_code == 403
    assert logged_in(outsider).get(path).status_code == 403
    assert logged_in(editor).get("/dashboard/plans/")["Location"] == path
    overview = logged_in(supervisor).get("/dashboard/plans/").content.decode()
    assert agency.name in overview
    wrong = client.post(f"{path}/{plan.pk}/edit", {"name": "2026", "start": "2026-12-31",
                                                   "end": "2026-01-01", "target_items": "3"})
    assert wrong.status_code == 400
    assert "Ngày kết thúc giai đoạn đứng trước ngày bắt đầu" in wrong.content.decode()
    assert client.post(f"{path}/{plan.pk}/delete").status_code == 302
    assert not Plan.objects.exists()


def test_the_staff_menu_links_to_the_plans(editor: User, db: None) -> None:
    page = logged_in(editor).get("/dataset/").content.decode()
    assert 'href="/dashboard/plans/"' in page
    assert 'href="/dashboard/plans/"' not in Client().get("/dataset/").content.decode()


def test_a_supervisor_attaches_a_decision_to_an_issued_version(
        supervisor: User, version: ListVersion) -> None:
    client = logged_in(supervisor)
    response = client.post(f"/open-data-list/v/{version.pk}/decision",
                           {"decision_file": SimpleUploadedFile("qd.pdf", PDF)})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.decision_file.read() == PDF
    assert date.today() >= version.decision_date  # type: ignore[operator]
