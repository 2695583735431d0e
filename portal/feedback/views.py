"""Public pages: the feedback form of a dataset or resource, data requests (list, form, +1) and a
thread's public page. No account needed; every refusal is shown on the form, nothing saved."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.accounts.permissions import Action, can
from portal.catalog.models import Dataset, Resource
from portal.catalog.selectors import get_dataset, get_resource
from portal.feedback import selectors, services
from portal.feedback.forms import FeedbackForm, PublicForm, RequestForm
from portal.feedback.models import Kind, Thread
from portal.feedback.targets import targets_of
from portal.lib.errors import ApplicationError, NotFound
from portal.lib.net import site_url
from portal.ops.ratelimit import limited_address

PER_PAGE = 20


def _dataset(request: HttpRequest, name: str) -> Dataset:
    try:
        return get_dataset(request.user, name[:200])
    except NotFound:
        raise Http404(_("There is no dataset at this address, or you may not see it.")) from None


def _resource(request: HttpRequest, dataset: Dataset, resource_id: str) -> Resource:
    try:
        return get_resource(request.user, resource_id, dataset)
    except NotFound:
        raise Http404(_("This dataset has no such resource.")) from None


def _thread(request: HttpRequest, pk: int, kind: str) -> Thread:
    try:
        thread = selectors.get_thread(request.user, pk)
    except NotFound:
        thread = None
    if thread is None or thread.kind != kind:
        raise Http404(_("There is no such thread, or it is not public."))
    return thread


def _refused(form: PublicForm, error: ApplicationError) -> None:
    form.add_application_error(error)


def thank_you(thread: Thread) -> str:
    if thread.agency is not None:
        text = _("Thank you. Your message no. %(number)s was sent to %(agency)s, which will "
                 "answer it.") % {"number": thread.pk, "agency": thread.agency.display_name}
    else:
        text = _("Thank you. Your message no. %(number)s was received; the supervising "
                 "department will send it to the agency that holds the data.") % {
                     "number": thread.pk}
    if thread.author_email:
        text += " " + _("You will receive its answer by e-mail.")
    return text


def _feedback(request: HttpRequest, dataset: Dataset, resource: Resource | None,
              back: str) -> HttpResponse:
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.feedback_submit(
                user=request.user, dataset=dataset, resource=resource,
                submission=form.submission(), site_url=site_url(request))
        except ApplicationError as error:
            _refused(form, error)
        else:
            messages.success(request, thank_you(thread))
            return redirect(f"{back}#feedback")
    return render(request, "feedback/feedback_form.html", {
        "form": form, "dataset": dataset, "resource": resource, "back": back,
    }, status=400 if form.is_bound and form.errors else 200)


@require_http_methods(["GET", "POST"])
def dataset_feedback(request: HttpRequest, name: str) -> HttpResponse:
    dataset = _dataset(request, name)
    back = reverse("catalog:dataset_detail", args=[dataset.slug])
    return _feedback(request, dataset, None, back)


@require_http_methods(["GET", "POST"])
def resource_feedback(request: HttpRequest, name: str, resource_id: str) -> HttpResponse:
    dataset = _dataset(request, name)
    resource = _resource(request, dataset, resource_id)
    back = reverse("catalog:resource_detail", args=[dataset.slug, resource.pk])
    return _feedback(request, dataset, resource, back)


def _thread_page(request: HttpRequest, thread: Thread) -> HttpResponse:
    return render(request, "feedback/thread_public.html", {
        "thread": thread, "messages_shown": selectors.thread_messages(request.user, thread),
        "targets": targets_of(thread),
        "can_handle": can(request.user, Action.HANDLE_FEEDBACK, thread),
        "can_support": thread.kind == Kind.DATA_REQUEST and thread.is_open and thread.public,
    })


@require_safe
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _thread_page(request, _thread(request, pk, Kind.FEEDBACK))


@require_safe
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _thread_page(request, _thread(request, pk, Kind.DATA_REQUEST))


def _request_query(request: HttpRequest) -> selectors.RequestQuery:
    state = request.GET.get("state", "open")
    sort = request.GET.get("sort", "supports")
    return selectors.RequestQuery(state=state if state in ("open", "closed", "all") else "open",
                                  sort=sort if sort in ("supports", "newest") else "supports")


@require_safe
def request_list(request: HttpRequest) -> HttpResponse:
    query = _request_query(request)
    threads = selectors.public_requests(request.user, query)
    page = Paginator(threads, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "feedback/request_list.html", {"page": page, "query": query})


@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    form = RequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.request_submit(
                user=request.user, submission=form.submission(),
                agency=form.cleaned_data["agency"], site_url=site_url(request))
        except ApplicationError as error:
            _refused(form, error)
        else:
            messages.success(request, thank_you(thread))
            target = ("feedback:request_detail" if thread.public else "feedback:request_list")
            return redirect(reverse(target, args=[thread.pk] if thread.public else []))
    return render(request, "feedback/request_form.html", {"form": form},
                  status=400 if form.is_bound and form.errors else 200)


@require_POST
def request_support(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _thread(request, pk, Kind.DATA_REQUEST)
    try:
        counted = services.request_support(user=request.user, thread=thread,
                                           address=limited_address(request))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you: your support was counted.") if counted else
                         _("You already supported this request today; each address counts "
                           "once a day."))
    return redirect(_back_to(request, thread))


def _back_to(request: HttpRequest, thread: Thread) -> str:
    """Back to the list when the +1 was given there, else to the request's page."""
    if request.POST.get("from") == "list":
        return reverse("feedback:request_list") + f"#request-{thread.pk}"
    return reverse("feedback:request_detail", args=[thread.pk])


def panel_context(request: HttpRequest, dataset: Dataset,
                  resource: Resource | None = None) -> dict[str, Any]:
    """What the feedback block of a dataset or resource page shows (panels.py)."""
    action = (reverse("feedback:resource_feedback", args=[dataset.slug, resource.pk])
              if resource is not None
              else reverse("feedback:dataset_feedback", args=[dataset.slug]))
    return {"dataset": dataset, "resource": resource, "form": FeedbackForm(),
            "action": action, "request": request,
            "threads": selectors.public_threads_of_dataset(request.user, dataset, resource)}
