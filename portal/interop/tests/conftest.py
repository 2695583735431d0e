"""A small catalogue with one dataset of each kind, and a way to call the CKAN API."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from portal.accounts.models import Role, User
from portal.agencies.models import Agency, Sector
from portal.catalog import services
from portal.catalog.models import Dataset, Licence, ResourceKind
from portal.lib import factories

CSV = "mã,tên\n37,Ninh Bình\n".encode()


@dataclass
class Answer:
    status: int
    body: dict[str, Any]

    @property
    def result(self) -> Any:
        assert self.status == 200, self.body
        assert self.body["success"] is True
        return self.body["result"]

    @property
    def error(self) -> dict[str, Any]:
        assert self.body["success"] is False, self.body
        return dict(self.body["error"])


def call(client: Client, action: str, method: str = "get", **params: Any) -> Answer:
    """Call an action as a client would: GET with a query string or POST with a JSON body."""
    url = f"/api/3/action/{action}"
    if method == "get":
        response = client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")
    else:
        response = client.post(url, json.dumps(params), content_type="application/json",
                               HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Type"] == "application/json;charset=utf-8"
    return Answer(response.status_code, response.json())


@dataclass
class Catalogue:
    """One dataset per kind. Only `public` and `health` are for everyone."""

    public: Dataset  # the agency's, public, with an uploaded CSV
    agencies_only: Dataset
    agency_only: Dataset
    draft: Dataset
    withdrawn: Dataset
    health: Dataset  # the other agency's, public, with a link

    @property
    def hidden(self) -> list[Dataset]:
        return [self.agencies_only, self.agency_only, self.draft, self.withdrawn]


@pytest.fixture
def catalogue(agency: Agency, other_agency: Agency, editor: User, outsider: User,
              sectors: list[Sector]) -> Catalogue:
    public = factories.make_dataset(
        agency=agency, user=editor, slug="dan-so-trung-binh", title="Dân số trung bình",
        keywords=["dân số", "thống kê"], sectors=[sectors[0]], contact_name="Trần Thị Bình",
        contact_email="binh@ninhbinh.gov.vn", frequency="annual", spatial_codes=["37"],
        source_system="Hệ thống thống kê quốc gia")
    factories.make_resource(dataset=public, user=editor, content=CSV, filename="dan-so.csv",
                            name="Dân số 2025", period="2025")
    catalogue = Catalogue(
        public=public,
        agencies_only=factories.make_dataset(
            agency=agency, user=editor, slug="luong-can-bo", title="Lương cán bộ",
            access_level="agencies", keywords=["bí mật nhà nước"]),
        agency_only=factories.make_dataset(
            agency=agency, user=editor, slug="ho-so-noi-bo", title="Hồ sơ nội bộ",
            access_level="agency", keywords=["nội bộ"]),
        draft=factories.make_dataset(agency=agency, user=editor, slug="ban-nhap",
                                     title="Bản nháp", publish=False, keywords=["nháp"]),
        withdrawn=factories.make_dataset(agency=agency, user=editor, slug="da-rut",
                                         title="Đã rút", keywords=["rút"]),
        health=factories.make_dataset(
            agency=other_agency, user=outsider, slug="co-so-y-te", title="Cơ sở y tế",
            keywords=["y tế"], sectors=[sectors[3]], licence=Licence.objects.get(code="cc-by")),
    )
    services.dataset_withdraw(user=editor, dataset=catalogue.withdrawn, reason="Sai số liệu")
    factories.make_resource(dataset=catalogue.health, user=outsider, kind=ResourceKind.LINK,
                            name="Bản đồ", url="https://gis.ninhbinh.gov.vn/y-te", format="HTML",
                            filename="")
    for resource_of in catalogue.hidden:
        factories.make_resource(dataset=resource_of, user=editor, filename="an.csv")
    for dataset in (catalogue.public, catalogue.health):
        dataset.refresh_from_db()
    return catalogue


@pytest.fixture
def other_member(other_agency: Agency) -> User:
    return factories.make_user(role=Role.MEMBER, agency=other_agency, username="other_member")


def token_for(user: User, read_only: bool = False) -> str:
    """A new API token's plaintext, made as the tokens command makes it."""
    from portal.accounts.models import ApiToken
    from portal.accounts.services import token_create

    name = f"test {ApiToken.objects.count() + 1}"
    _token, plaintext = token_create(user=user, name=name, read_only=read_only)
    return plaintext


def write(client: Client, action: str, token: str | None, /, **params: Any) -> Answer:
    """POST a JSON body as ckanapi does, with the token in the Authorization header."""
    headers = {"Accept-Language": "en"} | ({} if token is None else {"Authorization": token})
    response = client.post(f"/api/3/action/{action}", json.dumps(params),
                           content_type="application/json", headers=headers)
    assert response["Content-Type"] == "application/json;charset=utf-8"
    return Answer(response.status_code, response.json())
