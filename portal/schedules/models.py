"""Update deadlines (article 4.7): the grace per frequency, and each dataset's periods and state.

`DeadlinePolicy` is configuration with its legal citation. `DuePeriod` and `Liveness` are
derived from the catalogue (resources, their periods and delivery times) by `services.py`, kept
as rows so that lists, facets and dashboards read them in a fixed number of queries.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.catalog.models import Dataset, Frequency
from portal.lib.periods import FREQUENCY_UNITS
from portal.schedules.deadlines import State

PERIODIC = [(value, label) for value, label in Frequency.choices if value in FREQUENCY_UNITS]


class PeriodState(models.TextChoices):
    NOT_DUE = State.NOT_DUE, _("Not due yet")
    DUE_SOON = State.DUE_SOON, _("Due soon")
    ON_TIME = State.ON_TIME, _("On time")
    LATE = State.LATE, _("Late")
    MISSING = State.MISSING, _("Overdue")


class DeadlinePolicy(models.Model):
    """How many days after a period ends its data is due, for one update frequency."""

    frequency = models.CharField(_("update frequency"), max_length=20, choices=PERIODIC,
                                 unique=True)
    grace_days = models.PositiveSmallIntegerField(
        _("days after the period ends"),
        help_text=_("The data of a period is due this many days after the period's last day."))
    citation = models.CharField(
        _("legal basis"), max_length=500, blank=True,
        help_text=_("The article that sets this deadline; empty when it is the portal's own "
                    "default."))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["grace_days"]
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")

    def __str__(self) -> str:
        return f"{self.get_frequency_display()}: {self.grace_days}"


class ScheduleStart(models.Model):
    """The first period a dataset owes, when its agency chose it (else it is derived)."""

    dataset = models.OneToOneField(Dataset, on_delete=models.CASCADE, primary_key=True,
                                   related_name="schedule_start")
    first_period = models.CharField(_("first period"), max_length=10)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("schedule start")
        verbose_name_plural = _("schedule starts")

    def __str__(self) -> str:
        return f"{self.dataset_id} {self.first_period}"


class DuePeriod(models.Model):
    """One period a dataset owes, as of the last refresh."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="due_periods")
    period = models.CharField(_("period"), max_length=10)
    start = models.DateField()
    due = models.DateField(_("due date"))
    state = models.CharField(_("state"), max_length=10, choices=PeriodState.choices)
    days_late = models.IntegerField(_("days late"), default=0)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    fulfilled_by = models.JSONField(_("resources"), default=list, blank=True)

    class Meta:
        ordering = ["dataset", "start"]
        verbose_name = _("due period")
        verbose_name_plural = _("due periods")
        constraints = [models.UniqueConstraint(fields=["dataset", "period"],
                                               name="one_due_period_per_dataset_period")]
        indexes = [models.Index(fields=["due", "state"]),
                   models.Index(fields=["dataset", "due"])]

    def __str__(self) -> str:
        return f"{self.dataset_id} {self.period} ({self.state})"


class Liveness(models.Model):
    """A dataset's schedule at a glance: its latest due period's state and the next due date."""

    dataset = models.OneToOneField(Dataset, on_delete=models.CASCADE, primary_key=True,
                                   related_name="liveness")
    state = models.CharField(_("state"), max_length=10, choices=PeriodState.choices,
                             db_index=True)
    period = models.CharField(_("period"), max_length=10, blank=True)
    days_late = models.IntegerField(_("days late"), default=0)
    next_due = models.DateField(_("next due date"), null=True, blank=True)
    next_period = models.CharField(_("next period"), max_length=10, blank=True)
    as_of = models.DateField(_("as of"))

    class Meta:
        verbose_name = _("liveness")
        verbose_name_plural = _("liveness")

    def __str__(self) -> str:
        return f"{self.dataset_id} {self.state}"


class DailyRun(models.Model):
    """The daily job's record of one local day: refreshed, then reminders sent, once each."""

    day = models.DateField(primary_key=True)
    refreshed = models.DateTimeField(null=True, blank=True)
    reminded = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("daily run")
        verbose_name_plural = _("daily runs")

    def __str__(self) -> str:
        return self.day.isoformat()


class ReminderSent(models.Model):
    """A period was included in a reminder at a stage (`before:7`, `due`, `overdue`,
    `escalated`): it is never included at that stage again."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=10)
    stage = models.CharField(max_length=20)
    sent_on = models.DateField()

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [models.UniqueConstraint(fields=["dataset", "period", "stage"],
                                               name="one_reminder_per_period_stage")]

    def __str__(self) -> str:
        return f"{self.dataset_id} {self.period} {self.stage}"
