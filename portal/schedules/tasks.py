"""Jobs of the schedules (Huey)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from portal.catalog.models import Dataset
from portal.schedules import services


@db_task()  # type: ignore[untyped-decorator]
def refresh_frequency(frequency: str) -> None:
    """Every dataset of a frequency whose deadline policy changed."""
    services.schedule_refresh(Dataset.objects.filter(frequency=frequency))
