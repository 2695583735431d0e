"""/audit/: sysadmins and supervisors read and filter the trail and export it as CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.audit.context import acting_as
from portal.audit.models import Door
from portal.audit.services import record
from portal.lib import factories

pytestmark = pytest.mark.django_db
URL = "/audit/"


@pytest.fixture
def trail(editor: User, outsider: User, agency: Agency) -> None:
    record(actor=editor, action="dataset.publish", target=agency,
           before={"status": "draft"}, after={"status": "published"})
    record(actor=outsider, action="resource.delete", target=agency)
    with acting_as(door=Door.JOB):
        record(actor=None, action="dataset.update", target=agency, after={"title": "=1+1"})


def test_the_page_lives_at_audit() -> None:
    assert reverse("audit:list") == URL


@pytest.mark.parametrize("who", ["editor", "outsider"])
def test_agency_staff_may_not_read_the_trail(client: Client, who: str,
                                             request: pytest.FixtureRequest) -> None:
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("audit:export")).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "/user/login" in response["Location"]


@pytest.mark.parametrize("who", ["sysadmin", "supervisor"])
def test_sysadmins_and_supervisors_read_the_trail(client: Client, who: str, trail: None,
                                                  request: pytest.FixtureRequest) -> None:
    client.force_login(request.getfixturevalue(who))
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nhật ký kiểm toán" in page or "Audit trail" in page
    assert "<code>dataset.publish</code>" in page
    assert "<code>resource.delete</code>" in page
    assert "<script>" not in page


def test_filters_narrow_the_list(client: Client, sysadmin: User, trail: None) -> None:
    client.force_login(sysadmin)
    page = client.get(URL, {"actor": "outsider"}).content.decode()
    assert "<code>resource.delete</code>" in page
    assert "<code>dataset.publish</code>" not in page
    page = client.get(URL, {"action": "dataset"}).content.decode()
    assert "<code>dataset.publish</code>" in page
    assert "<code>resource.delete</code>" not in page
    page = client.get(URL, {"door": "job"}).content.decode()
    assert "<code>dataset.update</code>" in page
    assert "<code>dataset.publish</code>" not in page


def test_bad_filter_values_are_explained_not_a_server_error(client: Client,
                                                           sysadmin: User) -> None:
    client.force_login(sysadmin)
    response = client.get(URL, {"since": "hôm qua", "door": "window", "page": "x"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode() or "is-invalid" in \
        response.content.decode()
    response = client.get(URL, {"since": "2026-05-02", "until": "2026-05-01"})
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()


def test_date_range_filters_by_day(client: Client, sysadmin: User, trail: None) -> None:
    client.force_login(sysadmin)
    page = client.get(URL, {"since": "2000-01-01", "until": "2000-01-02"}).content.decode()
    assert "<code>dataset.publish</code>" not in page


def test_the_list_is_paginated(client: Client, sysadmin: User, agency: Agency) -> None:
    for _number in range(55):
        record(actor=sysadmin, action="test.write", target=agency)
    client.force_login(sysadmin)
    first = client.get(URL).content.decode()
    assert first.count("<code>test.write</code>") == 50
    assert "page=2" in first  # the shared pagination links to the next page
    second = client.get(URL, {"page": 2}).content.decode()
    assert second.count("<code>test.write</code>") == 5


def read_csv(client: Client, **query: str) -> list[dict[str, str]]:
    response = client.get(reverse("audit:export"), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_export_follows_the_filters(client: Client, supervisor: User,
                                            trail: None) -> None:
    client.force_login(supervisor)
    rows = read_csv(client)
    assert [row["action"] for row in rows] == ["dataset.update", "resource.delete",
                                               "dataset.publish"]
    assert rows[2]["actor_username"] == "editor"
    assert rows[2]["before"] == '{"status": "draft"}'
    assert len(rows[0]["hash"]) == 64
    assert rows[0]["scheme"] == "hmac-sha256"  # with the key id: what checks the hash
    assert [row["action"] for row in read_csv(client, actor="editor")] == ["dataset.publish"]


def test_the_csv_export_defuses_spreadsheet_formulas(client: Client, sysadmin: User,
                                                     agency: Agency) -> None:
    record(actor=sysadmin, action="test.write", target=factories.make_agency(name="=HYPERLINK()"))
    client.force_login(sysadmin)
    row = read_csv(client)[0]
    assert row["target_label"].startswith("'=")
