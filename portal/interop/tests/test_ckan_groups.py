"""organization_list/_show, group_list/_show, tag_list, license_list and status_show."""

from __future__ import annotations

import pytest
from django.test import Client

from portal.accounts.models import User
from portal.agencies.models import Agency, Sector
from portal.interop.ckan.ids import agency_id, sector_id
from portal.interop.tests.conftest import Catalogue, call
from portal.lib import factories

pytestmark = pytest.mark.django_db


def test_organization_list_gives_names_by_title(client: Client, catalogue: Catalogue) -> None:
    assert call(client, "organization_list").result == ["so-nong-nghiep-moi-truong", "so-y-te"]


def test_organization_list_with_all_fields_counts_visible_datasets(
        client: Client, catalogue: Catalogue, member: User) -> None:
    organizations = call(client, "organization_list", all_fields=True).result
    counts = {org["name"]: org["package_count"] for org in organizations}
    assert counts == {"so-nong-nghiep-moi-truong": 1, "so-y-te": 1}
    client.force_login(member)
    organizations = call(client, "organization_list", all_fields="true").result
    counts = {org["name"]: org["package_count"] for org in organizations}
    assert counts == {"so-nong-nghiep-moi-truong": 3, "so-y-te": 1}


def test_organization_list_sorts_filters_and_pages(client: Client, catalogue: Catalogue,
                                                   agency: Agency) -> None:
    factories.make_agency(name="Ủy ban nhân dân phường Hoa Lư", slug="ubnd-hoa-lu")
    assert call(client, "organization_list", sort="name desc").result == [
        "ubnd-hoa-lu", "so-y-te", "so-nong-nghiep-moi-truong"]
    assert call(client, "organization_list", sort="title asc", limit=1, offset=2).result == [
        "ubnd-hoa-lu"]
    assert call(client, "organization_list", q="hoa lu").result == ["ubnd-hoa-lu"]
    assert call(client, "organization_list", organizations="so-y-te,ubnd-hoa-lu").result == [
        "so-y-te", "ubnd-hoa-lu"]
    by_count = call(client, "organization_list", sort="package_count").result
    assert by_count[-1] == "ubnd-hoa-lu"


def test_organization_list_refuses_a_sort_it_cannot_do(client: Client) -> None:
    answer = call(client, "organization_list", sort="created desc")
    assert answer.status == 409
    assert answer.error["sort"] == ["Cannot sort by field `created desc`"]


def test_organization_show_by_name_and_by_id(client: Client, catalogue: Catalogue,
                                             agency: Agency) -> None:
    by_name = call(client, "organization_show", id="so-nong-nghiep-moi-truong").result
    by_id = call(client, "organization_show", id=agency_id(agency.pk)).result
    assert by_name == by_id
    assert by_name["id"] == agency_id(agency.pk)
    assert by_name["title"] == "Sở Nông nghiệp và Môi trường"
    assert by_name["type"] == "organization"
    assert by_name["is_organization"] is True
    assert by_name["package_count"] == 1
    assert by_name["focal_point"]["name"] == "Nguyễn Văn An"
    assert by_name["valid_to"] is None
    assert "packages" not in by_name


def test_organization_show_with_datasets_lists_only_visible_ones(
        client: Client, catalogue: Catalogue, member: User) -> None:
    organization = call(client, "organization_show", id="so-nong-nghiep-moi-truong",
                        include_datasets=True).result
    assert [d["name"] for d in organization["packages"]] == ["dan-so-trung-binh"]
    client.force_login(member)
    organization = call(client, "organization_show", id="so-nong-nghiep-moi-truong",
                        include_datasets=True).result
    assert organization["package_count"] == 3
    assert {d["name"] for d in organization["packages"]} == {
        "dan-so-trung-binh", "luong-can-bo", "ho-so-noi-bo"}


