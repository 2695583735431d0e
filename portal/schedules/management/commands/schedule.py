"""`portal schedule check [--dry-run] [--today YYYY-MM-DD]`: the daily deadline job by hand;
`portal schedule refresh`: recompute every dataset's periods."""

from __future__ import annotations

import datetime
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from portal.audit.context import acting_as
from portal.audit.models import Door
from portal.schedules import reminders, services
from portal.schedules.reminders import Message


def day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(_("write the day as YYYY-MM-DD, e.g. 2026-04-15")) from None


class Command(BaseCommand):
    help = ("Update deadlines. `check` refreshes every dataset's periods and sends the day's "
            "reminders, escalations and digest, printing each message; `refresh` only "
            "recomputes the periods.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        check = commands.add_parser("check", help="Run the daily deadline job now.")
        check.add_argument("--dry-run", action="store_true",
                           help="Print what would be sent; send and change nothing.")
        check.add_argument("--today", type=day, default=None,
                           help="Run as if it were this day (YYYY-MM-DD); default: today.")
        commands.add_parser("refresh", help="Recompute every dataset's periods and states.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options.get("today") or services.local_today()
        with acting_as(door=Door.COMMAND):
            if options["subcommand"] == "refresh":
                count = services.refresh_all(today)
                self.stdout.write(_("%(count)s datasets refreshed.") % {"count": count})
                return
            self.run_check(today, options["dry_run"])

    def run_check(self, today: datetime.date, dry_run: bool) -> None:
        with transaction.atomic():
            services.refresh_all(today)
            messages = reminders.plan_reminders(today) + reminders.plan_digests(today)
            # An agency without accounts to tell is printed too, for the operator to act on.
            sent = [message for message in messages
                    if dry_run or reminders.send(message, today) or not message.recipients]
            # A dry run leaves no trace, not even the refreshed states.
            transaction.set_rollback(dry_run)
        for message in sent:
            self.stdout.write(self.line(message, dry_run))
        self.stdout.write(self.summary(len(sent), today, dry_run))

    def line(self, message: Message, dry_run: bool) -> str:
        people = ", ".join(f"{user.username} <{user.email or '-'}>" for user in message.recipients)
        status = (pgettext("a message, in the command's output", "would send") if dry_run
                  else pgettext("a message, in the command's output", "sent"))
        return f"[{status}] {message.subject} → {people or _('(no recipient)')}"

    def summary(self, count: int, today: datetime.date, dry_run: bool) -> str:
        values = {"count": count, "day": today.isoformat()}
        if dry_run:
            return _("%(count)s messages would be sent for %(day)s (dry run).") % values
        return _("%(count)s messages sent for %(day)s.") % values
