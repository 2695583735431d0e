"""Reminders before and after due dates, escalation to the supervisor, and the weekly digest.

Each period not yet delivered passes through stages: `before:<n>` for each n of
SCHEDULE_REMINDER_DAYS, `due` on its due date, `overdue` the day after, `escalated`
SCHEDULE_ESCALATION_DAYS after it. A day's run sends, per agency and stage, one message listing
the periods that reached that stage (its latest stage reached in the last CATCH_UP_DAYS days,
so a day the job did not run is caught up, and old overdue periods are left to the digest).
A period is recorded at a stage when its message is written (`ReminderSent`), in the same
transaction, so running again sends nothing twice.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.accounts.mail import in_portal_language
from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Dataset, Status
from portal.notifications import services as notifications
from portal.notifications.models import Notification
from portal.pages.context import portal_name
from portal.schedules import recipients, selectors
from portal.schedules.models import DuePeriod, ReminderSent

CATCH_UP_DAYS = 3
DUE, OVERDUE, ESCALATED = "due", "overdue", "escalated"
KIND_REMINDER, KIND_ESCALATION, KIND_DIGEST = (
    "deadline.reminder", "deadline.escalation", "deadline.digest")


def stages(due: datetime.date, reminder_days: Iterable[int],
           escalation_days: int) -> list[tuple[datetime.date, str]]:
    """Each stage of a period due on `due`, with its day, in time order."""
    days = datetime.timedelta
    found = [(due - days(days=n), f"before:{n}") for n in reminder_days if n > 0]
    found += [(due, DUE), (due + days(days=1), OVERDUE),
              (due + days(days=escalation_days), ESCALATED)]
    return sorted(found)


def stage_on(due: datetime.date, today: datetime.date, reminder_days: Iterable[int],
             escalation_days: int) -> str | None:
    """The stage a period not delivered is told about on `today`: the latest reached, if it
    was reached in the last CATCH_UP_DAYS days."""
    reached = [(day, stage) for day, stage in stages(due, reminder_days, escalation_days)
               if day <= today]
    if not reached or (today - reached[-1][0]).days >= CATCH_UP_DAYS:
        return None
    return reached[-1][1]


@dataclass
class Message:
    """One message to several accounts, and the periods it tells them about."""

    kind: str
    key: str
    agency: Agency
    recipients: list[User]
    subject: str
    body: str
    link: str
    items: list[tuple[DuePeriod, str]] = field(default_factory=list)  # (period, stage)


def upload_link(row: DuePeriod) -> str:
    """The page where the period's data is added, with the period filled in."""
    return reverse("catalog:resource_create", args=[row.dataset.slug]) + f"?period={row.period}"


def _key(kind: str, agency: Agency, today: datetime.date,
         items: list[tuple[DuePeriod, str]]) -> str:
    names = ",".join(sorted(f"{row.dataset_id}/{row.period}/{stage}" for row, stage in items))
    digest = hashlib.sha256(names.encode()).hexdigest()[:16]
    return f"{kind}:{agency.pk}:{today.isoformat()}:{digest}"


# Planning: what today's run would send -----------------------------------------------------


def _candidates(today: datetime.date) -> list[DuePeriod]:
    """Undelivered periods of active agencies' published datasets that may reach a stage."""
    earliest = today - datetime.timedelta(days=settings.SCHEDULE_ESCALATION_DAYS + CATCH_UP_DAYS)
    latest = today + datetime.timedelta(days=max(settings.SCHEDULE_REMINDER_DAYS, default=0))
    active = Agency.objects.active(today).values("pk")
    return list(DuePeriod.objects.filter(
        delivered_at__isnull=True, due__gte=earliest, due__lte=latest,
        dataset__status=Status.PUBLISHED, dataset__agency__in=active)
        .select_related("dataset", "dataset__agency").order_by("due", "dataset__title"))


def _already_sent(rows: list[DuePeriod]) -> set[tuple[object, str, str]]:
    datasets = {row.dataset_id for row in rows}
    return set(ReminderSent.objects.filter(dataset_id__in=datasets).values_list(
        "dataset_id", "period", "stage"))


def _due_items(today: datetime.date) -> dict[tuple[int, str], list[tuple[DuePeriod, str]]]:
    """(agency id, stage) → the periods that reach the stage today and were not told yet."""
    rows = _candidates(today)
    sent = _already_sent(rows)
    grouped: dict[tuple[int, str], list[tuple[DuePeriod, str]]] = defaultdict(list)
    for row in rows:
        stage = stage_on(row.due, today, settings.SCHEDULE_REMINDER_DAYS,
                         settings.SCHEDULE_ESCALATION_DAYS)
        if stage and (row.dataset_id, row.period, stage) not in sent:
            grouped[(row.dataset.agency_id, stage)].append((row, stage))
    return grouped


def _subject(stage: str, agency: Agency, count: int) -> str:
    values = {"agency": agency.name, "count": count}
    if stage.startswith("before:"):
        days = int(stage.split(":")[1])
        return ngettext("Data due in %(days)s day: %(agency)s",
                        "Data due in %(days)s days: %(agency)s", days) % (values | {"days": days})
    if stage == DUE:
        return _("Data due today: %(agency)s") % values
    if stage == OVERDUE:
        return _("Data overdue: %(agency)s") % values
    return _("Overdue for %(days)s days, reported to the supervising department: %(agency)s") % (
        values | {"days": settings.SCHEDULE_ESCALATION_DAYS})


