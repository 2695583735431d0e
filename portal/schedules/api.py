"""/api/v1 endpoint of the schedules: a dataset's periods, due dates and states (article 4.7).
Mounted by portal/api/api.py; the dataset is looked up through the catalogue's visibility
rule, so one the caller may not see is a 404 here as on its page."""

from __future__ import annotations

import datetime
import uuid

from ninja import Router, Schema
from pydantic import Field

from portal.api.auth import ApiRequest
from portal.catalog import selectors as catalog
from portal.catalog.models import Dataset
from portal.schedules import selectors, services
from portal.schedules.deadlines import PeriodStatus

router = Router(tags=["schedules"])


class PeriodOut(Schema):
    period: str = Field(description="2026-03-05, 2026-W10, 2026-03, 2026-Q1, 2026-H1 or 2026.")
    due: datetime.date = Field(description="The last day its data may be published on.")
    state: str = Field(description="not_due, due_soon, on_time, late or missing.")
    days_late: int = Field(description="late: days after the due date it came; missing: days "
                                       "overdue so far; else 0.")
    delivered_at: datetime.datetime | None = Field(
        description="When its data was first published.")
    fulfilled_by: list[uuid.UUID] = Field(description="The resources that hold its data.")

    @classmethod
    def of(cls, status: PeriodStatus) -> PeriodOut:
        return cls(period=str(status.period), due=status.due, state=str(status.state),
                   days_late=status.days_late, delivered_at=status.delivered_at,
                   fulfilled_by=[uuid.UUID(pk) for pk in status.fulfilled_by])


class ScheduleOut(Schema):
    frequency: str
    grace_days: int | None = Field(description="Days after a period ends that it is due; null "
                                               "when the frequency has no deadline.")
    legal_basis: str | None = Field(description="The article that sets the deadline; null "
                                                "when it is the portal's default.")
    liveness: str | None = Field(description="The state of the latest period due (before any "
                                             "is due, of the first); null: no periodic updates.")
    days_late: int | None
    next_due: datetime.date | None = Field(description="The next due date of a period not "
                                                       "yet published.")
    next_period: str | None
    periods: list[PeriodOut] = Field(description="Oldest first.")


class ScheduleStartIn(Schema):
    first_period: str = Field(max_length=20, description="The first period the dataset owes "
                              "(e.g. 2026-01); empty: from its resources' periods, else from "
                              "its publication.")


@router.get("/datasets/{id_or_name}/schedule", response=ScheduleOut, url_name="dataset_schedule",
            summary="A dataset's update deadlines: every period with its due date and state")
def dataset_schedule(request: ApiRequest, id_or_name: str) -> ScheduleOut:
    return _schedule(catalog.get_dataset(request.auth.actor, id_or_name))


@router.put("/datasets/{id_or_name}/schedule", response=ScheduleOut,
            summary="Choose the first period a dataset owes")
def dataset_schedule_start(request: ApiRequest, id_or_name: str,
                           payload: ScheduleStartIn) -> ScheduleOut:
    user = request.auth.user
    dataset = catalog.get_dataset(user, id_or_name)
    services.schedule_start_set(user=user, dataset=dataset, first_period=payload.first_period)
    return _schedule(dataset)


def _schedule(dataset: Dataset) -> ScheduleOut:
    schedule = selectors.dataset_schedule(dataset)
    policy, liveness = schedule.policy, schedule.liveness
    return ScheduleOut(
        frequency=schedule.frequency,
        grace_days=policy.grace_days if policy else None,
        legal_basis=(policy.citation or None) if policy else None,
        liveness=str(liveness.state) if liveness else None,
        days_late=liveness.days_late if liveness else None,
        next_due=liveness.next_due if liveness else None,
        next_period=str(liveness.next_period) if liveness and liveness.next_period else None,
        periods=[PeriodOut.of(status) for status in schedule.periods])
