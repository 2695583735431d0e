"""Tables for the data API's tests: a small Vietnamese one read through the real ingestion, and
large ones written straight to Parquet (a million rows in a second instead of a long read)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import duckdb
from django.conf import settings
from django.test import Client

from portal.accounts.models import User
from portal.catalog.models import Dataset, Resource
from portal.datastore import runs, services, storage
from portal.datastore.models import DataTable, State, TableVersion
from portal.datastore.values import schema_type
from portal.lib import factories

# Communes of Ninh Bình. "sort" is a column named like a parameter of the API; one date is
# missing; one note looks like a spreadsheet formula.
COMMUNES = """ma_xa,ten_xa,huyen,dan_so,"dien tich, km2",ngay_cap_nhat,vi_do,kinh_do,sort
14464,Xã Gia Viễn,Gia Viễn,31250,"25,5",15/03/2026,20.33,105.87,b
14467,Xã Gia Hưng,Gia Viễn,18020,"18,25",15/03/2026,20.35,105.85,a
14470,Phường Hoa Lư,Hoa Lư,45800,"12,75",01/02/2026,20.25,105.97,a
14473,Xã Ninh Hải,Hoa Lư,9800,"8,5",20/01/2026,20.22,105.94,=1+1
14476,Xã Yên Mô,Yên Mô,27600,"30,1",05/12/2025,20.13,106.00,c
14479,Xã Kim Sơn,Kim Sơn,52000,"41,0",,20.05,106.10,c
""".encode()
CODES = [14464, 14467, 14470, 14473, 14476, 14479]


def english_client() -> Client:
    """A client whose messages come in English (the language switch's cookie), for tests that
    read them; the portal speaks Vietnamese otherwise."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def ready(dataset: Dataset, user: User, *, content: bytes = COMMUNES,
          filename: str = "xa.csv", name: str = "Xã, phường Ninh Bình") -> Resource:
    """A file resource whose table has been read (the job's work, done here and now)."""
    resource = factories.make_resource(dataset=dataset, user=user, content=content,
                                       filename=filename, name=name)
    scheduled = services.schedule_ingestion(resource, enqueue=False)
    assert scheduled is not None
    table = runs.run_ingestion(scheduled.pk)
    assert table.state == State.READY, table.message
    return resource


def generated(dataset: Dataset, user: User, select: str, *, name: str = "Lớn") -> Resource:
    """A resource whose current version is the Parquet file DuckDB writes from `select`, as an
    ingestion would have stored it (`_id` is each row's position, added when read)."""
    resource = factories.make_resource(dataset=dataset, user=user, name=name)
    work = Path(settings.VAR_DIR) / "datastore-work"
    work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=work) as folder:
        local = Path(folder) / "table.parquet"
        con = duckdb.connect()
        try:
            con.execute(f"COPY ({select}) TO '{local}' (FORMAT parquet)")
            described = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{local}')").fetchall()
            found = con.execute(f"SELECT count(*) FROM read_parquet('{local}')").fetchone()
        finally:
            con.close()
        stored = storage.store(local, f"datastore/{resource.pk}/v1/0.parquet")
    fields = [{"name": "_id", "type": "integer"}, *(
        {"name": str(row[0]), "type": schema_type(str(row[1]))} for row in described)]
    table, _created = DataTable.objects.get_or_create(resource=resource)
    version = TableVersion.objects.create(table=table, number=1, sheets=[{
        "name": "", "file": stored, "rows": found[0] if found else 0, "size": 0,
        "schema": {"fields": fields}}])
    DataTable.objects.filter(pk=table.pk).update(current=version, state=State.READY)
    return resource


def parquet_rows(content: bytes, folder: Path) -> list[tuple[Any, ...]]:
    """The rows of a Parquet file's bytes, in order."""
    path = folder / "read-back.parquet"
    path.write_bytes(content)
    con = duckdb.connect()
    try:
        return con.execute(f"SELECT * FROM read_parquet('{path}')").fetchall()
    finally:
        con.close()
