"""A file is read as a table only if its content is what its name or format says: a PDF renamed
`.csv` is refused, naming what it is, and stays downloadable."""

from __future__ import annotations

import gzip
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from portal.api.tests.conftest import Api
from portal.datastore.errors import render
from portal.datastore.models import State
from portal.datastore.signatures import identify
from portal.datastore.tests.api_support import english_client
from portal.datastore.tests.conftest import Ingest
from portal.datastore.tests.tables import xlsx
from portal.datastore.tests.test_ingest import _ods

pytestmark = pytest.mark.django_db

PDF = (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
       b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n"
       b"%%EOF\n")
WORKBOOK = xlsx(("Trang 1", [["ma", "ten"], [1, "Hoa Lư"]]))


def ole2(stream: str) -> bytes:
    """The start of an Office 97-2003 file whose directory names `stream`."""
    return (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
            + stream.encode("utf-16-le") + b"\x00\x00" + b"\x00" * 64)


def zipped(name: str, data: bytes = b"<x/>") -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def message_of(table: object) -> str:
    with translation.override("en"):
        return render(table.message)  # type: ignore[attr-defined]


def test_a_pdf_renamed_csv_is_refused_naming_what_it_is_and_stays_downloadable(
        ingest: Ingest) -> None:
    resource, table = ingest(PDF, "bao-cao.csv")
    assert (table.state, table.current) == (State.FAILED, None)
    status = Api(english_client()).call("get", f"/resources/{resource.pk}/datastore").json()
    assert status["state"] == "failed"
    assert "content is in the PDF format, not a table" in status["message"]
    assert "stays downloadable" in status["message"]
    download = Client().get(f"/dataset/{resource.dataset.slug}/resource/{resource.pk}"
                            f"/download/{resource.file_name}")
    assert download.status_code == 200
    assert download.getvalue().startswith(b"%PDF-1.4")


@pytest.mark.parametrize(("content", "filename", "words"), [
    (WORKBOOK, "so-lieu.csv", "content is in the XLSX format, but the resource says"),
    (b"<!DOCTYPE html><html><body><table><tr><td>1</td></tr></table></body></html>",
     "xuat-tu-phan-mem.xls", "content is in the HTML format, not a table"),
    (b"ma,ten\n1,Hoa Lu\n", "bang.xlsx", "content is in the CSV format"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "anh.csv", "content is in the PNG format"),
    (gzip.compress(b"ma,ten\n1,a\n"), "nen.csv", "content is in the gzip format"),
    (zipped("word/document.xml"), "van-ban.xlsx", "content is in the DOCX format"),
    (ole2("EncryptedPackage"), "mat-khau.xlsx", "protected by a password"),
    (WORKBOOK, "so-lieu.parquet", "content is in the XLSX format"),
    (b"MZ\x90\x00" + bytes(range(256)) * 4, "nhi-phan.csv", "not text"),
    (b"\xef\xbb\xbf \r\n\r\n", "trang.csv", "The file is empty."),
], ids=["xlsx-as-csv", "html-as-xls", "csv-as-xlsx", "png-as-csv", "gzip-as-csv",
        "docx-as-xlsx", "encrypted-xlsx", "xlsx-as-parquet", "binary-as-csv", "blank-csv"])
def test_a_file_that_is_not_what_its_name_says_is_refused_clearly(
        ingest: Ingest, content: bytes, filename: str, words: str) -> None:
    _resource, table = ingest(content, filename)
    assert table.state == State.FAILED
    assert words in message_of(table)


def test_what_the_name_says_is_read(ingest: Ingest) -> None:
    _resource, table = ingest(WORKBOOK, "so-lieu.xlsx")
    assert table.state == State.READY, message_of(table)
    _resource, table = ingest(_ods([["ma", "ten"], ["1", "a"]]), "so-lieu.ods")
    assert table.state == State.READY, message_of(table)


@pytest.mark.parametrize(("content", "code"), [
    (PDF, "PDF"),
    (WORKBOOK, "XLSX"),
    (_ods([["a"]]), "ODS"),
    (zipped("word/document.xml"), "DOCX"),
    (zipped("ppt/presentation.xml"), "PPTX"),
    (zipped("a.csv"), "ZIP"),
    (b"PK\x03\x04 cut short", "ZIP"),
    (ole2("Workbook"), "XLS"),
    (ole2("WordDocument"), "DOC"),
    (ole2("EncryptedPackage"), "ENCRYPTED"),
    (ole2("Other"), "OLE2"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff\xe0", "JPEG"),
    (b"GIF89a", "GIF"),
    (b"PAR1\x15\x04", "Parquet"),
    (b"\x1f\x8b\x08", "GZIP"),
    (b"\xef\xbb\xbf  <html lang='vi'>", "HTML"),
    (b"<?xml version='1.0'?><Workbook/>", "XML"),
    (b"<5 tuoi,5-10 tuoi\n1,2\n", ""),
    ("Mã,Tên\n1,Hoa Lư\n".encode(), ""),
])
def test_content_is_named_by_its_first_bytes(tmp_path: Path, content: bytes, code: str) -> None:
    path = tmp_path / "tep"
    path.write_bytes(content)
    assert identify(path).code == code