def _render(template: str, context: dict[str, object]) -> str:
    return render_to_string(template, context | {"portal_name": portal_name()}).strip()


def _reminder(agency: Agency, stage: str, items: list[tuple[DuePeriod, str]],
              people: list[User], today: datetime.date) -> Message:
    rows = [row for row, _stage in items]
    kind = KIND_ESCALATION if stage == ESCALATED else KIND_REMINDER
    with in_portal_language():
        subject = _subject(stage, agency, len(rows))
        body = _render("schedules/mail/reminder.txt", {
            "agency": agency, "stage": stage.split(":")[0], "rows": _listed(rows),
            "days": int(stage.split(":")[1]) if ":" in stage else 0, "today": today,
            "escalation_days": settings.SCHEDULE_ESCALATION_DAYS})
    if stage == ESCALATED:
        link = reverse("catalog:dataset_detail", args=[rows[0].dataset.slug]) if len(
            rows) == 1 else reverse("agencies:agency_detail", args=[agency.slug])
    else:
        link = upload_link(rows[0]) if len(rows) == 1 else reverse("catalog:dashboard")
    return Message(kind, _key(kind, agency, today, items), agency, people, subject, body,
                   link, items)


def _listed(rows: list[DuePeriod]) -> list[dict[str, object]]:
    return [{"row": row, "link": notifications.absolute(upload_link(row)),
             "page": notifications.absolute(reverse("catalog:dataset_detail",
                                                    args=[row.dataset.slug]))}
            for row in rows]


def plan_reminders(today: datetime.date) -> list[Message]:
    grouped = _due_items(today)
    agencies = {row.dataset.agency_id: row.dataset.agency
                for items in grouped.values() for row, _stage in items}
    people = recipients.agency_recipients(agencies.values())
    supervising = recipients.supervisors() if any(
        stage == ESCALATED for _agency, stage in grouped) else []
    messages = []
    for (agency_id, stage), items in sorted(grouped.items(), key=lambda pair: (
            agencies[pair[0][0]].name, pair[0][1])):
        to = supervising if stage == ESCALATED else people[agency_id]
        messages.append(_reminder(agencies[agency_id], stage, items, to, today))
    return messages


# The weekly digest -------------------------------------------------------------------------

DIGEST_UPCOMING_DAYS = 14
DIGEST_LIST_LIMIT = 30


def plan_digests(today: datetime.date) -> list[Message]:
    """On SCHEDULE_DIGEST_WEEKDAY, one message per agency with overdue or coming periods."""
    if today.isoweekday() != settings.SCHEDULE_DIGEST_WEEKDAY:
        return []
    published = Dataset.objects.filter(status=Status.PUBLISHED,
                                       agency__in=Agency.objects.active(today).values("pk"))
    overdue: dict[int, list[DuePeriod]] = defaultdict(list)
    upcoming: dict[int, list[DuePeriod]] = defaultdict(list)
    agencies: dict[int, Agency] = {}
    for found, rows in ((overdue, selectors.overdue_periods(published, today)),
                        (upcoming, selectors.upcoming_periods(published, today,
                                                              DIGEST_UPCOMING_DAYS))):
        for row in rows:
            found[row.dataset.agency_id].append(row)
            agencies[row.dataset.agency_id] = row.dataset.agency
    people = recipients.agency_recipients(agencies.values())
    timeliness = selectors.timeliness_by_agency(agencies.values(), today)
    week = "{}-W{:02d}".format(*today.isocalendar()[:2])
    sent = set(Notification.objects.filter(
        key__in=[f"{KIND_DIGEST}:{pk}:{week}" for pk in agencies]).values_list("key", flat=True))
    messages = []
    for agency in sorted(agencies.values(), key=lambda agency: agency.name):
        if f"{KIND_DIGEST}:{agency.pk}:{week}" in sent:
            continue
        with in_portal_language():
            subject = _("Weekly update deadlines: %(agency)s") % {"agency": agency.name}
            body = _render("schedules/mail/digest.txt", {
                "agency": agency, "today": today, "timeliness": timeliness.get(agency.pk),
                "overdue": _listed(overdue[agency.pk][:DIGEST_LIST_LIMIT]),
                "overdue_count": len(overdue[agency.pk]),
                "upcoming": _listed(upcoming[agency.pk][:DIGEST_LIST_LIMIT]),
                "upcoming_count": len(upcoming[agency.pk]),
                "upcoming_days": DIGEST_UPCOMING_DAYS})
        messages.append(Message(KIND_DIGEST, f"{KIND_DIGEST}:{agency.pk}:{week}", agency,
                                people[agency.pk], subject, body,
                                reverse("catalog:dashboard")))
    return messages


# Sending -----------------------------------------------------------------------------------


def send(message: Message, today: datetime.date) -> int:
    """Record the message's periods at their stages and notify its recipients, in one
    transaction (the e-mails go after it commits). Returns the number of new notifications."""
    with transaction.atomic():
        ReminderSent.objects.bulk_create(
            [ReminderSent(dataset_id=row.dataset_id, period=row.period, stage=stage,
                          sent_on=today) for row, stage in message.items],
            ignore_conflicts=True)
        return len(notifications.notify(
            message.recipients, key=message.key, kind=message.kind, subject=message.subject,
            body=message.body, link=message.link))


def run_reminders(today: datetime.date, *, dry_run: bool = False) -> list[Message]:
    """Today's reminders, escalations and digests; sent unless `dry_run`."""
    messages = plan_reminders(today) + plan_digests(today)
    if not dry_run:
        for message in messages:
            send(message, today)
    return messages
