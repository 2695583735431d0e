"""`portal users create|reset|deactivate|reactivate|set-role|list`: accounts, for the
operating unit."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.accounts import services
from portal.accounts.management.commands._common import call, find_agency, find_user
from portal.accounts.models import Role, User


class Command(BaseCommand):
    help = "Create, deactivate, reactivate and list staff accounts, and change their roles."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="COMMAND")
        create = commands.add_parser("create", help="create an account")
        create.add_argument("username")
        create.add_argument("--email", required=True)
        create.add_argument("--role", required=True, choices=Role.values)
        create.add_argument("--agency", metavar="SLUG",
                            help="the agency (required for admin, editor and member)")
        create.add_argument("--full-name", default="", metavar="NAME",
                            help='the person\'s full name, family name first ("Phạm Đức Quân")')
        create.add_argument("--password-stdin", action="store_true",
                            help="read the password from standard input instead of e-mailing "
                                 "and printing a one-time link to set it")
        commands.add_parser("reset", help="e-mail and print a new one-time link to set the "
                                          "password").add_argument("username")
        for name, text in (("deactivate", "deactivate an account and its API tokens"),
                           ("reactivate", "reactivate an account")):
            commands.add_parser(name, help=text).add_argument("username")
        set_role = commands.add_parser("set-role", help="change an account's role and agency")
        set_role.add_argument("username")
        set_role.add_argument("--role", required=True, choices=Role.values)
        set_role.add_argument("--agency", metavar="SLUG")
        commands.add_parser("list", help="list the accounts")

    def handle(self, *args: Any, **options: Any) -> None:
        handler = {"create": self.create, "reset": self.reset, "deactivate": self.deactivate,
                   "reactivate": self.reactivate, "set-role": self.set_role,
                   "list": self.list}[options["subcommand"]]
        handler(options)

    def create(self, options: dict[str, Any]) -> None:
        password = self._read_password() if options["password_stdin"] else None
        user = call(lambda: services.user_create(
            actor=None, username=options["username"], email=options["email"],
            role=options["role"], agency=find_agency(options["agency"]), password=password,
            full_name=options["full_name"]))
        self.stdout.write(_("Created %(user)s (%(role)s).") % {"user": user.username,
                                                               "role": user.role})
        if password is None:
            self._send_link(user, new_account=True)

    def reset(self, options: dict[str, Any]) -> None:
        self._send_link(find_user(options["username"]), new_account=False)

    def _send_link(self, user: User, *, new_account: bool) -> None:
        """E-mail the link, say what happened, and print the link alone on the last line."""
        link = call(lambda: services.password_link_send(actor=None, user=user,
                                                        new_account=new_account))
        if link.emailed:
            self.stdout.write(_("E-mailed a one-time link to set the password to %(email)s.")
                              % {"email": link.email})
            if link.note:
                self.stdout.write(link.note)
            self.stdout.write(_("The same link, should the message not arrive:"))
        else:
            self.stdout.write(link.problem)
            self.stdout.write(_("Send this one-time link to set the password:"))
        self.stdout.write(link.url)

    def _read_password(self) -> str:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError(_("--password-stdin: no password on standard input."))
        return password

    def deactivate(self, options: dict[str, Any]) -> None:
        user = find_user(options["username"])
        call(lambda: services.user_set_active(actor=None, user=user, active=False))
        self.stdout.write(_("Deactivated %(user)s; its API tokens are revoked.")
                          % {"user": user.username})

    def reactivate(self, options: dict[str, Any]) -> None:
        user = find_user(options["username"])
        call(lambda: services.user_set_active(actor=None, user=user, active=True))
        self.stdout.write(_("Reactivated %(user)s. The API tokens it had stay revoked: make new "
                            "ones with `portal tokens create`.") % {"user": user.username})

    def set_role(self, options: dict[str, Any]) -> None:
        user = find_user(options["username"])
        call(lambda: services.user_set_role(actor=None, user=user, role=options["role"],
                                            agency=find_agency(options["agency"])))
        self.stdout.write(_("%(user)s is now %(role)s.") % {"user": user.username,
                                                           "role": user.role})

    def list(self, options: dict[str, Any]) -> None:
        for user in User.objects.select_related("agency").order_by("username"):
            state = _("active") if user.is_active else _("deactivated")
            agency = user.agency.slug if user.agency else "-"
            self.stdout.write(f"{user.username}\t{user.role}\t{agency}\t{user.email}\t{state}")
