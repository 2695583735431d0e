"""Rows under a table (totals, notes, the date and signature block of a Vietnamese report) are
left out of it, as the title rows above it are; the agency sees which rows were left out, above
and below, and can take the footer back."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.api.tests.conftest import Api
from portal.catalog.models import Dataset, Resource
from portal.datastore.layout import footer_start, header_index
from portal.datastore.models import DataTable, State
from portal.datastore.tests.api_support import english_client
from portal.datastore.tests.tables import read, xlsx
from portal.lib import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_clients")]
Commits = Callable[..., AbstractContextManager[list[Callable[[], None]]]]

REPORT: list[list[object]] = [
    ["UBND TỈNH NINH BÌNH", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
    ["SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", None, None, "Độc lập - Tự do - Hạnh phúc"],
    [],
    ["BÁO CÁO DIỆN TÍCH LÚA NĂM 2025"],
    ["STT", "Tên xã, phường", "Diện tích (ha)", "Sản lượng (tấn)"],
    [1, "Xã Gia Viễn", 1250.5, 7800],
    [2, "Xã Kim Sơn", 2300, 14100],
    [3, "Phường Hoa Lư", 450.25, 2600],
    [None, "Tổng cộng", 4000.75, 24500],
    [],
    [None, None, "Ninh Bình, ngày 15 tháng 3 năm 2026"],
    ["Người lập biểu", None, "GIÁM ĐỐC"],
    ["(Ký, ghi rõ họ tên)", None, "(Ký tên, đóng dấu)"],
    [],
    ["Nguyễn Văn An", None, "Trần Thị Bình"],
]
LEFT_OUT_ABOVE = [1, 2, 4]
LEFT_OUT_BELOW = [9, 11, 12, 13, 15]


def as_csv(rows: list[list[object]]) -> str:
    """The report as Excel saves it to CSV: every line as wide as the table."""
    return "".join(",".join("" if cell is None else f'"{cell}"' if "," in str(cell)
                            else str(cell) for cell in [*row, *[None] * (4 - len(row))]) + "\n"
                   for row in rows)


@pytest.fixture
def dataset(agency: Agency, editor: User) -> Dataset:
    return factories.make_dataset(agency=agency, user=editor, slug="dien-tich-lua")


def upload(dataset: Dataset, editor: User, content: bytes, filename: str) -> Resource:
    resource = factories.make_resource(dataset=dataset, user=editor, content=content,
                                       filename=filename)
    table = read(resource)
    assert table.state == State.READY, table.message
    return resource


def api_get(path: str) -> dict[str, Any]:
    response = Api(english_client()).call("get", path)
    assert response.status_code == 200, response.content
    return dict(response.json())


def names(resource: Resource) -> list[str | None]:
    body = api_get(f"/resources/{resource.pk}/records")
    return [record["Tên xã, phường"] for record in body["records"]]


def page_of(resource: Resource) -> str:
    return f"/dataset/{resource.dataset.slug}/resource/{resource.pk}"


@pytest.mark.parametrize("filename", ["dien-tich.xlsx", "dien-tich.csv"])
def test_the_footer_of_a_report_is_left_out_and_shown_to_the_agency(
        dataset: Dataset, editor: User, filename: str) -> None:
    content = (xlsx(("Lúa", REPORT)) if filename.endswith(".xlsx")
               else as_csv(REPORT).encode())
    resource = upload(dataset, editor, content, filename)
    assert names(resource) == ["Xã Gia Viễn", "Xã Kim Sơn", "Phường Hoa Lư"]
    records = api_get(f"/resources/{resource.pk}/records")
    assert records["records"][2]["Diện tích (ha)"] == 450.25  # the column stays a number
    [reading] = api_get(f"/resources/{resource.pk}/datastore")["reading"]
    assert reading["header_row"] == 5
    assert [row["row"] for row in reading["rows_above"]] == LEFT_OUT_ABOVE
    assert [row["row"] for row in reading["rows_below"]] == LEFT_OUT_BELOW
    assert reading["rows_below"][0]["cells"] == ["Tổng cộng", "4000.75", "24500"]

    staff = Client()
    staff.force_login(editor)
    html = staff.get(page_of(resource)).content.decode()
    assert "Left out above the header (titles):" in html
    assert "Left out under the table (totals, notes, signatures):" in html
    assert "Row 12: Người lập biểu · GIÁM ĐỐC" in html
    public = Client().get(page_of(resource)).content.decode()
    assert "Người lập biểu" not in public


def test_the_agency_takes_the_footer_back(dataset: Dataset, editor: User,
                                          django_capture_on_commit_callbacks: Commits) -> None:
    resource = upload(dataset, editor, xlsx(("Lúa", REPORT)), "dien-tich.xlsx")
    staff = Client()
    staff.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"{page_of(resource)}/data/read",
                              {"reading": "1", "sheet": "", "keep_footer": "on"})
    assert response.status_code == 302
    table = DataTable.objects.get(resource=resource)
    assert (table.state, table.layout) == (State.READY, {"": {"keep_footer": True}})
    assert names(resource)[3:] == ["Tổng cộng", None, None, None, None]
    html = staff.get(page_of(resource)).content.decode()
    assert "Kept in the table at your request" in html
    assert 'name="keep_footer" class="form-check-input" id="id_keep_footer" checked' in html


def test_a_long_csv_has_its_footer_found_in_its_last_lines(dataset: Dataset,
                                                           editor: User) -> None:
    rows: list[list[object]] = [REPORT[4]] + [[i, f"Xã {i}", i / 4, i * 3]
                                              for i in range(1, 20_001)]
    text = as_csv(rows + REPORT[8:])
    assert len(text.encode()) > 256 * 1024  # beyond the head the header is found in
    resource = upload(dataset, editor, text.encode(), "dai.csv")
    body = api_get(f"/resources/{resource.pk}/records?limit=1&offset=19999")
    assert body["total"] == 20_000
    assert body["records"][0]["Tên xã, phường"] == "Xã 20000"
    [reading] = api_get(f"/resources/{resource.pk}/datastore")["reading"]
    assert [row["row"] for row in reading["rows_below"]] == [20_002, 20_004, 20_005, 20_006,
                                                             20_008]


# The rule ----------------------------------------------------------------------------------------


def text_rows(rows: list[list[object]]) -> list[list[str]]:
    return [["" if cell is None else str(cell) for cell in row] for row in rows]


def test_header_is_the_first_row_that_fills_the_table_below_the_titles() -> None:
    assert header_index(text_rows(REPORT)) == 4
    assert header_index(text_rows([["ma", "ten"], ["1", "a"]])) == 0
    assert header_index([[], ["", ""]]) is None
    # Against the table's width (a text file's usual number of cells), not its widest row.
    assert header_index([["a", "b"], ["1", "2"], ["3", "4", "5", "6"]], width=2) == 0


@pytest.mark.parametrize(("rows", "kept"), [
    (REPORT[5:], 3),
    ([[1, "Xã A", 5, 6], [2, "Xã B", None, None]], 2),  # a sparse last row is still data
    ([[1, "Nguyễn Văn A", "Giám đốc", "0912"], [2, "Trần B", "Kế toán", "0913"]], 2),
    ([[1, "Xã A", 5, 6], ["Cộng:", None, 5, 6]], 1),
    ([[1, "Xã A", 5, 6], [None, "Ghi chú: số liệu sơ bộ"], [None, "Nguồn: Cục Thống kê"]], 1),
    ([["Giám đốc"], ["Kế toán"]], 2),  # a one-column list of titles is all data
], ids=["report", "sparse-last-row", "staff-list", "cong", "notes", "one-column"])
def test_footer_rows_start_at_a_total_or_a_note_under_the_last_full_row(
        rows: list[list[object]], kept: int) -> None:
    width = max(len(row) for row in rows)
    assert footer_start(text_rows(rows), width) == kept
