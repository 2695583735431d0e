"""What a sender writes, and the rules every door applies to it the same way (pages, /api/v1).

The spam controls live here, so that a refusal says the same thing wherever the message came
from and nothing is saved: a honeypot field (pages only: a field people do not see, that
programs filling every field fill), a size limit (FEEDBACK_MAX_LENGTH) and a limit on web links
(FEEDBACK_MAX_LINKS). The fourth control, the rate limit, prices these forms in ops/prices.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from portal.feedback.models import Category, Kind
from portal.lib.errors import ApplicationError

LINK = re.compile(r"https?://|\bwww\.", re.IGNORECASE)
TITLE_MAX_LENGTH = 200
NAME_MAX_LENGTH = 200
EMAIL_MAX_LENGTH = 254
REASON_MAX_LENGTH = 2000
# Kinds whose sender gives a title; feedback is about its dataset.
TITLED_KINDS = (Kind.DATA_REQUEST, Kind.AGENCY_REQUEST, Kind.DIFFICULTY)


def _text(value: str) -> str:
    # PostgreSQL refuses NUL characters in text.
    return value.replace("\x00", "").strip()


def count_links(*texts: str) -> int:
    return sum(len(LINK.findall(text)) for text in texts)


def message_errors(body: str, field: str = "message") -> dict[str, list[str]]:
    """The rules of any message body: present, not too long."""
    if not body:
        return {field: [_("Write your message.")]}
    limit = settings.FEEDBACK_MAX_LENGTH
    if len(body) > limit:
        return {field: [_("The message is too long: at most %(limit)d characters (this one "
                          "has %(count)d). Shorten it, or split it into several messages.")
                         % {"limit": limit, "count": len(body)}]}
    return {}


@dataclass(frozen=True)
class Submission:
    """A new thread as its sender writes it."""

    kind: str
    message: str
    category: str = Category.OTHER
    title: str = ""
    author_name: str = ""
    author_email: str = ""
    public: bool = True
    honeypot: str = ""

    def cleaned(self) -> Submission:
        return Submission(
            kind=self.kind, message=_text(self.message), category=self.category or "other",
            title=_text(self.title), author_name=_text(self.author_name),
            author_email=_text(self.author_email).lower(), public=self.public,
            honeypot=self.honeypot.strip())

    def validate(self) -> None:
        """Raise ApplicationError with a message per field; call on `cleaned()`."""
        if self.honeypot:
            raise ApplicationError(
                _("Your message was not sent: the field “Leave this field empty” was filled "
                  "in, as spam programs do. If you are a person, empty that field and send "
                  "again."), {"website": [_("Leave this field empty.")]})
        errors = message_errors(self.message)
        errors |= self._title_errors() | self._contact_errors()
        if self.category not in Category.values:
            errors["category"] = [_("Choose a category from the list.")]
        if self.kind not in Kind.values:
            errors["kind"] = [_("Choose a kind from the list.")]
        if not errors:
            errors = self._link_errors()
        if errors:
            raise ApplicationError(_("Your message was not sent: please correct what is "
                                     "marked."), errors)

    def _title_errors(self) -> dict[str, list[str]]:
        if self.kind in TITLED_KINDS and not self.title:
            return {"title": [_("Give a short title.")]}
        if len(self.title) > TITLE_MAX_LENGTH:
            return {"title": [_("At most %(limit)d characters.") % {"limit": TITLE_MAX_LENGTH}]}
        return {}

    def _contact_errors(self) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        if len(self.author_name) > NAME_MAX_LENGTH:
            errors["author_name"] = [_("At most %(limit)d characters.")
                                     % {"limit": NAME_MAX_LENGTH}]
        if self.author_email:
            try:
                if len(self.author_email) > EMAIL_MAX_LENGTH:
                    raise ValidationError("too long")
                validate_email(self.author_email)
            except ValidationError:
                errors["author_email"] = [_("This is not an e-mail address. Correct it, or "
                                            "leave it empty.")]
        return errors

    def _link_errors(self) -> dict[str, list[str]]:
        limit = settings.FEEDBACK_MAX_LINKS
        if count_links(self.message, self.title, self.author_name) <= limit:
            return {}
        if limit == 0:
            text = _("Messages may not contain web links (addresses starting with http://, "
                     "https:// or www.), which spam uses. Remove them and send again.")
        else:
            text = _("The message contains too many web links: at most %(limit)d (addresses "
                     "starting with http://, https:// or www.), since spam is full of them. "
                     "Remove some and send again.") % {"limit": limit}
        return {"message": [text]}
