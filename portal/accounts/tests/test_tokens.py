"""API tokens: created once, stored hashed, expiring, revocable, and honoured by the CKAN API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone

from portal.accounts import services
from portal.accounts.models import ApiToken, User
from portal.accounts.tokens import TokenRefused, hash_secret, user_from_request
from portal.agencies.models import Agency
from portal.catalog.models import Dataset
from portal.lib import factories
from portal.lib.errors import ApplicationError, PermissionDenied


@pytest.fixture
def private(agency: Agency, editor: User) -> Dataset:
    return factories.make_dataset(agency=agency, user=editor, slug="noi-bo",
                                  access_level="agency")


def _search(client: Client, **headers: str) -> Any:
    return client.get("/api/3/action/package_search", {"include_private": "true"},
                      HTTP_ACCEPT_LANGUAGE="en", headers=headers)


def _names(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [dataset["name"] for dataset in response.json()["result"]["results"]]


def test_token_is_shown_once_and_stored_only_as_a_hash(member: User) -> None:
    token, plaintext = services.token_create(user=member, name="harvester")
    assert plaintext.startswith(f"odp_{token.prefix}_")
    secret = plaintext.split("_", 2)[2]
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.secret_hash == hash_secret(secret)
    assert secret not in {value for value in vars(stored).values() if isinstance(value, str)}


@pytest.mark.parametrize("header", ["Authorization", "Bearer", "X-CKAN-API-Key"])
def test_ckan_api_honours_every_header_form(client: Client, member: User, private: Dataset,
                                            header: str) -> None:
    _token, plaintext = services.token_create(user=member, name="script")
    headers = {"X-CKAN-API-Key": plaintext} if header == "X-CKAN-API-Key" else {
        "Authorization": f"Bearer {plaintext}" if header == "Bearer" else plaintext}
    assert _names(_search(client, **headers)) == ["noi-bo"]
    assert _names(_search(client)) == []


@pytest.mark.parametrize("value", [
    "nonsense", "odp_abc", "Basic dXNlcjpwYXNz", "Bearer ", "odp_0123456789ab_" + "x" * 43])
def test_ckan_api_refuses_a_malformed_or_unknown_token(client: Client, private: Dataset,
                                                       value: str) -> None:
    response = _search(client, Authorization=value)
    assert response.status_code == 403
    assert response.json()["error"]["__type"] == "Authorization Error"
    assert response.json()["success"] is False


def test_a_right_prefix_with_a_wrong_secret_is_refused(client: Client, member: User) -> None:
    token, plaintext = services.token_create(user=member, name="script")
    forged = f"odp_{token.prefix}_{'A' * 43}"
    assert _search(client, Authorization=forged).status_code == 403
    assert _search(client, Authorization=plaintext).status_code == 200


def test_revoked_token_authenticates_nobody(client: Client, member: User) -> None:
    token, plaintext = services.token_create(user=member, name="script")
    services.token_revoke(actor=member, token=token)
    response = _search(client, **{"X-CKAN-API-Key": plaintext})
    assert response.status_code == 403
    assert "revoked" in response.json()["error"]["message"]


def test_expired_token_authenticates_nobody(client: Client, member: User) -> None:
    token, plaintext = services.token_create(user=member, name="script", expires_days=1)
    assert _search(client, Authorization=plaintext).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires=timezone.now() - timedelta(seconds=1))
    assert _search(client, Authorization=plaintext).status_code == 403


def test_token_of_a_deactivated_user_authenticates_nobody_even_after_reactivation(
        client: Client, member: User) -> None:
    _token, plaintext = services.token_create(user=member, name="script")
    services.user_set_active(actor=None, user=member, active=False)
    assert _search(client, Authorization=plaintext).status_code == 403
    services.user_set_active(actor=None, user=member, active=True)
    assert _search(client, Authorization=plaintext).status_code == 403


def test_last_used_is_written_at_most_once_a_minute(member: User) -> None:
    token, plaintext = services.token_create(user=member, name="script")
    factory = RequestFactory()
    user_from_request(factory.get("/", HTTP_AUTHORIZATION=plaintext))
    first = ApiToken.objects.get(pk=token.pk).last_used
    assert first is not None
    user_from_request(factory.get("/", HTTP_AUTHORIZATION=plaintext))
    assert ApiToken.objects.get(pk=token.pk).last_used == first
    ApiToken.objects.filter(pk=token.pk).update(last_used=first - timedelta(minutes=2))
    user_from_request(factory.get("/", HTTP_AUTHORIZATION=plaintext))
    again = ApiToken.objects.get(pk=token.pk).last_used
    assert again is not None
    assert again > first - timedelta(minutes=1)


def test_request_without_token_is_nobody_and_a_bad_one_raises(member: User) -> None:
    factory = RequestFactory()
    assert user_from_request(factory.get("/")) is None
    with pytest.raises(TokenRefused):
        user_from_request(factory.get("/", HTTP_X_CKAN_API_KEY="odp_bad"))
    _token, plaintext = services.token_create(user=member, name="script", read_only=True)
    found = user_from_request(factory.get("/", HTTP_AUTHORIZATION=f"bearer {plaintext}"))
    assert found is not None
    assert found[0] == member
    assert found[1].read_only


def test_token_names_are_unique_among_live_tokens_of_a_user(member: User, editor: User) -> None:
    token, _plaintext = services.token_create(user=member, name="script")
    with pytest.raises(ApplicationError) as error:
        services.token_create(user=member, name="script")
    assert "name" in error.value.field_errors
    services.token_create(user=editor, name="script")
    services.token_revoke(actor=None, token=token)
    services.token_create(user=member, name="script")


@pytest.mark.parametrize(("name", "days", "field"), [
    ("", None, "name"), ("x" * 101, None, "name"), ("ok", 0, "expires_days"),
    ("ok", 3651, "expires_days")])
def test_token_create_refuses_bad_values(member: User, name: str, days: int | None,
                                         field: str) -> None:
    with pytest.raises(ApplicationError) as error:
        services.token_create(user=member, name=name, expires_days=days)
    assert field in error.value.field_errors


def test_only_the_owner_or_a_sysadmin_revokes_a_token(member: User, editor: User,
                                                      sysadmin: User) -> None:
    token, _plaintext = services.token_create(user=member, name="script")
    with pytest.raises(PermissionDenied):
        services.token_revoke(actor=editor, token=token)
    assert services.token_revoke(actor=sysadmin, token=token).revoked is not None
