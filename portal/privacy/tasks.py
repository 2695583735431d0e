"""Jobs of the personal-data guard (Huey): screen a new table version, or a text file."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task(retries=0)  # type: ignore[untyped-decorator]
def scan_table_version(version_id: int) -> None:
    # DuckDB is loaded where a job runs, not by every process that loads the apps (the query
    # processes' fork server loads them and must never hold DuckDB): as datastore/tasks.py.
    from portal.privacy import scanning

    scanning.scan_version(version_id)


@db_task(retries=0)  # type: ignore[untyped-decorator]
def scan_text_resource(resource_id: str) -> None:
    from portal.privacy import scanning  # DuckDB: see above

    scanning.scan_text(resource_id)
