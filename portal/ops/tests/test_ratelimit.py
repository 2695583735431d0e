"""Rate limits through the doors callers use: both APIs, pages, the login form, public forms.
The prices themselves are in test_prices.py."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

import pytest
from django.conf import LazySettings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import Client, RequestFactory

from conftest import RATE_SETTINGS
from portal.accounts.models import User
from portal.lib.env import Setting
from portal.ops.ratelimit import RateLimitMiddleware, buckets_for
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
    for name in RATE_SETTINGS:
        setattr(settings, name, TWO_AN_HOUR)


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
    assert [bucket.scope for bucket in buckets_for(request)] == ["address"]


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


def test_anonymous_posts_to_public_forms_are_costly_work_but_staff_pages_are_not_limited(
        db: None, editor: User, settings: LazySettings) -> None:
    settings.RATE_LIMIT_ANONYMOUS_COSTLY = TWO_AN_HOUR
    client = Client()
    for _ in range(2):
        assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 429
    client.force_login(editor)
    for _ in range(3):
        assert client.post("/i18n/setlang/", {"language": "vi", "next": "/"}).status_code == 302


def test_a_datastore_dump_is_costly_and_may_overdraw_what_is_left_once(
        db: None, settings: LazySettings) -> None:
    """A dump costs 20 units of costly work: with 5 left it still passes, once; a budget
    smaller than one export must not forbid exports altogether."""
    settings.RATE_LIMIT_ANONYMOUS_COSTLY = Rate(5, 3600)
    client = Client()
    missing = "/datastore/dump/00000000-0000-0000-0000-000000000000"
    assert client.get(missing).status_code == 404
    response = client.get(missing)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert client.get("/api/3/action/package_list").status_code == 200  # cheap reads go on


class Harvester:
    """A CKAN client calling one address's portal, through the real rate-limit middleware and
    a stand-in for the views (this computes budgets; the live tests run the real clients)."""

    def __init__(self) -> None:
        self.middleware = RateLimitMiddleware(lambda request: HttpResponse("{}"))
        self.factory = RequestFactory(REMOTE_ADDR="192.0.2.40")
        self.statuses: Counter[int] = Counter()

    def action(self, name: str, body: dict[str, Any]) -> int:
        """As ckanapi calls an action: a JSON POST."""
        request = self.factory.post(f"/api/3/action/{name}", json.dumps(body),
                                    content_type="application/json")
        status = self.middleware(request).status_code
        self.statuses[status] += 1
        return status

    def get(self, path: str, params: dict[str, str]) -> int:
        status = self.middleware(self.factory.get(path, params)).status_code
        self.statuses[status] += 1
        return status


def test_one_address_may_dump_and_harvest_a_catalogue_of_10000_datasets_in_an_hour(
        db: None, production_rate_limits: dict[str, Rate]) -> None:
    """`ckanapi dump datasets --all` (package_list, then package_show for each dataset, with
    any number of workers), then the CKAN harvester's gather stage (package_search paged by
    `start`, rows=100, and again with rows=1000), all from one address within the default
    anonymous budget: 10,001 + 1,010 + 1,100 = 12,111 of 20,000 units an hour."""
    datasets = 10_000
    harvester = Harvester()
    harvester.action("package_list", {})
    for number in range(datasets):
        harvester.action("package_show", {"id": f"bo-du-lieu-{number}"})
    for rows in (100, 1000):
        for start in range(0, datasets + rows, rows):
            harvester.get("/api/3/action/package_search", {
                "fq": "metadata_modified:[2026-01-01T00:00:00.000000Z TO *]",
                "rows": str(rows), "start": str(start), "sort": "id asc"})
    assert harvester.statuses == {200: 1 + datasets + 101 + 11}
    assert production_rate_limits["RATE_LIMIT_ANONYMOUS"] == Rate(20_000, 3600)


def test_costly_work_keeps_a_strict_budget_under_the_defaults(
        db: None, production_rate_limits: dict[str, Rate]) -> None:
    """Six SQL statements a minute for one address (10 units each of 60); cheap reads go on."""
    harvester = Harvester()
    statement = {"sql": 'SELECT count(*) FROM "8a4c3bde-3c1e-4c0e-9a57-5d4b0f6c2e11"'}
    assert [harvester.get("/api/v1/sql", statement) for _ in range(7)] == [200] * 6 + [429]
    assert harvester.action("datastore_search_sql", statement) == 429
    assert harvester.action("package_show", {"id": "dan-so"}) == 200
