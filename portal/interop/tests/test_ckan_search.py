"""package_search: CKAN's query syntax, paging, sorting and facets over what the caller may see."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import LazySettings
from django.test import Client

from portal.accounts.models import User
from portal.catalog.models import Dataset
from portal.interop.ckan.ids import agency_id
from portal.interop.tests.conftest import Catalogue, call

pytestmark = pytest.mark.django_db


def names(client: Client, **params: Any) -> list[str]:
    result = call(client, "package_search", **params).result
    return sorted(dataset["name"] for dataset in result["results"])


def test_search_without_parameters_gives_published_public_datasets(
        client: Client, catalogue: Catalogue) -> None:
    result = call(client, "package_search").result
    assert result["count"] == 2
    assert result["sort"] == "score desc, metadata_modified desc"
    assert [d["name"] for d in result["results"]] == ["co-so-y-te", "dan-so-trung-binh"]
    assert result["facets"] == {}
    assert result["search_facets"] == {}


def test_q_finds_words_without_diacritics(client: Client, catalogue: Catalogue) -> None:
    assert names(client, q="dan so") == ["dan-so-trung-binh"]
    assert names(client, q="Y TẾ") == ["co-so-y-te"]


@pytest.mark.parametrize(("fq", "expected"), [
    ("organization:so-y-te", ["co-so-y-te"]),
    ("groups:nong-nghiep", ["dan-so-trung-binh"]),
    ('tags:"dân số"', ["dan-so-trung-binh"]),
    ("res_format:csv", ["dan-so-trung-binh"]),
    ("license_id:cc-by", ["co-so-y-te"]),
    ("frequency:annual", ["dan-so-trung-binh"]),
    ("organization:so-nong-nghiep-moi-truong +groups:nong-nghiep tags:\"dân số\" "
     "res_format:CSV", ["dan-so-trung-binh"]),
    ("organization:so-y-te groups:nong-nghiep", []),
    ("organization:so-y-te OR organization:so-nong-nghiep-moi-truong",
     ["co-so-y-te", "dan-so-trung-binh"]),
    ("groups:(y-te OR nong-nghiep)", ["co-so-y-te", "dan-so-trung-binh"]),
    ("tags:(\"dân số\" \"thống kê\")", ["dan-so-trung-binh"]),
    ("-organization:so-y-te", ["dan-so-trung-binh"]),
    ("NOT tags:\"y tế\"", ["dan-so-trung-binh"]),
    ("name:co-so-y-te", ["co-so-y-te"]),
    ("+dataset_type:dataset", ["co-so-y-te", "dan-so-trung-binh"]),
    ("capacity:public", ["co-so-y-te", "dan-so-trung-binh"]),
    ("*:*", ["co-so-y-te", "dan-so-trung-binh"]),
    ("tags:khong-co", []),
])
def test_fq_filters_as_ckan_does(client: Client, catalogue: Catalogue, fq: str,
                                 expected: list[str]) -> None:
    assert names(client, fq=fq) == expected


def test_fq_on_owner_org_takes_the_ckan_id(client: Client, catalogue: Catalogue) -> None:
    owner = agency_id(catalogue.health.agency_id)
    assert names(client, fq=f"owner_org:{owner}") == ["co-so-y-te"]
    assert names(client, fq=f'owner_org:"{owner}"', method="post") == ["co-so-y-te"]


def test_fq_by_modification_time_as_harvesters_ask(client: Client,
                                                   catalogue: Catalogue) -> None:
    Dataset.objects.filter(pk=catalogue.health.pk).update(modified="2020-01-01T00:00:00Z")
    assert names(client, fq="metadata_modified:[2021-01-01T00:00:00.000000Z TO *]") == [
        "dan-so-trung-binh"]
    assert names(client, fq="metadata_modified:[* TO 2020-06-01]") == ["co-so-y-te"]
    assert names(client, fq="metadata_modified:{2020-01-01T00:00:00Z TO *]") == [
        "dan-so-trung-binh"]


def test_fq_list_adds_conditions(client: Client, catalogue: Catalogue) -> None:
    assert names(client, method="post", fq_list=["groups:y-te", "res_format:HTML"]) == [
        "co-so-y-te"]


@pytest.mark.parametrize("fq", [
    "author:someone", 'tags:"open', "groups:(a OR", "metadata_modified:[2020 TO",
    "OR tags:a", "tags:a OR", "groups:*", "metadata_modified:[yesterday TO *]",
    "organization:[a TO b]", "metadata_created:2020-01-01", "(tags:a)",
])
def test_fq_the_search_cannot_read_is_a_search_query_error(client: Client, fq: str) -> None:
    answer = call(client, "package_search", fq=fq)
    assert answer.status == 400
    assert answer.error["__type"] == "Search Query Error"
    assert answer.error["message"].startswith("Search Query is invalid: ")


def test_unknown_parameter_is_a_search_query_error(client: Client) -> None:
    answer = call(client, "package_search", limit=5)
    assert answer.status == 400
    assert answer.error == {"__type": "Search Query Error",
                            "message": "Search Query is invalid: Invalid search parameters: limit"}


def test_solr_tuning_parameters_are_accepted_and_ignored(client: Client,
                                                         catalogue: Catalogue) -> None:
    assert names(client, qf="title^2", defType="edismax", ext_bbox="1,2,3,4") == [
        "co-so-y-te", "dan-so-trung-binh"]


def test_rows_and_start_page_through_the_results(client: Client, catalogue: Catalogue) -> None:
    first = call(client, "package_search", rows=1, sort="name asc").result
    second = call(client, "package_search", rows=1, start=1, sort="name asc").result
    assert first["count"] == second["count"] == 2
    assert [d["name"] for d in first["results"] + second["results"]] == [
        "co-so-y-te", "dan-so-trung-binh"]
    assert call(client, "package_search", rows=0).result["results"] == []


def test_rows_above_api_max_rows_are_refused(client: Client, settings: LazySettings) -> None:
    settings.API_MAX_ROWS = 100
    answer = call(client, "package_search", rows=500)
    assert answer.status == 409
    assert answer.error == {"__type": "Validation Error", "rows": ["Must be at most 100"]}
    assert call(client, "package_search", rows=100).status == 200
    params: dict[str, Any] = {"facet.field": '["tags"]', "facet.limit": 101}
    answer = call(client, "package_search", **params)
    assert answer.error == {"__type": "Validation Error", "facet.limit": ["Must be at most 100"]}


@pytest.mark.parametrize(("sort", "expected"), [
    ("name asc", ["co-so-y-te", "dan-so-trung-binh"]),
    ("name desc", ["dan-so-trung-binh", "co-so-y-te"]),
    ("title_string desc", ["dan-so-trung-binh", "co-so-y-te"]),
    ("metadata_modified desc", ["co-so-y-te", "dan-so-trung-binh"]),
    ("metadata_created asc", ["dan-so-trung-binh", "co-so-y-te"]),
    ("score desc", ["co-so-y-te", "dan-so-trung-binh"]),
    ("views_recent desc, name desc", ["dan-so-trung-binh", "co-so-y-te"]),
])
def test_sort_orders_as_asked(client: Client, catalogue: Catalogue, sort: str,
                              expected: list[str]) -> None:
    result = call(client, "package_search", sort=sort).result
    assert [dataset["name"] for dataset in result["results"]] == expected
    assert result["sort"] == sort


def test_sort_by_views(client: Client, catalogue: Catalogue) -> None:
    Dataset.objects.filter(pk=catalogue.public.pk).update(view_count=99)
    result = call(client, "package_search", sort="views_recent desc").result
    assert [d["name"] for d in result["results"]] == ["dan-so-trung-binh", "co-so-y-te"]


@pytest.mark.parametrize(("sort", "message"), [
    ("popularity desc", "Cannot sort by field `popularity desc`"),
    ("name sideways", "Invalid sort direction `sideways`"),
])
def test_bad_sort_is_a_validation_error(client: Client, sort: str, message: str) -> None:
    answer = call(client, "package_search", sort=sort)
    assert answer.status == 409
    assert answer.error == {"__type": "Validation Error", "sort": [message]}


def test_facets_count_values_in_ckan_shapes(client: Client, catalogue: Catalogue) -> None:
    fields = ["organization", "groups", "tags", "res_format", "license_id", "frequency"]
    result = call(client, "package_search", **{"facet.field": json.dumps(fields)}).result
    assert result["facets"]["organization"] == {"so-nong-nghiep-moi-truong": 1, "so-y-te": 1}
    assert result["facets"]["res_format"] == {"CSV": 1, "HTML": 1}
    organizations = result["search_facets"]["organization"]
    assert organizations["title"] == "organization"
    assert {"name": "so-y-te", "display_name": "Sở Y tế", "count": 1} in organizations["items"]
    licences = {item["name"]: item["display_name"]
                for item in result["search_facets"]["license_id"]["items"]}
    assert licences["cc-by"] == "Creative Commons Ghi công 4.0 (CC BY 4.0)"
    groups = result["search_facets"]["groups"]["items"]
    assert {"name": "y-te", "display_name": "Y tế", "count": 1} in groups


def test_facets_never_count_what_the_caller_may_not_see(client: Client,
                                                        catalogue: Catalogue) -> None:
    params: dict[str, Any] = {"facet.field": '["tags"]', "facet.limit": -1}
    result = call(client, "package_search", **params)
    assert set(result.result["facets"]["tags"]) == {"dân số", "thống kê", "y tế"}


def test_facet_limit_and_mincount(client: Client, catalogue: Catalogue) -> None:
    params: dict[str, Any] = {"facet.field": '["tags"]', "facet.limit": 1}
    assert len(call(client, "package_search", **params).result["facets"]["tags"]) == 1
    params = {"facet.field": '["tags"]', "facet.mincount": 2}
    assert call(client, "package_search", **params).result["facets"]["tags"] == {}


def test_unknown_facet_field_is_empty_as_in_ckan(client: Client, catalogue: Catalogue) -> None:
    result = call(client, "package_search", **{"facet.field": '["vocab_themes"]'}).result
    assert result["search_facets"] == {"vocab_themes": {"title": "vocab_themes", "items": []}}


def test_facet_field_that_is_not_a_list_is_a_validation_error(client: Client) -> None:
    answer = call(client, "package_search", **{"facet.field": '{"tags": 1}'})
    assert answer.error == {"__type": "Validation Error", "facet.field": ["Not a list"]}


def test_fl_keeps_only_the_keys_asked_for(client: Client, catalogue: Catalogue) -> None:
    result = call(client, "package_search", fl="name,title", sort="name asc").result
    assert result["results"][0] == {"name": "co-so-y-te", "title": "Cơ sở y tế"}


def test_include_private_adds_non_public_datasets_the_caller_may_see(
        client: Client, catalogue: Catalogue, other_member: User) -> None:
    assert names(client, include_private=True) == ["co-so-y-te", "dan-so-trung-binh"]
    client.force_login(other_member)
    assert names(client) == ["co-so-y-te", "dan-so-trung-binh"]
    assert names(client, include_private=True) == [
        "co-so-y-te", "dan-so-trung-binh", "luong-can-bo"]


def test_include_drafts_and_deleted_for_the_agency(client: Client, catalogue: Catalogue,
                                                   member: User, other_member: User) -> None:
    flags = {"include_private": "true", "include_drafts": "true", "include_deleted": "true"}
    client.force_login(member)
    assert names(client, **flags) == sorted(
        ["co-so-y-te", "dan-so-trung-binh", "luong-can-bo", "ho-so-noi-bo", "ban-nhap", "da-rut"])
    client.force_login(other_member)
    assert names(client, **flags) == ["co-so-y-te", "dan-so-trung-binh", "luong-can-bo"]


def names_of(results: list[dict[str, Any]]) -> list[str]:
    return [dataset["name"] for dataset in results]


def test_search_by_post_with_json_body_as_ckanapi_sends(client: Client,
                                                        catalogue: Catalogue) -> None:
    result = call(client, "package_search", method="post", fq="organization:so-y-te", rows=5,
                  **{"facet.field": ["groups"]}).result
    assert names_of(result["results"]) == ["co-so-y-te"]
    assert result["facets"] == {"groups": {"y-te": 1}}
