"""/api/v1 feedback and data requests: the same services and rules as the pages.

- `POST /datasets/{id_or_name}/feedback`, `POST /requests`, `POST /requests/{id}/support`:
  the public's writes, without an account (the deliberate exception of docs/api.md);
- `GET /requests`, `GET /requests/{id}`: the public data requests;
- `/feedback...`: the staff's list of threads, a thread, and its actions (reply, note, close,
  reject, assign, link a data request).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from portal.accounts.permissions import Action, can
from portal.agencies.models import Agency
from portal.agencies.selectors import get_agency
from portal.api.auth import caller, public_writer, writer
from portal.api.errors import ApiError
from portal.catalog import selectors as catalog
from portal.catalog.models import Dataset, Resource
from portal.feedback import selectors, services
from portal.feedback.inputs import Submission
from portal.feedback.models import Kind, Thread
from portal.feedback.schemas import (
    AssignIn,
    CloseIn,
    FeedbackIn,
    FulfilIn,
    NoteIn,
    PlanIn,
    RejectIn,
    ReplyIn,
    RequestIn,
    StaffThreadIn,
    SupportOut,
    ThreadOut,
    ThreadPage,
)
from portal.lib.errors import ApplicationError, NotFound
from portal.lib.net import site_url
from portal.ops.ratelimit import limited_address

if TYPE_CHECKING:
    from portal.accounts.permissions import Actor

router = Router(tags=["feedback and data requests"])


def _one(request: HttpRequest, user: Actor, thread: Thread) -> ThreadOut:
    fresh = selectors.get_thread(user, thread.pk)
    return ThreadOut.of(fresh, user, selectors.thread_messages(user, fresh))


def _field_error(field: str, message: str) -> ApplicationError:
    return ApplicationError(_("Nothing was saved: please correct what is marked."),
                            {field: [message]})


def _agency(slug: str) -> Agency:
    try:
        return get_agency(slug)
    except NotFound:
        raise _field_error("agency", _("Unknown agency.")) from None


def _dataset(user: Actor, name_or_id: str) -> Dataset:
    try:
        return catalog.get_dataset(user, name_or_id)
    except NotFound:
        raise _field_error("dataset", _("There is no dataset with this URL name.")) from None


# The public's writes -------------------------------------------------------------------------


def _resource(user: Actor, dataset: Dataset, payload: FeedbackIn) -> Resource | None:
    if payload.resource_id is None:
        return None
    try:
        return catalog.get_resource(user, str(payload.resource_id), dataset)
    except NotFound:
        raise _field_error("resource_id", _("This dataset has no such resource.")) from None


@router.post("/datasets/{id_or_name}/feedback", response={201: ThreadOut},
             url_name="dataset_feedback_create",
             summary="Send feedback on a dataset (no account needed)")
def dataset_feedback_create(request: HttpRequest, id_or_name: str,
                            payload: FeedbackIn) -> Status[ThreadOut]:
    user = public_writer(request)
    dataset = catalog.get_dataset(user, id_or_name)
    thread = services.feedback_submit(
        user=user, dataset=dataset, resource=_resource(user, dataset, payload),
        site_url=site_url(request), submission=Submission(
            kind=Kind.FEEDBACK, message=payload.message, category=payload.category,
            author_name=payload.author_name, author_email=payload.author_email,
            public=payload.public))
    return Status(201, ThreadOut.of(thread, user, selectors.thread_messages(user, thread)))


@router.post("/requests", response={201: ThreadOut}, url_name="request_create",
             summary="Ask for data the portal lacks (no account needed)")
def request_create(request: HttpRequest, payload: RequestIn) -> Status[ThreadOut]:
    user = public_writer(request)
    thread = services.request_submit(
        user=user, agency=_agency(payload.agency) if payload.agency else None,
        site_url=site_url(request),
        submission=Submission(kind=Kind.DATA_REQUEST, message=payload.message,
                              title=payload.title, author_name=payload.author_name,
                              author_email=payload.author_email, public=payload.public))
    return Status(201, ThreadOut.of(thread, user, selectors.thread_messages(user, thread)))


def _request(user: Actor, pk: int) -> Thread:
    thread = selectors.get_thread(user, pk)
    if thread.kind != Kind.DATA_REQUEST:
        raise NotFound("Request not found")
    return thread


@router.post("/requests/{request_id}/support", response=SupportOut, url_name="request_support",
             summary="+1 to an open public data request (once per address and day)")
def request_support(request: HttpRequest, request_id: int) -> SupportOut:
    user = public_writer(request)
    thread = _request(user, request_id)
    counted = services.request_support(user=user, thread=thread,
                                       address=limited_address(request))
    return SupportOut(counted=counted, support_count=thread.support_count)


# Public reads --------------------------------------------------------------------------------


class RequestFilters(Schema):
    state: str = Field("open", pattern="^(open|closed|all)$")
    sort: str = Field("supports", pattern="^(supports|newest)$")
    limit: int = Field(20, ge=1, le=settings.API_MAX_ROWS)
    offset: int = Field(0, ge=0, le=1_000_000)


@router.get("/requests", response=ThreadPage, summary="The public data requests")
def request_list(request: HttpRequest, filters: Query[RequestFilters]) -> ThreadPage:
    user = caller(request)
    threads = selectors.public_requests(user, selectors.RequestQuery(state=filters.state,
                                                                     sort=filters.sort))
    page = threads[filters.offset:filters.offset + filters.limit]
    return ThreadPage(total=threads.count(), limit=filters.limit, offset=filters.offset,
                      results=[ThreadOut.of(thread, user) for thread in page])


@router.get("/requests/{request_id}", response=ThreadOut, summary="Read a data request")
def request_detail(request: HttpRequest, request_id: int) -> ThreadOut:
    user = caller(request)
    return _one(request, user, _request(user, request_id))


# Staff ---------------------------------------------------------------------------------------


class StaffFilters(Schema):
    state: list[str] = Field(default_factory=list, description="new, assigned, answered, "
                             "closed, rejected (any of)")
    kind: list[str] = Field(default_factory=list, description="feedback, data_request, "
                            "agency_request, difficulty (any of)")
    overdue: str = Field("", pattern="^(|response|resolution|any)$")
    agency: str = Field("", max_length=100, description="Slug: threads it handles or asked.")
    limit: int = Field(20, ge=1, le=settings.API_MAX_ROWS)
    offset: int = Field(0, ge=0, le=1_000_000)


def _staff(request: HttpRequest) -> Actor:
    user = caller(request)
    if not user.is_authenticated:
        raise ApiError(401, _("Sign in, or send an API token in the Authorization header."))
    if not can(user, Action.VIEW_FEEDBACK_DASHBOARD):
        raise ApiError(403, _("Only the accounts of an agency, supervisors and system "
                              "administrators handle feedback and requests."))
    return user


@router.get("/feedback", response=ThreadPage,
            summary="Threads your agency handles or asked (every thread for supervisors)")
def thread_list(request: HttpRequest, filters: Query[StaffFilters]) -> ThreadPage:
    user = _staff(request)
    threads = selectors.staff_threads(user, selectors.StaffQuery(
        states=filters.state, kinds=filters.kind, overdue=filters.overdue,
        agency=filters.agency))
    page = threads[filters.offset:filters.offset + filters.limit]
    return ThreadPage(total=threads.count(), limit=filters.limit, offset=filters.offset,
                      results=[ThreadOut.of(thread, user) for thread in page])


@router.post("/feedback", response={201: ThreadOut},
             summary="Ask another agency, or report a difficulty to the supervisor")
def thread_create(request: HttpRequest, payload: StaffThreadIn) -> Status[ThreadOut]:
    user = writer(request)
    requester = getattr(user, "agency", None)
    if requester is None or not can(user, Action.SEND_AGENCY_THREAD, requester):
        raise ApiError(403, _("Only editors and administrators of an active agency send "
                              "requests to other agencies and report difficulties."))
    thread = services.agency_thread_submit(
        user=user, requester_agency=requester,
        agency=_agency(payload.agency) if payload.agency else None,
        dataset=_dataset(user, payload.dataset) if payload.dataset else None,
        site_url=site_url(request),
        submission=Submission(kind=payload.kind, message=payload.message, title=payload.title,
                              public=False))
    return Status(201, _one(request, user, thread))


@router.get("/feedback/{thread_id}", response=ThreadOut,
            summary="Read a thread (notes and the sender's contact for those who handle it)")
def thread_detail(request: HttpRequest, thread_id: int) -> ThreadOut:
    user = caller(request)
    return _one(request, user, selectors.get_thread(user, thread_id))


def _acted(request: HttpRequest, thread_id: int) -> tuple[Actor, Thread]:
    user = writer(request)
    return user, selectors.get_thread(user, thread_id)


@router.post("/feedback/{thread_id}/reply", response=ThreadOut,
             summary="Answer, signed by your agency; optionally close")
def thread_reply(request: HttpRequest, thread_id: int, payload: ReplyIn) -> ThreadOut:
    user, thread = _acted(request, thread_id)
    services.thread_answer(user=user, thread=thread, body=payload.message, close=payload.close,
                           site_url=site_url(request))
    return _one(request, user, thread)


@router.post("/feedback/{thread_id}/notes", response=ThreadOut,
             summary="Add an internal note")
def thread_note(request: HttpRequest, thread_id: int, payload: NoteIn) -> ThreadOut:
    user, thread = _acted(request, thread_id)
    services.thread_note(user=user, thread=thread, body=payload.message)
    return _one(request, user, thread)


@router.post("/feedback/{thread_id}/close", response=ThreadOut, summary="Close")
def thread_close(request: HttpRequest, thread_id: int, payload: CloseIn) -> ThreadOut:
    user, thread = _acted(request, thread_id)
    services.thread_close(user=user, thread=thread, body=payload.message,
                          site_url=site_url(request))
    return _one(request, user, thread)


@router.post("/feedback/{thread_id}/reject", response=ThreadOut,
             summary="Reject as spam or abuse, with a reason")
def thread_reject(request: HttpRequest, thread_id: int, payload: RejectIn) -> ThreadOut:
    user, thread = _acted(request, thread_id)
    services.thread_reject(user=user, thread=thread, reason=payload.reason,
                           site_url=site_url(request))
    return _one(request, user, thread)


@router.post("/feedback/{thread_id}/assign", response=ThreadOut,
             summary="Assign to another agency (supervisors and sysadmins)")
def thread_assign(request: HttpRequest, thread_id: int, payload: AssignIn) -> ThreadOut:
    user, thread = _acted(request, thread_id)
    services.thread_reassign(user=user, thread=thread, agency=_agency(payload.agency),
                             site_url=site_url(request))
    return _one(request, user, thread)


@router.post("/feedback/{thread_id}/fulfil", response=ThreadOut,
             summary="Link a data request to the dataset that fulfils it (closes it)")
def thread_fulfil(request: HttpRequest, thread_id: int, payload: FulfilIn) -> ThreadOut:
    user, thread = _acted(request, thread_id)
    services.request_fulfil(user=user, thread=thread, dataset=_dataset(user, payload.dataset),
                            site_url=site_url(request))
    return _one(request, user, thread)


@router.post("/feedback/{thread_id}/plan", response=ThreadOut,
             summary="Link a data request to an item of the open data list (by its code)")
def thread_plan(request: HttpRequest, thread_id: int, payload: PlanIn) -> ThreadOut:
    user, thread = _acted(request, thread_id)
    services.request_plan(user=user, thread=thread, list_item_code=payload.list_item_code,
                          site_url=site_url(request))
    return _one(request, user, thread)
