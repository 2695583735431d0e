"""How the portal sends e-mail: `deliver` for every message, and the one-time set-password link.

Messages are written in the portal's language (Vietnamese), whatever the language of the page
that caused them, since the recipient has not chosen one: callers render inside
`in_portal_language()`. Where mail goes is settings (docs/configuration.md): an SMTP server with
EMAIL_HOST, else one file per message under VAR_DIR/mail.
"""

from __future__ import annotations

import logging
import smtplib
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from portal.pages.context import portal_name

if TYPE_CHECKING:
    from portal.accounts.models import User

logger = logging.getLogger(__name__)
FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


def in_portal_language() -> translation.override:
    """Render a message's subject and body inside this: the portal's language."""
    return translation.override(settings.LANGUAGE_CODE)


def deliver(recipients: list[str], subject: str, body: str, *, reason: str) -> bool:
    """Send one plain-text message. False when the mail server refused it; the failure goes to
    the log with `reason` (what the message was, never its content)."""
    try:
        send_mail(subject, body, None, recipients)
    except (OSError, smtplib.SMTPException) as error:
        logger.warning("%s was not e-mailed: %r", reason, error)
        return False
    return True


def link_days() -> int:
    """How long a set-password link works (PASSWORD_LINK_DAYS)."""
    return int(settings.PASSWORD_RESET_TIMEOUT) // 86400


def send_password_link(*, user: User, link: str, site_url: str, new_account: bool) -> str:
    """E-mail `link` to the account's address. Returns "" once sent, or why it was not, in
    words for the person who asked (the failure itself goes to the log)."""
    if not link.startswith(("http://", "https://")):
        return _("The link was not e-mailed: without SITE_URL the portal does not know its own "
                 "address. Give the link to the person yourself, or set SITE_URL.")
    if not user.email:
        return _("The link was not e-mailed: the account has no e-mail address.")
    with in_portal_language():
        name = portal_name()
        subject = (_("Your account on the %(portal)s") if new_account
                   else _("A new password for your account on the %(portal)s")) % {
                       "portal": name}
        body = render_to_string("accounts/mail/password_link.txt", {
            "name": user.get_full_name() or user.username, "username": user.username,
            "portal_name": name, "link": link, "site_url": site_url,
            "days": link_days(), "new_account": new_account})
    if not deliver([user.email], subject, body,
                   reason=f"The set-password link for {user.username}"):
        return _("The e-mail could not be sent (the mail server did not accept it). Give the "
                 "link to the person yourself; the operating unit finds the reason in the "
                 "portal's log.")
    return ""


def where_mail_goes() -> str:
    """A note for the sender when no mail server is configured, else ""."""
    if settings.EMAIL_BACKEND != FILE_BACKEND:
        return ""
    return _("No mail server is configured (EMAIL_HOST), so the message was written to the "
             "folder %(folder)s on the server instead of being sent.") % {
                 "folder": settings.EMAIL_FILE_PATH}
