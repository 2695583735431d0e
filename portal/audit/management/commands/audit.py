"""`portal audit verify`: check that no audit entry was changed, deleted or inserted."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from portal.audit.selectors import verify_chain


class Command(BaseCommand):
    help = "Audit trail tools. `verify` walks the hash chain; exit status 1 if it is broken."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        commands.add_parser("verify", help="Check every entry's hash and link to the previous.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self.verify()

    def verify(self) -> None:
        report = verify_chain()
        if not report.intact:
            raise CommandError(
                f"Chain broken at entry {report.broken_at}: {report.problem} "
                f"({report.count} entries before it are intact).", returncode=1)
        self.stdout.write(f"{report.count} entries, chain intact "
                          f"(last hash {report.last_hash}).")
