"""`portal load_demo [--if-empty] [--seed N]`: the Ninh Bình demo, into an empty database."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from portal.demo.accounts import format_accounts, write_accounts_file
from portal.demo.agencies import PROVINCE_CODE
from portal.demo.load import database_has_data, load_demo


class Command(BaseCommand):
    help = ("Load the Ninh Bình demo (agencies, datasets with data files, one account per role) "
            "into an empty database. The accounts' passwords are generated, printed and written "
            "to VAR_DIR/demo-accounts.txt.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing when the database already has agencies or datasets.")
        parser.add_argument("--seed", type=int, default=2025,
                            help="Seed of the generated data: the same seed, the same demo.")
        parser.add_argument("--accounts-file", type=Path, default=None,
                            help="Where to write the demo accounts and their passwords "
                                 "(default: VAR_DIR/demo-accounts.txt).")

    def handle(self, *args: Any, **options: Any) -> None:
        refusal = self._refusal()
        if refusal and options["if_empty"]:
            self.stdout.write(refusal)
            return
        if refusal:
            raise CommandError(refusal)
        accounts_file = options["accounts_file"] or Path(settings.VAR_DIR) / "demo-accounts.txt"
        started = time.monotonic()
        result = load_demo(seed=options["seed"])
        write_accounts_file(accounts_file, result.accounts)
        self.stdout.write(self.style.SUCCESS(
            _("Demo loaded in %(seconds).1f s: %(agencies)d agencies, %(datasets)d datasets, "
              "%(resources)d resources.") % {
                "seconds": time.monotonic() - started, "agencies": result.agencies,
                "datasets": result.datasets, "resources": result.resources}))
        self.stdout.write("\n" + _("Demo accounts (sign in at /user/login):") + "\n")
        self.stdout.write(format_accounts(result.accounts))
        self.stdout.write("\n" + _("These passwords are shown only now; they are also kept in "
                                   "%(path)s (readable only by you).") % {"path": accounts_file})

    def _refusal(self) -> str:
        if database_has_data():
            return _("The database already has agencies or datasets; the demo loads only into an "
                     "empty database. To start again, delete var/ (or use a new DATABASE_URL).")
        if settings.PROVINCE_CODE != PROVINCE_CODE:
            return _("The demo is of Ninh Bình (PROVINCE_CODE=%(code)d); this portal serves "
                     "another province, so the demo was not loaded.") % {"code": PROVINCE_CODE}
        return ""
