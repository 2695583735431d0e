"""package_show, resource_show, package_list and current_package_list_with_resources."""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
from django.conf import LazySettings
from django.test import Client

from portal.accounts.models import User
from portal.interop.ckan.ids import agency_id
from portal.interop.tests.conftest import CSV, Catalogue, call

pytestmark = pytest.mark.django_db

CKAN_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$")


def test_package_show_gives_ckan_keys_and_portal_fields(client: Client,
                                                        catalogue: Catalogue) -> None:
    dataset = call(client, "package_show", id="dan-so-trung-binh").result
    assert dataset["id"] == str(catalogue.public.pk)
    assert dataset["name"] == "dan-so-trung-binh"
    assert dataset["title"] == "Dân số trung bình"
    assert dataset["notes"] == "Mô tả **bộ dữ liệu**."
    assert dataset["type"] == "dataset"
    assert dataset["state"] == "active"
    assert dataset["private"] is False
    assert dataset["url"] == "http://testserver/dataset/dan-so-trung-binh"
    assert dataset["license_id"] == "vn-open-data"
    assert dataset["isopen"] is True
    assert dataset["maintainer"] == "Trần Thị Bình"
    assert dataset["maintainer_email"] == "binh@ninhbinh.gov.vn"
    assert CKAN_TIMESTAMP.match(dataset["metadata_created"])
    assert CKAN_TIMESTAMP.match(dataset["metadata_modified"])
    assert dataset["owner_org"] == agency_id(catalogue.public.agency_id)
    assert dataset["organization"]["name"] == "so-nong-nghiep-moi-truong"
    assert dataset["organization"]["is_organization"] is True
    assert [group["name"] for group in dataset["groups"]] == ["nong-nghiep"]
    assert [tag["name"] for tag in dataset["tags"]] == ["dân số", "thống kê"]
    assert dataset["tags"][0]["vocabulary_id"] is None
    assert dataset["num_tags"] == 2
    assert dataset["num_resources"] == 1
    assert dataset["extras"] == []
    assert dataset["frequency"] == "annual"
    assert dataset["access_level"] == "public"
    assert dataset["temporal_start"] is None
    assert dataset["spatial"] == [{"code": "37", "name": "Ninh Bình"}]
    assert dataset["source_system"] == "Hệ thống thống kê quốc gia"
    assert dataset["contact_point"] == {"name": "Trần Thị Bình", "email": "binh@ninhbinh.gov.vn"}


def test_timestamps_are_utc_without_time_zone(client: Client, catalogue: Catalogue) -> None:
    dataset = call(client, "package_show", id="dan-so-trung-binh").result
    modified = datetime.datetime.fromisoformat(dataset["metadata_modified"])
    assert modified.tzinfo is None
    assert modified.replace(tzinfo=datetime.UTC) == catalogue.public.modified


def test_uploaded_resource_has_absolute_download_url_and_sha256(
        client: Client, catalogue: Catalogue) -> None:
    resource = call(client, "package_show", id="dan-so-trung-binh").result["resources"][0]
    stored = catalogue.public.resources.get()
    assert resource["url"] == (f"http://testserver/dataset/dan-so-trung-binh/resource/"
                               f"{stored.pk}/download/dan-so.csv")
    assert resource["url_type"] == "upload"
    assert resource["hash"] == hashlib.sha256(CSV).hexdigest()
    assert resource["size"] == len(CSV)
    assert resource["format"] == "CSV"
    assert resource["mimetype"] == "text/csv"
    assert resource["package_id"] == str(catalogue.public.pk)
    assert resource["period"] == "2025"
    assert resource["encoding"] == "utf-8"
    assert resource["state"] == "active"
    assert resource["position"] == 0


def test_download_url_uses_site_url_when_set(client: Client, catalogue: Catalogue,
                                             settings: LazySettings) -> None:
    settings.SITE_URL = "https://data.ninhbinh.gov.vn"
    resource = call(client, "package_show", id="dan-so-trung-binh").result["resources"][0]
    assert resource["url"].startswith("https://data.ninhbinh.gov.vn/dataset/dan-so-trung-binh/")


def test_link_resource_keeps_its_own_url(client: Client, catalogue: Catalogue) -> None:
    resource = call(client, "package_show", id="co-so-y-te").result["resources"][0]
    assert resource["url"] == "https://gis.ninhbinh.gov.vn/y-te"
    assert resource["url_type"] is None
    assert resource["resource_type"] == "link"


def test_package_show_finds_a_dataset_by_id(client: Client, catalogue: Catalogue) -> None:
    dataset = call(client, "package_show", id=str(catalogue.health.pk), include_tracking="true")
    assert dataset.result["name"] == "co-so-y-te"


def test_package_show_hides_draft_from_anonymous_and_shows_it_to_its_editor(
        client: Client, catalogue: Catalogue, editor: User) -> None:
    assert call(client, "package_show", id="ban-nhap").status == 404
    client.force_login(editor)
    assert call(client, "package_show", id="ban-nhap").result["state"] == "draft"


