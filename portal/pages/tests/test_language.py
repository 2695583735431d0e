from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_pages_are_vietnamese_even_when_the_browser_asks_for_english(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert '<html lang="vi">' in response.content.decode()


@pytest.mark.django_db
def test_the_switch_chooses_english_and_back(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/dataset/"})
    assert response.status_code == 302
    assert response["Location"] == "/dataset/"
    assert '<html lang="en">' in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert '<html lang="vi">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_vietnamese(client: Client) -> None:
    client.cookies["django_language"] = "xx"
    assert client.get("/")["Content-Language"] == "vi"
