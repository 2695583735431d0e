"""The guard's answers to the catalogue's and the data store's hooks, connected when the app
is ready (apps.py): every new table version is screened, and so is every text file the data
store does not read as a table."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from portal.catalog.models import Resource, ResourceKind
from portal.catalog.signals import resource_changed
from portal.datastore.formats import table_kind
from portal.datastore.models import DataTable, TableVersion
from portal.datastore.signals import table_failed, table_ingested
from portal.privacy import services, tasks

# Formats read as text when they are not tables (or their reading as a table failed).
TEXT_FORMATS = {"TXT", "CSV", "TSV", "TAB", "JSON", "GEOJSON", "MD", "XML", "HTML", "HTM"}


def is_text(resource: Resource) -> bool:
    """An uploaded file whose format or media type says it is text."""
    if resource.kind != ResourceKind.FILE or not resource.file.name:
        return False
    suffix = resource.file.name.rsplit(".", 1)[-1].upper() if "." in resource.file.name else ""
    return (resource.format.strip().upper() in TEXT_FORMATS or suffix in TEXT_FORMATS
            or resource.media_type.startswith("text/"))


@receiver(table_ingested, dispatch_uid="privacy.screen_new_version")
def screen_new_version(sender: type[DataTable], *, table: DataTable, version: TableVersion,
                       **kwargs: Any) -> None:
    tasks.scan_table_version(version.pk)


@receiver(table_failed, dispatch_uid="privacy.screen_unreadable_table")
def screen_unreadable_table(sender: type[DataTable], *, table: DataTable, **kwargs: Any,
                            ) -> None:
    """A CSV that is not a table may still be text full of names and numbers."""
    if is_text(table.resource):
        tasks.scan_text_resource(str(table.resource.pk))


@receiver(resource_changed, dispatch_uid="privacy.screen_changed_text")
def screen_changed_text(sender: type[Resource], *, resource: Resource, **kwargs: Any) -> None:
    """A text file that is not a table is screened once its change commits (a table is
    screened when the data store has read it); content the guard does not read (a PDF, a
    link to an API) leaves the resource unscreened, whatever was found in what it replaced."""
    if table_kind(resource) is not None:
        return
    if is_text(resource):
        resource_id = str(resource.pk)
        transaction.on_commit(lambda: tasks.scan_text_resource(resource_id))
    else:
        services.scans_retire(resource=resource)
