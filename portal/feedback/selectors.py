"""Reads of threads. Every read a person or client reaches filters by the permission module's
rule (`visible_threads_q`, `staff_threads_q`); what a thread shows of itself to a reader
(internal notes, the sender's contact) is asked of `permissions.can` too."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet

from portal.accounts.permissions import Action, can, staff_threads_q, visible_threads_q
from portal.catalog.models import Dataset, Resource
from portal.feedback.models import (
    OPEN_STATES,
    Kind,
    Message,
    MessageKind,
    State,
    Thread,
)
from portal.feedback.targets import overdue_q, resolution_overdue_q, response_overdue_q
from portal.lib.errors import NotFound

if TYPE_CHECKING:
    from portal.accounts.permissions import Actor

# Messages the public (and the asking agency) read: never internal notes.
SHARED_MESSAGES = (MessageKind.SUBMISSION, MessageKind.ANSWER)
OVERDUE_FILTERS = {"response": response_overdue_q, "resolution": resolution_overdue_q,
                   "any": overdue_q}


def visible_threads(user: Actor) -> QuerySet[Thread]:
    return Thread.objects.filter(visible_threads_q(user))


def _with_related(threads: QuerySet[Thread]) -> QuerySet[Thread]:
    return threads.select_related("agency", "requester_agency", "dataset", "resource",
                                  "fulfilled_by")


def get_thread(user: Actor, pk: int | str) -> Thread:
    """A thread by number, or NotFound, also when the user may not see it."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise NotFound("Thread not found") from None
    thread = _with_related(visible_threads(user)).filter(pk=number).first()
    if thread is None:
        raise NotFound("Thread not found")
    return thread


def thread_messages(user: Actor, thread: Thread) -> list[Message]:
    """The messages the user may read, oldest first: notes only for the handling agency,
    supervisors and sysadmins."""
    messages = thread.messages.select_related("agency", "author")
    if not can(user, Action.VIEW_THREAD_NOTES, thread):
        messages = messages.filter(kind__in=SHARED_MESSAGES)
    return list(messages.order_by("created", "id"))


def public_threads_of_dataset(user: Actor, dataset: Dataset,
                              resource: Resource | None = None) -> list[Thread]:
    """The public feedback on a dataset (or one resource) with their shared messages, in two
    queries; each thread's messages are in `shared_messages`."""
    threads = visible_threads(user).filter(dataset=dataset, kind=Kind.FEEDBACK, public=True)
    if resource is not None:
        threads = threads.filter(resource=resource)
    shared = Prefetch("messages", to_attr="shared_messages", queryset=Message.objects.filter(
        kind__in=SHARED_MESSAGES).select_related("agency").order_by("created", "id"))
    return list(threads.select_related("resource").prefetch_related(shared)
                .order_by("-created", "-id"))


@dataclass
class RequestQuery:
    """The public list of data requests."""

    state: str = "open"  # open, closed or all
    sort: str = "supports"  # supports or newest


def public_requests(user: Actor, query: RequestQuery) -> QuerySet[Thread]:
    threads = visible_threads(user).filter(kind=Kind.DATA_REQUEST, public=True)
    if query.state == "open":
        threads = threads.filter(state__in=OPEN_STATES)
    elif query.state == "closed":
        threads = threads.filter(state=State.CLOSED)
    order = ["-support_count", "-created"] if query.sort == "supports" else ["-created"]
    return _with_related(threads).order_by(*order, "-id")


@dataclass
class StaffQuery:
    """The staff list's filters; unknown values are ignored."""

    states: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    overdue: str = ""  # response, resolution or any
    agency: str = ""  # an agency's slug (supervisors and sysadmins)


def staff_threads(user: Actor, query: StaffQuery) -> QuerySet[Thread]:
    """The threads the user handles or asked for, filtered."""
    threads = Thread.objects.filter(staff_threads_q(user))
    states = [state for state in query.states if state in State.values]
    kinds = [kind for kind in query.kinds if kind in Kind.values]
    if states:
        threads = threads.filter(state__in=states)
    if kinds:
        threads = threads.filter(kind__in=kinds)
    if query.overdue in OVERDUE_FILTERS:
        threads = threads.filter(OVERDUE_FILTERS[query.overdue]())
    if query.agency:
        threads = threads.filter(Q(agency__slug=query.agency)
                                 | Q(requester_agency__slug=query.agency))
    return _with_related(threads).order_by("-created", "-id")


def state_counts(threads: QuerySet[Thread]) -> dict[str, int]:
    rows = threads.order_by().values("state").annotate(number=Count("pk"))
    return dict.fromkeys(State.values, 0) | {row["state"]: row["number"] for row in rows}


def open_count_for(user: Actor) -> int:
    """Open threads the user's agency handles (every one, for supervisors and sysadmins): the
    staff menu's badge."""
    threads = Thread.objects.filter(staff_threads_q(user), state__in=OPEN_STATES)
    if not can(user, Action.REASSIGN_FEEDBACK):
        agency_id: int | None = getattr(user, "agency_id", None)
        if agency_id is None:
            return 0
        threads = threads.filter(agency_id=agency_id)
    return threads.count()
