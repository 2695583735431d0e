"""A spreadsheet within the upload limit cannot make the ingestion use more memory than its
limit: its cells are counted before it is read (its own `<dimension>` is not trusted) and while
it is read, zip bombs are refused, and the reader runs in a child process that may not grow
past DATASTORE_INGEST_MEMORY_LIMIT."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation

from portal.api.tests.conftest import Api
from portal.datastore import sheets
from portal.datastore.errors import render
from portal.datastore.models import State
from portal.datastore.tests.api_support import english_client
from portal.datastore.tests.conftest import Ingest
from portal.datastore.tests.test_ingest import rows_of
from portal.datastore.tests.workbooks import (
    SHEET_TAIL,
    repeated_xlsx,
    rows_xml,
    sheet_head,
    xlsx,
)
from portal.lib.env import parse_size

pytestmark = pytest.mark.django_db

HEADER = ["Mã xã", "Tên xã", "Dân số", "Diện tích"]
# 2,000 cells with data: a header and 499 rows of four cells.
BODY = [HEADER] + [[14000 + i, f"Xã {i}", 1000 + i, i / 4] for i in range(499)]
TOO_MANY = "more than 1000 cells with data"


def message_of(table: object) -> str:
    with translation.override("en"):
        return render(table.message)  # type: ignore[attr-defined]


def datastore_message(resource_id: object) -> str:
    response = Api(english_client()).call("get", f"/resources/{resource_id}/datastore")
    assert response.status_code == 200, response.content
    return str(response.json()["message"])


@override_settings(DATASTORE_MAX_CELLS=1000)
def test_a_spreadsheet_past_the_cell_limit_is_refused_with_a_clear_message(
        ingest: Ingest) -> None:
    content = xlsx(sheet_head("A1:D500") + rows_xml(BODY) + SHEET_TAIL)
    resource, table = ingest(content, "dan-so.xlsx")
    assert table.state == State.FAILED
    assert TOO_MANY in message_of(table)
    assert "Save it as CSV" in datastore_message(resource.pk)


@pytest.mark.parametrize("dimension", ["A1:B2", None], ids=["claims-A1:B2", "no-dimension"])
@override_settings(DATASTORE_MAX_CELLS=1000)
def test_a_spreadsheet_lying_about_its_size_gets_the_same_message(
        ingest: Ingest, dimension: str | None) -> None:
    content = xlsx(sheet_head(dimension) + rows_xml(BODY) + SHEET_TAIL)
    resource, table = ingest(content, "noi-doi.xlsx")
    assert table.state == State.FAILED
    assert TOO_MANY in message_of(table)
    assert TOO_MANY in datastore_message(resource.pk)


@override_settings(DATASTORE_MAX_CELLS=2000)
def test_a_spreadsheet_at_the_cell_limit_is_read(ingest: Ingest) -> None:
    content = xlsx(sheet_head("A1:B2") + rows_xml(BODY) + SHEET_TAIL)
    _resource, table = ingest(content, "vua-du.xlsx")
    assert table.state == State.READY, message_of(table)
    assert len(rows_of(table)) == 499


@override_settings(DATASTORE_MAX_CELLS=1000)
def test_cells_are_counted_while_an_ods_is_read(ingest: Ingest) -> None:
    from portal.datastore.tests.test_ingest import _ods

    _resource, table = ingest(_ods([[str(cell) for cell in row] for row in BODY]), "bang.ods")
    assert table.state == State.FAILED
    assert TOO_MANY in message_of(table)


def test_two_cells_a_million_rows_apart_end_the_reader_not_the_worker(ingest: Ingest) -> None:
    """calamine allocates the rectangle between the cells (half a terabyte here): the child
    process dies of its memory limit, the worker reports it."""
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    content = xlsx(sheet_head("A1:B2") + rows_xml([["Mã", "Tên"]]) + far + SHEET_TAIL)
    _resource, table = ingest(content, "xa-nhau.xlsx")
    assert table.state == State.FAILED
    assert "needs more memory than the portal may use" in message_of(table)


def test_a_zip_bomb_is_refused_by_its_compression_ratio(ingest: Ingest) -> None:
    padding = b" " * (4 << 20)  # 4 MB of spaces compress some thousand times
    content = xlsx(sheet_head(None) + rows_xml(BODY[:3]) + padding + SHEET_TAIL)
    _resource, table = ingest(content, "bom.xlsx")
    assert table.state == State.FAILED
    assert "looks like a zip bomb" in message_of(table)


def test_a_member_lying_about_its_unpacked_size_is_refused_as_damaged(ingest: Ingest) -> None:
    sheet = sheet_head(None) + rows_xml(BODY) + SHEET_TAIL
    content = xlsx(sheet, declared={"xl/worksheets/sheet1.xml": 100})
    _resource, table = ingest(content, "khai-sai.xlsx")
    assert table.state == State.FAILED
    assert "damaged" in message_of(table)


# Memory, measured in a process of its own -----------------------------------------------------

ROW = b"<row>" + b"<c><v>1</v></c>" * 100 + b"</row>"
MEASURE = """
import json, resource, sys, tempfile
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (3 << 29, 3 << 29))  # the machine is shared
import django
django.setup()
from portal.datastore.errors import IngestError
from portal.datastore.sources import open_source
message = ""
with tempfile.TemporaryDirectory() as work:
    try:
        list(open_source(Path(sys.argv[1]), kind="spreadsheet").tables(Path(work)))
    except IngestError as error:
        message = error.msgid
