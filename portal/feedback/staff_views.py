"""Staff pages: the list of threads (/dashboard/feedback/), a thread with its actions (answer,
internal note, close, reject, reassign, link a data request) and the form for requests between
agencies and difficulties. Each view finds the thread through the selectors (404 when the person
may not see it) and asks `permissions.can`; the services check again."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts.models import User
from portal.accounts.permissions import Action, can, staff_threads_q
from portal.agencies.models import Agency
from portal.catalog.forms import StaffForm
from portal.catalog.selectors import get_dataset
from portal.catalog.staff_views import forbidden, staff_view
from portal.feedback import selectors, services
from portal.feedback.forms import ACTION_FORMS, StaffThreadForm
from portal.feedback.models import Kind, State, Thread
from portal.feedback.targets import targets_of
from portal.lib.errors import ApplicationError, NotFound, PermissionDenied
from portal.lib.net import site_url

PAGE_SIZE = 50
OVERDUE_CHOICES = [("response", _("Not answered in time")),
                   ("resolution", _("Not closed in time")), ("any", _("Either"))]


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # guaranteed by login_required
    return request.user


def _dashboard_allowed(user: User) -> None:
    if not can(user, Action.VIEW_FEEDBACK_DASHBOARD):
        raise PermissionDenied(_("Only the accounts of an agency, supervisors and system "
                                 "administrators handle feedback and requests."))


def _query(request: HttpRequest) -> selectors.StaffQuery:
    params = request.GET
    return selectors.StaffQuery(states=params.getlist("state")[:5],
                                kinds=params.getlist("kind")[:4],
                                overdue=params.get("overdue", "")[:20],
                                agency=params.get("agency", "")[:100])


@staff_view
def thread_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _dashboard_allowed(user)
    query = _query(request)
    threads = selectors.staff_threads(user, query)
    page = Paginator(threads, PAGE_SIZE).get_page(request.GET.get("page"))
    overview = can(user, Action.REASSIGN_FEEDBACK)
    return render(request, "feedback/staff/thread_list.html", {
        "page": page, "query": query,
        "rows": [(thread, targets_of(thread)) for thread in page],
        "counts": _counts(user, query),
        "states": State.choices, "kinds": Kind.choices, "overdue_choices": OVERDUE_CHOICES,
        "agencies": Agency.objects.order_by("name") if overview else None,
        "can_send": can(user, Action.SEND_AGENCY_THREAD, user.agency),
    })


def _counts(user: User, query: selectors.StaffQuery) -> list[tuple[str, str, int]]:
    """Threads per state, whatever the state and overdue filters."""
    counts = selectors.state_counts(selectors.staff_threads(
        user, selectors.StaffQuery(kinds=query.kinds, agency=query.agency)))
    return [(value, str(label), counts[value]) for value, label in State.choices]


def _forms(thread: Thread, user: User, bound: tuple[str, StaffForm] | None) -> dict[str, Any]:
    """The action forms the person may use on this thread, one of them bound after a POST."""
    if not (can(user, Action.HANDLE_FEEDBACK, thread) and thread.is_open):
        return {}
    names = ["answer", "note", "close", "reject"]
    if can(user, Action.REASSIGN_FEEDBACK, thread):
        names.append("reassign")
    if thread.kind == Kind.DATA_REQUEST:
        names += ["fulfil", "plan"]
    forms = {name: ACTION_FORMS[name](prefix=name) for name in names}
    if bound is not None and bound[0] in forms:
        forms[bound[0]] = bound[1]
    return forms


def _thread_page(request: HttpRequest, thread: Thread,
                 bound: tuple[str, StaffForm] | None = None) -> HttpResponse:
    user = _user(request)
    notes_allowed = can(user, Action.VIEW_THREAD_NOTES, thread)
    return render(request, "feedback/staff/thread_detail.html", {
        "thread": thread, "messages_shown": selectors.thread_messages(user, thread),
        "targets": targets_of(thread), "forms": _forms(thread, user, bound),
        "show_contact": notes_allowed,
        "can_note_or_handle": can(user, Action.HANDLE_FEEDBACK, thread),
    }, status=400 if bound is not None else 200)


def _staff_thread(request: HttpRequest, pk: int) -> Thread:
    thread = selectors.get_thread(request.user, pk)
    staff = Thread.objects.filter(pk=thread.pk).filter(
        staff_threads_q(request.user)).exists()
    if not staff:
        raise NotFound("Thread not found")
    return thread


@staff_view
def thread_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _dashboard_allowed(_user(request))
    return _thread_page(request, _staff_thread(request, pk))


def _perform(request: HttpRequest, name: str, thread: Thread, form: StaffForm) -> str:
    """Run one action's service; returns what to tell the person."""
    user, data, site = _user(request), form.cleaned_data, site_url(request)
    if name == "answer":
        services.thread_answer(user=user, thread=thread, body=data["message"],
                               close=data["close"], site_url=site)
        return _("Your answer was sent.")
    if name == "note":
        services.thread_note(user=user, thread=thread, body=data["message"])
        return _("The note was added.")
    if name == "close":
        services.thread_close(user=user, thread=thread, body=data["message"], site_url=site)
        return _("The thread is closed.")
    if name == "reject":
        services.thread_reject(user=user, thread=thread, reason=data["reason"], site_url=site)
        return _("The thread was rejected.")
    if name == "reassign":
        services.thread_reassign(user=user, thread=thread, agency=data["agency"], site_url=site)
        return _("The thread was sent to %(agency)s.") % {"agency": data["agency"].display_name}
    if name == "fulfil":
        dataset = _linked_dataset(user, data["dataset"])
        services.request_fulfil(user=user, thread=thread, dataset=dataset, site_url=site)
        return _("The request is linked to the dataset and closed.")
    services.request_plan(user=user, thread=thread, list_item_code=data["list_item_code"],
                          site_url=site)
    return _("The request is linked to the item of the open data list.")


