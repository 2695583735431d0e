"""Typed input and output of the feedback endpoints of /api/v1 (api.py).

What a thread shows of itself depends on the reader, as on the pages: internal notes and the
sender's name and address only to those the permission module lets read them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from ninja import Schema
from pydantic import Field

from portal.accounts.permissions import Action, can
from portal.agencies.models import Agency
from portal.catalog.models import Dataset
from portal.feedback.inputs import EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, TITLE_MAX_LENGTH
from portal.feedback.models import Kind, Message, Thread
from portal.feedback.notify import public_path
from portal.feedback.targets import targets_of

if TYPE_CHECKING:
    from portal.accounts.permissions import Actor


class AgencyRef(Schema):
    slug: str
    name: str

    @classmethod
    def of(cls, agency: Agency | None) -> AgencyRef | None:
        return None if agency is None else cls(slug=agency.slug, name=agency.name)


class DatasetRef(Schema):
    id: uuid.UUID
    name: str
    title: str

    @classmethod
    def of(cls, dataset: Dataset | None) -> DatasetRef | None:
        return None if dataset is None else cls(id=dataset.pk, name=dataset.slug,
                                                title=dataset.title)


class MessageOut(Schema):
    id: int
    kind: str = Field(description="submission (the sender's), answer (the agency's) or note "
                      "(internal: only the handling agency, supervisors and sysadmins)")
    body: str
    agency: AgencyRef | None = Field(description="The agency that signs an answer.")
    created: datetime

    @classmethod
    def of(cls, message: Message) -> MessageOut:
        return cls(id=message.pk, kind=message.kind, body=message.body,
                   agency=AgencyRef.of(message.agency), created=message.created)


class SenderOut(Schema):
    name: str
    email: str


class ThreadOut(Schema):
    id: int
    kind: str = Field(description="feedback, data_request, agency_request or difficulty")
    category: str = Field(description="data_quality, usability, format, legal or other")
    state: str = Field(description="new, assigned, answered, closed or rejected")
    title: str
    public: bool
    url: str | None = Field(description="The public page, when the public may read it.")
    dataset: DatasetRef | None
    resource_id: uuid.UUID | None
    agency: AgencyRef | None = Field(description="The handling agency.")
    requester_agency: AgencyRef | None
    created: datetime
    assigned_at: datetime | None
    answered_at: datetime | None
    closed_at: datetime | None
    response_due: datetime = Field(description="created + FEEDBACK_RESPONSE_DAYS")
    resolution_due: datetime = Field(description="created + FEEDBACK_RESOLUTION_DAYS")
    response_overdue: bool
    resolution_overdue: bool
    support_count: int
    fulfilled_by: DatasetRef | None
    list_item_code: str
    reject_reason: str
    sender: SenderOut | None = Field(description="Only for the handling agency, supervisors "
                                     "and sysadmins; erased after the retention period.")
    messages: list[MessageOut] | None = Field(description="In a single thread's answer; "
                                              "absent from lists.")

    @classmethod
    def of(cls, thread: Thread, user: Actor,
           messages: list[Message] | None = None) -> ThreadOut:
        targets = targets_of(thread)
        path = public_path(thread)
        sender = (SenderOut(name=thread.author_name, email=thread.author_email)
                  if can(user, Action.VIEW_THREAD_NOTES, thread) else None)
        return cls(
            id=thread.pk, kind=thread.kind, category=thread.category, state=thread.state,
            title=thread.title, public=thread.public, url=path or None,
            dataset=DatasetRef.of(thread.dataset), resource_id=thread.resource_id,
            agency=AgencyRef.of(thread.agency),
            requester_agency=AgencyRef.of(thread.requester_agency), created=thread.created,
            assigned_at=thread.assigned_at, answered_at=thread.answered_at,
            closed_at=thread.closed_at, response_due=targets.response_due,
            resolution_due=targets.resolution_due,
            response_overdue=targets.response_overdue,
            resolution_overdue=targets.resolution_overdue,
            support_count=thread.support_count, fulfilled_by=DatasetRef.of(thread.fulfilled_by),
            list_item_code=thread.list_item_code, reject_reason=thread.reject_reason,
            sender=sender,
            messages=None if messages is None else [MessageOut.of(m) for m in messages])


class ThreadPage(Schema):
    total: int
    limit: int
    offset: int
    results: list[ThreadOut]


class SenderIn(Schema):
    message: str = Field(description="At most FEEDBACK_MAX_LENGTH characters and "
                         "FEEDBACK_MAX_LINKS web links.")
    author_name: str = Field("", max_length=NAME_MAX_LENGTH, description="Optional; never "
                             "shown publicly.")
    author_email: str = Field("", max_length=EMAIL_MAX_LENGTH, description="Optional, to be "
                              "told of each step; never shown publicly.")
    public: bool = Field(True, description="false: only the agency and the supervising "
                         "department read it.")


class FeedbackIn(SenderIn):
    category: str = Field("other", description="data_quality, usability, format, legal or "
                          "other")
    resource_id: uuid.UUID | None = Field(None, description="A resource of the dataset, when "
                                          "the feedback is about one.")


class RequestIn(SenderIn):
    title: str = Field(max_length=TITLE_MAX_LENGTH)
    agency: str | None = Field(None, description="Slug of the agency that may hold the data; "
                               "without it the supervising department assigns the request.")


class StaffThreadIn(Schema):
    kind: str = Field(description=f"{Kind.AGENCY_REQUEST} or {Kind.DIFFICULTY}")
    agency: str | None = Field(None, description="Slug of the agency asked (agency_request).")
    title: str = Field(max_length=TITLE_MAX_LENGTH)
    message: str
    dataset: str | None = Field(None, description="Name or id of a dataset concerned.")


class ReplyIn(Schema):
    message: str
    close: bool = Field(False, description="Close the thread with this answer.")


class NoteIn(Schema):
    message: str


class CloseIn(Schema):
    message: str = Field("", description="A last answer to the sender (optional).")


class RejectIn(Schema):
    reason: str


class AssignIn(Schema):
    agency: str = Field(description="Slug of an active agency.")


class FulfilIn(Schema):
    dataset: str = Field(description="Name or id of the published public dataset.")


class PlanIn(Schema):
    list_item_code: str = Field(max_length=100)


class SupportOut(Schema):
    counted: bool = Field(description="false: this address already supported it today.")
    support_count: int

