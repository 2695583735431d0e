"""A real HTTP client uploads a file through a running server with an API token."""

from __future__ import annotations

import pytest
import requests
from pytest_django.live_server_helper import LiveServer

from portal.accounts.models import User
from portal.api.tests.conftest import token_for
from portal.catalog.models import Dataset, Resource

CSV = "mã,tên\n37,Ninh Bình\n".encode()


@pytest.mark.django_db(transaction=True)
def test_a_client_uploads_a_file_over_http(live_server: LiveServer, editor: User,
                                           public: Dataset) -> None:
    headers = {"Authorization": f"Bearer {token_for(editor)}", "Accept-Language": "en"}
    url = f"{live_server.url}/api/v1/datasets/{public.slug}/resources"
    response = requests.post(url, headers=headers, data={"name": "Dân số", "period": "2025-Q1"},
                             files={"upload": ("dan-so.csv", CSV, "text/csv")}, timeout=30)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["size"], body["encoding"], body["period"]) == (len(CSV), "utf-8", "2025-Q1")
    assert Resource.objects.get(pk=body["id"]).file.read() == CSV
    assert body["url"].startswith(live_server.url)  # an absolute link, from the address called
    download = requests.get(body["url"], timeout=30)
    assert download.content == CSV
