"""The home, list and dataset pages make as many SQL queries for 3 datasets as for 20."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.accounts.models import Role, User
from portal.agencies.models import Agency
from portal.catalog.models import Dataset
from portal.lib import factories


def grow(agency: Agency, editor: User, datasets: int, resources: int, start: int) -> Dataset:
    """Datasets with keywords, sectors and resources (hence history); the last one made."""
    sectors = list(agency.sectors.all())
    dataset = None
    for number in range(start, start + datasets):
        dataset = factories.make_dataset(
            agency=agency, user=editor, slug=f"bo-{number}",
            keywords=[f"tu-khoa-{number}", "chung"], sectors=sectors[: 1 + number % len(sectors)],
            frequency="monthly")
        for part in range(resources):
            factories.make_resource(dataset=dataset, user=editor, filename=f"phan-{part}.csv",
                                    period=f"2025-{part % 12 + 1:02d}", format="CSV")
    assert dataset is not None
    return dataset


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def counts(client: Client, dataset: Dataset) -> dict[str, int]:
    urls = {
        "home": "/",
        "list": "/dataset/",
        "search": "/dataset/?q=bo&res_format=CSV&groups=nong-nghiep&tags=chung",
        "liveness": "/dataset/?liveness=missing&liveness=on_time",
        "dataset": f"/dataset/{dataset.slug}",
        "sector": "/group/nong-nghiep",
        "agency": f"/organization/{dataset.agency.slug}",
        "sectors": "/group/",
        "agencies": "/organization/",
    }
    return {name: queries(client, url) for name, url in urls.items()}


@pytest.mark.parametrize("who", ["anonymous", "member", "outsider", "supervisor"])
def test_query_counts_do_not_grow_with_datasets_or_resources(
        client: Client, agency: Agency, editor: User, outsider: User, who: str) -> None:
    people = {
        "member": factories.make_user(role=Role.MEMBER, agency=agency),
        "outsider": outsider,
        "supervisor": factories.make_user(role=Role.SUPERVISOR),
    }
    if who in people:
        client.force_login(people[who])
    small = grow(agency, editor, datasets=3, resources=1, start=0)
    counts(client, small)  # warm up caches that are filled once per process
    before = counts(client, small)
    large = grow(agency, editor, datasets=20, resources=5, start=100)
    after = counts(client, large)
    assert after == before
