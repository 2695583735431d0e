"""The links of follow messages: signed with Django's signing (SECRET_KEY), never stored.

A token names a follow and a keyed digest of its address, so a link stops working when the
follow is gone, even if its number were ever reused. The confirmation link expires after
FOLLOW_CONFIRM_DAYS; the unsubscribe link never does (one click, whenever)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from portal.follows.models import Follow

CONFIRM = "confirm"
UNSUBSCRIBE = "unsubscribe"


def _digest(email: str) -> str:
    return salted_hmac("portal.follows.address", email.lower()).hexdigest()[:24]


def make(follow: Follow, purpose: str) -> str:
    return signing.dumps({"f": follow.pk, "e": _digest(follow.email)},
                         salt=f"portal.follows.{purpose}")


def _max_age(purpose: str) -> int | None:
    return settings.FOLLOW_CONFIRM_DAYS * 86400 if purpose == CONFIRM else None


def read(token: str, purpose: str) -> Follow | None:
    """The follow a token names, or None: bad, expired, or its follow gone."""
    try:
        data = signing.loads(token[:500], salt=f"portal.follows.{purpose}",
                             max_age=_max_age(purpose))
        follow = Follow.objects.select_related("dataset", "agency", "sector").filter(
            pk=int(data["f"])).first()
        digest = str(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if follow is None or not constant_time_compare(digest, _digest(follow.email)):
        return None
    return follow
