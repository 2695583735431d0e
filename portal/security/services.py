"""Writes for login security: sessions, two-factor devices, an agency's two-factor rule.

Each change that protects an account is in the audit trail (never a code or a secret);
recording a login session is not: the session table is bookkeeping, not a change.
"""

from __future__ import annotations

import datetime
from importlib import import_module
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.models import User
from portal.accounts.permissions import Action, can
from portal.agencies.models import Agency
from portal.audit import services as audit
from portal.lib.errors import PermissionDenied
from portal.security.models import UserSession

if TYPE_CHECKING:
    from portal.accounts.permissions import Actor

RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "default"


def session_record(*, user: User, session_key: str) -> None:
    oldest = timezone.now() - datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    UserSession.objects.filter(user=user, created__lt=oldest).delete()
    UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user})


def session_forget(*, session_key: str) -> None:
    UserSession.objects.filter(session_key=session_key).delete()


@transaction.atomic
def sessions_end_all(*, user: User) -> int:
    """Log the user out everywhere: every recorded session is deleted from the session store."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(user=user).delete()
    audit.record(actor=user, action="user.logout_everywhere", target=user,
                 after={"sessions_ended": len(keys)})
    return len(keys)


def has_two_factor(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def totp_enrolment_device(*, user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled: the same secret until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


@transaction.atomic
def totp_confirm(*, user: User, device: TOTPDevice) -> list[str]:
    """Make `device` the user's one authenticator; returns new recovery codes (shown once)."""
    replaced = has_two_factor(user)
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(actor=user, action="user.two_factor_enrol", target=user,
                 before={"two_factor": replaced}, after={"two_factor": True})
    return _new_recovery_codes(user)


@transaction.atomic
def recovery_codes_create(*, user: User) -> list[str]:
    """Replace the user's recovery codes with new ones; each works once."""
    codes = _new_recovery_codes(user)
    audit.record(actor=user, action="user.recovery_codes", target=user,
                 after={"recovery_codes": len(codes)})
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_remove(*, actor: Actor | None, user: User) -> None:
    """Remove an account's authenticator and recovery codes (a lost phone): whoever manages
    the account may. If two-factor is required, the person enrols again at the next login."""
    if actor is not None and not can(actor, Action.MANAGE_USER, user):
        raise PermissionDenied(_("You may not manage this account."))
    had = has_two_factor(user)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit.record(actor=actor, action="user.two_factor_remove", target=user,
                 before={"two_factor": had}, after={"two_factor": False})


@transaction.atomic
def agency_set_two_factor(*, user: User, agency: Agency, required: bool) -> None:
    if not can(user, Action.MANAGE_MEMBERS, agency):
        raise PermissionDenied(_("Only the agency's administrator may change this."))
    before = audit.snapshot(agency, ["require_two_factor"])
    agency.require_two_factor = required
    agency.save(update_fields=["require_two_factor", "modified"])
    audit.record(actor=user, action="agency.require_two_factor", target=agency, before=before,
                 after=audit.snapshot(agency, ["require_two_factor"]))
