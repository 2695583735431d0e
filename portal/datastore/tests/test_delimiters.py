"""The delimiter of a text file is the one that splits its lines consistently, and the agency can
choose it (and the header row) on the resource page or through /api/v1 when the file leaves it
open to doubt; the preview shows the table read again with its choice."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.api.tests.conftest import Api, error_of, token_for
from portal.catalog.models import Dataset, Resource
from portal.datastore.delimited import choose_delimiter
from portal.datastore.models import DataTable, State
from portal.datastore.tests.api_support import english_client
from portal.datastore.tests.tables import read
from portal.lib import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_clients")]
Commits = Callable[..., AbstractContextManager[list[Callable[[], None]]]]

# Saved by Excel in a Vietnamese locale: ";" between cells, "," in a name and in decimals.
REVENUE = ("Tên xã, phường;Số hộ;Doanh thu\n"
           "Xã Gia Viễn;1.200;10.588,56\n"
           "Phường Hoa Lư;3.400;25.000,5\n"
           "Xã Kim Sơn;2.150;7.320,25\n")
# Truly open to doubt: every line has one "," and one ";" and no quotes.
PLACES = ("Số xã theo địa bàn\n"
          "Địa bàn (huyện, tỉnh);Số xã\n"
          "Hoa Lư, Ninh Bình;12\n"
          "Kim Sơn, Ninh Bình;27\n")


@pytest.fixture
def dataset(agency: Agency, editor: User) -> Dataset:
    return factories.make_dataset(agency=agency, user=editor, slug="doanh-thu")


def upload(dataset: Dataset, editor: User, text: str, filename: str = "doanh-thu.csv",
           ) -> Resource:
    resource = factories.make_resource(dataset=dataset, user=editor, content=text.encode(),
                                       filename=filename)
    read(resource)
    return resource


def records(resource: Resource) -> dict[str, Any]:
    response = Api(english_client()).call("get", f"/resources/{resource.pk}/records")
    assert response.status_code == 200, response.content
    return dict(response.json())


def page_of(resource: Resource) -> str:
    return f"/dataset/{resource.dataset.slug}/resource/{resource.pk}"


# Through the doors ----------------------------------------------------------------------------


def test_a_semicolon_file_with_commas_in_its_header_and_decimals_is_read_by_semicolons(
        dataset: Dataset, editor: User) -> None:
    body = records(upload(dataset, editor, REVENUE))
    assert [field["name"] for field in body["fields"]] == [
        "_id", "Tên xã, phường", "Số hộ", "Doanh thu"]
    assert [field["type"] for field in body["fields"]] == ["integer", "string", "integer",
                                                           "number"]
    assert body["records"][0] == {"_id": 1, "Tên xã, phường": "Xã Gia Viễn", "Số hộ": 1200,
                                  "Doanh thu": 10588.56}


def test_the_editor_chooses_the_delimiter_and_header_row_and_the_preview_follows(
        dataset: Dataset, editor: User,
        django_capture_on_commit_callbacks: Commits) -> None:
    resource = upload(dataset, editor, PLACES)
    staff = Client()
    staff.force_login(editor)
    before = staff.get(page_of(resource)).content.decode()
    assert "Choose how the file is read" in before
    assert 'name="delimiter"' in before  # a text file: its delimiter may be chosen
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"{page_of(resource)}/data/read", {
            "reading": "1", "sheet": "", "delimiter": ";", "header_row": "2"})
    assert response.status_code == 302
    table = DataTable.objects.get(resource=resource)
    assert (table.delimiter, table.layout, table.state) == (";", {"": {"header_row": 2}},
                                                             State.READY)
    after = staff.get(response["Location"]).content.decode()
    assert "Địa bàn (huyện, tỉnh)" in after  # the preview's new header
    assert "Kim Sơn, Ninh Bình" in after
    assert [field["name"] for field in records(resource)["fields"]] == [
        "_id", "Địa bàn (huyện, tỉnh)", "Số xã"]
    public = Client().get(page_of(resource)).content.decode()
    assert "Choose how the file is read" not in public


def test_a_header_row_that_is_empty_is_refused_with_the_row(
        dataset: Dataset, editor: User, django_capture_on_commit_callbacks: Commits) -> None:
    resource = upload(dataset, editor, REVENUE)
    staff = Client()
    staff.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(f"{page_of(resource)}/data/read", {"reading": "1", "header_row": "40"})
    table = DataTable.objects.get(resource=resource)
    assert table.state == State.FAILED
    assert table.current is not None  # the good version stays
    assert table.current.number == 1
    refused = staff.post(f"{page_of(resource)}/data/read", {"reading": "1", "header_row": "-1"})
    assert refused.status_code == 302
    assert DataTable.objects.get(resource=resource).layout == {"": {"header_row": 40}}


def test_the_api_takes_the_same_choices(dataset: Dataset, editor: User,
                                        django_capture_on_commit_callbacks: Commits) -> None:
    resource = upload(dataset, editor, PLACES)
    api = Api(english_client(), token_for(editor))
    path = f"/resources/{resource.pk}/datastore"
    with django_capture_on_commit_callbacks(execute=True):
        response = api.call("post", path, {"delimiter": ";", "header_row": 2})
    assert response.status_code == 202, response.content
    body = api.call("get", path).json()
    assert (body["state"], body["delimiter"], body["layout"]) == ("ready", ";",
                                                                  {"": {"header_row": 2}})
    [reading] = body["reading"]
    assert (reading["delimiter"], reading["header_row"]) == (";", 2)
    assert reading["rows_above"] == [{"row": 1, "cells": ["Số xã theo địa bàn"]}]
    error = error_of(api.call("post", path, {"delimiter": "x"}), 422, "validation_error")
    assert "delimiter" in error["fields"]
    error_of(api.call("post", path, {"header_row": 5000}), 422, "validation_error")
    with django_capture_on_commit_callbacks(execute=True):
        api.call("post", path, {"delimiter": "", "header_row": 0})  # back to detection
    assert api.call("get", path).json()["layout"] == {}


# The rule ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    (REVENUE, ";"),
    ("ma,ghi_chu,so\n" + "".join(f'{i},"Hà Nội; Hải Phòng; Huế",{i}\n' for i in range(9)), ","),
    ("ten;dia_chi\n" + "".join(f'A{i};"Xã {i}, huyện Kim Sơn, Ninh Bình"\n' for i in range(9)),
     ";"),
    ("Báo cáo, năm 2025\n\nma|ten|so\n1|a|2\n3|b|4\n5|c|6\n", "|"),
    ("ten\nHoa Lư\nKim Sơn\n", ","),
    ("ma\tten\n1\tHoa Lư, Ninh Bình\n", "\t"),
], ids=["semicolon-with-commas", "comma-with-quoted-semicolons", "semicolon-with-quoted-commas",
        "bar-below-titles", "one-column", "tab"])
def test_the_delimiter_that_splits_the_lines_consistently_wins(text: str,
                                                               expected: str) -> None:
    assert choose_delimiter(text) == expected


def test_tab_is_preferred_in_tsv_files_when_undecided() -> None:
    assert choose_delimiter("a\tb,c\n1\t2,3\n") == ","
    assert choose_delimiter("a\tb,c\n1\t2,3\n", tab_first=True) == "\t"
