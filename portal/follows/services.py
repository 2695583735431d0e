"""Writes to follows: ask (the confirmation link is e-mailed), confirm, end, and the purge of
follows never confirmed. No account: the signed links are the proof of the address."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.agencies.models import Agency, Sector
from portal.catalog.models import Dataset
from portal.follows import notify
from portal.follows.models import Follow
from portal.lib.errors import ApplicationError, NotFound

Target = Dataset | Agency | Sector
# The confirmation link is e-mailed again for the same follow at most this often.
RESEND_AFTER = timedelta(days=1)
EMAIL_MAX_LENGTH = 254


def target_fields(target: Target) -> dict[str, Any]:
    if isinstance(target, Dataset):
        return {"dataset": target}
    if isinstance(target, Agency):
        return {"agency": target}
    return {"sector": target}


def _address(email: str, honeypot: str) -> str:
    if honeypot.strip():
        raise ApplicationError(
            _("Your message was not sent: the field “Leave this field empty” was filled in, "
              "as spam programs do. If you are a person, empty that field and send again."),
            {"website": [_("Leave this field empty.")]})
    address = email.replace("\x00", "").strip().lower()
    try:
        if not address or len(address) > EMAIL_MAX_LENGTH:
            raise ValidationError("length")
        validate_email(address)
    except ValidationError:
        raise ApplicationError(_("Nothing was saved: please correct what is marked."), {
            "email": [_("Write the e-mail address the news should go to.")]}) from None
    return address


@transaction.atomic
def follow_request(*, email: str, target: Target, honeypot: str = "",
                   site_url: str = "") -> None:
    """Ask to follow `target`: the confirmation link is e-mailed, unless the address already
    follows it or was sent a link for it less than a day ago. The answer is the same in every
    case, so the form does not tell who follows what."""
    address = _address(email, honeypot)
    if isinstance(target, Dataset) and not target.is_public:
        raise NotFound("Dataset not found")
    follow, _created = Follow.objects.get_or_create(email=address, **target_fields(target))
    now = timezone.now()
    if follow.confirmed or (follow.link_sent and now - follow.link_sent < RESEND_AFTER):
        return
    follow.link_sent = now
    follow.save(update_fields=["link_sent"])
    transaction.on_commit(lambda: notify.confirmation_mail(follow.pk, site_url))


def follow_confirm(follow: Follow) -> Follow:
    if follow.confirmed is None:
        follow.confirmed = timezone.now()
        follow.save(update_fields=["confirmed"])
    return follow


def follow_end(follow: Follow) -> None:
    """Unsubscribe: the follow and its address are deleted."""
    follow.delete()


def unconfirmed_purge() -> int:
    """Delete follows never confirmed within FOLLOW_CONFIRM_DAYS (their link has expired)."""
    cutoff = timezone.now() - timedelta(days=settings.FOLLOW_CONFIRM_DAYS)
    deleted, _by_model = Follow.objects.filter(confirmed__isnull=True,
                                               created__lt=cutoff).delete()
    return deleted
