"""package_create, package_update, package_patch and package_delete through the CKAN door."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from portal.accounts.models import User
from portal.agencies.models import Agency, Sector
from portal.catalog.models import Dataset, Status
from portal.interop.ckan.ids import agency_id
from portal.interop.tests.conftest import Catalogue, call, token_for, write

pytestmark = pytest.mark.django_db


def new_dataset(agency: Agency, sectors: list[Sector], **extra: Any) -> dict[str, Any]:
    return {"name": "chat-luong-nuoc", "title": "Chất lượng nước", "owner_org": agency.slug,
            "notes": "Đo **hằng tháng**.", "license_id": "cc-by",
            "tags": [{"name": "nước"}, {"name": "môi trường"}],
            "groups": [{"name": sectors[0].code}], "frequency": "monthly",
            "access_level": "public", "temporal_start": "2025-01-01",
            "temporal_end": "2025-12-31", "spatial": ["37"], "source_system": "Hệ thống quan trắc",
            "contact_point": {"name": "Lê Văn An", "email": "an@ninhbinh.gov.vn"}} | extra


def test_editor_creates_a_draft_with_every_field(client: Client, editor: User, agency: Agency,
                                                  sectors: list[Sector]) -> None:
    result = write(client, "package_create", token_for(editor),
                   **new_dataset(agency, sectors)).result
    assert result["state"] == "draft"
    assert result["name"] == "chat-luong-nuoc"
    assert result["owner_org"] == agency_id(agency.pk)
    assert sorted(tag["name"] for tag in result["tags"]) == ["môi trường", "nước"]
    assert [group["name"] for group in result["groups"]] == [sectors[0].code]
    assert result["license_id"] == "cc-by"
    assert (result["frequency"], result["temporal_start"], result["temporal_end"]) == (
        "monthly", "2025-01-01", "2025-12-31")
    assert result["spatial"][0]["code"] == "37"
    assert result["contact_point"] == {"name": "Lê Văn An", "email": "an@ninhbinh.gov.vn"}
    assert result["maintainer"] == "Lê Văn An"
    assert Dataset.objects.get(slug="chat-luong-nuoc").status == Status.DRAFT


def test_state_active_publishes_and_links_become_resources(
        client: Client, editor: User, agency: Agency, sectors: list[Sector]) -> None:
    result = write(client, "package_create", token_for(editor), **new_dataset(
        agency, sectors, state="active", owner_org=agency_id(agency.pk),
        resources=[{"url": "https://quantrac.ninhbinh.gov.vn/api", "name": "API",
                    "resource_type": "api"}])).result
    assert result["state"] == "active"
    assert [(r["name"], r["resource_type"]) for r in result["resources"]] == [("API", "api")]
    assert call(client, "package_show", id="chat-luong-nuoc").result["state"] == "active"


def test_private_without_access_level_is_agency_only(client: Client, editor: User,
                                                     agency: Agency, sectors: list[Sector]) -> None:
    fields = new_dataset(agency, sectors, private=True)
    del fields["access_level"]
    result = write(client, "package_create", token_for(editor), **fields).result
    assert (result["private"], result["access_level"]) == (True, "agency")


def test_invalid_fields_are_a_validation_error_per_ckan_key(
        client: Client, editor: User, agency: Agency, sectors: list[Sector]) -> None:
    answer = write(client, "package_create", token_for(editor), **new_dataset(
        agency, sectors, name="Tên Sai", license_id="khong-co", temporal_start="hôm qua",
        state="published"))
    assert answer.status == 409
    assert answer.error["__type"] == "Validation Error"
    assert set(answer.error) == {"__type", "name", "license_id", "temporal_start", "state"}
    answer = write(client, "package_create", token_for(editor),
                   **new_dataset(agency, sectors, name="Tên Sai"))
    assert (answer.status, list(answer.error)) == (409, ["__type", "name"])


def test_sector_outside_the_agency_is_refused_on_groups(
        client: Client, editor: User, agency: Agency, sectors: list[Sector]) -> None:
    answer = write(client, "package_create", token_for(editor),
                   **new_dataset(agency, sectors, groups=[{"name": sectors[5].code}]))
    assert answer.status == 409
    assert list(answer.error) == ["__type", "groups"]


def test_missing_name_and_organization(client: Client, editor: User) -> None:
    answer = write(client, "package_create", token_for(editor), title="Không tên")
    assert answer.status == 409
    assert answer.error == {"__type": "Validation Error", "name": ["Missing value"],
                            "owner_org": ["Missing value"]}


@pytest.mark.parametrize("who", ["anonymous", "member", "outsider", "supervisor", "read_only",
                                 "session"])
def test_those_who_may_not_write_get_an_authorization_error(
        request: pytest.FixtureRequest, client: Client, who: str, agency: Agency,
        sectors: list[Sector], editor: User, member: User, outsider: User,
        supervisor: User) -> None:
    token = {"anonymous": None, "member": token_for(member), "outsider": token_for(outsider),
             "supervisor": token_for(supervisor), "read_only": token_for(editor, read_only=True),
             "session": None}[who]
    if who == "session":  # a browser's session: no CSRF protection here, so never enough
        client.force_login(editor)
    answer = write(client, "package_create", token, **new_dataset(agency, sectors))
    assert answer.status == 403
    assert answer.error["__type"] == "Authorization Error"
    assert not Dataset.objects.filter(slug="chat-luong-nuoc").exists()


def test_sysadmin_creates_for_any_agency(client: Client, sysadmin: User, other_agency: Agency,
                                         sectors: list[Sector]) -> None:
    fields = new_dataset(other_agency, sectors, groups=[sectors[3].code])
    assert write(client, "package_create", token_for(sysadmin), **fields).result["name"]


def test_package_update_replaces_and_clears_missing_fields(
        client: Client, catalogue: Catalogue, editor: User) -> None:
    result = write(client, "package_update", token_for(editor), id="dan-so-trung-binh",
                   title="Dân số 2025", owner_org="so-nong-nghiep-moi-truong").result
    assert result["title"] == "Dân số 2025"
    assert (result["tags"], result["groups"], result["source_system"]) == ([], [], None)
    assert result["license_id"] == "cc-by-4.0" or result["license_id"]
    assert result["state"] == "active"
    assert len(result["resources"]) == 1  # resources are not touched


def test_package_show_edited_and_sent_back_updates(client: Client, catalogue: Catalogue,
                                                  editor: User) -> None:
    shown = call(client, "package_show", id="dan-so-trung-binh").result
    shown["title"] = "Dân số trung bình (sửa)"
    result = write(client, "package_update", token_for(editor), **shown).result
    assert result["title"] == "Dân số trung bình (sửa)"
    for key in ("tags", "groups", "spatial", "contact_point", "frequency", "license_id"):
        assert result[key] == shown[key], key


def test_package_update_refuses_other_resources_and_moving_agency(
        client: Client, catalogue: Catalogue, editor: User) -> None:
    answer = write(client, "package_update", token_for(editor), id="dan-so-trung-binh",
                   resources=[{"url": "https://example.org"}], owner_org="so-y-te")
    assert answer.status == 409
    assert set(answer.error) == {"__type", "resources", "owner_org"}


def test_package_patch_changes_only_the_fields_given(client: Client, catalogue: Catalogue,
                                                    editor: User) -> None:
    before = call(client, "package_show", id="dan-so-trung-binh").result
    result = write(client, "package_patch", token_for(editor), id=before["id"],
                   notes="Mới", private=True).result
    assert (result["notes"], result["access_level"]) == ("Mới", "agency")
    for key in ("title", "tags", "groups", "spatial", "source_system", "frequency"):
        assert result[key] == before[key], key


def test_package_patch_state_active_publishes_a_draft(client: Client, catalogue: Catalogue,
                                                     editor: User) -> None:
    result = write(client, "package_patch", token_for(editor), id="ban-nhap",
                   state="active").result
    assert result["state"] == "active"


def test_editor_of_another_agency_may_not_update(client: Client, catalogue: Catalogue,
                                                 outsider: User, supervisor: User) -> None:
    for user in (outsider, supervisor):
        answer = write(client, "package_patch", token_for(user), id="dan-so-trung-binh",
                       title="X")
        assert (answer.status, answer.error["__type"]) == (403, "Authorization Error")


def test_hidden_or_missing_dataset_is_not_found(client: Client, catalogue: Catalogue,
                                                outsider: User) -> None:
    for name in ("ho-so-noi-bo", "khong-co"):
        answer = write(client, "package_patch", token_for(outsider), id=name, title="X")
        assert answer.status == 404


def test_package_delete_withdraws(client: Client, catalogue: Catalogue, editor: User,
                                  member: User) -> None:
    refused = write(client, "package_delete", token_for(member), id="dan-so-trung-binh")
    assert refused.status == 403
    answer = write(client, "package_delete", token_for(editor), id="dan-so-trung-binh")
    assert (answer.status, answer.body["result"]) == (200, None)
    assert call(client, "package_show", id="dan-so-trung-binh").status == 404
    client.force_login(editor)
    assert call(client, "package_show", id="dan-so-trung-binh").result["state"] == "deleted"
