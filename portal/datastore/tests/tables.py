"""Ready tables for the tests of the pages built on the data store (previews, profile, embeds)."""

from __future__ import annotations

import io

from openpyxl import Workbook

from portal.accounts.models import User
from portal.catalog.models import Dataset, Resource
from portal.datastore import runs, services
from portal.datastore.models import DataTable
from portal.lib import factories

# Communes of Ninh Bình: text, whole numbers, Vietnamese decimals, dates, coordinates.
COMMUNES = """ma_xa,ten_xa,huyen,dan_so,dien_tich,ngay_cap_nhat,vi_do,kinh_do
14464,Xã Gia Viễn,Gia Viễn,31250,"25,5",15/03/2026,20.33,105.87
14467,Xã Gia Hưng,Gia Viễn,18020,"18,25",15/03/2026,20.35,105.85
14470,Phường Hoa Lư,Hoa Lư,45800,"12,75",01/02/2026,20.25,105.97
14473,Xã Ninh Hải,Hoa Lư,9800,"8,5",20/01/2026,20.22,105.94
14476,Xã Yên Mô,Yên Mô,27600,"30,1",05/12/2025,20.13,106.00
14479,Xã Kim Sơn,Kim Sơn,52000,"41,0",,20.05,106.10
""".encode()


def read(resource: Resource) -> DataTable:
    """Run the resource's ingestion now, as the job would."""
    table = services.schedule_ingestion(resource, enqueue=False)
    assert table is not None, "not a tabular resource"
    return runs.run_ingestion(table.pk)


def ready_resource(dataset: Dataset, *, user: User | None = None, content: bytes = COMMUNES,
                   filename: str = "xa.csv", **fields: str) -> Resource:
    """A resource of `dataset` whose table has been read (state ready, version 1)."""
    resource = factories.make_resource(dataset=dataset, user=user, content=content,
                                       filename=filename, **fields)
    table = read(resource)
    assert table.state == "ready", table.message
    return resource


def xlsx(*sheets: tuple[str, list[list[object]]]) -> bytes:
    """An Excel workbook of these (title, rows) sheets."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
