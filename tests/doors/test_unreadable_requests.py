"""Requests Django refuses before a view can read them get 400 in the shape of the door they
came to, never a 500 or an HTML page in an API: a Host header that is not one of
ALLOWED_HOSTS, an upload whose file name is too long for Django's multipart parser.

Over real HTTP, through the running server's WSGI handler and the whole middleware chain.
"""

from __future__ import annotations

import http.client
import json
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from django.test import Client
from pytest_django.live_server_helper import LiveServer

from portal.accounts import services as accounts
from portal.accounts.models import Role
from portal.agencies.models import Agency
from portal.catalog.models import Resource
from portal.lib import factories

pytestmark = pytest.mark.django_db(transaction=True)  # the server's thread sees the data

LONG_NAME = "bao-cao-" + "x" * 988 + ".csv"  # 1,000 characters


@dataclass
class Answer:
    status: int
    content_type: str
    text: str

    def json(self) -> Any:
        return json.loads(self.text)


def get_with_host(live_server: LiveServer, path: str, host: str) -> Answer:
    """A GET whose Host header names another site, as a scanner or a misrouted proxy sends."""
    address = urlsplit(live_server.url)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host)
        connection.putheader("Accept-Language", "en")
        connection.endheaders()
        response = connection.getresponse()
        return Answer(response.status, response.getheader("Content-Type", ""),
                      response.read().decode())
    finally:
        connection.close()


def test_a_foreign_host_header_gets_400_on_a_page(live_server: LiveServer) -> None:
    answer = get_with_host(live_server, "/dataset/", "evil.example")
    assert (answer.status, answer.content_type) == (400, "text/html; charset=utf-8")
    assert "tiêu đề Host" in answer.text  # pages speak Vietnamese unless the switch says
    assert "evil.example" not in answer.text


def test_a_foreign_host_header_gets_400_in_the_native_apis_shape(live_server: LiveServer) -> None:
    answer = get_with_host(live_server, "/api/v1/datasets", "evil.example")
    assert answer.status == 400
    assert answer.content_type.startswith("application/json")
    error = answer.json()["error"]
    assert (error["code"], error["fields"]) == ("bad_request", {})
    assert "Host header" in error["message"]


def test_a_foreign_host_header_gets_400_in_ckans_envelope(live_server: LiveServer) -> None:
    answer = get_with_host(live_server, "/api/3/action/package_list", "evil.example:8000")
    assert answer.status == 400
    body = answer.json()
    assert (body["success"], body["error"]["__type"]) == (False, "Bad request")
    # The help link does not echo the forged host.
    assert body["help"] == "/api/3/action/help_show?name=package_list"
    assert "evil.example" not in answer.text


def test_a_foreign_host_header_is_logged_as_one_line_warning(
        live_server: LiveServer, caplog: pytest.LogCaptureFixture) -> None:
    """Scanners send them all day: a warning without a traceback, not an error."""
    with caplog.at_level(logging.WARNING, logger="django.security.DisallowedHost"):
        get_with_host(live_server, "/", "evil.example")
    refused = [record for record in caplog.records
               if record.name == "django.security.DisallowedHost"]
    assert [(record.levelname, record.exc_info) for record in refused] == [("WARNING", None)]
    assert "evil.example" in refused[0].getMessage()


def test_the_portals_own_host_is_still_served(live_server: LiveServer) -> None:
    address = urlsplit(live_server.url)
    assert get_with_host(live_server, "/api/v1/datasets", address.netloc).status == 200


@pytest.fixture
def upload_target(agency: Agency) -> tuple[str, str]:
    """A dataset an editor may add files to, and the editor's token."""
    editor = factories.make_user(role=Role.EDITOR, agency=agency)
    dataset = factories.make_dataset(agency=agency, user=editor, slug="dan-so")
    return dataset.slug, accounts.token_create(user=editor, name="uploads")[1]


def test_an_upload_with_a_1000_character_file_name_gets_the_native_apis_error(
        live_server: LiveServer, upload_target: tuple[str, str]) -> None:
    slug, token = upload_target
    response = requests.post(
        f"{live_server.url}/api/v1/datasets/{slug}/resources",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
        data={"name": "Dân số"}, files={"upload": (LONG_NAME, b"ma,ten\n1,Hoa Lu\n", "text/csv")},
        timeout=30)
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == "bad_request"
    assert "file name is too long" in error["message"]
    assert not Resource.objects.exists()


def test_an_upload_with_a_1000_character_file_name_gets_ckans_envelope(
        live_server: LiveServer, upload_target: tuple[str, str]) -> None:
    slug, token = upload_target
    response = requests.post(
        f"{live_server.url}/api/3/action/resource_create",
        headers={"Authorization": token, "Accept-Language": "en"},
        data={"package_id": slug}, files={"upload": (LONG_NAME, b"ma,ten\n1,Hoa Lu\n")},
        timeout=30)
    assert response.status_code == 400
    body = response.json()
    assert (body["success"], body["error"]["__type"]) == (False, "Bad request")
    assert "file name is too long" in body["error"]["message"]
    assert not Resource.objects.exists()


def multipart(fields: dict[str, str], file_field: str, filename: str) -> tuple[bytes, str]:
    """A multipart body built by hand, as a browser sends it: Django's test client would cut
    the file name to 255 characters."""
    boundary = "----portal-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
             for name, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
                 f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\nma,ten\n1,Hoa Lu\n\r\n')
    body = "".join(parts) + f"--{boundary}--\r\n"
    return body.encode(), f"multipart/form-data; boundary={boundary}"


def test_an_upload_with_a_1000_character_file_name_on_the_page_says_what_to_do(
        agency: Agency) -> None:
    editor = factories.make_user(role=Role.EDITOR, agency=agency)
    dataset = factories.make_dataset(agency=agency, user=editor, slug="dan-so")
    browser = Client()
    browser.force_login(editor)
    body, content_type = multipart({"kind": "file", "name": "Dân số"}, "file", LONG_NAME)
    response = browser.generic("POST", f"/dataset/{dataset.slug}/resource/new", body,
                               content_type=content_type)
    assert response.status_code == 400
    assert "tên tệp quá dài" in response.content.decode()  # the page speaks Vietnamese
    assert not Resource.objects.exists()
