"""The schedules on public pages: the liveness filter and facet of every dataset search, the
dataset page's block (panel `dataset.aside`) and the agency page's on-time rate (`agency.aside`).
Registered in apps.py."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from portal.agencies.models import Agency
from portal.catalog.models import Dataset, Status
from portal.catalog.selectors import ExtraFilter
from portal.schedules import selectors
from portal.schedules.deadlines import State
from portal.schedules.services import local_today

# What each liveness means to the public, in the facet's order.
LIVENESS_LABELS = {
    State.ON_TIME: _("Updated on schedule"),
    State.LATE: _("Updated late"),
    State.MISSING: _("Overdue"),
    State.DUE_SOON: _("Due soon"),
    State.NOT_DUE: _("First update not due yet"),
}


def _apply(datasets: QuerySet[Dataset], values: list[str]) -> QuerySet[Dataset]:
    return selectors.with_liveness(datasets, [value for value in values
                                              if value in LIVENESS_LABELS])


def _facet(datasets: QuerySet[Dataset], limit: int) -> list[tuple[str, str, int]]:
    counts = selectors.liveness_counts(datasets)
    return [(str(state), str(label), counts[state]) for state, label in LIVENESS_LABELS.items()
            if counts.get(state)][:limit]


LIVENESS_FILTER = ExtraFilter(name="liveness", title=_("Updated on schedule"), apply=_apply,
                              facet=_facet)


def dataset_panel(request: HttpRequest, dataset: Dataset) -> str:
    """The dataset's update deadlines: its state, days overdue and next due date."""
    if dataset.status != Status.PUBLISHED:
        return ""
    schedule = selectors.dataset_schedule(dataset)
    if schedule.liveness is None:
        return ""
    return render_to_string("schedules/_dataset_panel.html", {
        "dataset": dataset, "schedule": schedule, "liveness": schedule.liveness,
        "label": LIVENESS_LABELS.get(schedule.liveness.state, "")}, request=request)


def agency_panel(request: HttpRequest, agency: Agency) -> str:
    """The agency's share of periods delivered on time."""
    record = selectors.agency_timeliness(agency, local_today())
    if not record.due:
        return ""
    return render_to_string("schedules/_agency_panel.html", {
        "agency": agency, "record": record,
        "percent": round(100 * (record.rate or 0))}, request=request)
