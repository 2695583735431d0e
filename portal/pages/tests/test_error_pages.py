from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_unknown_page_gets_a_translated_404_with_a_way_back(client: Client) -> None:
    response = client.get("/khong-co-trang-nay", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang" in page
    assert 'href="/dataset/"' in page


@pytest.mark.django_db
def test_404_in_english(client: Client) -> None:
    client.cookies["django_language"] = "en"
    response = client.get("/dataset/khong-co")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
