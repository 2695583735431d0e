"""CKAN's resource actions read and give the periods a resource's data covers."""

from __future__ import annotations

from django.test import Client

from portal.accounts.models import User
from portal.interop.tests.conftest import Catalogue, token_for, write


def test_resource_create_and_update_with_periods(client: Client, catalogue: Catalogue,
                                                 editor: User) -> None:
    token = token_for(editor)
    created = write(client, "resource_create", token, package_id=catalogue.public.slug,
                    name="Dân số các năm", url="https://thongke.ninhbinh.gov.vn/a.csv",
                    period="2025", periods="2023,2024").result
    assert created["periods"] == ["2023", "2024", "2025"]
    assert created["data_delivered"] is not None
    patched = write(client, "resource_patch", token, id=created["id"],
                    periods=["2022"]).result
    assert patched["periods"] == ["2022", "2025"]
    updated = write(client, "resource_update", token, id=created["id"],
                    url="https://thongke.ninhbinh.gov.vn/a.csv", period="2024").result
    assert updated["periods"] == ["2024"]  # what update is not given is cleared


def test_a_bad_period_is_a_validation_error(client: Client, catalogue: Catalogue,
                                            editor: User) -> None:
    answer = write(client, "resource_create", token_for(editor),
                   package_id=catalogue.public.slug, name="X", url="https://x.vn",
                   periods=["2025-W54"])
    assert answer.status == 409
    assert "2025-W54" in str(answer.error["periods"])
