"""Calling /api/v1 as a client does: JSON in and out, an API token in the Authorization header."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from portal.accounts import services
from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Dataset
from portal.lib import factories


@dataclass
class Api:
    """A client of /api/v1, anonymous or with a token."""

    client: Client
    token: str | None = None

    def call(self, method: str, path: str, body: Any = None, **extra: Any) -> Any:
        headers = {"HTTP_ACCEPT_LANGUAGE": "en"} | extra
        if self.token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        url = f"/api/v1{path}"
        if method == "get":
            return self.client.get(url, body, **headers)
        data = "" if body is None else json.dumps(body, default=str)
        return getattr(self.client, method)(url, data, content_type="application/json",
                                            **headers)


def error_of(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The error of a response, checked to have the API's one shape."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    assert isinstance(body["error"]["message"], str)
    assert body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code, body
    return dict(body["error"])


def token_for(user: User, read_only: bool = False) -> str:
    return services.token_create(user=user, name=f"test {read_only}", read_only=read_only)[1]


@pytest.fixture
def anonymous(client: Client) -> Api:
    return Api(client)


@pytest.fixture
def as_editor(editor: User) -> Api:
    return Api(Client(), token_for(editor))


@pytest.fixture
def as_outsider(outsider: User) -> Api:
    return Api(Client(), token_for(outsider))


@pytest.fixture
def as_supervisor(supervisor: User) -> Api:
    return Api(Client(), token_for(supervisor))


@pytest.fixture
def as_member(member: User) -> Api:
    return Api(Client(), token_for(member))


@pytest.fixture
def public(agency: Agency, editor: User) -> Dataset:
    dataset = factories.make_dataset(agency=agency, user=editor, slug="dan-so",
                                     title="Dân số trung bình", frequency="annual")
    factories.make_resource(dataset=dataset, user=editor, filename="dan-so.csv")
    return dataset


@pytest.fixture
def draft(agency: Agency, editor: User) -> Dataset:
    return factories.make_dataset(agency=agency, user=editor, slug="ban-nhap", title="Bản nháp",
                                  publish=False)
