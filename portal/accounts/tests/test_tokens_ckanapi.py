"""The real `ckanapi` client with an API key, against a running portal."""

from __future__ import annotations

from collections.abc import Iterator

import ckanapi
import pytest
from pytest_django.live_server_helper import LiveServer

from portal.accounts import services
from portal.accounts.models import Role, User
from portal.agencies.models import Agency
from portal.lib import factories

# Transactional: the server's thread must see the data.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def member(live_server: LiveServer, agency: Agency) -> User:
    editor = factories.make_user(role=Role.EDITOR, agency=agency)
    factories.make_dataset(agency=agency, user=editor, slug="noi-bo", access_level="agency")
    factories.make_dataset(agency=agency, user=editor, slug="cong-khai")
    return factories.make_user(role=Role.MEMBER, agency=agency)


def _client(url: str, apikey: str | None = None) -> Iterator[ckanapi.RemoteCKAN]:
    # Closed at the end: a kept-alive connection would outlive the server's database connection.
    with ckanapi.RemoteCKAN(url, apikey=apikey) as client:
        yield client


def _private_names(client: ckanapi.RemoteCKAN) -> list[str]:
    result = client.action.package_search(include_private=True, sort="name asc")
    return [dataset["name"] for dataset in result["results"]]


def test_ckanapi_with_a_token_sees_the_agency_private_dataset(live_server: LiveServer,
                                                              member: User) -> None:
    _token, plaintext = services.token_create(user=member, name="ckanapi")
    for client in _client(live_server.url, apikey=plaintext):
        assert _private_names(client) == ["cong-khai", "noi-bo"]
        assert client.action.package_show(id="noi-bo")["name"] == "noi-bo"
    for client in _client(live_server.url):
        assert _private_names(client) == ["cong-khai"]
        with pytest.raises(ckanapi.NotFound):
            client.action.package_show(id="noi-bo")


def test_ckanapi_with_a_revoked_token_is_not_authorized(live_server: LiveServer,
                                                        member: User) -> None:
    token, plaintext = services.token_create(user=member, name="ckanapi")
    services.token_revoke(actor=member, token=token)
    for client in _client(live_server.url, apikey=plaintext):
        with pytest.raises(ckanapi.NotAuthorized):
            client.action.package_search()
