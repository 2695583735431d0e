"""Rate limits through the doors callers use: both APIs, the login form, public forms."""

from __future__ import annotations

import hashlib

import pytest
from django.conf import LazySettings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory

from portal.accounts.models import User
from portal.lib.env import Setting
from portal.ops.ratelimit import buckets_for
from portal.ops.rates import Rate, parse_rate

TWO_AN_HOUR = Rate(count=2, seconds=3600)  # an hour: a test never straddles a window
TOKEN = "odp_0123456789ab_" + "x" * 43


def test_rates_read_a_count_per_unit() -> None:
    assert parse_rate("120/m") == Rate(120, 60)
    assert parse_rate(" 600 / h ") == Rate(600, 3600)
    assert str(Rate(10, 86400)) == "10/d"


@pytest.mark.parametrize("raw", ["", "120", "0/m", "12/w", "-1/m", "ten/m"])
def test_a_rate_that_does_not_parse_stops_start_up(raw: str) -> None:
    setting = Setting("RATE_LIMIT_ANONYMOUS", parse_rate, "120/m", "doc")
    with pytest.raises(ImproperlyConfigured, match="RATE_LIMIT_ANONYMOUS"):
        setting.read({"RATE_LIMIT_ANONYMOUS": raw})


@pytest.fixture
def low_limits(settings: LazySettings) -> None:
    settings.RATE_LIMIT_ANONYMOUS = TWO_AN_HOUR
    settings.RATE_LIMIT_TOKEN = TWO_AN_HOUR
    settings.RATE_LIMIT_LOGIN = TWO_AN_HOUR


@pytest.mark.usefixtures("low_limits")
def test_anonymous_ckan_api_caller_gets_429_with_retry_after_in_ckan_shape(db: None) -> None:
    client = Client()
    for _ in range(2):
        assert client.get("/api/3/action/package_list").status_code == 200
    response = client.get("/api/3/action/package_list")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    body = response.json()
    assert body["success"] is False
    assert body["help"].endswith("/api/3/action/help_show?name=package_list")
    assert body["error"]["__type"] == "Rate Limit Error"
    assert response["Retry-After"] in body["error"]["message"]


@pytest.mark.usefixtures("low_limits")
def test_the_unversioned_ckan_api_and_the_native_api_share_the_address_counter(db: None) -> None:
    client = Client()
    assert client.get("/api/action/package_list").status_code == 200
    assert client.get("/api/3").status_code == 200
    response = client.get("/api/v1/datasets", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"  # /api/v1's one error shape
    assert response.json()["error"]["message"].startswith("Too many requests")
    assert int(response["Retry-After"]) > 0


@pytest.mark.usefixtures("low_limits")
def test_each_address_has_its_own_counter() -> None:
    first, second = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    for _ in range(2):
        assert first.get("/api/3").status_code == 200
    assert first.get("/api/3").status_code == 429
    assert second.get("/api/3").status_code == 200


@pytest.mark.usefixtures("low_limits")
def test_one_ipv6_client_cannot_escape_its_limit_by_changing_address_within_its_64() -> None:
    assert Client(REMOTE_ADDR="2001:db8::1").get("/api/3").status_code == 200
    assert Client(REMOTE_ADDR="2001:db8::2").get("/api/3").status_code == 200
    assert Client(REMOTE_ADDR="2001:db8::3").get("/api/3").status_code == 429
    assert Client(REMOTE_ADDR="2001:db8:1::1").get("/api/3").status_code == 200


def test_a_token_holder_counts_on_its_token_whichever_header_carries_it(
        settings: LazySettings) -> None:
    settings.RATE_LIMIT_ANONYMOUS = Rate(1, 3600)
    settings.RATE_LIMIT_TOKEN = Rate(3, 3600)
    client = Client(REMOTE_ADDR="192.0.2.1")
    assert client.get("/api/3", HTTP_AUTHORIZATION=TOKEN).status_code == 200
    assert client.get("/api/3", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200
    assert client.get("/api/3", HTTP_X_CKAN_API_KEY=TOKEN).status_code == 200
    assert client.get("/api/3", HTTP_X_CKAN_API_KEY=TOKEN).status_code == 429
    # Another address with another token, and anonymous callers, have their own counters.
    other = Client(REMOTE_ADDR="192.0.2.2")
    assert other.get("/api/3", HTTP_AUTHORIZATION=TOKEN + "2").status_code == 200
    assert client.get("/api/3").status_code == 200


@pytest.mark.usefixtures("low_limits")
def test_inventing_tokens_does_not_buy_an_address_more_requests() -> None:
    client = Client(REMOTE_ADDR="192.0.2.9")
    for number in range(2):
        assert client.get("/api/3", HTTP_AUTHORIZATION=f"{TOKEN}{number}").status_code == 200
    assert client.get("/api/3", HTTP_AUTHORIZATION=f"{TOKEN}x").status_code == 429


def test_the_token_counter_is_keyed_on_the_tokens_hash_not_on_the_token() -> None:
    request = RequestFactory().get("/api/3/action/package_list", HTTP_AUTHORIZATION=TOKEN)
    keys = [bucket.key for bucket in buckets_for(request)]
    assert hashlib.sha256(TOKEN.encode()).hexdigest() in keys
    assert not any(TOKEN in key for key in keys)


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "", "   "])
def test_a_header_that_holds_no_token_is_limited_as_anonymous(header: str) -> None:
    """The limits read the token as the APIs do (accounts.tokens.token_from_header)."""
    request = RequestFactory().get("/api/3/action/package_list", HTTP_AUTHORIZATION=header)
    assert [bucket.scope for bucket in buckets_for(request)] == ["api-address"]


def test_the_limits_and_the_apis_read_the_same_token_from_each_header() -> None:
    for headers in ({"HTTP_AUTHORIZATION": TOKEN}, {"HTTP_AUTHORIZATION": f"Bearer  {TOKEN} "},
                    {"HTTP_X_CKAN_API_KEY": TOKEN}, {"HTTP_AUTHORIZATION": "",
                                                     "HTTP_X_CKAN_API_KEY": TOKEN}):
        request = RequestFactory().get("/api/v1/datasets", **headers)  # type: ignore[arg-type]
        keys = [bucket.key for bucket in buckets_for(request)]
        assert hashlib.sha256(TOKEN.encode()).hexdigest() in keys, headers


@pytest.mark.usefixtures("low_limits")
def test_login_posts_past_the_limit_get_a_translated_429_page(db: None,
                                                             settings: LazySettings) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # as the language switch sets it
    for number in range(2):
        response = client.post("/user/login", {"username": f"nobody{number}", "password": "x"})
        assert response.status_code == 200
    response = client.post("/user/login", {"username": "nobody9", "password": "x"})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    page = response.content.decode()
    assert "<h1>Too many requests</h1>" in page
    assert f"Try again in {response['Retry-After']} seconds" in page
    assert client.get("/user/login").status_code == 200  # reading the form is not limited


@pytest.mark.usefixtures("low_limits")
def test_anonymous_posts_to_public_forms_are_limited_but_staff_pages_are_not(
        db: None, editor: User) -> None:
    client = Client()
    for _ in range(2):
        assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 429
    client.force_login(editor)
    for _ in range(3):
        assert client.post("/i18n/setlang/", {"language": "vi", "next": "/"}).status_code == 302


@pytest.mark.usefixtures("low_limits")
def test_datastore_dumps_count_with_the_apis(db: None) -> None:
    client = Client()
    for _ in range(2):
        client.get("/api/3/action/package_list")
    response = client.get("/datastore/dump/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
