"""The same bad input is refused the same way through the pages, /api/v1 and /api/3/action.

One table of bad values, each sent to the three doors the way their users send it: the staff
page's form, a JSON body to /api/v1, a CKAN action. Every door must refuse (no server error on
PostgreSQL, where a too long value would overflow its column), name the field in its own words,
give the same message for it, and save nothing.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.forms import initial_from_dataset
from portal.catalog.inputs import DESCRIPTION_MAX_LENGTH, KEYWORDS_MAX
from portal.catalog.models import Dataset, Licence, Resource, ResourceKind
from portal.lib import factories

Errors = dict[str, list[str]]
TOKEN_NUMBERS = itertools.count(1)

# The field as the catalogue names it, and a value every door must refuse.
BAD_DATASET_VALUES: list[tuple[str, Any]] = [
    ("title", "T" * 400),
    ("contact_email", "not-an-email"),
    ("contact_email", "an@" + "x" * 250 + ".vn"),
    ("contact_name", "N" * 201),
    ("source_system", "S" * 301),
    ("slug", "Không hợp lệ"),
    ("slug", "a" * 101),
    ("description", "D" * (DESCRIPTION_MAX_LENGTH + 1)),
    ("keywords", ["k" * 101]),
    ("keywords", [f"từ khoá {number}" for number in range(KEYWORDS_MAX + 1)]),
    ("access_level", "secret"),
    ("frequency", "sometimes"),
]
BAD_RESOURCE_VALUES: list[tuple[str, Any]] = [
    ("name", "N" * 301),
    ("url", "not an address"),
    ("url", "javascript:alert(1)"),
    ("url", "https://example.gov.vn/" + "a" * 2000),
    ("format", "F" * 51),
    ("description", "D" * (DESCRIPTION_MAX_LENGTH + 1)),
    ("period", "2026-13"),
]

# Each door's name for a field, where it is not the catalogue's.
V1_KEYS = {"slug": "name"}
CKAN_KEYS = {"slug": "name", "description": "notes", "keywords": "tags",
             "contact_name": "maintainer", "contact_email": "maintainer_email"}


def good_dataset(agency: Agency) -> dict[str, Any]:
    return {"title": "Chất lượng nước", "slug": "chat-luong-nuoc", "description": "Đo hằng tháng.",
            "keywords": ["nước"], "access_level": "public", "frequency": "monthly",
            "contact_name": "Lê Văn An", "contact_email": "an@ninhbinh.gov.vn",
            "source_system": "Hệ thống quan trắc"}


GOOD_RESOURCE: dict[str, Any] = {
    "name": "Bảng giá", "url": "https://example.gov.vn/gia.csv", "format": "CSV",
    "description": "Giá đất.", "period": "2026"}


def token_headers(user: User) -> dict[str, str]:
    _token, plaintext = accounts.token_create(user=user, name=f"doors {next(TOKEN_NUMBERS)}")
    return {"HTTP_AUTHORIZATION": plaintext}


def json_call(method: str, url: str, user: User, body: dict[str, Any]) -> Any:
    return getattr(Client(), method)(url, json.dumps(body), content_type="application/json",
                                     **token_headers(user))


# Pages ---------------------------------------------------------------------------------------


def page_form_errors(response: Any) -> Errors:
    assert response.status_code == 400, response.status_code
    return {name: [str(message) for message in messages]
            for name, messages in response.context["form"].errors.items()}


def page_dataset_values(values: dict[str, Any]) -> dict[str, Any]:
    return values | {"keywords": ", ".join(values["keywords"])}


def page_create_dataset(user: User, agency: Agency, values: dict[str, Any]) -> Errors:
    client = Client()
    client.force_login(user)
    data = page_dataset_values(values) | {"licence": Licence.objects.get(
        is_default=True).pk, "sectors": [agency.sectors.all()[0].pk]}
    return page_form_errors(client.post("/dataset/new", data))


def page_update_dataset(user: User, dataset: Dataset, values: dict[str, Any]) -> Errors:
    client = Client()
    client.force_login(user)
    current = initial_from_dataset(dataset) | {"licence": dataset.licence.pk}
    data = current | page_dataset_values(values | {
        "keywords": values.get("keywords", current["keywords"].split(", "))})
    data = {name: value for name, value in data.items() if value is not None}
    return page_form_errors(client.post(f"/dataset/edit/{dataset.slug}", data))


def page_create_resource(user: User, dataset: Dataset, values: dict[str, Any]) -> Errors:
    client = Client()
    client.force_login(user)
    response = client.post(f"/dataset/{dataset.slug}/resource/new",
                           values | {"kind": ResourceKind.LINK})
    return page_form_errors(response)


def page_update_resource(user: User, resource: Resource, values: dict[str, Any]) -> Errors:
    client = Client()
    client.force_login(user)
    response = client.post(f"/dataset/{resource.dataset.slug}/resource/{resource.pk}/edit",
                           GOOD_RESOURCE | values)
    return page_form_errors(response)


# /api/v1 -------------------------------------------------------------------------------------


def v1_errors(response: Any) -> Errors:
    assert response.status_code == 422, response.content
    errors: Errors = response.json()["error"]["fields"]
    return errors


def v1_dataset_body(values: dict[str, Any]) -> dict[str, Any]:
    return {V1_KEYS.get(name, name): value for name, value in values.items()}


def v1_create_dataset(user: User, agency: Agency, values: dict[str, Any]) -> Errors:
    body = v1_dataset_body(values) | {"agency": agency.slug,
                                      "sectors": [agency.sectors.all()[0].code]}
    return v1_errors(json_call("post", "/api/v1/datasets", user, body))


def v1_update_dataset(user: User, dataset: Dataset, values: dict[str, Any]) -> Errors:
    return v1_errors(json_call("patch", f"/api/v1/datasets/{dataset.slug}", user,
                               v1_dataset_body(values)))


def v1_create_resource(user: User, dataset: Dataset, values: dict[str, Any]) -> Errors:
    return v1_errors(json_call("post", f"/api/v1/datasets/{dataset.slug}/resources", user,
                               values | {"kind": ResourceKind.LINK}))


def v1_update_resource(user: User, resource: Resource, values: dict[str, Any]) -> Errors:
    return v1_errors(json_call("patch", f"/api/v1/resources/{resource.pk}", user, values))


# CKAN ----------------------------------------------------------------------------------------


def ckan_errors(response: Any) -> Errors:
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["success"] is False
    return {name: messages for name, messages in body["error"].items() if name != "__type"}


def ckan_dataset_params(values: dict[str, Any]) -> dict[str, Any]:
    params = {CKAN_KEYS.get(name, name): value for name, value in values.items()}
    if "tags" in params:
        params["tags"] = [{"name": keyword} for keyword in params["tags"]]
    return params


def ckan_create_dataset(user: User, agency: Agency, values: dict[str, Any]) -> Errors:
    params = ckan_dataset_params(values) | {"owner_org": agency.slug,
                                            "groups": [{"name": agency.sectors.all()[0].code}]}
    return ckan_errors(json_call("post", "/api/3/action/package_create", user, params))


def ckan_update_dataset(user: User, dataset: Dataset, values: dict[str, Any]) -> Errors:
    params = ckan_dataset_params(values) | {"id": dataset.slug}
    return ckan_errors(json_call("post", "/api/3/action/package_patch", user, params))


def ckan_create_resource(user: User, dataset: Dataset, values: dict[str, Any]) -> Errors:
    return ckan_errors(json_call("post", "/api/3/action/resource_create", user,
                                 values | {"package_id": dataset.slug}))


def ckan_update_resource(user: User, resource: Resource, values: dict[str, Any]) -> Errors:
    return ckan_errors(json_call("post", "/api/3/action/resource_patch", user,
                                 values | {"id": str(resource.pk)}))


DOOR_KEYS = {"pages": {}, "api/v1": V1_KEYS, "ckan": CKAN_KEYS}
DatasetDoor = Callable[[User, Any, dict[str, Any]], Errors]
DATASET_CREATORS: dict[str, DatasetDoor] = {
    "pages": page_create_dataset, "api/v1": v1_create_dataset, "ckan": ckan_create_dataset}
DATASET_UPDATERS: dict[str, DatasetDoor] = {
    "pages": page_update_dataset, "api/v1": v1_update_dataset, "ckan": ckan_update_dataset}
RESOURCE_CREATORS: dict[str, DatasetDoor] = {
    "pages": page_create_resource, "api/v1": v1_create_resource, "ckan": ckan_create_resource}
RESOURCE_UPDATERS: dict[str, DatasetDoor] = {
    "pages": page_update_resource, "api/v1": v1_update_resource, "ckan": ckan_update_resource}


def refusals(doors: dict[str, DatasetDoor], field: str, call: Callable[[DatasetDoor], Errors]
             ) -> dict[str, list[str]]:
    """Each door's messages for `field`, checked to be there under the door's own name."""
    said: dict[str, list[str]] = {}
    for door, send in doors.items():
        errors = call(send)
        key = DOOR_KEYS[door].get(field, field)
        assert errors.get(key), f"{door} did not name {key}: {errors}"
        said[door] = errors[key]
    return said


def assert_same_everywhere(said: dict[str, list[str]]) -> None:
    first = said["pages"]
    assert all(messages == first for messages in said.values()), said


@pytest.mark.parametrize(("field", "value"), BAD_DATASET_VALUES)
def test_a_bad_dataset_field_is_refused_alike_at_every_door(
        editor: User, agency: Agency, field: str, value: Any) -> None:
    values = good_dataset(agency) | {field: value}
    said = refusals(DATASET_CREATORS, field, lambda send: send(editor, agency, values))
    assert_same_everywhere(said)
    assert not Dataset.objects.filter(agency=agency).exists()

    dataset = factories.make_dataset(agency=agency, user=editor, **good_dataset(agency))
    said = refusals(DATASET_UPDATERS, field, lambda send: send(editor, dataset, {field: value}))
    assert_same_everywhere(said)
    before = dataset.version
    dataset.refresh_from_db()
    assert (dataset.version, dataset.title) == (before, "Chất lượng nước")


@pytest.mark.parametrize(("field", "value"), BAD_RESOURCE_VALUES)
def test_a_bad_resource_field_is_refused_alike_at_every_door(
        editor: User, agency: Agency, field: str, value: Any) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor)
    values = GOOD_RESOURCE | {field: value}
    said = refusals(RESOURCE_CREATORS, field, lambda send: send(editor, dataset, values))
    assert_same_everywhere(said)
    assert not dataset.resources.exists()

    resource = factories.make_resource(dataset=dataset, user=editor, kind=ResourceKind.LINK,
                                       **GOOD_RESOURCE)
    said = refusals(RESOURCE_UPDATERS, field, lambda send: send(editor, resource, {field: value}))
    assert_same_everywhere(said)
    resource.refresh_from_db()
    assert (resource.name, resource.url) == (GOOD_RESOURCE["name"], GOOD_RESOURCE["url"])