def _linked_dataset(user: User, text: str) -> Any:
    name = text.strip().rstrip("/").rsplit("/", 1)[-1][:200]
    try:
        return get_dataset(user, name)
    except NotFound:
        raise ApplicationError(_("Nothing was saved: please correct what is marked."),
                               {"dataset": [_("There is no dataset with this URL name.")]},
                               ) from None


@require_POST
@staff_view
def thread_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _dashboard_allowed(_user(request))
    thread = _staff_thread(request, pk)
    if action not in ACTION_FORMS:
        raise NotFound("No such action")
    form = ACTION_FORMS[action](request.POST, prefix=action)
    if form.is_valid():
        try:
            done = _perform(request, action, thread, form)
        except PermissionDenied:
            raise
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            messages.success(request, done)
            return redirect("feedback:staff_thread", pk=thread.pk)
    return _thread_page(request, selectors.get_thread(request.user, thread.pk), (action, form))


@staff_view
def thread_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    requester = user.agency
    if requester is None or not can(user, Action.SEND_AGENCY_THREAD, requester):
        return forbidden(request, _("Only editors and administrators of an active agency send "
                                    "requests to other agencies and report difficulties."))
    form = StaffThreadForm(request.POST if request.method == "POST" else None,
                           initial={"kind": request.GET.get("kind", Kind.AGENCY_REQUEST)})
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.agency_thread_submit(
                user=user, submission=form.submission(), requester_agency=requester,
                agency=form.cleaned_data["agency"],
                dataset=_optional_dataset(user, form.cleaned_data["dataset"]),
                site_url=site_url(request))
        except PermissionDenied:
            raise
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            messages.success(request, _("Your message no. %(number)s was sent.")
                             % {"number": thread.pk})
            return redirect("feedback:staff_thread", pk=thread.pk)
    return render(request, "feedback/staff/thread_form.html", {"form": form},
                  status=400 if form.is_bound and form.errors else 200)


def _optional_dataset(user: User, text: str) -> Any:
    return _linked_dataset(user, text) if text.strip() else None
