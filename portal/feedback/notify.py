"""E-mail about threads, in the portal's language (Vietnamese), sent by a job after the change
committed: the sender at each step when they left an address, the handling agency's accounts
(editors, admins and the focal point's address) when a thread reaches it.

A sender's address is read from the thread when the job runs, so a message is never sent to an
address that was erased meanwhile; it never appears in a page or in the public API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from huey.contrib.djhuey import db_task

from portal.accounts.mail import deliver, in_portal_language
from portal.accounts.models import Role, User
from portal.agencies.models import Agency
from portal.audit.context import acting_as
from portal.audit.models import Door
from portal.feedback.models import PUBLIC_KINDS, STAFF_KINDS, Kind, Message, State, Thread
from portal.feedback.targets import targets_of
from portal.pages.context import portal_name

# How a thread is named inside a sentence ("your feedback no. 12").
KIND_NOUNS = {
    Kind.FEEDBACK: gettext_lazy("feedback"),
    Kind.DATA_REQUEST: gettext_lazy("data request"),
    Kind.AGENCY_REQUEST: gettext_lazy("request between agencies"),
    Kind.DIFFICULTY: gettext_lazy("report of a difficulty"),
}
# Events the sender hears of; "received" and "assigned" also reach the handling agency.
SENDER_EVENTS = ("received", "assigned", "answered", "closed", "rejected", "fulfilled",
                 "planned")


@dataclass(frozen=True)
class Mail:
    recipients: list[str]
    subject: str
    body: str
    reason: str


def agency_recipients(agency: Agency | None) -> list[str]:
    """The active editors and admins of the agency and its focal point's address; with no
    agency (a data request nobody was assigned yet), the supervisors."""
    if agency is None:
        people = User.objects.filter(role=Role.SUPERVISOR)
        extra = list(Agency.objects.active().filter(is_supervisor=True)
                     .exclude(focal_email="").values_list("focal_email", flat=True))
    else:
        people = User.objects.filter(agency=agency, role__in=[Role.ADMIN, Role.EDITOR])
        extra = [agency.focal_email] if agency.focal_email else []
    found = people.filter(is_active=True).exclude(Q(email="")).order_by("pk")
    addresses = [*found.values_list("email", flat=True), *extra]
    return list(dict.fromkeys(address.lower() for address in addresses))


def sender_address(thread: Thread) -> str:
    """Where the sender is told: the address they left, or for a request between agencies or
    a difficulty the account that sent it."""
    if thread.author_email:
        return thread.author_email
    person = thread.submitted_by
    if thread.kind in STAFF_KINDS and person is not None and person.is_active:
        return str(person.email)
    return ""


def public_path(thread: Thread) -> str:
    """The thread's public page, or "" when the public does not see it."""
    if not thread.public or thread.kind not in PUBLIC_KINDS or thread.state == State.REJECTED:
        return ""
    if thread.dataset is not None and not thread.dataset.is_public:
        return ""
    name = "feedback:request_detail" if thread.kind == Kind.DATA_REQUEST else \
        "feedback:feedback_detail"
    return reverse(name, args=[thread.pk])


def _context(thread: Thread, message: Message | None, site: str) -> dict[str, Any]:
    link = public_path(thread)
    fulfilled = thread.fulfilled_by
    return {
        "thread": thread, "number": thread.pk, "kind": KIND_NOUNS[Kind(thread.kind)],
        "portal_name": portal_name(), "site_url": site,
        "public_link": f"{site}{link}" if link else "",
        "staff_link": f"{site}{reverse('feedback:staff_thread', args=[thread.pk])}",
        "dataset_link": f"{site}{reverse('catalog:dataset_detail', args=[thread.dataset.slug])}"
        if thread.dataset is not None else "",
        "fulfilled_link": f"{site}{reverse('catalog:dataset_detail', args=[fulfilled.slug])}"
        if fulfilled is not None else "",
        "first_message": thread.messages.filter(kind="submission").first(),
        "message": message, "signer": signer_name(message),
        "agency": thread.agency.name if thread.agency is not None else "",
        "response_due": targets_of(thread).response_due,
        "sender_name": thread.author_name or (
            thread.submitted_by.get_full_name() if thread.submitted_by else ""),
    }


def signer_name(message: Message | None) -> str:
    if message is None:
        return ""
    return message.agency.name if message.agency is not None else portal_name()


def _subject(event: str, context: dict[str, Any]) -> str:
    values = {"portal": context["portal_name"], "kind": context["kind"],
              "number": context["number"], "agency": context["agency"]}
    subjects = {
        "arrived": _("%(portal)s: new %(kind)s no. %(number)s to handle"),
        "received": _("%(portal)s: we received your %(kind)s (no. %(number)s)"),
        "assigned": _("%(portal)s: your %(kind)s no. %(number)s was sent to %(agency)s"),
        "answered": _("%(portal)s: an answer to your %(kind)s no. %(number)s"),
        "closed": _("%(portal)s: your %(kind)s no. %(number)s is closed"),
        "rejected": _("%(portal)s: your %(kind)s no. %(number)s was rejected"),
        "fulfilled": _("%(portal)s: the data you asked for is published (no. %(number)s)"),
        "planned": _("%(portal)s: your data request no. %(number)s is in the open data list"),
    }
    return subjects[event] % values


def compose(event: str, thread: Thread, message: Message | None, site: str) -> list[Mail]:
    """The messages an event sends; render inside `in_portal_language()`."""
    context = _context(thread, message, site)
    mails = []
    if event in ("received", "assigned"):
        staff = agency_recipients(thread.agency)
        if staff:
            mails.append(Mail(staff, _subject("arrived", context),
                              render_to_string("feedback/mail/arrived.txt", context),
                              f"The arrival of thread #{thread.pk}"))
    sender = sender_address(thread)
    if sender and event in SENDER_EVENTS:
        mails.append(Mail([sender], _subject(event, context),
                          render_to_string(f"feedback/mail/{event}.txt", context),
                          f"The {event} message of thread #{thread.pk}"))
    return mails


def send(event: str, thread_id: int, site_url: str, message_id: int | None = None) -> int:
    """Compose and send an event's messages; returns how many the mail server accepted."""
    thread = (Thread.objects.select_related("agency", "dataset", "resource", "fulfilled_by",
                                            "submitted_by").filter(pk=thread_id).first())
    if thread is None:
        return 0
    message = (Message.objects.select_related("agency").filter(pk=message_id).first()
               if message_id is not None else None)
    site = (site_url or str(settings.SITE_URL)).rstrip("/")
    with in_portal_language():
        mails = compose(event, thread, message, site)
    return sum(deliver(mail.recipients, mail.subject, mail.body, reason=mail.reason)
               for mail in mails)


@db_task()  # type: ignore[untyped-decorator]
def thread_mail(event: str, thread_id: int, site_url: str, message_id: int | None) -> None:
    """The job services queue when a change commits."""
    with acting_as(door=Door.JOB):
        send(event, thread_id, site_url, message_id)
