"""A write made with an API token is recorded as the token's, at both APIs; with a session, as
the person's. The owner is the actor either way."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.audit.models import ActorKind, AuditEntry, Door
from portal.lib import factories

pytestmark = pytest.mark.django_db


def last_update() -> AuditEntry:
    return AuditEntry.objects.filter(action="dataset.update").latest("sequence")


def test_a_token_write_through_the_native_api_is_the_tokens(editor: User, agency: Agency,
                                                            client: Client) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor)
    _token, plaintext = accounts.token_create(user=editor, name="script")
    response = client.patch(f"/api/v1/datasets/{dataset.slug}", json.dumps({"title": "Mới"}),
                            content_type="application/json", HTTP_AUTHORIZATION=plaintext)
    assert response.status_code == 200, response.content
    entry = last_update()
    assert (entry.door, entry.actor_kind, entry.actor) == (Door.API, ActorKind.TOKEN, editor)


def test_a_session_write_through_the_native_api_is_the_persons(editor: User, agency: Agency
                                                               ) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor)
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    client.get("/dataset/")  # a page sets the CSRF cookie, as the portal's own pages do
    response = client.patch(f"/api/v1/datasets/{dataset.slug}", json.dumps({"title": "Mới"}),
                            content_type="application/json",
                            HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    assert response.status_code == 200, response.content
    entry = last_update()
    assert (entry.door, entry.actor_kind, entry.actor) == (Door.API, ActorKind.PERSON, editor)


def test_a_token_write_through_the_ckan_api_is_the_tokens(editor: User, agency: Agency,
                                                          client: Client) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor)
    _token, plaintext = accounts.token_create(user=editor, name="ckanapi")
    response = client.post("/api/3/action/package_patch",
                           json.dumps({"id": dataset.slug, "title": "Mới"}),
                           content_type="application/json", HTTP_X_CKAN_API_KEY=plaintext)
    assert response.json()["success"], response.content
    entry = last_update()
    assert (entry.door, entry.actor_kind, entry.actor) == (Door.CKAN, ActorKind.TOKEN, editor)


def test_the_token_kind_does_not_outlive_its_request(editor: User, agency: Agency,
                                                     client: Client) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor)
    _token, plaintext = accounts.token_create(user=editor, name="script")
    client.get(f"/api/v1/datasets/{dataset.slug}", HTTP_AUTHORIZATION=plaintext)
    factories.make_dataset(agency=agency, user=editor, title="Sau đó")
    entry = AuditEntry.objects.filter(action="dataset.create").latest("sequence")
    assert (entry.door, entry.actor_kind) == (Door.COMMAND, ActorKind.PERSON)
