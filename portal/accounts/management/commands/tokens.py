"""`portal tokens create|revoke|list`: API tokens of an account. Secrets are shown only once."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.accounts import services
from portal.accounts.management.commands._common import call, find_user
from portal.accounts.models import ApiToken, RevokeReason
from portal.accounts.tokens import is_live, tokens_of


class Command(BaseCommand):
    help = "Create, revoke and list a user's API tokens."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="COMMAND")
        create = commands.add_parser("create", help="create a token; its last line is the token")
        create.add_argument("username")
        create.add_argument("--name", required=True)
        create.add_argument("--expires-days", type=int, metavar="N")
        create.add_argument("--read-only", action="store_true")
        revoke = commands.add_parser("revoke", help="revoke a token by its name or prefix")
        revoke.add_argument("username")
        which = revoke.add_mutually_exclusive_group(required=True)
        which.add_argument("--name")
        which.add_argument("--prefix")
        commands.add_parser("list", help="list a user's tokens (never their secrets)") \
            .add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        handler = {"create": self.create, "revoke": self.revoke,
                   "list": self.list}[options["subcommand"]]
        handler(options)

    def create(self, options: dict[str, Any]) -> None:
        user = find_user(options["username"])
        token, plaintext = call(lambda: services.token_create(
            user=user, name=options["name"], expires_days=options["expires_days"],
            read_only=options["read_only"]))
        self.stdout.write(_("Created the token %(name)s (prefix %(prefix)s) for %(user)s. It is "
                            "shown only now: keep it secret.")
                          % {"name": token.name, "prefix": token.prefix, "user": user.username})
        self.stdout.write(plaintext)

    def revoke(self, options: dict[str, Any]) -> None:
        user = find_user(options["username"])
        found = tokens_of(user).filter(revoked=None)
        if options["name"] is not None:
            found = found.filter(name=options["name"])
        else:
            found = found.filter(prefix=options["prefix"].removeprefix("odp_").split("_")[0])
        token = found.first()
        if token is None:
            raise CommandError(_("%(user)s has no live token with this name or prefix "
                                 "(see `portal tokens list %(user)s`).")
                               % {"user": user.username})
        call(lambda: services.token_revoke(actor=None, token=token))
        self.stdout.write(_("Revoked the token %(name)s (prefix %(prefix)s).")
                          % {"name": token.name, "prefix": token.prefix})

    def list(self, options: dict[str, Any]) -> None:
        user = find_user(options["username"])
        for token in tokens_of(user):
            self.stdout.write("\t".join([token.prefix, token.name, _state(token),
                                         _("read-only") if token.read_only else _("read-write"),
                                         _when(token.expires), _when(token.last_used)]))


def _state(token: ApiToken) -> str:
    if token.revoked_reason == RevokeReason.ACCOUNT_DEACTIVATED:
        return _("revoked (account deactivated)")
    if token.revoked is not None:
        return _("revoked")
    return _("live") if is_live(token) else _("expired")


def _when(moment: Any) -> str:
    return moment.isoformat(timespec="minutes") if moment else "-"