def test_ceased_agency_keeps_its_successor(client: Client, agency: Agency) -> None:
    successor = factories.make_agency(name="Sở Tài chính", slug="so-tai-chinh")
    ceased = factories.make_agency(name="Sở Kế hoạch và Đầu tư", slug="so-ke-hoach-dau-tu",
                                   valid_to="2025-02-28", replaced_by=successor)
    organization = call(client, "organization_show", id=ceased.slug).result
    assert organization["valid_to"] == "2025-02-28"
    assert organization["replaced_by"] == {"id": agency_id(successor.pk),
                                           "name": "so-tai-chinh", "title": "Sở Tài chính"}


@pytest.mark.parametrize("action", ["organization_show", "group_show"])
def test_unknown_organization_or_group_is_not_found(client: Client, action: str) -> None:
    for missing in ("khong-co", "00000000-0000-4000-8000-000000000000"):
        answer = call(client, action, id=missing)
        assert answer.status == 404
        assert answer.error["__type"] == "Not Found Error"


def test_group_list_gives_sector_codes(client: Client, sectors: list[Sector]) -> None:
    codes = call(client, "group_list", sort="name asc").result
    assert codes == sorted(sector.code for sector in sectors)


def test_group_list_with_all_fields_counts_visible_datasets(client: Client,
                                                            catalogue: Catalogue) -> None:
    groups = {group["name"]: group for group in
              call(client, "group_list", all_fields=True, groups='["y-te", "nong-nghiep"]').result}
    assert set(groups) == {"y-te", "nong-nghiep"}
    assert groups["y-te"]["package_count"] == 1
    assert groups["y-te"]["title"] == "Y tế"
    assert groups["y-te"]["title_translated"] == {"vi": "Y tế", "en": "Health"}
    assert groups["y-te"]["is_organization"] is False


def test_group_show_by_code_and_id_with_datasets(client: Client, catalogue: Catalogue,
                                                 sectors: list[Sector]) -> None:
    by_code = call(client, "group_show", id="nong-nghiep", include_datasets=True).result
    by_id = call(client, "group_show", id=sector_id(sectors[0].pk), include_datasets=True)
    assert by_code == by_id.result
    assert by_code["package_count"] == 1
    assert [d["name"] for d in by_code["packages"]] == ["dan-so-trung-binh"]


def test_tag_list_gives_keywords_of_visible_datasets(client: Client, catalogue: Catalogue,
                                                     member: User) -> None:
    assert call(client, "tag_list").result == ["dân số", "thống kê", "y tế"]
    client.force_login(member)
    assert "nội bộ" in call(client, "tag_list").result
    assert "nháp" not in call(client, "tag_list").result


def test_tag_list_query_ignores_case_and_diacritics(client: Client,
                                                    catalogue: Catalogue) -> None:
    assert call(client, "tag_list", query="DAN").result == ["dân số"]
    tags = call(client, "tag_list", query="y te", all_fields=True).result
    assert tags == [{"id": tags[0]["id"], "name": "y tế", "display_name": "y tế",
                     "state": "active", "vocabulary_id": None}]


def test_tag_list_of_a_vocabulary_is_not_found(client: Client) -> None:
    assert call(client, "tag_list", vocabulary_id="themes").status == 404


def test_license_list_gives_the_configured_licences(client: Client) -> None:
    licences = {licence["id"]: licence for licence in call(client, "license_list").result}
    assert {"vn-open-data", "cc-by", "cc-zero", "odc-odbl"} <= set(licences)
    assert licences["cc-by"]["url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert licences["cc-by"]["od_conformance"] == "approved"
    assert licences["vn-open-data"]["legal_basis"]


def test_status_show_describes_the_portal(client: Client) -> None:
    status = call(client, "status_show").result
    assert status["site_url"] == "http://testserver"
    assert status["locale_default"] == "vi"
    assert status["ckan_version"].startswith("2.")
    assert "Ninh Bình" in status["site_title"]
