"""CKAN's envelope and error shapes, whatever the action and however the call is made."""

from __future__ import annotations

import json

import pytest
from django.conf import LazySettings
from django.test import Client

from portal.interop.ckan.actions import ACTIONS
from portal.interop.tests.conftest import Catalogue, call

pytestmark = pytest.mark.django_db


def test_api_root_says_version_3(client: Client) -> None:
    response = client.get("/api/3")
    assert response.status_code == 200
    assert response.json() == {"version": 3}


def test_success_is_wrapped_in_ckan_envelope_with_absolute_help_url(client: Client) -> None:
    body = call(client, "status_show").body
    assert list(body) == ["help", "success", "result"]
    assert body["help"] == "http://testserver/api/3/action/help_show?name=status_show"
    assert body["success"] is True


def test_help_url_uses_site_url_when_set(client: Client, settings: LazySettings) -> None:
    settings.SITE_URL = "https://data.ninhbinh.gov.vn"
    body = call(client, "package_list").body
    assert body["help"] == "https://data.ninhbinh.gov.vn/api/3/action/help_show?name=package_list"


def test_unversioned_path_answers_the_same(client: Client, catalogue: Catalogue) -> None:
    versioned = client.get("/api/3/action/package_list").json()
    unversioned = client.get("/api/action/package_list").json()
    assert versioned == unversioned
    assert unversioned["result"] == ["co-so-y-te", "dan-so-trung-binh"]


def test_unknown_action_is_a_bad_request(client: Client) -> None:
    answer = call(client, "organization_create")
    assert answer.status == 400
    assert answer.error == {"__type": "Bad request",
                            "message": "Bad request - Action name not known: organization_create"}


def test_missing_dataset_is_not_found_with_ckan_error(client: Client) -> None:
    answer = call(client, "package_show", id="khong-co")
    assert answer.status == 404
    assert list(answer.body) == ["help", "success", "error"]
    assert answer.error == {"__type": "Not Found Error", "message": "Not found"}


def test_validation_error_lists_messages_per_field(client: Client) -> None:
    answer = call(client, "package_search", rows="mười", start="-1")
    assert answer.status == 409
    assert answer.error == {"__type": "Validation Error", "rows": ["Invalid integer"],
                            "start": ["Must be a natural number"]}


def test_missing_id_is_a_validation_error(client: Client) -> None:
    answer = call(client, "package_show")
    assert answer.status == 409
    assert answer.error == {"__type": "Validation Error", "id": ["Missing value"]}


def test_post_with_json_body_is_read(client: Client, catalogue: Catalogue) -> None:
    answer = call(client, "package_show", method="post", id="dan-so-trung-binh")
    assert answer.result["name"] == "dan-so-trung-binh"


def test_post_without_csrf_token_is_accepted(catalogue: Catalogue) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/action/package_list", "{}", content_type="application/json")
    assert response.status_code == 200


def test_post_as_form_is_read(client: Client, catalogue: Catalogue) -> None:
    response = client.post("/api/3/action/package_show", {"id": "dan-so-trung-binh"})
    assert response.json()["result"]["name"] == "dan-so-trung-binh"


def test_json_posted_as_the_only_form_key_is_read_as_old_clients_send_it(
        client: Client, catalogue: Catalogue) -> None:
    response = client.post("/api/3/action/package_show", '{"id": "dan-so-trung-binh"}',
                           content_type="application/x-www-form-urlencoded")
    assert response.json()["result"]["name"] == "dan-so-trung-binh"


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", "\"text\"", "\xff"])
def test_body_that_is_not_a_json_object_is_a_bad_request(client: Client, body: str) -> None:
    response = client.post("/api/3/action/package_show", body.encode("latin-1"),
                           content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["__type"] == "Bad request"
    assert error["message"].startswith("Bad request - ")


def test_other_methods_are_refused_in_ckan_shape(client: Client) -> None:
    response = client.put("/api/3/action/package_list")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"
    assert response.json()["error"]["__type"] == "Bad request"


def test_repeated_parameter_is_a_list(client: Client, catalogue: Catalogue) -> None:
    params: dict[str, list[str] | int] = {"facet.field": ["tags", "groups"], "rows": 0}
    response = client.get("/api/3/action/package_search", params)
    assert set(response.json()["result"]["search_facets"]) == {"tags", "groups"}


def test_jsonp_callback_is_ignored(client: Client, catalogue: Catalogue) -> None:
    response = client.get("/api/3/action/package_list", {"callback": "steal"})
    assert response["Content-Type"] == "application/json;charset=utf-8"
    assert json.loads(response.content)["success"] is True


def test_help_show_returns_the_documentation_of_every_action(client: Client) -> None:
    for name in ACTIONS:
        assert call(client, "help_show", name=name).result.strip(), name
    assert call(client, "help_show", name="organization_delete").status == 404


def test_messages_are_vietnamese_unless_the_client_accepts_english(client: Client) -> None:
    vietnamese = client.get("/api/3/action/xyz")
    english = client.get("/api/3/action/xyz", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert vietnamese["Content-Language"] == "vi"
    assert english["Content-Language"] == "en"
    assert english.json()["error"]["message"] == "Bad request - Action name not known: xyz"
    assert vietnamese.json()["error"]["message"] != english.json()["error"]["message"]
    assert vietnamese.json()["error"]["__type"] == english.json()["error"]["__type"]
