"""Writes to threads. Pages and /api/v1 call these; each checks permission itself, runs in a
transaction, records the change in the audit trail and e-mails the people concerned once the
change commits (notify.py, through a job).

The dataset or thread a service takes was found by the door through the selectors, which apply
the visibility rule; the services check again what the person may do with it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from portal.accounts.permissions import Action, can
from portal.agencies.models import Agency
from portal.audit import services as audit
from portal.catalog.models import Dataset, Resource
from portal.feedback import notify, signals
from portal.feedback.inputs import REASON_MAX_LENGTH, Submission, message_errors
from portal.feedback.models import (
    OPEN_STATES,
    STAFF_KINDS,
    Kind,
    Message,
    MessageKind,
    State,
    Support,
    Thread,
)
from portal.lib.errors import ApplicationError, NotFound, PermissionDenied

if TYPE_CHECKING:
    from portal.accounts.permissions import Actor

AUDITED = ["kind", "state", "agency", "dataset", "public"]
LIST_ITEM_MAX_LENGTH = 100
# A ceased agency's successor may itself have ceased: follow the chain this far at most.
MAX_SUCCESSORS = 10


def _require(user: Actor, action: Action, obj: Any = None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied(_("You do not have permission to do this."))


def _person(user: Actor) -> Any:
    return user if user.is_authenticated else None


def _mail(event: str, thread: Thread, site_url: str, message: Message | None = None) -> None:
    """E-mail the people concerned once the transaction commits (a job: no request waits on
    the mail server)."""
    message_id = message.pk if message is not None else None
    transaction.on_commit(lambda: notify.thread_mail(event, thread.pk, site_url, message_id))


def routed_agency(agency: Agency | None) -> Agency | None:
    """The agency that handles what `agency` owned: itself, or its successor when it has
    ceased (merged, renamed); None when no active successor is known (the supervisor assigns)."""
    for _hop in range(MAX_SUCCESSORS):
        if agency is None or agency.is_active:
            return agency
        agency = agency.replaced_by
    return None


def supervising_agency() -> Agency | None:
    return Agency.objects.active().filter(is_supervisor=True).order_by("pk").first()


def _create(user: Actor, data: Submission, *, agency: Agency | None, site_url: str,
            dataset: Dataset | None = None, resource: Resource | None = None,
            requester_agency: Agency | None = None) -> Thread:
    now = timezone.now()
    thread = Thread.objects.create(
        kind=data.kind, category=data.category, title=data.title, dataset=dataset,
        resource=resource, agency=agency, requester_agency=requester_agency,
        submitted_by=_person(user), public=data.public and data.kind not in STAFF_KINDS,
        author_name=data.author_name, author_email=data.author_email,
        state=State.ASSIGNED if agency is not None else State.NEW,
        assigned_at=now if agency is not None else None)
    Message.objects.create(thread=thread, kind=MessageKind.SUBMISSION, body=data.message,
                           author=_person(user))
    audit.record(actor=user, action="thread.create", target=thread,
                 after=audit.snapshot(thread, AUDITED))
    _mail("received", thread, site_url)
    return thread


def _valid(submission: Submission, kind: str) -> Submission:
    data = replace(submission.cleaned(), kind=kind)
    data.validate()
    return data


@transaction.atomic
def feedback_submit(*, user: Actor, dataset: Dataset, submission: Submission,
                    resource: Resource | None = None, site_url: str = "") -> Thread:
    """Feedback on a dataset (or one of its resources) the sender may see; no account needed.
    It goes at once to the agency that owns the dataset."""
    data = _valid(submission, Kind.FEEDBACK)
    if not can(user, Action.VIEW_DATASET, dataset):
        raise NotFound("Dataset not found")
    if resource is not None and resource.dataset_id != dataset.pk:
        raise NotFound("Resource not found")
    return _create(user, data, agency=routed_agency(dataset.agency), dataset=dataset,
                   resource=resource, site_url=site_url)


@transaction.atomic
def request_submit(*, user: Actor, submission: Submission, agency: Agency | None = None,
                   site_url: str = "") -> Thread:
    """A data request from anyone. With an agency named it is assigned to it; without, it
    waits for the supervisor to assign it."""
    data = _valid(submission, Kind.DATA_REQUEST)
    return _create(user, data, agency=routed_agency(agency), site_url=site_url)


@transaction.atomic
def agency_thread_submit(*, user: Actor, submission: Submission, requester_agency: Agency,
                         agency: Agency | None = None, dataset: Dataset | None = None,
                         site_url: str = "") -> Thread:
    """A request to another agency (article 7.1) or a difficulty reported to the supervising
    department (article 16), by an editor or admin of the asking agency. Never public."""
    _require(user, Action.SEND_AGENCY_THREAD, requester_agency)
    data = _valid(replace(submission, public=False), submission.kind)
    if data.kind == Kind.DIFFICULTY:
        return _create(user, data, agency=supervising_agency(), dataset=dataset,
                       requester_agency=requester_agency, site_url=site_url)
    if data.kind != Kind.AGENCY_REQUEST:
        raise ApplicationError(_("Your message was not sent: please correct what is marked."),
                               {"kind": [_("Choose a kind from the list.")]})
    if agency is None or not agency.is_active or agency.pk == requester_agency.pk:
        raise ApplicationError(_("Your message was not sent: please correct what is marked."),
                               {"agency": [_("Choose the agency you ask: an active agency "
                                             "other than your own.")]})
    return _create(user, data, agency=agency, dataset=dataset,
                   requester_agency=requester_agency, site_url=site_url)


# Handling ------------------------------------------------------------------------------------


def _locked(thread: Thread, user: Actor, action: Action = Action.HANDLE_FEEDBACK,
            *, open_only: bool = True) -> Thread:
    """The thread's row as it is now, locked until the transaction ends so that two people
    acting at once do not both move it; refused unless the user may do `action` on it, and
    once it is closed or rejected."""
    current = Thread.objects.select_for_update(of=("self",)).select_related(
        "agency", "dataset").get(pk=thread.pk)
    _require(user, action, current)
    if open_only and current.state not in OPEN_STATES:
        raise ApplicationError(_("This thread is %(state)s: it can no longer change.")
                               % {"state": current.get_state_display().lower()})
    return current


def _check_body(body: str, field: str = "message") -> str:
    text = body.replace("\x00", "").strip()
    errors = message_errors(text, field)
    if errors:
        raise ApplicationError(_("Nothing was saved: please correct what is marked."), errors)
    return text


def _save(thread: Thread, before: dict[str, Any], action: str, user: Actor,
          fields: list[str]) -> None:
    thread.save(update_fields=[*fields, "modified"])
    audit.record(actor=user, action=action, target=thread, before=before,
                 after=audit.snapshot(thread, before))


def _signer(user: Actor) -> Agency | None:
    """An answer is signed by the agency of whoever writes it, never by the person."""
    return getattr(user, "agency", None)


@transaction.atomic
def thread_answer(*, user: Actor, thread: Thread, body: str, close: bool = False,
                  site_url: str = "") -> Message:
    """The agency's answer, seen by the sender (and the public when the thread is public)."""
    current = _locked(thread, user)
    text = _check_body(body)
    before = audit.snapshot(current, ["state", "answered_at", "closed_at"])
    message = Message.objects.create(thread=current, kind=MessageKind.ANSWER, body=text,
                                     author=_person(user), agency=_signer(user))
    now = timezone.now()
    current.answered_at = current.answered_at or now
    current.state = State.CLOSED if close else State.ANSWERED
    current.closed_at = now if close else None
    _save(current, before, "thread.answer", user, ["state", "answered_at", "closed_at"])
    if current.public and current.kind == Kind.FEEDBACK:
        signals.public_answer.send(sender=Thread, thread=current, message=message)
    _mail("closed" if close else "answered", current, site_url, message)
    return message


