"""A look at a table's content for the checks that read it whole (the personal-data guard):
samples of each column, group sizes over every row, the beginning of a text file; and the hooks
that tell other apps a table was read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.datastore import selectors
from portal.datastore.encodings import encode
from portal.datastore.models import DataTable, State
from portal.datastore.query import QueryError, table_of
from portal.datastore.signals import table_failed, table_ingested
from portal.datastore.tests.conftest import Ingest
from portal.lib import factories

ROWS = "ma,ten,gioi_tinh,ghi_chu\n" + "".join(
    f"{i},Người {i},{'Nam' if i % 3 else 'Nữ'},{'' if i % 2 else 'ghi chú'}\n"
    for i in range(1, 201))


def test_a_sample_has_at_most_the_rows_asked_and_no_empty_values(ingest: Ingest) -> None:
    _resource, table = ingest(ROWS.encode())
    assert table.current is not None
    sheet = table_of(table.current.sheets[0])
    samples = selectors.column_samples(sheet, 50)
    assert list(samples) == ["ma", "ten", "gioi_tinh", "ghi_chu"]
    assert len(samples["ma"]) == 50
    assert 0 < len(samples["ghi_chu"]) < 50
    assert all(value == "ghi chú" for value in samples["ghi_chu"])
    assert samples == selectors.column_samples(sheet, 50), "the same file, the same sample"


def test_group_sizes_count_every_row(ingest: Ingest) -> None:
    _resource, table = ingest(ROWS.encode())
    assert table.current is not None
    counts = selectors.group_sizes(table_of(table.current.sheets[0]), ["gioi_tinh"], 100)
    assert (counts.rows, counts.groups, counts.small_groups) == (200, 2, 1)
    assert (counts.rows_in_small_groups, counts.smallest) == (66, 66)
    with pytest.raises(QueryError):
        selectors.group_sizes(table_of(table.current.sheets[0]), ["khong_co"], 5)


def test_the_beginning_of_a_text_file_is_read_in_its_encoding(agency: Agency,
                                                              editor: User) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor)
    text = "Thông báo: liên hệ ông Nguyễn Văn An.\n" * 10
    resource = factories.make_resource(dataset=dataset, user=editor, filename="tb.md",
                                       content=encode(text, "tcvn3"), format="MD")
    head = selectors.text_head(resource, 100)
    assert head is not None
    assert head.partial
    assert head.text.startswith("Thông báo")
    image = factories.make_resource(dataset=dataset, user=editor, filename="anh.png",
                                    content=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert selectors.text_head(image, 100) is None


@pytest.fixture
def heard() -> Any:
    calls: list[tuple[str, dict[str, Any]]] = []

    def listener(name: str) -> Callable[..., None]:
        return lambda sender, **kwargs: calls.append((name, kwargs))

    ingested, failed = listener("ingested"), listener("failed")
    table_ingested.connect(ingested, weak=False, dispatch_uid="test.ingested")
    table_failed.connect(failed, weak=False, dispatch_uid="test.failed")
    yield calls
    table_ingested.disconnect(dispatch_uid="test.ingested")
    table_failed.disconnect(dispatch_uid="test.failed")


def test_a_new_version_is_announced_once_it_commits(
        ingest: Ingest, heard: list[tuple[str, dict[str, Any]]],
        django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _resource, table = ingest(ROWS.encode())
        assert heard == [], "not before the commit"
    assert [name for name, _kwargs in heard] == ["ingested"]
    assert heard[0][1]["version"] == table.current
    assert heard[0][1]["table"].pk == table.pk


def test_a_file_that_is_not_a_table_is_announced_as_failed(
        ingest: Ingest, heard: list[tuple[str, dict[str, Any]]],
        django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _resource, table = ingest(b"<!DOCTYPE html><html><body>Trang</body></html>",
                                  "trang.csv")
    assert table.state == State.FAILED
    assert [name for name, _kwargs in heard] == ["failed"]
    assert isinstance(heard[0][1]["table"], DataTable)


def test_a_failing_receiver_does_not_fail_the_run(
        ingest: Ingest, django_capture_on_commit_callbacks: Any) -> None:
    def broken(sender: Any, **kwargs: Any) -> None:
        raise RuntimeError("receiver broke")

    table_ingested.connect(broken, weak=False, dispatch_uid="test.broken")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _resource, table = ingest(ROWS.encode())
    finally:
        table_ingested.disconnect(dispatch_uid="test.broken")
    assert table.state == State.READY
