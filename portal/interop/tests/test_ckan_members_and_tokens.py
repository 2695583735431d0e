"""organization_member_create/_delete, member_list, organization_list_for_user, user_show,
api_token_list and api_token_revoke."""

from __future__ import annotations

import pytest
from django.test import Client

from portal.accounts.models import ApiToken, Role, User
from portal.agencies.models import Agency
from portal.interop.ckan.ids import agency_id, user_id
from portal.interop.tests.conftest import call, token_for, write
from portal.lib import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency_admin(agency: Agency) -> User:
    return factories.make_user(role=Role.ADMIN, agency=agency, username="agency_admin")


def test_agency_admin_changes_a_members_role(client: Client, agency_admin: User, member: User,
                                             agency: Agency) -> None:
    result = write(client, "organization_member_create", token_for(agency_admin),
                   id=agency.slug, username="member", role="editor").result
    assert result == {"id": user_id(member.pk), "table_name": "user",
                      "table_id": user_id(member.pk), "group_id": agency_id(agency.pk),
                      "capacity": "editor", "state": "active"}
    member.refresh_from_db()
    assert member.role == Role.EDITOR


def test_agency_admin_may_not_take_another_agencys_account(
        client: Client, agency_admin: User, outsider: User, agency: Agency,
        other_agency: Agency) -> None:
    for org in (agency.slug, other_agency.slug):
        answer = write(client, "organization_member_create", token_for(agency_admin), id=org,
                       username=outsider.username, role="member")
        assert (answer.status, answer.error["__type"]) == (403, "Authorization Error")
    outsider.refresh_from_db()
    assert outsider.agency == other_agency


@pytest.mark.parametrize("who", ["editor", "member", "supervisor"])
def test_only_admins_manage_members(request: pytest.FixtureRequest, client: Client, who: str,
                                    member: User, agency: Agency) -> None:
    actor: User = request.getfixturevalue(who)
    answer = write(client, "organization_member_create", token_for(actor), id=agency.slug,
                   username="member", role="admin")
    assert answer.status == 403


def test_sysadmin_moves_an_account_and_bad_input_is_refused(
        client: Client, sysadmin: User, outsider: User, agency: Agency) -> None:
    token = token_for(sysadmin)
    moved = write(client, "organization_member_create", token, id=agency_id(agency.pk),
                  username=outsider.username, role="admin").result
    assert moved["capacity"] == "admin"
    outsider.refresh_from_db()
    assert (outsider.agency, outsider.role) == (agency, Role.ADMIN)
    bad = write(client, "organization_member_create", token, id=agency.slug,
                username="outsider", role="owner")
    assert (bad.status, list(bad.error)) == (409, ["__type", "role"])
    assert write(client, "organization_member_create", token, id="khong-co",
                 username="outsider", role="member").status == 404
    assert write(client, "organization_member_create", token, id=agency.slug,
                 username="khong-co", role="member").status == 404


def test_member_delete_deactivates_the_account(client: Client, agency_admin: User,
                                               member: User, outsider: User,
                                               agency: Agency) -> None:
    token = token_for(agency_admin)
    assert write(client, "organization_member_delete", token, id=agency.slug,
                 username=outsider.username).status == 404
    assert write(client, "organization_member_delete", token, id=agency.slug,
                 username="member").status == 200
    member.refresh_from_db()
    assert not member.is_active
    # added again (as the members page would): the account is active again
    assert write(client, "organization_member_create", token, id=agency.slug,
                 username="member", role="editor").status == 200
    member.refresh_from_db()
    assert (member.is_active, member.role) == (True, Role.EDITOR)


def test_member_list_for_admins_and_supervisors(client: Client, agency_admin: User,
                                                editor: User, member: User, supervisor: User,
                                                outsider: User, agency: Agency) -> None:
    listed = write(client, "member_list", token_for(agency_admin), id=agency.slug).result
    assert sorted(listed) == sorted([[user_id(u.pk), "user", u.role]
                                     for u in (agency_admin, editor, member)])
    assert write(client, "member_list", token_for(supervisor), id=agency.slug,
                 capacity="editor").result == [[user_id(editor.pk), "user", "editor"]]
    for refused in (token_for(editor), token_for(outsider), None):
        assert write(client, "member_list", refused, id=agency.slug).status == 403


def test_organization_list_for_user_gives_the_capacity(
        client: Client, editor: User, agency_admin: User, sysadmin: User, supervisor: User,
        agency: Agency, other_agency: Agency) -> None:
    mine = write(client, "organization_list_for_user", token_for(editor),
                 permission="create_dataset").result
    assert [(org["name"], org["capacity"]) for org in mine] == [(agency.slug, "editor")]
    assert write(client, "organization_list_for_user", token_for(editor)).result == []
    admin = write(client, "organization_list_for_user", token_for(agency_admin)).result
    assert [(org["name"], org["capacity"]) for org in admin] == [(agency.slug, "admin")]
    everything = write(client, "organization_list_for_user", token_for(sysadmin)).result
    assert {org["name"] for org in everything} == {agency.slug, other_agency.slug}
    assert write(client, "organization_list_for_user", token_for(supervisor)).result == []
    assert call(client, "organization_list_for_user").result == []


def test_user_show_own_account_or_sysadmin_never_the_password(
        client: Client, editor: User, outsider: User, sysadmin: User) -> None:
    own = write(client, "user_show", token_for(editor), id="editor").result
    assert (own["name"], own["role"], own["sysadmin"]) == ("editor", "editor", False)
    assert not any("password" in key for key in own)
    assert write(client, "user_show", token_for(sysadmin), id="editor").result["name"] == "editor"
    assert write(client, "user_show", token_for(outsider), id="editor").status == 403
    assert call(client, "user_show", id="editor").status == 403
    assert write(client, "user_show", token_for(sysadmin), id="khong-co").status == 404


def test_api_token_list_and_revoke_own_tokens(client: Client, editor: User,
                                             outsider: User) -> None:
    first, second = token_for(editor), token_for(editor)
    listed = write(client, "api_token_list", first).result
    assert [set(item) >= {"id", "name", "user_id", "created_at", "last_access"}
            for item in listed] == [True, True]
    assert write(client, "api_token_list", token_for(outsider), user_id="editor").status == 403
    assert write(client, "api_token_revoke", token_for(outsider),
                 jti=listed[0]["id"]).status == 403
    assert write(client, "api_token_revoke", first, token=second).status == 200
    assert write(client, "api_token_revoke", first, jti="khong-co").status == 404
    assert [item["id"] for item in write(client, "api_token_list", first).result] == [
        listed[0]["id"]]
    assert write(client, "api_token_revoke", first, jti=listed[0]["id"]).status == 200
    assert write(client, "api_token_list", first).status == 403  # revoked: refused
    assert ApiToken.objects.filter(owner=editor, revoked=None).count() == 0


def test_read_only_token_cannot_revoke(client: Client, editor: User) -> None:
    read_only = token_for(editor, read_only=True)
    assert write(client, "api_token_revoke", read_only, token=read_only).status == 403
    assert len(write(client, "api_token_list", read_only).result) == 1