@transaction.atomic
def thread_note(*, user: Actor, thread: Thread, body: str) -> Message:
    """An internal note: read only by the handling agency, supervisors and sysadmins."""
    current = _locked(thread, user, open_only=False)
    text = _check_body(body)
    message = Message.objects.create(thread=current, kind=MessageKind.NOTE, body=text,
                                     author=_person(user))
    audit.record(actor=user, action="thread.note", target=current,
                 after={"message": message.pk})
    return message


@transaction.atomic
def thread_close(*, user: Actor, thread: Thread, body: str = "", site_url: str = "") -> Thread:
    """Close an open thread, with a last answer to the sender if one is written."""
    if body.strip():
        answer = thread_answer(user=user, thread=thread, body=body, close=True,
                               site_url=site_url)
        return answer.thread
    current = _locked(thread, user)
    before = audit.snapshot(current, ["state", "closed_at"])
    current.state, current.closed_at = State.CLOSED, timezone.now()
    _save(current, before, "thread.close", user, ["state", "closed_at"])
    _mail("closed", current, site_url)
    return current


@transaction.atomic
def thread_reject(*, user: Actor, thread: Thread, reason: str, site_url: str = "") -> Thread:
    """Reject spam or abuse: the thread disappears from public pages; the reason is kept."""
    current = _locked(thread, user)
    text = reason.replace("\x00", "").strip()
    if not text or len(text) > REASON_MAX_LENGTH:
        raise ApplicationError(_("Nothing was saved: please correct what is marked."), {
            "reason": [_("Say why the thread is rejected (at most %(limit)d characters).")
                       % {"limit": REASON_MAX_LENGTH}]})
    before = audit.snapshot(current, ["state", "closed_at", "reject_reason"])
    current.state, current.closed_at, current.reject_reason = (
        State.REJECTED, timezone.now(), text)
    _save(current, before, "thread.reject", user, ["state", "closed_at", "reject_reason"])
    _mail("rejected", current, site_url)
    return current


