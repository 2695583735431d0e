"""The operating unit's account pages, used as a sysadmin uses them: list and filter, create,
change role and agency, deactivate and reactivate, send a set-password link, remove two-factor.
Everyone else is refused; the rules are the services' (the same the commands call)."""

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
from portal.security import services as security
from portal.security.tests.helpers import enrolled

LIST = reverse("accounts:user_list")
NEW = reverse("accounts:user_create")


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def browser(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


def edit_url(account: User, action: str = "") -> str:
    url = reverse("accounts:user_edit", args=[account.username])
    return f"{url}/{action}" if action else url


def last(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("sequence")


def test_only_sysadmins_reach_the_account_list_and_form(
        sysadmin: User, supervisor: User, editor: User, agency: Agency) -> None:
    admin = factories.make_user(role=Role.ADMIN, agency=agency)
    for person in (supervisor, editor, admin):
        for url in (LIST, NEW):
            response = browser(person).get(url)
            assert response.status_code == 403, (person, url)
            assert "operating unit" in response.content.decode()
    assert Client().get(LIST)["Location"].startswith(reverse("accounts:login"))
    assert browser(sysadmin).get(LIST).status_code == 200


def test_the_list_filters_by_words_role_agency_and_state(
        sysadmin: User, editor: User, outsider: User, agency: Agency) -> None:
    factories.make_user(role=Role.MEMBER, agency=agency, username="hoa", last_name="Trần",
                        first_name="Thị Hoa", is_active=False)
    client = browser(sysadmin)

    def listed(**query: str) -> set[str]:
        page = client.get(LIST, query).context["page"]
        return {account.username for account in page.object_list}

    assert listed() == {"sysadmin", "editor", "outsider", "hoa"}
    assert listed(q="thị hoa") == {"hoa"}
    assert listed(role="editor") == {"editor", "outsider"}
    assert listed(agency=agency.slug) == {"editor", "hoa"}
    assert listed(active="inactive") == {"hoa"}
    assert listed(active="active", agency=agency.slug) == {"editor"}
    assert listed(role="no-such-role") == {"sysadmin", "editor", "outsider", "hoa"}


def test_htmx_gets_only_the_results(sysadmin: User, editor: User) -> None:
    response = browser(sysadmin).get(LIST, {"q": "editor"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert "editor" in html
    assert "HX-Request" in response["Vary"]


def test_a_sysadmin_creates_an_account_and_its_link_is_mailed_and_shown(
        sysadmin: User, agency: Agency) -> None:
    response = browser(sysadmin).post(NEW, {
        "username": "hoa", "full_name": "Trần Thị Hoa", "email": "hoa@ninhbinh.gov.vn",
        "role": "editor", "agency": agency.slug}, REMOTE_ADDR="203.0.113.4")
    assert response.status_code == 200, response.content.decode()[:3000]
    hoa = User.objects.get(username="hoa")
    assert (hoa.role, hoa.agency, hoa.get_full_name()) == (Role.EDITOR, agency, "Trần Thị Hoa")
    assert not hoa.has_usable_password()
    [message] = mail.outbox
    assert message.to == ["hoa@ninhbinh.gov.vn"]
    link = response.context["sent"].url
    assert link.startswith("http://testserver/user/set-password/")  # the request's address
    assert link in str(message.body)
    assert link in response.content.decode()  # the operating unit sees it, as the command
    for action in ("user.create", "user.password_link"):
        entry = last(action)
        assert (entry.actor, entry.door, entry.address) == (sysadmin, Door.PAGE, "203.0.113.4")


def test_creation_refusals_are_shown_on_the_form(sysadmin: User, editor: User) -> None:
    client = browser(sysadmin)
    taken = client.post(NEW, {"username": "EDITOR", "email": "x@ninhbinh.gov.vn",
                              "role": "sysadmin"})
    assert taken.status_code == 400
    assert taken.context["form"].errors["username"] == ["This username is taken."]
    no_agency = client.post(NEW, {"username": "moi", "email": "moi@ninhbinh.gov.vn",
                                  "role": "editor"})
    assert no_agency.status_code == 400
    assert "agency" in no_agency.context["form"].errors
    assert not User.objects.filter(username="moi").exists()
    assert mail.outbox == []


def test_a_sysadmin_changes_role_and_agency(sysadmin: User, editor: User,
                                            other_agency: Agency) -> None:
    client = browser(sysadmin)
    page = client.get(edit_url(editor))
    assert page.status_code == 200
    response = client.post(edit_url(editor), {"role": "admin", "agency": other_agency.slug})
    assert response["Location"] == edit_url(editor)
    editor.refresh_from_db()
    assert (editor.role, editor.agency) == (Role.ADMIN, other_agency)
    entry = last("user.set_role")
    assert (entry.door, entry.after["role"]) == (Door.PAGE, "admin")
    refused = client.post(edit_url(editor), {"role": "member", "agency": ""})
    assert refused.status_code == 400
    assert "agency" in refused.context["form"].errors


def test_deactivate_and_reactivate(sysadmin: User, editor: User) -> None:
    client = browser(sysadmin)
    client.post(edit_url(editor, "active"), {"active": "0"})
    editor.refresh_from_db()
    assert not editor.is_active
    assert last("user.deactivate").door == Door.PAGE
    page = client.get(edit_url(editor)).content.decode()
    assert "Reactivate the account" in page
    assert "Send a link to set the password" not in page  # no link for a deactivated account
    client.post(edit_url(editor, "active"), {"active": "1"})
    editor.refresh_from_db()
    assert editor.is_active


def test_nobody_deactivates_their_own_account_nor_the_last_sysadmin(sysadmin: User) -> None:
    client = browser(sysadmin)
    response = client.post(edit_url(sysadmin, "active"), {"active": "0"}, follow=True)
    assert "last active system administrator" in response.content.decode()
    other = factories.make_user(role=Role.SYSADMIN)
    response = client.post(edit_url(sysadmin, "active"), {"active": "0"}, follow=True)
    assert "cannot deactivate your own account" in response.content.decode()
    sysadmin.refresh_from_db()
    assert sysadmin.is_active
    browser(other).post(edit_url(sysadmin, "active"), {"active": "0"})
    sysadmin.refresh_from_db()
    assert not sysadmin.is_active


def test_reset_mails_a_link_and_shows_it_to_the_sysadmin(sysadmin: User, editor: User) -> None:
    response = browser(sysadmin).post(edit_url(editor, "password-link"))
    assert response.status_code == 200
    [message] = mail.outbox
    assert message.to == [editor.email]
    assert response.context["sent"].url in response.content.decode()
    assert editor.check_password("correct horse battery staple")  # until the link is used


def test_removing_two_factor(sysadmin: User, editor: User) -> None:
    enrolled(editor)
    client = browser(sysadmin)
    assert "Remove two-factor authentication" in client.get(edit_url(editor)).content.decode()
    client.post(edit_url(editor, "two-factor"))
    assert not security.has_two_factor(editor)
    assert last("user.two_factor_remove").door == Door.PAGE


def test_the_actions_are_posts(sysadmin: User, editor: User) -> None:
    client = browser(sysadmin)
    for action in ("active", "password-link", "two-factor"):
        assert client.get(edit_url(editor, action)).status_code == 405


def test_an_unknown_account_is_a_404(sysadmin: User) -> None:
    assert browser(sysadmin).get("/user/edit/nobody").status_code == 404


def test_sysadmins_see_the_accounts_link(sysadmin: User, editor: User) -> None:
    dashboard = reverse("catalog:dashboard")
    assert f'href="{LIST}"' in browser(sysadmin).get(dashboard).content.decode()
    assert f'href="{LIST}"' not in browser(editor).get(dashboard).content.decode()
