"""Non-public datasets never reach a caller who may not see them, through any action."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from portal.accounts.models import User
from portal.accounts.permissions import can_view_dataset
from portal.catalog.models import Dataset
from portal.interop.ckan.actions import ACTIONS
from portal.interop.tests.conftest import Catalogue, call
from portal.interop.tests.datastore_tables import ingested

pytestmark = pytest.mark.django_db

EVERYTHING = {"include_private": "true", "include_drafts": "true", "include_deleted": "true"}
FACETS = {"facet.field": json.dumps(["organization", "groups", "tags", "res_format",
                                     "license_id", "frequency"]), "facet.limit": -1}
# Words that appear only in a hidden dataset: its name and its keyword.
MARKS = {"luong-can-bo": "bí mật nhà nước", "ho-so-noi-bo": "nội bộ", "ban-nhap": "nháp",
         "da-rut": "rút"}


def calls(catalogue: Catalogue) -> list[tuple[str, dict[str, Any]]]:
    """Every action, asked for as much as it can give."""
    found: list[tuple[str, dict[str, Any]]] = [
        ("package_list", {"include_private": "true"}),
        ("package_search", {**EVERYTHING, **FACETS, "rows": 1000}),
        ("package_search", {"q": "nội bộ nháp", **EVERYTHING}),
        ("current_package_list_with_resources", {"include_private": "true", "limit": 1000}),
        ("organization_list", {"all_fields": "true"}),
        ("group_list", {"all_fields": "true"}),
        ("tag_list", {"all_fields": "true"}),
        ("license_list", {}),
        ("status_show", {}),
    ]
    for dataset in catalogue.hidden:
        resource_id = str(dataset.resources.get().pk)
        found += [("package_show", {"id": dataset.slug}), ("package_show", {"id": str(dataset.pk)}),
                  ("resource_show", {"id": resource_id}),
                  ("datastore_search", {"resource_id": resource_id}),
                  ("datastore_info", {"id": resource_id}),
                  ("datastore_search_sql", {"sql": f'SELECT * FROM "{resource_id}"'}),  # noqa: S608
                  ("organization_show", {"id": dataset.agency.slug, "include_datasets": "true"}),
                  ("dataset_follower_count", {"id": dataset.slug}),
                  ("dataset_follower_list", {"id": dataset.slug}),
                  ("organization_follower_count", {"id": dataset.agency.slug})]
        found += [(action, {"id": sector.code, "include_datasets": "true"})
                  for sector in dataset.sectors.all()
                  for action in ("group_show", "group_follower_count")]
    return found


# Writes and account actions have their own refusal tests (test_ckan_dataset_writes.py,
# test_ckan_resource_writes.py, test_ckan_members_and_tokens.py); none of them lists datasets.
NOT_DATASET_READS = {
    "help_show", "package_create", "package_update", "package_patch", "package_delete",
    "resource_create", "resource_update", "resource_patch", "resource_delete",
    "organization_member_create", "organization_member_delete", "member_list",
    "organization_list_for_user", "user_show", "api_token_list", "api_token_revoke"}


def test_every_action_is_checked_here(catalogue: Catalogue) -> None:
    assert {name for name, _params in calls(catalogue)} == set(ACTIONS) - NOT_DATASET_READS


@pytest.fixture
def tables(catalogue: Catalogue) -> None:
    """The hidden datasets' files read into tables, so that the DataStore actions could answer;
    a column's title is the dataset's mark, so that a leaked table is seen like a leaked dataset."""
    for dataset in catalogue.hidden:
        ingested(dataset.resources.get(), {"ten": {"title": MARKS[dataset.slug]}})


@pytest.mark.parametrize("who", ["anonymous", "other_member", "member", "supervisor"])
def test_hidden_datasets_never_reach_who_may_not_see_them(
        client: Client, catalogue: Catalogue, tables: None, who: str,
        request: pytest.FixtureRequest) -> None:
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    if isinstance(user, User):
        client.force_login(user)
    unseen = [dataset.slug for dataset in catalogue.hidden
              if not can_view_dataset(user, Dataset.objects.get(pk=dataset.pk))]
    for action, params in calls(catalogue):
        answer = call(client, action, **params)
        text = json.dumps(answer.body, ensure_ascii=False)
        for slug in unseen:
            assert slug not in text, (who, action, params)
            assert MARKS[slug] not in text, (who, action, params)


@pytest.mark.parametrize(("who", "visible"), [
    ("anonymous", 2), ("other_member", 3), ("member", 4), ("supervisor", 4)])
def test_counts_add_up_to_the_published_datasets_the_caller_may_see(
        client: Client, catalogue: Catalogue, who: str, visible: int,
        request: pytest.FixtureRequest) -> None:
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    organizations = call(client, "organization_list", all_fields=True).result
    assert sum(org["package_count"] for org in organizations) == visible
    search = call(client, "package_search", include_private=True, rows=0).result
    assert search["count"] == visible
    public_only = call(client, "package_search", rows=0).result
    assert public_only["count"] == 2
