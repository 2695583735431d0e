"""`portal audit verify` and `portal audit checkpoint`: the audit trail's integrity, by hand."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.audit.selectors import (
    ChainReport,
    CheckpointReport,
    verify_chain,
    verify_checkpoints,
)
from portal.audit.services import checkpoint_create
from portal.lib.errors import ApplicationError

MAX_PROBLEMS_SHOWN = 20


class Command(BaseCommand):
    help = ("Audit trail tools. `verify` walks the chain and checks it against the checkpoints; "
            "exit status 1 if anything is wrong. `checkpoint` writes down the chain's head.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        verify = commands.add_parser(
            "verify", help="Check every entry's MAC and link, and every checkpoint.")
        verify.add_argument(
            "--checkpoints", type=Path, default=None,
            help="Check against this copy of the checkpoint lines (e.g. from the log host) "
                 "instead of the checkpoint file.")
        commands.add_parser(
            "checkpoint", help="Append the chain's head to the checkpoint file and print it.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self.verify(options["checkpoints"])
        else:
            self.checkpoint()

    def verify(self, path: Path | None) -> None:
        chain, marks = verify_chain(), verify_checkpoints(path)
        problems = [] if chain.intact else [_chain_broken(chain)]
        if chain.intact:
            self.stdout.write(_chain_intact(chain))
        problems += marks.problems
        if problems:
            hidden = len(problems) - MAX_PROBLEMS_SHOWN
            shown = problems[:MAX_PROBLEMS_SHOWN] + (
                [_("… and %(count)s more.") % {"count": hidden}] if hidden > 0 else [])
            raise CommandError("\n".join(shown), returncode=1)
        self.stdout.write(_checkpoints_agree(marks))

    def checkpoint(self) -> None:
        try:
            checkpoint = checkpoint_create()
        except ApplicationError as error:
            raise CommandError(error.message) from None
        if checkpoint is None:
            self.stdout.write(_("The audit trail is empty: there is nothing to checkpoint."))
            return
        # The line alone, so that it can be piped to another machine (logger, ssh, a printer).
        self.stdout.write(checkpoint.text())


def _chain_broken(chain: ChainReport) -> str:
    return _("Chain broken at entry %(sequence)s: %(problem)s (%(count)s entries before it are "
             "intact).") % {"sequence": chain.broken_at, "problem": chain.problem,
                            "count": chain.count}


def _chain_intact(chain: ChainReport) -> str:
    text = _("%(count)s entries, chain intact (last hash %(hash)s).") % {
        "count": chain.count, "hash": chain.last_hash}
    if chain.unkeyed:
        text += " " + _("The first %(unkeyed)s were written before keyed MACs (SHA-256 without "
                        "a key); the first keyed entry seals them.") % {"unkeyed": chain.unkeyed}
    return text


def _checkpoints_agree(marks: CheckpointReport) -> str:
    if marks.newest is None:
        return _("No checkpoints yet: deleting the newest entries, or recomputing the chain "
                 "with the key, would go unnoticed. Run `portal audit checkpoint`.")
    return _("%(count)s checkpoints agree with the database (the newest, %(time)s, at entry "
             "%(sequence)s).") % {"count": marks.count, "time": marks.newest.time,
                                  "sequence": marks.newest.sequence}
