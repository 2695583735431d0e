"""Keeping scans and their findings; acknowledging a finding (agency admins only, audited)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from portal.accounts.models import User
from portal.audit.models import AuditEntry
from portal.catalog.models import Resource
from portal.lib.errors import ApplicationError, PermissionDenied
from portal.privacy import selectors, services
from portal.privacy.models import Category, Finding, FindingState, Scan
from portal.privacy.rules import default_document
from portal.privacy.tests.conftest import PHONES, RELIGION, scanned, version_of


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """The refusals are read in English here (a page shows them in Vietnamese)."""
    with translation.override("en"):
        yield


def test_the_default_categories_are_loaded_with_their_citation(db: None) -> None:
    codes = [row["code"] for row in default_document()["categories"]]
    assert list(Category.objects.values_list("code", flat=True)) == codes
    cccd = Category.objects.get(code="citizen_id")
    assert "91/2025/QH15" in cccd.citation
    assert "356/2025/NĐ-CP" in cccd.citation
    assert cccd.rules["min_share"] == 0.3


def test_the_rules_the_admin_keeps_are_the_detectors(db: None) -> None:
    rules = selectors.rules()
    assert {category.code for category in rules.categories} == set(
        Category.objects.values_list("code", flat=True))
    Category.objects.filter(code="vehicle_plate").update(enabled=False)
    assert "vehicle_plate" not in {category.code for category in selectors.rules().categories}


def test_a_category_with_a_broken_pattern_is_refused_when_saved(db: None) -> None:
    category = Category.objects.get(code="phone")
    category.rules = {**category.rules, "values": [{"pattern": "(0912"}]}
    with pytest.raises(ValidationError, match=r"values\[0\]\.pattern"):
        category.full_clean()


def test_a_scan_keeps_its_findings_and_is_audited(resource: Resource) -> None:
    scan = scanned(resource, PHONES, RELIGION)
    assert scan.current
    assert sorted(scan.findings.values_list("category__code", flat=True)) == ["phone", "religion"]
    entry = AuditEntry.objects.filter(action="privacy.scan").latest("sequence")
    assert entry.after["findings"] == {"phone": 1, "religion": 1}


def test_a_newer_version_replaces_the_open_findings_of_the_last(resource: Resource) -> None:
    first = scanned(resource, PHONES, RELIGION, number=1)
    second = scanned(resource, RELIGION, number=2)
    first.refresh_from_db()
    assert not first.current
    assert second.current
    states = dict(first.findings.values_list("category__code", "state"))
    assert states == {"phone": FindingState.MASKED, "religion": FindingState.SUPERSEDED}
    assert [one.category.code for one in selectors.blocking_findings(resource)] == ["religion"]
    entry = AuditEntry.objects.filter(action="privacy.scan").latest("sequence")
    assert (entry.after["resolved"], entry.after["superseded"]) == (1, 1)


def test_a_version_that_could_not_be_read_resolves_nothing(resource: Resource) -> None:
    first = scanned(resource, PHONES, number=1)
    services.scan_record(resource=resource, version=version_of(resource, 2),
                         result=services.ScanResult(Scan.Source.TABLE, error={"id": "failed"}))
    assert first.findings.get().state == FindingState.SUPERSEDED
    assert selectors.screening(resource) == selectors.Screening.FAILED


def test_a_scan_of_an_older_version_finishing_late_does_not_become_current(
        resource: Resource) -> None:
    newer = scanned(resource, RELIGION, number=2)
    late = scanned(resource, PHONES, number=1)
    assert not late.current
    assert Scan.objects.get(pk=newer.pk).current
    assert [one.category.code for one in selectors.blocking_findings(resource)] == ["religion"]


def test_an_agency_admin_acknowledges_a_finding_with_a_reason(agency_admin: User,
                                                              finding: Finding) -> None:
    done = services.finding_acknowledge(user=agency_admin, finding=finding,
                                        reason="Số điện thoại công vụ, công khai theo quy định")
    assert done.state == FindingState.ACKNOWLEDGED
    assert done.resolved_by == agency_admin
    entry = AuditEntry.objects.get(action="privacy.acknowledge")
    assert entry.actor == agency_admin
    assert entry.after["reason"] == "Số điện thoại công vụ, công khai theo quy định"
    assert entry.after["columns"] == ["SĐT"]
    assert "phone" not in [one.category.code
                           for one in selectors.blocking_findings(finding.resource)]


@pytest.mark.parametrize("who", ["editor", "supervisor", "outsider"])
def test_only_the_agencys_admins_acknowledge(request: pytest.FixtureRequest, who: str,
                                             finding: Finding) -> None:
    with pytest.raises(PermissionDenied):
        services.finding_acknowledge(user=request.getfixturevalue(who), finding=finding,
                                     reason="Đã kiểm tra, không phải dữ liệu cá nhân")
    assert Finding.objects.get(pk=finding.pk).state == FindingState.OPEN
    assert not AuditEntry.objects.filter(action="privacy.acknowledge").exists()


def test_an_acknowledgement_needs_a_real_reason(agency_admin: User, finding: Finding) -> None:
    with pytest.raises(ApplicationError) as refused:
        services.finding_acknowledge(user=agency_admin, finding=finding, reason="  ok  ")
    assert "reason" in refused.value.field_errors
    assert Finding.objects.get(pk=finding.pk).state == FindingState.OPEN


def test_a_finding_is_acknowledged_once(agency_admin: User, finding: Finding) -> None:
    services.finding_acknowledge(user=agency_admin, finding=finding, reason="Dữ liệu công vụ")
    with translation.override("en"), pytest.raises(ApplicationError, match="no longer open"):
        services.finding_acknowledge(user=agency_admin, finding=finding, reason="Lần thứ hai")


def test_a_superseded_finding_cannot_be_acknowledged(agency_admin: User, finding: Finding,
                                                     resource: Resource) -> None:
    scanned(resource, RELIGION, number=2)
    with translation.override("en"), pytest.raises(ApplicationError, match="no longer open"):
        services.finding_acknowledge(user=agency_admin, finding=finding,
                                     reason="Dữ liệu công vụ")


def test_an_acknowledgement_can_be_undone_and_that_is_audited(agency_admin: User,
                                                              finding: Finding) -> None:
    services.finding_acknowledge(user=agency_admin, finding=finding, reason="Dữ liệu công vụ")
    reopened = services.finding_reopen(user=agency_admin, finding=finding)
    assert (reopened.state, reopened.reason, reopened.resolved_by) == (FindingState.OPEN, "",
                                                                       None)
    entry = AuditEntry.objects.get(action="privacy.reopen")
    assert entry.before["reason"] == "Dữ liệu công vụ"


def test_who_sees_the_findings(request: pytest.FixtureRequest, finding: Finding) -> None:
    for who, sees in [("agency_admin", True), ("editor", True), ("supervisor", True),
                      ("sysadmin", True), ("member", False), ("outsider", False)]:
        user = request.getfixturevalue(who)
        assert selectors.findings(user).filter(pk=finding.pk).exists() is sees, who
        shown = selectors.resource_findings(user, finding.resource)
        assert (shown is not None) is sees, who
