"""The data store's answers to the catalogue's hooks (portal/catalog/signals.py), connected
when the app is ready (apps.py)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from portal.catalog.models import Resource
from portal.catalog.signals import resource_changed, resource_deleted
from portal.datastore import services


@receiver(resource_changed, dispatch_uid="datastore.read_changed_resource")
def read_changed_resource(sender: type[Resource], *, resource: Resource, **kwargs: Any) -> None:
    """A new request to read the resource; its job is queued when the change commits."""
    services.schedule_ingestion(resource)


@receiver(resource_deleted, dispatch_uid="datastore.discard_deleted_tables")
def discard_deleted_tables(sender: type[Resource], *, resource: Resource, **kwargs: Any,
                           ) -> None:
    """The resource's Parquet files go once its deletion commits."""
    services.table_files_discard(resource)
