"""Authentication of /api/v1 is declared on the API, so that no endpoint depends on remembering a
call: every write endpoint, found by walking the OpenAPI document, refuses a caller without
credentials (401), a session without the CSRF token (403), a token that authenticates nobody
(401) and a read-only token (403), each in the API's one error shape, before reading its input
and without changing anything."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from portal.accounts import services as accounts
from portal.accounts.models import ApiToken, User
from portal.api.tests.conftest import error_of, token_for
from portal.catalog.models import Dataset, Resource, ResourceKind
from portal.lib import factories

WRITE_METHODS = ("post", "put", "patch", "delete")
# Endpoints that take POST to read (a statement too long for a query string): anyone may call.
READS_BY_POST = {("post", "/api/v1/sql")}
# The writes the public makes without an account (docs/api.md's deliberate exception): refused
# like every write to a bad token or a session without CSRF, but not to nobody.
PUBLIC_WRITES = {("post", "/api/v1/datasets/{id_or_name}/feedback"), ("post", "/api/v1/requests"),
                 ("post", "/api/v1/requests/{request_id}/support")}


def operations(client: Client) -> list[tuple[str, str]]:
    document = client.get("/api/v1/openapi.json").json()
    return [(method, path) for path, item in document["paths"].items() for method in item]


def write_operations(client: Client) -> list[tuple[str, str]]:
    return [(method, path) for method, path in operations(client)
            if method in WRITE_METHODS and (method, path) not in READS_BY_POST]


def real_path(path: str, values: dict[str, str]) -> str:
    """The path with each parameter replaced by a record that exists, so that an endpoint that
    forgot to authenticate would really act."""
    return re.sub(r"{(\w+)}", lambda match: values.get(match[1], "1"), path)


@pytest.fixture
def records(editor: User, public: Dataset) -> dict[str, str]:
    resource = factories.make_resource(dataset=public, user=editor, kind=ResourceKind.LINK,
                                       name="Bản đồ", url="https://gis.ninhbinh.gov.vn/")
    token, _plaintext = accounts.token_create(user=editor, name="to revoke")
    return {"id_or_name": public.slug, "resource_id": str(resource.pk), "token_id": str(token.pk),
            "number": "1", "slug": public.agency.slug, "code": public.sectors.get().code,
            "fmt": "csv"}


def revoked_token(user: User) -> str:
    token, plaintext = accounts.token_create(user=user, name="revoked")
    accounts.token_revoke(actor=user, token=token)
    return plaintext


def expired_token(user: User) -> str:
    token, plaintext = accounts.token_create(user=user, name="expired", expires_days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires=timezone.now() - timedelta(minutes=1))
    return plaintext


def send(client: Client, method: str, path: str, **headers: Any) -> Any:
    if method == "get":
        return client.get(path, **headers)
    return getattr(client, method)(path, "{}", content_type="application/json", **headers)


def session_without_csrf(user: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


Caller = Callable[[User], tuple[Client, dict[str, str]]]
REFUSED: list[tuple[str, Caller, int, str]] = [
    ("no credentials", lambda user: (Client(), {}), 401, "not_authenticated"),
    ("a session without the CSRF token", lambda user: (session_without_csrf(user), {}),
     403, "csrf_failed"),
    ("a malformed token", lambda user: (Client(), {"HTTP_AUTHORIZATION": "odp_nope"}),
     401, "invalid_token"),
    ("an unknown token", lambda user: (Client(), {"HTTP_AUTHORIZATION": "Bearer odp_"
                                                  "0123456789ab_" + "x" * 43}),
     401, "invalid_token"),
    ("a revoked token", lambda user: (Client(), {"HTTP_AUTHORIZATION": revoked_token(user)}),
     401, "invalid_token"),
    ("an expired token", lambda user: (Client(), {"HTTP_AUTHORIZATION": expired_token(user)}),
     401, "invalid_token"),
    ("a read-only token", lambda user: (Client(), {
        "HTTP_AUTHORIZATION": token_for(user, read_only=True)}), 403, "read_only_token"),
    ("a token with another scheme", lambda user: (Client(), {
        "HTTP_AUTHORIZATION": "Basic " + token_for(user)}), 401, "invalid_token"),
]


def test_the_sweep_finds_every_kind_of_write(client: Client) -> None:
    found = write_operations(client)
    assert len(found) >= 12, found
    assert {method for method, _path in found} == set(WRITE_METHODS)
    assert ("post", "/api/v1/datasets/{id_or_name}/resources") in found
    assert ("put", "/api/v1/resources/{resource_id}/datastore/dictionary") in found


@pytest.mark.parametrize(("case", "caller", "status", "code"), REFUSED,
                         ids=[case for case, *_rest in REFUSED])
def test_every_write_endpoint_refuses(editor: User, records: dict[str, str], case: str,
                                      caller: Caller, status: int, code: str) -> None:
    client, headers = caller(editor)
    dataset = Dataset.objects.get(slug=records["id_or_name"])
    for method, path in write_operations(Client()):
        if case == "no credentials" and (method, path) in PUBLIC_WRITES:
            continue
        response = send(client, method, real_path(path, records), **headers)
        error = error_of(response, status, code)
        assert error["fields"] == {}, (method, path, error)
    assert Dataset.objects.get(pk=dataset.pk).version == dataset.version
    assert Resource.objects.get(pk=records["resource_id"]).name == "Bản đồ"
    assert not ApiToken.objects.filter(pk=records["token_id"], revoked__isnull=False).exists()


BAD_TOKENS = [item for item in REFUSED if item[3] == "invalid_token"]


@pytest.mark.parametrize(("case", "caller", "status", "code"), BAD_TOKENS,
                         ids=[case for case, *_rest in BAD_TOKENS])
def test_every_endpoint_refuses_a_token_that_authenticates_nobody(
        editor: User, records: dict[str, str], case: str, caller: Caller, status: int,
        code: str) -> None:
    client, headers = caller(editor)
    for method, path in operations(Client()):
        error_of(send(client, method, real_path(path, records), **headers), status, code)


def test_reads_by_post_are_open_to_anyone(records: dict[str, str]) -> None:
    for method, path in READS_BY_POST:
        response = getattr(Client(), method)(path, '{"sql": "SELECT 1"}',
                                             content_type="application/json")
        assert response.status_code in (200, 400), response.content


def test_a_session_with_the_csrf_token_writes(editor: User, records: dict[str, str]) -> None:
    client = session_without_csrf(editor)
    client.get("/")  # a page with a form (the language switch) sets the CSRF cookie
    response = client.patch(f"/api/v1/resources/{records['resource_id']}", '{"name": "Mới"}',
                            content_type="application/json",
                            HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Mới"


def test_every_operation_declares_its_security(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert operation.get("security"), (method, path)
    schemes = document["components"]["securitySchemes"]
    assert {scheme["type"] for scheme in schemes.values()} == {"http"}
