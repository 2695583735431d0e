"""`portal audit verify`: check that no audit entry was changed, deleted or inserted."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

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
                _("Chain broken at entry %(sequence)s: %(problem)s (%(count)s entries before it "
                  "are intact).") % {"sequence": report.broken_at, "problem": report.problem,
                                     "count": report.count}, returncode=1)
        self.stdout.write(_("%(count)s entries, chain intact (last hash %(hash)s).")
                          % {"count": report.count, "hash": report.last_hash})
