"""The schedules' answers to the catalogue's hooks (portal/catalog/signals.py), connected when
the app is ready (apps.py). Each recomputes the dataset's periods inside the catalogue's
transaction, so the change and its schedule commit together."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from portal.catalog.models import Dataset, Resource
from portal.catalog.signals import (
    dataset_changed,
    dataset_published,
    resource_deleted,
    resource_saved,
)
from portal.schedules import services

# Dataset fields a schedule depends on.
SCHEDULE_FIELDS = {"frequency", "status"}


@receiver(resource_saved, dispatch_uid="schedules.resource_saved")
def resource_saved_refresh(sender: type[Resource], *, resource: Resource, **kwargs: Any) -> None:
    services.dataset_schedule_refresh(resource.dataset)


@receiver(resource_deleted, dispatch_uid="schedules.resource_deleted")
def resource_deleted_refresh(sender: type[Resource], *, resource: Resource, **kwargs: Any,
                             ) -> None:
    """Sent before the row goes: the schedule is computed without it."""
    services.dataset_schedule_refresh(resource.dataset, excluded_resources=[resource.pk])


@receiver(dataset_published, dispatch_uid="schedules.dataset_published")
def dataset_published_refresh(sender: type[Dataset], *, dataset: Dataset, **kwargs: Any) -> None:
    services.dataset_schedule_refresh(dataset)


@receiver(dataset_changed, dispatch_uid="schedules.dataset_changed")
def dataset_changed_refresh(sender: type[Dataset], *, dataset: Dataset, changed: list[str],
                            **kwargs: Any) -> None:
    if SCHEDULE_FIELDS & set(changed):
        services.dataset_schedule_refresh(dataset)
