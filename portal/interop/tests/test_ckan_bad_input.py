"""Whatever a client sends, the answer is CKAN's envelope and never a server error."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import LazySettings
from django.test import Client

from portal.accounts.models import User
from portal.accounts.services import token_create
from portal.interop.ckan.actions import ACTIONS
from portal.interop.tests.conftest import Catalogue
from portal.ops.rates import Rate

pytestmark = pytest.mark.django_db

ODD_VALUES: list[Any] = [
    "", " ", "\x00", "a\x00b", "-1", "99999999999999999999999", "1e400", "1.5", "true",
    "ñ" * 3000, '"', "(", "[", "*:*", "%", "\\", "null", [], ["a", "b"], {}, {"a": 1}, None,
    True, 10**30, -(10**30), 1.5, float("1e300"),
]
PARAMETERS = ["id", "name", "q", "fq", "fq_list", "rows", "start", "sort", "facet.field",
              "facet.limit", "facet.mincount", "fl", "limit", "offset", "page", "all_fields",
              "include_private", "include_datasets", "query", "organizations", "groups",
              "vocabulary_id"]
WRITE_PARAMETERS = ["owner_org", "tags", "tag_string", "license_id", "notes", "private",
                    "access_level", "temporal_start", "spatial", "contact_point", "maintainer",
                    "resources", "state", "package_id", "url", "upload", "resource_type",
                    "period", "username", "role", "permission", "user_id", "jti", "token",
                    "object_type", "capacity"]

# The DataStore actions read only these; the catalogue's parameters would be refused unread.
DATASTORE_PARAMETERS = ["resource_id", "id", "filters", "q", "fields", "sort", "limit", "offset",
                        "include_total", "records_format", "distinct", "plain", "language",
                        "sql"]


@pytest.fixture(autouse=True)
def _no_rate_limit(settings: LazySettings) -> None:
    # Hundreds of calls a test: far past the per-address limit, which is not tested here.
    settings.RATE_LIMIT_ANONYMOUS = settings.RATE_LIMIT_TOKEN = Rate(100_000, 3600)


def assert_ckan_answer(response: Any) -> None:
    assert response.status_code in (200, 400, 403, 404, 409), response.content
    body = response.json()
    assert body["help"].startswith("http://testserver/api/3/action/help_show?name=")
    assert body["success"] is (response.status_code == 200)
    if not body["success"]:
        assert isinstance(body["error"]["__type"], str)


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_odd_json_values_never_break_an_action(client: Client, catalogue: Catalogue,
                                               action: str, sysadmin: User) -> None:
    # A system administrator's token, so that the write actions read every parameter too.
    token = token_create(user=sysadmin, name="fuzz")[1]
    parameters = (DATASTORE_PARAMETERS if action.startswith("datastore_")
                  else PARAMETERS + WRITE_PARAMETERS)
    for parameter in parameters:
        for value in ODD_VALUES:
            response = client.post(f"/api/3/action/{action}", json.dumps({parameter: value}),
                                   content_type="application/json", HTTP_AUTHORIZATION=token)
            assert_ckan_answer(response)


@pytest.mark.parametrize("action", ["package_search", "package_show", "organization_list"])
def test_odd_query_strings_never_break_an_action(client: Client, catalogue: Catalogue,
                                                 action: str) -> None:
    for query in ["id=%00", "q=%00", "fq=tags:%00", "rows=1&rows=2", "sort=%00",
                  "fq=metadata_modified:[0000-00-00 TO 99999-99-99]",
                  "fq=metadata_modified:[9999-12-31T23:59:59Z TO *]", "id=%ff%fe",
                  "fq=" + "(" * 500, "fq=" + "tags:a%20OR%20" * 30 + "tags:b"]:
        assert_ckan_answer(client.get(f"/api/3/action/{action}?{query}"))


@pytest.mark.parametrize("body", [b"[" * 100000, b'{"id": ' + b"[" * 100000, b"\x00", b"{}" * 10])
def test_odd_bodies_are_bad_requests(client: Client, body: bytes) -> None:
    response = client.post("/api/3/action/package_show", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["__type"] == "Bad request"


def test_broken_multipart_form_is_a_bad_request(client: Client) -> None:
    response = client.post("/api/3/action/package_show", b"--x\r\nbroken",
                           content_type="multipart/form-data; boundary=x")
    assert response.status_code in (400, 409)
    assert response.json()["success"] is False
