"""Writes through Django's admin are in the audit trail with the door "admin": the portal's
reference lists and accounts with their values, the packages' records (lockouts, devices) by
field name only. Each test works the admin's pages as a person does."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.models import Role, User
from portal.agencies.models import Agency, Sector
from portal.audit.admin_site import AuditedAdmin
from portal.audit.models import AuditEntry, Door
from portal.catalog.models import Keyword
from portal.lib import factories

pytestmark = pytest.mark.django_db


def last(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("sequence")


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)  # with the second factor (conftest)
    return client


def form_data(client: Client, url: str, **changes: Any) -> dict[str, Any]:
    """The admin change form's current values, as the browser would post them, changed."""
    form = client.get(url).context["adminform"].form
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False or name == "logo":
            continue
        data[name] = ([str(item) for item in value] if isinstance(value, list | tuple)
                      else "on" if value is True else value)
    return data | changes


def test_every_model_admin_is_audited() -> None:
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, AuditedAdmin), model


def test_a_supervisor_adding_a_sector_is_recorded(supervisor: User) -> None:
    client = signed_in(supervisor)
    response = client.post(reverse("admin:agencies_sector_add"), {
        "code": "du-lich", "name_vi": "Du lịch", "name_en": "Tourism", "position": 40},
        REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = last("sector.create")
    sector = Sector.objects.get(code="du-lich")
    assert (entry.actor, entry.door, entry.address) == (supervisor, Door.ADMIN, "203.0.113.5")
    assert (entry.target_type, entry.target_id) == ("agencies.sector", str(sector.pk))
    assert entry.after == {"code": "du-lich", "name_vi": "Du lịch", "name_en": "Tourism",
                           "position": 40}


def test_changing_an_agency_records_only_the_changed_fields(
        sysadmin: User, agency: Agency, sectors: list[Sector]) -> None:
    client = signed_in(sysadmin)
    url = reverse("admin:agencies_agency_change", args=[agency.pk])
    before_sectors = sorted(str(sector) for sector in agency.sectors.all())
    data = form_data(client, url, name="Sở Nông nghiệp", sectors=[str(sectors[0].pk)])
    assert client.post(url, data).status_code == 302
    entry = last("agency.update")
    assert entry.door == Door.ADMIN
    assert entry.before == {"name": "Sở Nông nghiệp và Môi trường", "sectors": before_sectors}
    assert entry.after == {"name": "Sở Nông nghiệp", "sectors": [str(sectors[0])]}


def test_saving_an_unchanged_form_records_nothing(sysadmin: User, agency: Agency) -> None:
    client = signed_in(sysadmin)
    url = reverse("admin:agencies_agency_change", args=[agency.pk])
    assert client.post(url, form_data(client, url)).status_code == 302
    assert not AuditEntry.objects.filter(action="agency.update").exists()


def test_editing_positions_in_the_list_is_recorded(supervisor: User,
                                                   sectors: list[Sector]) -> None:
    client = signed_in(supervisor)
    sector = sectors[0]
    shown = list(Sector.objects.all())
    data: dict[str, Any] = {"form-TOTAL_FORMS": len(shown), "form-INITIAL_FORMS": len(shown),
                            "_save": "Save"}
    for number, item in enumerate(shown):
        data[f"form-{number}-id"] = item.pk
        data[f"form-{number}-position"] = 99 if item == sector else item.position
    response = client.post(reverse("admin:agencies_sector_changelist"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = last("sector.update")
    assert (entry.target_id, entry.before, entry.after) == (
        str(sector.pk), {"position": sector.position}, {"position": 99})
    assert AuditEntry.objects.filter(action="sector.update").count() == 1


def test_deleting_one_keyword_and_several_at_once_is_recorded(supervisor: User) -> None:
    client = signed_in(supervisor)
    first, *others = [Keyword.objects.create(name=name) for name in ("đất", "nước", "rừng")]
    client.post(reverse("admin:catalog_keyword_delete", args=[first.pk]), {"post": "yes"})
    entry = last("keyword.delete")
    assert (entry.door, entry.target_id, entry.before) == (Door.ADMIN, str(first.pk),
                                                           {"name": "đất"})
    client.post(reverse("admin:catalog_keyword_changelist"), {
        "action": "delete_selected", "post": "yes",
        "_selected_action": [str(keyword.pk) for keyword in others]})
    assert not Keyword.objects.exists()
    deleted = AuditEntry.objects.filter(action="keyword.delete").order_by("sequence")
    assert [entry.before["name"] for entry in deleted] == ["đất", "nước", "rừng"]


def test_a_role_changed_in_the_admin_is_recorded(sysadmin: User, editor: User) -> None:
    client = signed_in(sysadmin)
    url = reverse("admin:accounts_user_change", args=[editor.pk])
    assert client.post(url, form_data(client, url, role="member")).status_code == 302
    entry = last("user.update")
    assert (entry.before, entry.after) == ({"role": "editor"}, {"role": "member"})


def test_a_password_set_in_the_admin_is_recorded_without_the_hash(sysadmin: User,
                                                                  editor: User) -> None:
    client = signed_in(sysadmin)
    password = "Tràng An mùa lúa chín 2025"
    response = client.post(reverse("admin:auth_user_password_change", args=[editor.pk]),
                           {"password1": password, "password2": password,
                            "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:2000]
    editor.refresh_from_db()
    assert editor.check_password(password)
    entry = last("user.update")
    assert (entry.door, entry.actor, entry.after) == (Door.ADMIN, sysadmin,
                                                      {"fields": ["password"]})
    assert editor.password not in json.dumps([entry.before, entry.after])


def test_a_device_deleted_in_the_admin_is_recorded_without_its_key(sysadmin: User,
                                                                   agency: Agency) -> None:
    client = signed_in(sysadmin)
    owner = factories.make_user(role=Role.EDITOR, agency=agency)
    device = TOTPDevice.objects.create(user=owner, name="phone", confirmed=True)
    client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    entry = last("totpdevice.delete")
    assert (entry.door, entry.target_id, entry.before) == (Door.ADMIN, str(device.pk), {})
    assert device.key not in json.dumps([entry.before, entry.after, entry.target_label])


def test_recovery_codes_added_in_the_admin_are_recorded_by_name_only(sysadmin: User,
                                                                     agency: Agency) -> None:
    client = signed_in(sysadmin)
    owner = factories.make_user(role=Role.EDITOR, agency=agency)
    device = StaticDevice.objects.create(user=owner, name="recovery", confirmed=True)
    url = reverse("admin:otp_static_staticdevice_change", args=[device.pk])
    data = form_data(client, url, **{"token_set-TOTAL_FORMS": "1",
                                     "token_set-INITIAL_FORMS": "0",
                                     "token_set-0-token": "bimat123", "token_set-0-device":
                                     str(device.pk)})
    assert client.post(url, data).status_code == 302
    assert device.token_set.get().token == "bimat123"
    entry = last("staticdevice.update")
    assert (entry.before, entry.after) == ({}, {"inlines": ["statictoken"]})
    assert "bimat123" not in json.dumps([entry.before, entry.after, entry.target_label])