def test_withdrawn_dataset_is_deleted_for_those_who_may_see_it(
        client: Client, catalogue: Catalogue, editor: User) -> None:
    assert call(client, "package_show", id="da-rut").status == 404
    client.force_login(editor)
    assert call(client, "package_show", id="da-rut").result["state"] == "deleted"


def test_non_public_dataset_is_private(client: Client, catalogue: Catalogue,
                                       editor: User) -> None:
    client.force_login(editor)
    dataset = call(client, "package_show", id="luong-can-bo").result
    assert dataset["private"] is True
    assert dataset["access_level"] == "agencies"


def test_resource_show_returns_the_resource(client: Client, catalogue: Catalogue) -> None:
    stored = catalogue.public.resources.get()
    resource = call(client, "resource_show", id=str(stored.pk)).result
    assert resource["id"] == str(stored.pk)
    assert resource["name"] == "Dân số 2025"
    assert resource["url"].endswith("/download/dan-so.csv")


@pytest.mark.parametrize("resource_id", ["not-a-uuid", "6f1c1c1e-1111-4111-8111-111111111111"])
def test_resource_show_of_unknown_id_is_not_found(client: Client, resource_id: str) -> None:
    answer = call(client, "resource_show", id=resource_id)
    assert answer.status == 404
    assert answer.error["__type"] == "Not Found Error"


def test_resource_of_hidden_dataset_is_not_found_for_anonymous(
        client: Client, catalogue: Catalogue, member: User) -> None:
    stored = catalogue.agency_only.resources.get()
    assert call(client, "resource_show", id=str(stored.pk)).status == 404
    client.force_login(member)
    assert call(client, "resource_show", id=str(stored.pk)).result["id"] == str(stored.pk)


def test_package_list_gives_published_public_names_in_order(
        client: Client, catalogue: Catalogue) -> None:
    assert call(client, "package_list").result == ["co-so-y-te", "dan-so-trung-binh"]


def test_package_list_pages_with_limit_and_offset(client: Client, catalogue: Catalogue) -> None:
    assert call(client, "package_list", limit=1, offset=1).result == ["dan-so-trung-binh"]


def test_package_list_without_a_limit_gives_every_name_beyond_api_max_rows(
        client: Client, catalogue: Catalogue, settings: LazySettings) -> None:
    """As CKAN does: `ckanapi dump datasets --all` asks once for every name, and would dump
    only the first API_MAX_ROWS datasets of a larger catalogue, in silence, otherwise."""
    settings.API_MAX_ROWS = 1
    assert call(client, "package_list").result == ["co-so-y-te", "dan-so-trung-binh"]
    assert call(client, "package_list", offset=1).result == ["dan-so-trung-binh"]
    assert call(client, "package_list", limit=1).result == ["co-so-y-te"]
    assert call(client, "package_list", limit=2).error["limit"] == ["Must be at most 1"]


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"limit": "abc"}, "limit", "Invalid integer"),
    ({"offset": "-2"}, "offset", "Must be a natural number"),
    ({"include_private": "maybe"}, "include_private", "Must be true or false"),
])
def test_package_list_refuses_bad_paging(client: Client, params: dict[str, str], field: str,
                                         message: str) -> None:
    answer = call(client, "package_list", **params)
    assert answer.status == 409
    assert answer.error[field] == [message]


def test_package_list_with_include_private_adds_what_the_caller_may_see(
        client: Client, catalogue: Catalogue, other_member: User) -> None:
    assert call(client, "package_list", include_private="true").result == [
        "co-so-y-te", "dan-so-trung-binh"]
    client.force_login(other_member)
    assert call(client, "package_list", include_private="true").result == [
        "co-so-y-te", "dan-so-trung-binh", "luong-can-bo"]


def test_current_package_list_gives_full_dicts_newest_first(
        client: Client, catalogue: Catalogue) -> None:
    datasets = call(client, "current_package_list_with_resources").result
    assert [dataset["name"] for dataset in datasets] == ["co-so-y-te", "dan-so-trung-binh"]
    assert datasets[0]["resources"][0]["url"] == "https://gis.ninhbinh.gov.vn/y-te"


def test_current_package_list_pages(client: Client, catalogue: Catalogue) -> None:
    by_offset = call(client, "current_package_list_with_resources", limit=1, offset=1).result
    by_page = call(client, "current_package_list_with_resources", limit=1, page=2).result
    assert [d["name"] for d in by_offset] == [d["name"] for d in by_page] == ["dan-so-trung-binh"]


def test_current_package_list_refuses_page_zero(client: Client) -> None:
    answer = call(client, "current_package_list_with_resources", page=0)
    assert answer.error == {"__type": "Validation Error", "page": ["Must be a positive integer"]}
