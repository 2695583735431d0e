"""`portal feedback erase-contacts`: erase now what the daily job would (for cron, or to check)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from portal.feedback.services import contacts_erase_expired


class Command(BaseCommand):
    help = "Feedback tools. `erase-contacts` erases the name and e-mail address of senders " \
           "whose thread closed more than FEEDBACK_CONTACT_RETENTION_DAYS ago."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        commands.add_parser("erase-contacts", help="Erase expired contacts of senders.")

    def handle(self, *args: Any, **options: Any) -> None:
        erased = contacts_erase_expired()
        self.stdout.write(f"Erased the contact of the senders of {erased} closed threads.")
