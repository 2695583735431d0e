"""Supervisors keep the catalogue's reference lists in the admin; nothing else there."""

from __future__ import annotations

import pytest
from django.test import Client

from portal.accounts.models import Role, User
from portal.agencies.models import Agency, Sector
from portal.lib import factories


@pytest.fixture
def supervisor_client(client: Client, supervisor: User) -> Client:
    client.force_login(supervisor)
    return client


@pytest.mark.parametrize("path", ["/admin/agencies/sector/", "/admin/agencies/agency/",
                                  "/admin/catalog/licence/", "/admin/agencies/sector/add/"])
def test_supervisor_manages_sectors_agencies_and_licences(supervisor_client: Client,
                                                         path: str) -> None:
    assert supervisor_client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/admin/accounts/user/", "/admin/catalog/dataset/",
                                  "/admin/catalog/datasetchange/"])
def test_supervisor_reaches_no_accounts_and_no_agency_data(supervisor_client: Client,
                                                          path: str) -> None:
    assert supervisor_client.get(path).status_code == 403


def test_supervisor_renames_a_sector(supervisor_client: Client, sectors: list[Sector]) -> None:
    sector = sectors[0]
    response = supervisor_client.post(f"/admin/agencies/sector/{sector.pk}/change/", {
        "code": sector.code, "name_vi": "Nông nghiệp và Phát triển nông thôn",
        "name_en": sector.name_en, "description": "", "icon": "", "position": 0})
    assert response.status_code == 302
    sector.refresh_from_db()
    assert sector.name_vi == "Nông nghiệp và Phát triển nông thôn"


def test_agency_staff_cannot_enter_the_admin(client: Client, agency: Agency) -> None:
    client.force_login(factories.make_user(role=Role.ADMIN, agency=agency))
    response = client.get("/admin/agencies/sector/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