print(json.dumps({"message": message,
                  "worker_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "reader_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


@pytest.fixture(scope="module")
def attack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The attacker's file: 58 million cells in a few megabytes, no dimension."""
    path = tmp_path_factory.mktemp("attack") / "58-trieu-o.xlsx"
    path.write_bytes(repeated_xlsx(ROW * 1000, 580))
    return path


@pytest.mark.parametrize(("environment", "words"), [
    ({}, "looks like a zip bomb"),
    ({"DATASTORE_MAX_COMPRESSION_RATIO": "100000"}, "cells with data"),
], ids=["defaults", "ratio-unchecked"])
def test_58_million_cells_in_a_few_megabytes_stay_within_the_memory_limit(
        attack: Path, environment: dict[str, str], words: str) -> None:
    assert attack.stat().st_size < 8 << 20
    done = subprocess.run([sys.executable, "-c", MEASURE, str(attack)], capture_output=True,
                          text=True, check=False, timeout=120,
                          env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings",
                               **environment})
    assert done.returncode == 0, done.stderr[-3000:]
    measured = json.loads(done.stdout)
    limit_kib = parse_size(settings.DATASTORE_INGEST_MEMORY_LIMIT) // 1024
    assert words in measured["message"]
    assert measured["worker_kib"] < limit_kib, measured
    assert measured["reader_kib"] < limit_kib, measured


# The census, alone ------------------------------------------------------------------------------


def census_of(content: bytes, tmp_path: Path, **limits: int) -> None:
    path = tmp_path / "bang.xlsx"
    path.write_bytes(content)
    sheets.census(path, **({"max_cells": 1000, "max_unpacked": 1 << 30, "max_ratio": 100}
                           | limits))


def test_census_counts_cells_with_values_not_empty_styled_ones(tmp_path: Path) -> None:
    styled = b"".join(f'<row r="{n}"><c r="A{n}" s="1"/></row>'.encode()
                      for n in range(600, 5000))
    census_of(xlsx(sheet_head("A1:D5000") + rows_xml(BODY[:250]) + styled + SHEET_TAIL),
              tmp_path)
    with pytest.raises(sheets.Refused) as refused:
        census_of(xlsx(sheet_head("A1:B2") + rows_xml(BODY) + SHEET_TAIL), tmp_path)
    assert refused.value.code == "too_many_cells"


@pytest.mark.parametrize("chunk", [1 << 20, 5, 7], ids=["whole", "5-bytes", "7-bytes"])
@pytest.mark.parametrize("prefixed", [False, True], ids=["plain", "prefixed"])
def test_census_counts_each_cell_once_whatever_the_chunks_and_prefix(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int, prefixed: bool) -> None:
    monkeypatch.setattr(sheets, "CHUNK", chunk)
    body, head, tail = rows_xml(BODY), sheet_head(None), SHEET_TAIL
    if prefixed:
        for tag in (b"row", b"c", b"v", b"is", b"t", b"sheetData", b"worksheet"):
            body, head, tail = (part.replace(b"<" + tag + b" ", b"<x:" + tag + b" ")
                                .replace(b"<" + tag + b">", b"<x:" + tag + b">")
                                .replace(b"</" + tag + b">", b"</x:" + tag + b">")
                                for part in (body, head, tail))
        head = head.replace(b"xmlns=", b"xmlns:x=")
    content = xlsx(head + body + tail)
    census_of(content, tmp_path, max_cells=2000)  # 2,000 cells with data
    with pytest.raises(sheets.Refused):
        census_of(content, tmp_path, max_cells=1999)


def test_census_refuses_what_unpacks_past_the_setting(tmp_path: Path) -> None:
    with pytest.raises(sheets.Refused) as refused:
        census_of(xlsx(sheet_head(None) + rows_xml(BODY) + SHEET_TAIL), tmp_path,
                  max_cells=10_000, max_unpacked=10_000)
    assert refused.value.code == "unpacked_too_large"


def test_an_xls_has_no_census_its_cells_are_counted_while_read(tmp_path: Path) -> None:
    path = tmp_path / "cu.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    sheets.census(path, max_cells=1, max_unpacked=1, max_ratio=1)
