"""The findings on the resource page and on /dashboard/privacy/: seen by the agency's editors
and admins and by supervisors, acknowledged only by the agency's admins, never shown to the
public."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from portal.accounts.models import Role, User
from portal.agencies.models import Agency
from portal.audit.models import AuditEntry
from portal.catalog.models import Resource
from portal.lib import factories
from portal.privacy.models import Finding, FindingState
from portal.privacy.tests.conftest import PHONES, RELIGION, scanned

LIST = reverse("privacy:findings")


def client_of(user: User | None) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def page_of(resource: Resource) -> str:
    return reverse("catalog:resource_detail", args=[resource.dataset.slug, resource.pk])


def test_the_agency_sees_the_findings_on_the_resource_page(editor: User,
                                                           finding: Finding) -> None:
    page = client_of(editor).get(page_of(finding.resource)).content.decode()
    assert 'id="privacy"' in page
    assert "Mobile phone number" in page
    assert "0912***678" in page
    assert "91/2025/QH15" in page
    assert "2 findings are open" in page
    assert "Acknowledge with a reason" not in page, "editors see, only admins acknowledge"


def test_an_agency_admin_is_offered_to_acknowledge(agency_admin: User, finding: Finding) -> None:
    page = client_of(agency_admin).get(page_of(finding.resource)).content.decode()
    assert "Acknowledge with a reason" in page


@pytest.mark.parametrize("who", [None, "member", "outsider"])
def test_the_public_and_other_agencies_never_see_findings(request: pytest.FixtureRequest,
                                                          who: str | None,
                                                          finding: Finding) -> None:
    user = request.getfixturevalue(who) if who else None
    response = client_of(user).get(page_of(finding.resource))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="privacy"' not in page
    assert "0912***678" not in page


def test_a_resource_not_checked_yet_says_so(editor: User, resource: Resource) -> None:
    page = client_of(editor).get(page_of(resource)).content.decode()
    assert "has not been checked for personal data yet" in page


def test_the_list_shows_the_agencys_open_findings(editor: User, finding: Finding,
                                                  other_agency: Agency) -> None:
    elsewhere = factories.make_resource(dataset=factories.make_dataset(agency=other_agency))
    scanned(elsewhere, PHONES)
    page = client_of(editor).get(LIST).content.decode()
    assert page.count("Mobile phone number") == 1
    assert finding.resource.name in page
    assert elsewhere.name not in page


def test_supervisors_see_every_agency_and_can_choose_one(supervisor: User, finding: Finding,
                                                         other_agency: Agency) -> None:
    elsewhere = factories.make_resource(dataset=factories.make_dataset(agency=other_agency))
    scanned(elsewhere, PHONES)
    client = client_of(supervisor)
    assert client.get(LIST).content.decode().count("Mobile phone number") == 2
    chosen = client.get(LIST, {"agency": other_agency.slug}).content.decode()
    assert elsewhere.name in chosen
    assert finding.resource.name not in chosen


def test_the_staff_menu_counts_the_open_findings(editor: User, finding: Finding) -> None:
    page = client_of(editor).get(reverse("catalog:dashboard")).content.decode()
    assert f'href="{LIST}"' in page
    assert "2 open findings" in page


def test_an_admin_acknowledges_from_the_resource_page(agency_admin: User,
                                                      finding: Finding) -> None:
    response = client_of(agency_admin).post(
        reverse("privacy:finding", args=[finding.pk]),
        {"action": "acknowledge", "reason": "Số điện thoại công vụ, công khai", "back": "resource"})
    assert response.status_code == 302
    assert response["Location"] == page_of(finding.resource) + "#privacy"
    finding.refresh_from_db()
    assert finding.state == FindingState.ACKNOWLEDGED
    entry = AuditEntry.objects.get(action="privacy.acknowledge")
    assert entry.door == "page"


def test_a_short_reason_is_refused_on_the_form(agency_admin: User, finding: Finding) -> None:
    response = client_of(agency_admin).post(reverse("privacy:finding", args=[finding.pk]),
                                            {"action": "acknowledge", "reason": "ok"})
    assert response.status_code == 400
    assert "at least 10 characters" in response.content.decode()
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN


def test_an_editor_may_not_acknowledge(editor: User, finding: Finding) -> None:
    response = client_of(editor).post(reverse("privacy:finding", args=[finding.pk]),
                                      {"action": "acknowledge", "reason": "Dữ liệu công vụ"})
    assert response.status_code == 403
    assert "Only an administrator" in response.content.decode()
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN


def test_another_agencys_admin_does_not_even_see_the_finding(other_agency: Agency,
                                                             finding: Finding) -> None:
    stranger = factories.make_user(role=Role.ADMIN, agency=other_agency)
    client = client_of(stranger)
    url = reverse("privacy:finding", args=[finding.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "acknowledge",
                             "reason": "Dữ liệu công vụ"}).status_code == 404


def test_an_admin_reopens_an_acknowledged_finding(agency_admin: User, finding: Finding) -> None:
    client = client_of(agency_admin)
    url = reverse("privacy:finding", args=[finding.pk])
    client.post(url, {"action": "acknowledge", "reason": "Dữ liệu công vụ, công khai"})
    page = client.get(url).content.decode()
    assert "Dữ liệu công vụ, công khai" in page
    assert client.post(url, {"action": "reopen"}).status_code == 302
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN


def test_an_earlier_acknowledgement_is_shown_beside_the_new_finding(
        agency_admin: User, finding: Finding, resource: Resource) -> None:
    client = client_of(agency_admin)
    client.post(reverse("privacy:finding", args=[finding.pk]),
                {"action": "acknowledge", "reason": "Số máy công vụ của cán bộ"})
    newer = scanned(resource, PHONES, RELIGION, number=2).findings.get(category__code="phone")
    page = client.get(reverse("privacy:finding", args=[newer.pk])).content.decode()
    assert "Earlier findings of this kind" in page
    assert "Số máy công vụ của cán bộ" in page


def test_anonymous_visitors_are_sent_to_log_in() -> None:
    response = Client().get(LIST)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_resource_page_speaks_vietnamese_by_default(editor: User, finding: Finding) -> None:
    client = Client()
    client.force_login(editor)
    page = client.get(page_of(finding.resource)).content.decode()
    assert "Dữ liệu cá nhân" in page
    assert "Số điện thoại di động" in page
    assert "Có 2 phát hiện chưa xử lý" in page
