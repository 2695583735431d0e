"""Django's admin: the operating unit's tool, which never changes a dataset behind its history."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from portal.accounts.models import Role, User
from portal.agencies.models import Agency
from portal.catalog.models import Dataset, DatasetChange, Status
from portal.lib import factories

CHANGELISTS = ["accounts_user", "agencies_agency", "agencies_sector", "catalog_licence",
               "catalog_keyword", "catalog_dataset", "catalog_resource", "catalog_datasetchange"]


@pytest.fixture
def dataset(agency: Agency, editor: User) -> Dataset:
    dataset = factories.make_dataset(agency=agency, user=editor)
    factories.make_resource(dataset=dataset, user=editor)
    return dataset


@pytest.fixture
def admin_client(client: Client, sysadmin: User) -> Client:
    client.force_login(sysadmin)
    return client


def test_sysadmin_account_reaches_the_admin_and_every_list(admin_client: Client,
                                                           sysadmin: User,
                                                           dataset: Dataset) -> None:
    assert sysadmin.is_staff
    assert sysadmin.is_superuser
    for name in CHANGELISTS:
        assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
    filtered = reverse("admin:catalog_dataset_changelist") + "?status__exact=published"
    assert admin_client.get(filtered).status_code == 200


def test_agency_roles_never_reach_the_admin(client: Client, editor: User) -> None:
    # Supervisors reach only the reference lists: accounts/tests/test_admin_access.py.
    assert not editor.is_staff
    client.force_login(editor)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_dataset_is_read_only_in_the_admin(admin_client: Client, dataset: Dataset) -> None:
    url = reverse("admin:catalog_dataset_change", args=[dataset.pk])
    page = admin_client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("catalog:dataset_edit", args=[dataset.slug]) in html
    assert 'name="_save"' not in html
    response = admin_client.post(url, {"title": "Sửa lén", "slug": dataset.slug})
    assert response.status_code == 403
    dataset.refresh_from_db()
    assert dataset.title != "Sửa lén"
    assert admin_client.get(reverse("admin:catalog_dataset_add")).status_code == 403
    assert admin_client.get(reverse("admin:catalog_dataset_delete",
                                    args=[dataset.pk])).status_code == 403


def test_history_cannot_be_changed_in_the_admin(admin_client: Client, dataset: Dataset) -> None:
    change = dataset.changes.get(action=DatasetChange.Action.CREATED)
    url = reverse("admin:catalog_datasetchange_change", args=[change.pk])
    assert admin_client.post(url, {"note": "xoá dấu vết"}).status_code == 403
    assert admin_client.post(reverse("admin:catalog_datasetchange_delete", args=[change.pk]),
                             {"post": "yes"}).status_code == 403
    assert DatasetChange.objects.filter(pk=change.pk, note=change.note).exists()


def test_admin_withdrawal_goes_through_the_service_and_the_history(
        admin_client: Client, sysadmin: User, dataset: Dataset) -> None:
    response = admin_client.post(reverse("admin:catalog_dataset_changelist"), {
        "action": "withdraw_datasets", "_selected_action": [str(dataset.pk)]})
    assert response.status_code == 302
    dataset.refresh_from_db()
    assert dataset.status == Status.WITHDRAWN
    change = dataset.changes.get(action=DatasetChange.Action.WITHDRAWN)
    assert change.user == sysadmin


def test_resource_position_is_the_only_field_the_admin_changes(admin_client: Client,
                                                               dataset: Dataset) -> None:
    resource = dataset.resources.get()
    url = reverse("admin:catalog_resource_change", args=[resource.pk])
    response = admin_client.post(url, {"position": "7", "name": "Đổi tên", "sha256": "0" * 64})
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.position == 7
    assert resource.name != "Đổi tên"
    assert resource.sha256 != "0" * 64


def test_creating_an_editor_without_agency_is_refused_with_a_message(
        admin_client: Client) -> None:
    response = admin_client.post(reverse("admin:accounts_user_add"), {
        "username": "bien-tap-vien", "role": Role.EDITOR, "agency": "",
        "password1": "mot mat khau rat dai 2026", "password2": "mot mat khau rat dai 2026"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["agency"]
    assert not User.objects.filter(username="bien-tap-vien").exists()


def test_sysadmin_creates_an_editor_for_an_agency(admin_client: Client, agency: Agency) -> None:
    response = admin_client.post(reverse("admin:accounts_user_add"), {
        "username": "bien-tap-vien", "role": Role.EDITOR, "agency": agency.pk,
        "password1": "mot mat khau rat dai 2026", "password2": "mot mat khau rat dai 2026"})
    assert response.status_code == 302
    user = User.objects.get(username="bien-tap-vien")
    assert user.agency == agency
    assert not user.is_staff


def test_agency_validity_must_end_after_it_starts(admin_client: Client, agency: Agency) -> None:
    response = admin_client.post(reverse("admin:agencies_agency_add"), {
        "name": "Sở Mới", "slug": "so-moi", "kind": "department",
        "valid_from": "2025-07-01", "valid_to": "2025-01-01"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["valid_to"]
    assert not Agency.objects.filter(slug="so-moi").exists()
