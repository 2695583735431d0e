"""The number of SQL queries of an action does not grow with the number of datasets."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.accounts.models import User
from portal.agencies.models import Agency, Sector
from portal.lib import factories

pytestmark = pytest.mark.django_db

FACETS = json.dumps(["organization", "groups", "tags", "res_format", "license_id"])
CALLS: list[tuple[str, dict[str, Any]]] = [
    ("package_search", {"rows": 50, "facet.field": FACETS, "fq": "res_format:CSV"}),
    ("package_search", {"q": "thử nghiệm", "include_private": "true", "rows": 50}),
    ("package_search", {"rows": 50, "facet.field": json.dumps(["liveness"]),
                        "fq": "liveness:(not_due OR missing)"}),
    ("current_package_list_with_resources", {"limit": 50}),
    ("organization_list", {"all_fields": "true"}),
    ("group_list", {"all_fields": "true"}),
    ("organization_show", {"id": "so-nong-nghiep-moi-truong", "include_datasets": "true"}),
    ("tag_list", {}),
    ("package_list", {}),
]


def add_datasets(count: int, agency: Agency, editor: User, sectors: list[Sector]) -> None:
    for number in range(count):
        dataset = factories.make_dataset(agency=agency, user=editor, sectors=sectors[:2],
                                         keywords=["thử nghiệm", f"từ khóa {number}"],
                                         frequency=("monthly", "irregular")[number % 2])
        factories.make_resource(dataset=dataset, user=editor)
        factories.make_resource(dataset=dataset, user=editor, filename="bang.json")


def queries(client: Client, action: str, params: dict[str, Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/api/3/action/{action}", params)
    assert response.status_code == 200, response.content
    return len(captured)


@pytest.mark.parametrize(("action", "params"), CALLS)
def test_queries_are_the_same_for_3_and_30_datasets(
        client: Client, agency: Agency, editor: User, sectors: list[Sector], action: str,
        params: dict[str, Any]) -> None:
    add_datasets(3, agency, editor, sectors)
    with_three = queries(client, action, params)
    add_datasets(27, agency, editor, sectors)
    assert queries(client, action, params) == with_three