@transaction.atomic
def thread_reassign(*, user: Actor, thread: Thread, agency: Agency,
                    site_url: str = "") -> Thread:
    """Send an open thread to another agency (supervisors and sysadmins)."""
    current = _locked(thread, user, Action.REASSIGN_FEEDBACK)
    if not agency.is_active:
        raise ApplicationError(_("Nothing was saved: please correct what is marked."),
                               {"agency": [_("This agency has ceased: choose an active one.")]})
    if current.agency_id == agency.pk:
        raise ApplicationError(_("Nothing was saved: please correct what is marked."),
                               {"agency": [_("The thread is already assigned to this agency.")]})
    before = audit.snapshot(current, ["agency", "state", "assigned_at"])
    current.agency, current.assigned_at = agency, timezone.now()
    current.state = State.ASSIGNED
    _save(current, before, "thread.reassign", user, ["agency", "state", "assigned_at"])
    _mail("assigned", current, site_url)
    return current


def _locked_request(user: Actor, thread: Thread) -> Thread:
    current = _locked(thread, user)
    if current.kind != Kind.DATA_REQUEST:
        raise ApplicationError(_("Only a data request can be linked to a dataset or to an "
                                 "item of the open data list."))
    return current


@transaction.atomic
def request_fulfil(*, user: Actor, thread: Thread, dataset: Dataset,
                   site_url: str = "") -> Thread:
    """The dataset that fulfils a data request: it closes the request and tells the sender."""
    current = _locked_request(user, thread)
    if not dataset.is_public:
        raise ApplicationError(_("Nothing was saved: please correct what is marked."), {
            "dataset": [_("Link a published, public dataset: the sender must be able to "
                          "open it.")]})
    before = audit.snapshot(current, ["state", "fulfilled_by", "answered_at", "closed_at"])
    now = timezone.now()
    current.fulfilled_by, current.state, current.closed_at = dataset, State.CLOSED, now
    current.answered_at = current.answered_at or now
    _save(current, before, "thread.fulfil", user,
          ["fulfilled_by", "state", "answered_at", "closed_at"])
    _mail("fulfilled", current, site_url)
    return current


@transaction.atomic
def request_plan(*, user: Actor, thread: Thread, list_item_code: str,
                 site_url: str = "") -> Thread:
    """Record the item of the open data list (by its code) that will bring the data asked
    for; the request stays open until a dataset fulfils it. The sender is told."""
    current = _locked_request(user, thread)
    code = list_item_code.replace("\x00", "").strip()
    if not code or len(code) > LIST_ITEM_MAX_LENGTH:
        raise ApplicationError(_("Nothing was saved: please correct what is marked."), {
            "list_item_code": [_("Write the item's code as the open data list gives it "
                                 "(at most %(limit)d characters).")
                               % {"limit": LIST_ITEM_MAX_LENGTH}]})
    before = audit.snapshot(current, ["list_item_code"])
    current.list_item_code = code
    _save(current, before, "thread.plan", user, ["list_item_code"])
    _mail("planned", current, site_url)
    return current


# Supports and personal data -----------------------------------------------------------------


def support_key(thread: Thread, address: str, day: str) -> str:
    """A keyed hash (HMAC with the portal's secret key) of the address, the day and the
    thread: it tells a second +1 of the same day apart without keeping the address, and the
    same address's supports of two threads cannot be matched."""
    return salted_hmac("portal.feedback.support", f"{thread.pk}|{day}|{address}",
                       algorithm="sha256").hexdigest()


def request_support(*, user: Actor, thread: Thread, address: str) -> bool:
    """+1 to an open public data request: True if counted, False if this address already
    supported it today."""
    if not can(user, Action.VIEW_THREAD, thread):
        raise NotFound("Thread not found")
    if thread.kind != Kind.DATA_REQUEST or not thread.public or not thread.is_open:
        raise ApplicationError(_("Only an open public data request can be supported."))
    day = timezone.localdate()
    try:
        with transaction.atomic():
            Support.objects.create(thread=thread, key=support_key(thread, address,
                                                                  day.isoformat()), day=day)
            Thread.objects.filter(pk=thread.pk).update(support_count=F("support_count") + 1)
    except IntegrityError:
        return False
    thread.refresh_from_db(fields=["support_count"])
    return True


@transaction.atomic
def contacts_erase_expired() -> int:
    """Erase the name and e-mail address of senders whose thread was closed or rejected more
    than FEEDBACK_CONTACT_RETENTION_DAYS ago. Returns how many threads were erased."""
    now = timezone.now()
    cutoff = now - timedelta(days=settings.FEEDBACK_CONTACT_RETENTION_DAYS)
    expired = Thread.objects.filter(
        state__in=[State.CLOSED, State.REJECTED], closed_at__lte=cutoff,
        contact_erased__isnull=True).exclude(author_name="", author_email="")
    count = expired.update(author_name="", author_email="", contact_erased=now)
    if count:
        audit.record(actor=None, action="thread.erase_contacts", after={"threads": count})
    return count
