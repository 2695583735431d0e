"""The staff dashboard: one's agency's datasets in every status; everything for supervisors."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.accounts.models import Role, User
from portal.agencies.models import Agency
from portal.catalog.models import Dataset
from portal.catalog.services import dataset_withdraw
from portal.lib import factories

DASHBOARD = reverse("catalog:dashboard")
NEW = f'href="{reverse("catalog:dataset_create")}"'


def titles(response: object) -> list[str]:
    return sorted(dataset.title for dataset, _editable in response.context["rows"])  # type: ignore[attr-defined]


@pytest.fixture
def catalogue(agency: Agency, other_agency: Agency, editor: User,
              outsider: User) -> dict[str, Dataset]:
    withdrawn = factories.make_dataset(agency=agency, user=editor, title="Đã rút")
    dataset_withdraw(user=editor, dataset=withdrawn, reason="Sai")
    return {
        "draft": factories.make_dataset(agency=agency, user=editor, publish=False,
                                        title="Bản nháp"),
        "published": factories.make_dataset(agency=agency, user=editor, title="Đã công bố"),
        "withdrawn": withdrawn,
        "foreign": factories.make_dataset(agency=other_agency, user=outsider,
                                          title="Của sở khác"),
        "foreign_draft": factories.make_dataset(agency=other_agency, user=outsider,
                                                publish=False, title="Nháp của sở khác"),
    }


def test_editor_sees_every_status_of_own_agency_only(client: Client, editor: User,
                                                     catalogue: dict[str, Dataset]) -> None:
    client.force_login(editor)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert titles(response) == ["Bản nháp", "Đã công bố", "Đã rút"]
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert NEW in html
    assert [(value, number) for value, _label, number in response.context["counts"]] == [
        ("draft", 1), ("published", 1), ("withdrawn", 1)]


def test_dashboard_filters_by_status(client: Client, editor: User,
                                     catalogue: dict[str, Dataset]) -> None:
    client.force_login(editor)
    assert titles(client.get(DASHBOARD, {"status": "draft"})) == ["Bản nháp"]
    assert titles(client.get(DASHBOARD, {"status": "withdrawn"})) == ["Đã rút"]


def test_member_sees_the_agency_datasets_without_a_new_button(
        client: Client, agency: Agency, catalogue: dict[str, Dataset]) -> None:
    client.force_login(factories.make_user(role=Role.MEMBER, agency=agency))
    response = client.get(DASHBOARD)
    assert titles(response) == ["Bản nháp", "Đã công bố", "Đã rút"]
    assert NEW not in response.content.decode()
    assert not any(editable for _dataset, editable in response.context["rows"])


def test_supervisor_sees_all_agencies_and_filters_by_agency(
        client: Client, supervisor: User, other_agency: Agency,
        catalogue: dict[str, Dataset]) -> None:
    client.force_login(supervisor)
    response = client.get(DASHBOARD)
    assert len(response.context["rows"]) == 5
    assert NEW not in response.content.decode()
    assert 'name="agency"' in response.content.decode()
    filtered = client.get(DASHBOARD, {"agency": other_agency.slug})
    assert titles(filtered) == ["Của sở khác", "Nháp của sở khác"]


def test_sysadmin_sees_all_agencies_and_may_create(client: Client, sysadmin: User,
                                                   catalogue: dict[str, Dataset]) -> None:
    client.force_login(sysadmin)
    response = client.get(DASHBOARD)
    assert len(response.context["rows"]) == 5
    assert NEW in response.content.decode()


@pytest.mark.parametrize("query", [{"status": "zzz"}, {"agency": "khong-co"}, {"page": "abc"},
                                   {"page": "99999"}, {"status": ["draft", "x"]}])
def test_strange_filters_never_give_a_500(client: Client, supervisor: User,
                                          catalogue: dict[str, Dataset],
                                          query: dict[str, str]) -> None:
    client.force_login(supervisor)
    assert client.get(DASHBOARD, query).status_code == 200


def test_number_of_queries_does_not_grow_with_the_datasets(client: Client, agency: Agency,
                                                           editor: User) -> None:
    client.force_login(editor)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(DASHBOARD).status_code == 200
        return len(captured)

    factories.make_dataset(agency=agency, user=editor)
    few = queries()
    for _ in range(5):
        factories.make_dataset(agency=agency, user=editor, publish=False)
    assert queries() == few
