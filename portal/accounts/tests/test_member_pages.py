"""An agency's administrator manages its own agency's members through the pages — and only
its own: add an account the portal has, create an editor or a member, change roles, deactivate,
send a set-password link. Supervisors and sysadmins see the members; the operating unit also
manages them. The services are those of the CKAN API's organization_member_create/_delete."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from portal.accounts.models import Role, User
from portal.agencies.models import Agency
from portal.audit.models import AuditEntry, Door
from portal.lib import factories


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def admin(agency: Agency) -> User:
    return factories.make_user(role=Role.ADMIN, agency=agency, username="admin")


@pytest.fixture
def other_admin(other_agency: Agency) -> User:
    return factories.make_user(role=Role.ADMIN, agency=other_agency, username="other_admin")


def browser(user: User) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


def members(agency: Agency) -> str:
    return reverse("members:list", args=[agency.slug])


def new_member(agency: Agency) -> str:
    return reverse("members:new", args=[agency.slug])


def edit_url(account: User, action: str = "") -> str:
    url = reverse("accounts:user_edit", args=[account.username])
    return f"{url}/{action}" if action else url


def test_who_sees_the_members_and_who_manages_them(
        agency: Agency, admin: User, editor: User, other_admin: User, supervisor: User,
        sysadmin: User) -> None:
    page = browser(admin).get(members(agency))
    assert page.status_code == 200
    rows = {account.username: manageable for account, manageable in page.context["rows"]}
    assert rows == {"admin": True, "editor": True}
    assert page.context["can_manage"]
    looking = browser(supervisor).get(members(agency))
    assert looking.status_code == 200
    assert not looking.context["can_manage"]
    assert not any(manageable for _account, manageable in looking.context["rows"])
    assert browser(sysadmin).get(members(agency)).context["can_manage"]
    for person in (editor, other_admin):
        assert browser(person).get(members(agency)).status_code == 403
        assert browser(person).get(new_member(agency)).status_code == 403
    assert browser(supervisor).get(new_member(agency)).status_code == 403


def test_an_agency_admin_creates_an_editor_whose_link_is_only_mailed(
        agency: Agency, admin: User) -> None:
    response = browser(admin).post(new_member(agency), {
        "form": "new", "new-username": "lan", "new-full_name": "Lê Thị Lan",
        "new-email": "lan@ninhbinh.gov.vn", "new-role": "editor"})
    assert response.status_code == 200, response.content.decode()[:3000]
    lan = User.objects.get(username="lan")
    assert (lan.role, lan.agency) == (Role.EDITOR, agency)
    [message] = mail.outbox
    link = response.context["sent"].url
    assert link in str(message.body)
    assert link not in response.content.decode()  # only the operating unit sees links
    entry = AuditEntry.objects.filter(action="user.create").latest("sequence")
    assert (entry.actor, entry.door) == (admin, Door.PAGE)


def test_an_agency_admin_creates_only_editors_and_members(agency: Agency, admin: User) -> None:
    client = browser(admin)
    offered = client.get(new_member(agency)).context["new"].fields["role"].choices
    assert [value for value, _label in offered] == ["editor", "member"]
    for role in ("admin", "sysadmin", "supervisor"):
        response = client.post(new_member(agency), {
            "form": "new", "new-username": f"x{role}", "new-email": "x@ninhbinh.gov.vn",
            "new-role": role})
        assert response.status_code == 400
        assert "role" in response.context["new"].errors
    assert not User.objects.filter(username__startswith="x").exists()


def test_adding_an_existing_account_reactivates_it_with_the_role(
        agency: Agency, admin: User) -> None:
    former = factories.make_user(role=Role.MEMBER, agency=agency, username="cu",
                                 is_active=False)
    response = browser(admin).post(new_member(agency), {
        "form": "existing", "existing-username": "CU", "existing-role": "editor"})
    assert response["Location"] == members(agency)
    former.refresh_from_db()
    assert (former.is_active, former.role) == (True, Role.EDITOR)


def test_an_account_of_another_agency_cannot_be_taken(agency: Agency, admin: User,
                                                     outsider: User) -> None:
    response = browser(admin).post(new_member(agency), {
        "form": "existing", "existing-username": "outsider", "existing-role": "member"})
    assert response.status_code == 400
    assert "another agency" in " ".join(response.context["existing"].errors["username"])
    outsider.refresh_from_db()
    assert (outsider.agency, outsider.role) != (agency, Role.MEMBER)
    unknown = browser(admin).post(new_member(agency), {
        "form": "existing", "existing-username": "khong-co", "existing-role": "member"})
    assert "no account" in " ".join(unknown.context["existing"].errors["username"])


def test_an_agency_admin_changes_roles_between_its_agency_roles(agency: Agency, admin: User,
                                                               editor: User) -> None:
    client = browser(admin)
    page = client.get(edit_url(editor))
    assert [value for value, _label in page.context["form"].fields["role"].choices] == [
        "admin", "editor", "member"]
    assert "agency" not in page.context["form"].fields  # its own agency, fixed
    client.post(edit_url(editor), {"role": "admin"})
    editor.refresh_from_db()
    assert (editor.role, editor.agency) == (Role.ADMIN, agency)
    refused = client.post(edit_url(editor), {"role": "sysadmin"})
    assert refused.status_code == 400
    editor.refresh_from_db()
    assert editor.role == Role.ADMIN


def test_an_agency_admin_deactivates_and_resets_its_members(agency: Agency, admin: User,
                                                            editor: User) -> None:
    client = browser(admin)
    response = client.post(edit_url(editor, "password-link"))
    assert response.status_code == 200
    assert [message.to for message in mail.outbox] == [[editor.email]]
    assert response.context["sent"].url not in response.content.decode()
    client.post(edit_url(editor, "active"), {"active": "0"})
    editor.refresh_from_db()
    assert not editor.is_active


def test_an_agency_admin_cannot_touch_other_accounts(admin: User, outsider: User,
                                                     sysadmin: User, supervisor: User) -> None:
    client = browser(admin)
    for account in (outsider, sysadmin, supervisor):
        assert client.get(edit_url(account)).status_code == 403
        for action, data in (("active", {"active": "0"}), ("password-link", {}),
                             ("two-factor", {})):
            assert client.post(edit_url(account, action), data).status_code == 403
        account.refresh_from_db()
        assert account.is_active
    assert mail.outbox == []


def test_agency_admins_see_their_members_link(agency: Agency, admin: User,
                                             editor: User) -> None:
    link = f'href="{members(agency)}"'
    assert link in browser(admin).get(reverse("catalog:dashboard")).content.decode()
    assert link not in browser(editor).get(reverse("catalog:dashboard")).content.decode()
