"""Threads: the public's feedback on data (article 12.2), data requests, requests between
agencies (article 7.1) and difficulties agencies report to the supervisor (article 16).

One workflow for the four kinds: new → assigned (to the agency that owns the dataset, at once;
the supervisor may reassign) → answered (signed by the agency, not the person) → closed; or
rejected (spam, abuse) with a reason. A thread's messages are the submitter's, the agency's
answers and internal notes that only staff read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.agencies.models import Agency
from portal.catalog.models import Dataset, Resource


class Kind(models.TextChoices):
    FEEDBACK = "feedback", _("Feedback on data")
    DATA_REQUEST = "data_request", _("Data request")
    AGENCY_REQUEST = "agency_request", _("Request between agencies")
    DIFFICULTY = "difficulty", _("Difficulty reported to the supervisor")


# Kinds the public sends and may read; the others are between staff only.
PUBLIC_KINDS = (Kind.FEEDBACK, Kind.DATA_REQUEST)
STAFF_KINDS = (Kind.AGENCY_REQUEST, Kind.DIFFICULTY)


class Category(models.TextChoices):
    """What feedback is about: the four subjects of article 12.2, and anything else."""

    DATA_QUALITY = "data_quality", _("Data quality")
    USABILITY = "usability", _("Usability")
    FORMAT = "format", _("Format")
    LEGAL = "legal", _("Legal compliance")
    OTHER = "other", _("Other")


class State(models.TextChoices):
    NEW = "new", pgettext_lazy("thread state", "New")
    ASSIGNED = "assigned", pgettext_lazy("thread state", "Assigned")
    ANSWERED = "answered", pgettext_lazy("thread state", "Answered")
    CLOSED = "closed", pgettext_lazy("thread state", "Closed")
    REJECTED = "rejected", pgettext_lazy("thread state", "Rejected")


OPEN_STATES = (State.NEW, State.ASSIGNED, State.ANSWERED)
# Not answered yet: the response time is still running.
WAITING_STATES = (State.NEW, State.ASSIGNED)


class Thread(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices,
                                default=Category.OTHER)
    state = models.CharField(_("state"), max_length=20, choices=State.choices,
                             default=State.NEW)
    title = models.CharField(_("title"), max_length=200, blank=True)
    dataset = models.ForeignKey(Dataset, verbose_name=_("dataset"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="threads")
    resource = models.ForeignKey(Resource, verbose_name=_("resource"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="threads")
    # The agency that handles it (the dataset's owner, the agency asked, the supervisor).
    agency = models.ForeignKey(Agency, verbose_name=_("handling agency"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="threads")
    # For requests between agencies and difficulties: the agency that asks.
    requester_agency = models.ForeignKey(
        Agency, verbose_name=_("requesting agency"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="threads_asked")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    public = models.BooleanField(_("public"), default=True)
    # Personal data: shown only to the staff who handle the thread, erased after closing
    # (FEEDBACK_CONTACT_RETENTION_DAYS).
    author_name = models.CharField(_("name"), max_length=200, blank=True)
    author_email = models.EmailField(_("e-mail"), blank=True)
    contact_erased = models.DateTimeField(null=True, blank=True, editable=False)
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    # A data request fulfilled by a dataset, or planned by an item of the open data list
    # (its code, as the list names it).
    fulfilled_by = models.ForeignKey(Dataset, verbose_name=_("fulfilled by"), null=True,
                                     blank=True, on_delete=models.SET_NULL,
                                     related_name="requests_fulfilled")
    list_item_code = models.CharField(_("open data list item"), max_length=100, blank=True)
    support_count = models.PositiveIntegerField(_("supports"), default=0, editable=False)
    created = models.DateTimeField(_("received"), auto_now_add=True)
    modified = models.DateTimeField(_("last modified"), auto_now=True)
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [
            models.Index(fields=["agency", "state"]),
            models.Index(fields=["kind", "state", "public"]),
            models.Index(fields=["dataset", "public"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title or self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class MessageKind(models.TextChoices):
    SUBMISSION = "submission", _("Message of the sender")
    ANSWER = "answer", _("Answer of the agency")
    NOTE = "note", _("Internal note")


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("kind"), max_length=20, choices=MessageKind.choices)
    body = models.TextField(_("message"))
    # Who wrote it (staff only; never shown to the public: an answer is the agency's).
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    # The agency that signs an answer.
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    created = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Support(models.Model):
    """One +1 of a public data request: one per address and day. Only a keyed hash of the
    address, the day and the thread is kept (services.support_key), never the address."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="supports")
    key = models.CharField(max_length=64)
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "key"],
                                               name="one_support_per_address_and_day")]

    def __str__(self) -> str:
        return f"+1 #{self.thread_id} {self.day}"
