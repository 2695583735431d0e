"""Versions, items, decisions, links, amendments and plans, through the services."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.utils import translation

from portal.accounts.models import Role, User
from portal.agencies.models import Agency
from portal.audit.models import AuditEntry
from portal.lib import factories
from portal.lib.errors import ApplicationError, PermissionDenied
from portal.openlist import amendments, plans, services
from portal.openlist.models import (
    AmendmentAction,
    AmendmentStatus,
    ItemDataset,
    ListKind,
    ListVersion,
    VersionStatus,
)
from portal.openlist.testing import item_fields, link, make_version

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DECISION = services.Decision(number="1049/QĐ-UBND", signed_on=date(2021, 9, 22),
                             signer="Phạm Quang Ngọc")


@pytest.fixture(autouse=True)
def _english() -> None:
    translation.activate("en")


def refusal(error: pytest.ExceptionInfo[ApplicationError]) -> dict[str, list[str]]:
    return error.value.field_errors


def test_a_supervisor_prepares_and_issues_a_version(supervisor: User, agency: Agency) -> None:
    draft = services.draft_create(actor=supervisor, kind=ListKind.OPEN_DATA)
    services.item_create(actor=supervisor, version=draft,
                         data=item_fields(agency=agency, code=" dm-001 "))
    issued = services.version_issue(actor=supervisor, version=draft, decision=DECISION,
                                    decision_file=ContentFile(PDF, name="qd.pdf"))
    assert issued.status == VersionStatus.ISSUED
    assert issued.number == 1
    assert issued.items.get().code == "DM-001"
    assert issued.decision_file.name == "openlist/decisions/open_data-1.pdf"
    assert issued.decision_file.read() == PDF
    actions = list(AuditEntry.objects.values_list("action", flat=True).order_by("sequence"))
    assert actions == ["openlist.draft_create", "openlist.item_create", "openlist.issue"]


def test_a_new_draft_starts_from_the_version_in_force(agency: Agency) -> None:
    make_version(items=[item_fields(agency=agency, code="DM-001"),
                        item_fields(agency=agency, code="DM-002")])
    draft = services.draft_create(actor=None, kind=ListKind.OPEN_DATA)
    assert draft.number == 2
    assert sorted(draft.items.values_list("code", flat=True)) == ["DM-001", "DM-002"]
    with pytest.raises(ApplicationError, match="already has a draft"):
        services.draft_create(actor=None, kind=ListKind.OPEN_DATA)


def test_an_issued_version_does_not_change(agency: Agency) -> None:
    version = make_version(items=[item_fields(agency=agency)])
    with pytest.raises(ApplicationError, match="Only a draft"):
        services.item_update(actor=None, item=version.items.get(),
                             data=item_fields(agency=agency))
    with pytest.raises(ApplicationError, match="Only a draft"):
        services.version_issue(actor=None, version=version, decision=DECISION)


def test_an_item_is_refused_with_a_message_per_field(agency: Agency) -> None:
    draft = services.draft_create(actor=None, kind=ListKind.OPEN_DATA)
    services.item_create(actor=None, version=draft, data=item_fields(agency=agency,
                                                                     code="DM-001"))
    data = services.ItemFields(code="DM-001", name=" ", agency=None, sector=None,
                               frequency="hourly", access_level="secret")
    with pytest.raises(ApplicationError) as error:
        services.item_create(actor=None, version=draft, data=data)
    assert set(refusal(error)) == {"code", "name", "agency", "sector", "frequency",
                                   "access_level"}
    assert "already has the code DM-001" in refusal(error)["code"][0]
    bad_code = item_fields(agency=agency, code="DM 001 ở")
    with pytest.raises(ApplicationError) as error:
        services.item_create(actor=None, version=draft, data=bad_code)
    assert "letters without diacritics" in refusal(error)["code"][0]


def test_issuing_asks_for_the_decision(agency: Agency) -> None:
    draft = services.draft_create(actor=None, kind=ListKind.OPEN_DATA)
    empty = services.Decision(number=" ", signed_on=None, signer="")
    with pytest.raises(ApplicationError) as error:
        services.version_issue(actor=None, version=draft, decision=empty)
    assert set(refusal(error)) == {"decision_number", "decision_date", "signer", "items"}
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_the_decision_must_be_a_real_pdf(agency: Agency, settings: object) -> None:
    draft = make_version(items=[item_fields(agency=agency)], issue=False)
    fake = ContentFile(b"<html>not a pdf</html>", name="qd.pdf")
    with pytest.raises(ApplicationError) as error:
        services.version_issue(actor=None, version=draft, decision=DECISION, decision_file=fake)
    assert "not a PDF" in refusal(error)["decision_file"][0]
    settings.OPENLIST_DECISION_MAX_SIZE = 10  # type: ignore[attr-defined]
    with pytest.raises(ApplicationError) as error:
        services.version_issue(actor=None, version=draft, decision=DECISION,
                               decision_file=ContentFile(PDF, name="qd.pdf"))
    assert "larger than" in refusal(error)["decision_file"][0]
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
    assert not draft.decision_file


def test_only_supervisors_and_sysadmins_keep_the_list(editor: User, agency: Agency) -> None:
    with pytest.raises(PermissionDenied):
        services.draft_create(actor=editor, kind=ListKind.OPEN_DATA)
    assert not ListVersion.objects.exists()


def test_an_editor_links_its_agency_dataset_to_its_item(editor: User, outsider: User,
                                                        agency: Agency) -> None:
    version = make_version(items=[item_fields(agency=agency)])
    item, dataset = version.items.get(), factories.make_dataset(agency=agency)
    services.link_create(actor=editor, item=item, dataset=dataset)
    with pytest.raises(ApplicationError, match="already fulfils"):
        services.link_create(actor=editor, item=item, dataset=dataset)
    with pytest.raises(PermissionDenied):
        services.link_delete(actor=outsider, item=item, dataset=dataset)
    services.link_delete(actor=editor, item=item, dataset=dataset)
    assert not ItemDataset.objects.exists()


# Amendments ----------------------------------------------------------------------------------


def test_an_agency_proposes_and_the_supervisor_accepts_into_a_new_draft(
        editor: User, supervisor: User, agency: Agency) -> None:
    make_version(items=[item_fields(agency=agency, code="DM-001"),
                        item_fields(agency=agency, code="DM-002")])
    added = amendments.amendment_propose(actor=editor, agency=agency, data=amendments.Proposal(
        kind=ListKind.OPEN_DATA, action=AmendmentAction.ADD, reason="Dữ liệu mới",
        name="Danh sách chợ", sector=agency.sectors.first()))
    changed = amendments.amendment_propose(actor=editor, agency=agency, data=amendments.Proposal(
        kind=ListKind.OPEN_DATA, action=AmendmentAction.CHANGE, code="dm-001",
        reason="Đổi tần suất", frequency="monthly"))
    removed = amendments.amendment_propose(actor=editor, agency=agency, data=amendments.Proposal(
        kind=ListKind.OPEN_DATA, action=AmendmentAction.REMOVE, code="DM-002",
        reason="Trùng với CSDL quốc gia"))
    for amendment in (added, changed, removed):
        amendments.amendment_accept(actor=supervisor, amendment=amendment)
    draft = ListVersion.objects.get(status=VersionStatus.DRAFT)
    items = {item.code: item for item in draft.items.all()}
    assert set(items) == {"DM-001", "DM-003"}
    assert items["DM-001"].frequency == "monthly"
    assert items["DM-003"].name == "Danh sách chợ"
    assert items["DM-003"].agency == agency
    added.refresh_from_db()
    assert added.status == AmendmentStatus.ACCEPTED
    assert added.version == draft
    assert added.code == "DM-003"
    assert added.decided_by == supervisor


def test_a_proposal_names_an_existing_item_and_gives_a_reason(editor: User,
                                                             agency: Agency) -> None:
    make_version(items=[item_fields(agency=agency, code="DM-001")])
    with pytest.raises(ApplicationError) as error:
        amendments.amendment_propose(actor=editor, agency=agency, data=amendments.Proposal(
            kind=ListKind.OPEN_DATA, action=AmendmentAction.REMOVE, code="DM-404", reason=""))
    assert set(refusal(error)) == {"code", "reason"}


def test_a_rejection_needs_a_reason_and_is_final(editor: User, supervisor: User,
                                                 agency: Agency) -> None:
    proposal = amendments.amendment_propose(actor=editor, agency=agency, data=amendments.Proposal(
        kind=ListKind.SHARED_DATABASES, action=AmendmentAction.ADD, reason="Cần chia sẻ",
        name="CSDL đất đai", sector=agency.sectors.first()))
    with pytest.raises(ApplicationError) as error:
        amendments.amendment_reject(actor=supervisor, amendment=proposal, reason=" ")
    assert "reason" in refusal(error)
    amendments.amendment_reject(actor=supervisor, amendment=proposal, reason="Đã có ở Bộ")
    with pytest.raises(ApplicationError, match="already been decided"):
        amendments.amendment_accept(actor=supervisor, amendment=proposal)
    with pytest.raises(PermissionDenied):
        amendments.amendment_propose(actor=supervisor, agency=agency, data=amendments.Proposal(
            kind=ListKind.OPEN_DATA, action=AmendmentAction.ADD, reason="x", name="y"))


def test_discarding_a_draft_returns_its_amendments_to_pending(editor: User, supervisor: User,
                                                              agency: Agency) -> None:
    proposal = amendments.amendment_propose(actor=editor, agency=agency, data=amendments.Proposal(
        kind=ListKind.OPEN_DATA, action=AmendmentAction.ADD, reason="Mới", name="Chợ",
        sector=agency.sectors.first()))
    amendments.amendment_accept(actor=supervisor, amendment=proposal)
    draft = ListVersion.objects.get()
    services.draft_discard(actor=supervisor, version=draft)
    proposal.refresh_from_db()
    assert proposal.status == AmendmentStatus.PENDING
    assert proposal.version is None


# Plans ---------------------------------------------------------------------------------------


def test_an_agency_admin_plans_for_its_own_agency_only(agency: Agency,
                                                       other_agency: Agency) -> None:
    admin = factories.make_user(role=Role.ADMIN, agency=agency)
    data = plans.PlanFields(name="2026", start=date(2026, 1, 1), end=date(2026, 12, 31),
                            target_datasets=10)
    plan = plans.plan_create(actor=admin, agency=agency, data=data)
    with pytest.raises(PermissionDenied):
        plans.plan_create(actor=admin, agency=other_agency, data=data)
    plans.plan_delete(actor=admin, plan=plan)


def test_a_plan_is_refused_with_a_message_per_field(agency: Agency) -> None:
    data = plans.PlanFields(name="", start=date(2026, 12, 31), end=date(2026, 1, 1),
                            target_on_time_share=120, item_codes=["DM-404"])
    with pytest.raises(ApplicationError) as error:
        plans.plan_create(actor=None, agency=agency, data=data)
    assert set(refusal(error)) == {"name", "end", "target_on_time_share", "item_codes"}
    empty = plans.PlanFields(name="2026", start=date(2026, 1, 1), end=date(2026, 12, 31))
    with pytest.raises(ApplicationError) as error:
        plans.plan_create(actor=None, agency=agency, data=empty)
    assert "at least one target" in refusal(error)["target_items"][0]


def test_the_operating_unit_links_at_the_command_line(agency: Agency) -> None:
    version = make_version(items=[item_fields(agency=agency)])
    created = link(version.items.get(), factories.make_dataset(agency=agency))
    assert created.linked_by is None
    assert created.kind == ListKind.OPEN_DATA
