"""Ready data tables for the DataStore tests (here and in tests/ckan/)."""

from __future__ import annotations

from typing import Any

from portal.catalog.models import Dataset, Resource
from portal.datastore import runs, services
from portal.datastore.models import DataTable, State
from portal.lib import factories

# Every type the ingestion infers, Vietnamese number and date formats, empty cells.
UNITS = """mã,tên,loại,dân số,ngày lập,tỷ lệ,đô thị
37,Ninh Bình,tỉnh,"1.234.567",01/07/2025,"1,5",true
1,Hoa Lư,phường,"50.000",01/07/2025,"2,25",true
2,Tam Điệp,phường,,02/07/2025,"0,5",true
3,Nho Quan,xã,"30.000",03/07/2025,,false
4,"Gia Viễn, mới",xã,"25.000",04/07/2025,"1",false
""".encode()
DICTIONARY = {"dân số": {"title": "Dân số trung bình", "description": "Số người cư trú",
                         "unit": "người"}}


def ingested(resource: Resource, dictionary: dict[str, Any] | None = None) -> DataTable:
    """The resource's file read into a table now (the job's work, without the queue)."""
    table = services.schedule_ingestion(resource, enqueue=False)
    assert table is not None
    if dictionary:
        table.dictionary = {"fields": dictionary}
        table.save(update_fields=["dictionary"])
    table = runs.run_ingestion(table.pk)
    assert table.state == State.READY, table.message
    return table


def units_resource(dataset: Dataset, **overrides: Any) -> Resource:
    """A resource of administrative units with a ready table and a data dictionary."""
    resource = factories.make_resource(dataset=dataset, content=UNITS,
                                       filename="don-vi-hanh-chinh.csv", **overrides)
    ingested(resource, DICTIONARY)
    return resource
