"""CKAN's followers: `num_followers` counts confirmed follows (dataset, organization, group),
in one query for a whole page; the follower counts; the follower list for sysadmins only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.accounts.models import User
from portal.follows.models import Follow
from portal.follows.services import follow_confirm
from portal.interop.tests.conftest import Catalogue, call
from portal.lib import factories

pytestmark = pytest.mark.django_db


def follow(email: str, **target: object) -> Follow:
    return follow_confirm(Follow.objects.create(email=email, **target))


@pytest.fixture
def followed(catalogue: Catalogue) -> Catalogue:
    public = catalogue.public
    follow("a@example.vn", dataset=public)
    follow("b@example.vn", dataset=public)
    Follow.objects.create(email="pending@example.vn", dataset=public)  # not confirmed
    follow("c@example.vn", agency=public.agency)
    follow("d@example.vn", sector=public.sectors.first())
    return catalogue


def test_num_followers_is_real_everywhere(client: Client, followed: Catalogue) -> None:
    public = followed.public
    assert call(client, "package_show", id=public.slug).result["num_followers"] == 2
    search = {item["name"]: item for item in call(client, "package_search").result["results"]}
    assert search[public.slug]["num_followers"] == 2
    assert search[followed.health.slug]["num_followers"] == 0
    organizations = {item["name"]: item["num_followers"]
                     for item in call(client, "organization_list", all_fields=True).result}
    assert organizations[public.agency.slug] == 1
    assert call(client, "organization_show", id=public.agency.slug).result["num_followers"] == 1
    sector = public.sectors.first()
    assert sector is not None
    assert call(client, "group_show", id=sector.code).result["num_followers"] == 1


def test_package_search_counts_followers_in_one_query(client: Client, followed: Catalogue
                                                      ) -> None:
    with CaptureQueriesContext(connection) as few:
        call(client, "package_search", rows=1)
    for number in range(5):
        dataset = factories.make_dataset(agency=followed.public.agency)
        follow(f"x{number}@example.vn", dataset=dataset)
    with CaptureQueriesContext(connection) as many:
        call(client, "package_search", rows=100)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_follower_counts(client: Client, followed: Catalogue) -> None:
    public = followed.public
    assert call(client, "dataset_follower_count", id=public.slug).result == 2
    assert call(client, "organization_follower_count", id=public.agency.slug).result == 1
    sector = public.sectors.first()
    assert sector is not None
    assert call(client, "group_follower_count", id=sector.code).result == 1
    assert call(client, "dataset_follower_count", id=followed.draft.slug).status == 404
    assert call(client, "organization_follower_count", id="khong-co").status == 404


def test_only_sysadmins_list_a_datasets_followers(client: Client, followed: Catalogue,
                                                  supervisor: User, sysadmin: User) -> None:
    public = followed.public
    assert call(client, "dataset_follower_list", id=public.slug).status == 403
    client.force_login(supervisor)
    assert call(client, "dataset_follower_list", id=public.slug).status == 403
    client.force_login(sysadmin)
    emails = [item["email"] for item in
              call(client, "dataset_follower_list", id=public.slug).result]
    assert emails == ["a@example.vn", "b@example.vn"]
