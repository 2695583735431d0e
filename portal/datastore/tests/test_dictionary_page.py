"""The data dictionary editor: the agency names, describes, types and measures each column."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Resource
from portal.datastore.models import DataTable, State
from portal.datastore.tests.tables import ready_resource
from portal.lib import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_clients")]



@pytest.fixture
def resource(agency: Agency, editor: User) -> Resource:
    dataset = factories.make_dataset(agency=agency, user=editor)
    return ready_resource(dataset, user=editor, content=b"ma_xa,dan_so\n14464,31250\n")


def url_of(resource: Resource) -> str:
    return f"/dataset/{resource.dataset.slug}/resource/{resource.pk}/data/dictionary"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def posted(**columns: dict[str, str]) -> dict[str, str]:
    """The form's data: one prefixed form per column, in the table's order."""
    data = {}
    for index, (name, entry) in enumerate(columns.items()):
        data[f"column-{index}-name"] = name
        data.update({f"column-{index}-{key}": value for key, value in entry.items()})
    return data


def test_the_editor_saves_titles_types_and_units_and_the_file_is_read_again(
        resource: Resource, editor: User) -> None:
    response = signed_in(editor).post(url_of(resource), posted(
        ma_xa={"title": "Mã xã", "type": "string"},
        dan_so={"title": "Dân số", "description": "Năm 2025", "unit": "người"}))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/resource/{resource.pk}#data")
    table = DataTable.objects.get(resource=resource)
    assert table.dictionary == {"fields": {
        "ma_xa": {"title": "Mã xã", "type": "string"},
        "dan_so": {"title": "Dân số", "description": "Năm 2025", "unit": "người"}}}
    assert table.state == State.PENDING  # read again with it


def test_the_form_shows_what_was_saved_and_the_type_read(resource: Resource,
                                                          editor: User) -> None:
    DataTable.objects.filter(resource=resource).update(
        dictionary={"fields": {"dan_so": {"unit": "người"}}})
    html = signed_in(editor).get(url_of(resource)).content.decode()
    assert 'name="column-1-unit"' in html
    assert 'value="người"' in html
    assert "(read as: Whole number)" in html or "(read as: Số nguyên)" in html


def test_a_type_outside_the_list_is_refused_on_its_column_in_vietnamese(
        resource: Resource, editor: User) -> None:
    client = signed_in(editor)
    client.cookies["django_language"] = "vi"
    response = client.post(url_of(resource), posted(ma_xa={"type": "money"}, dan_so={}))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_column-0-type_error"' in html
    with translation.override("vi"):
        expected = translation.gettext("Select a valid choice. %(value)s is not one of the "
                                       "available choices.") % {"value": "money"}
    assert expected in html
    assert DataTable.objects.get(resource=resource).dictionary == {}


def test_a_column_that_is_not_in_the_table_is_refused_by_the_service(
        resource: Resource, editor: User) -> None:
    response = signed_in(editor).post(url_of(resource), posted(
        khong_co={"title": "?"}, dan_so={"title": "Dân số"}))
    assert response.status_code == 400
    assert "There is no column with this name." in response.content.decode()


def test_only_the_agency_edits_the_dictionary(resource: Resource, outsider: User,
                                              agency: Agency) -> None:
    assert signed_in(outsider).get(url_of(resource)).status_code == 403
    assert signed_in(outsider).post(url_of(resource), posted(dan_so={"title": "x"})
                                    ).status_code == 403
    member = factories.make_user(role="member", agency=agency)
    assert signed_in(member).get(url_of(resource)).status_code == 403
    assert Client().get(url_of(resource)).status_code == 302  # to the login page
    assert DataTable.objects.get(resource=resource).dictionary == {}
