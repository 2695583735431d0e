"""What the account and token commands share: finding records, and errors as CommandError."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.lib.errors import ApplicationError

T = TypeVar("T")


def find_user(username: str) -> User:
    try:
        return User.objects.select_related("agency").get(username__iexact=username)
    except User.DoesNotExist:
        raise CommandError(_("No account with the username %(name)r.")
                           % {"name": username}) from None


def find_agency(slug: str | None) -> Agency | None:
    if slug is None:
        return None
    agency = Agency.objects.filter(slug=slug).first()
    if agency is None:
        raise CommandError(_("No agency with the slug %(slug)r (see /organization/ for slugs).")
                           % {"slug": slug})
    return agency


@contextmanager
def refusals_as_command_errors() -> Iterator[None]:
    """A service's refusal becomes a message and a non-zero exit, never a traceback."""
    try:
        yield
    except ApplicationError as error:
        details = [f"  {field}: {' '.join(messages)}"
                   for field, messages in error.field_errors.items()]
        raise CommandError("\n".join([error.message, *details])) from None


def call(service: Callable[[], T]) -> T:
    with refusals_as_command_errors():
        return service()
