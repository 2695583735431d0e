"""Staff pages: the dashboard, dataset and resource editing, publishing and withdrawal.

Each view finds what it works on through the selectors (404 when the person may not see it),
asks `permissions.can` (403 with a message when the person may see but not change it), and
hands the work to a service; a service's refusal is shown on the form, never as a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.accounts.models import User
from portal.accounts.permissions import Action, can, writable_agencies_q
from portal.agencies.models import Agency
from portal.catalog import selectors, services
from portal.catalog.forms import DatasetForm, ResourceForm, StaffForm, VersionForm, WithdrawForm
from portal.catalog.models import Dataset, Resource, Status
from portal.catalog.uploads import upload_was_too_large
from portal.lib.errors import ApplicationError, NotFound, PermissionDenied

T = TypeVar("T")
View = Callable[..., HttpResponse]
PAGE_SIZE = 50


def staff_view(view: View) -> View:
    """Signed-in staff only, GET or POST; a refusal becomes a 403 page, an unseen record a 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404(_("Not found.")) from None
        except PermissionDenied as error:
            return forbidden(request, error.message)

    return login_required(require_http_methods(["GET", "POST"])(wrapper))


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "catalog/staff/forbidden.html", {"message": message}, status=403)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # guaranteed by login_required
    return request.user


def _dataset(request: HttpRequest, name: str, action: Action) -> Dataset:
    """The dataset, if the person may see it (else 404) and do `action` on it (else 403)."""
    dataset = selectors.get_dataset(request.user, name)
    if not can(request.user, action, dataset):
        raise PermissionDenied(_("Your account may not change this dataset: only editors and "
                                 "administrators of %(agency)s may.")
                               % {"agency": dataset.agency.display_name})
    return dataset


def _attempt(form: StaffForm, action: Callable[[], T]) -> T | None:
    """Run a service; show its refusal on the form. Permission and absence go up to the page."""
    try:
        return action()
    except (PermissionDenied, NotFound):
        raise
    except ApplicationError as error:
        form.add_application_error(error)
        return None


def _posted(request: HttpRequest) -> Any:
    """The form data of a POST (even an empty one), None for a GET: bound forms only on POST."""
    return request.POST if request.method == "POST" else None


def _status(form: StaffForm) -> int:
    if form.conflict:
        return 409
    return 400 if form.is_bound and form.errors else 200


# Dashboard -----------------------------------------------------------------------------------


def _dashboard_scope(user: User, agency_slug: str) -> tuple[QuerySet[Dataset], Agency | None]:
    """Supervisors and sysadmins keep the catalogue and see every agency; others their own."""
    datasets = selectors.visible_datasets(user).select_related("agency")
    if not can(user, Action.MANAGE_CATALOGUE):
        if user.agency_id is None:
            return datasets.none(), None
        return datasets.filter(agency_id=user.agency_id), user.agency
    chosen = Agency.objects.filter(slug=agency_slug).first() if agency_slug else None
    return (datasets.filter(agency=chosen) if chosen else datasets), chosen


def _creatable_agencies(user: User) -> list[Agency]:
    agencies = Agency.objects.filter(writable_agencies_q(user)).order_by("name")
    return [agency for agency in agencies if can(user, Action.CREATE_DATASET, agency)]


@staff_view
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    datasets, agency = _dashboard_scope(user, request.GET.get("agency", ""))
    rows = datasets.order_by().values("status").annotate(number=Count("pk"))
    counts = dict.fromkeys(Status.values, 0) | {r["status"]: r["number"] for r in rows}
    status = request.GET.get("status", "")
    if status in Status.values:
        datasets = datasets.filter(status=status)
    page = Paginator(datasets.order_by("-modified", "slug"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    overview = can(user, Action.MANAGE_CATALOGUE)
    return render(request, "catalog/staff/dashboard.html", {
        "page": page,
        "rows": [(dataset, can(user, Action.EDIT_DATASET, dataset)) for dataset in page],
        "counts": [(s, label, counts[s]) for s, label in Status.choices],
        "total": sum(counts.values()),
        "status": status if status in Status.values else "",
        "statuses": Status.choices,
        "agency": agency,
        "agencies": Agency.objects.order_by("name") if overview else None,
        "overview": overview,
        "can_create": bool(_creatable_agencies(user)),
    })


# Datasets ------------------------------------------------------------------------------------


def _slug_suggestion(request: HttpRequest) -> HttpResponse:
    """The URL name field, refreshed by htmx while the title is typed (create page only)."""
    slug = request.GET.get("slug", "").strip()
    previous = request.GET.get("slug_suggested", "")
    if not slug or slug == previous:
        slug = services.suggest_slug(request.GET.get("title", ""))
    form = DatasetForm(initial={"slug": slug}, agency=None)
    return render(request, "catalog/staff/_slug_field.html",
                  {"field": form["slug"], "suggested": slug})


def _chosen_agency(request: HttpRequest, agencies: list[Agency]) -> Agency | None:
    if len(agencies) == 1:
        return agencies[0]
    slug = request.GET.get("agency", "")
    return next((agency for agency in agencies if agency.slug == slug), None)


@staff_view
def dataset_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    agencies = _creatable_agencies(user)
    if not agencies:
        return forbidden(request, _("Your account may not create datasets. Editors and "
                                    "administrators of an active agency can."))
    if request.headers.get("HX-Request") and "title" in request.GET:
        return _slug_suggestion(request)
    agency = _chosen_agency(request, agencies)
    if agency is None:
        return render(request, "catalog/staff/choose_agency.html", {
            "agencies": agencies, "invalid": bool(request.GET.get("agency"))})
    form = DatasetForm(_posted(request), agency=agency)
    form.suggest_slug_from(request.get_full_path())
    if request.method == "POST" and form.is_valid():
        data = form.dataset_fields()
        dataset = _attempt(form, lambda: services.dataset_create(
            user=user, agency=agency, data=data))
        if dataset is not None:
            messages.success(request, _("The dataset was saved as a draft. Add its files or "
                                        "links, then publish it."))
            return redirect("catalog:resource_create", name=dataset.slug)
    return render(request, "catalog/staff/dataset_form.html", {
        "form": form, "agency": agency, "dataset": None,
        "choose_agency": len(agencies) > 1}, status=_status(form))


@staff_view
def dataset_edit(request: HttpRequest, name: str) -> HttpResponse:
    user = _user(request)
    dataset = _dataset(request, name, Action.EDIT_DATASET)
    form = DatasetForm(_posted(request), agency=dataset.agency, dataset=dataset)
    if request.method == "POST" and form.is_valid():
        data, version = form.dataset_fields(), form.cleaned_data["version"]
        saved = _attempt(form, lambda: services.dataset_update(
            user=user, dataset=dataset, data=data, expected_version=version))
        if saved is not None:
            messages.success(request, _("Your changes were saved."))
            return redirect("catalog:dataset_edit", name=saved.slug)
    return render(request, "catalog/staff/dataset_form.html", {
        "form": form, "agency": dataset.agency, "dataset": dataset,
        "resources": list(dataset.resources.all()),
        "can_publish": can(user, Action.PUBLISH_DATASET, dataset)}, status=_status(form))


@staff_view
def dataset_publish(request: HttpRequest, name: str) -> HttpResponse:
    user = _user(request)
    dataset = _dataset(request, name, Action.PUBLISH_DATASET)
    form = VersionForm(_posted(request), initial={"version": dataset.version})
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"]

        def publish() -> Dataset:
            services.dataset_publish(user=user, dataset=dataset, expected_version=version)
            return dataset

        if _attempt(form, publish) is not None:
            messages.success(request, _("The dataset is published."))
            return redirect("catalog:dataset_edit", name=dataset.slug)
    return render(request, "catalog/staff/confirm_publish.html",
                  {"form": form, "dataset": dataset}, status=_status(form))


@staff_view
def dataset_withdraw(request: HttpRequest, name: str) -> HttpResponse:
    user = _user(request)
    dataset = _dataset(request, name, Action.PUBLISH_DATASET)
    form = WithdrawForm(_posted(request), initial={"version": dataset.version})
    if request.method == "POST" and form.is_valid():
        reason, version = form.cleaned_data["reason"], form.cleaned_data["version"]

        def withdraw() -> Dataset:
            services.dataset_withdraw(user=user, dataset=dataset, reason=reason,
                                      expected_version=version)
            return dataset

        if _attempt(form, withdraw) is not None:
            messages.success(request, _("The dataset is withdrawn; the public no longer sees it."))
            return redirect("catalog:dataset_edit", name=dataset.slug)
    return render(request, "catalog/staff/confirm_withdraw.html",
                  {"form": form, "dataset": dataset}, status=_status(form))


# Resources -----------------------------------------------------------------------------------


def _resource_form(request: HttpRequest, resource: Resource | None = None) -> ResourceForm:
    if request.method != "POST":
        # A new resource may come with its period filled in (`?period=2026-03`: the links of
        # the deadline reminders and the agency's to-do page).
        period = request.GET.get("period", "").strip()[:10] if resource is None else ""
        return ResourceForm(resource=resource, initial={"period": period} if period else None)
    # Reading the body runs the streaming upload handler, which may refuse the file.
    post, files = request.POST, request.FILES
    return ResourceForm(post, files, resource=resource,
                        upload_too_large=upload_was_too_large(request))


def _render_resource_form(request: HttpRequest, form: ResourceForm, dataset: Dataset,
                          resource: Resource | None = None) -> HttpResponse:
    status = 413 if form.upload_too_large else _status(form)
    return render(request, "catalog/staff/resource_form.html", {
        "form": form, "dataset": dataset, "resource": resource}, status=status)


@staff_view
def resource_create(request: HttpRequest, name: str) -> HttpResponse:
    user = _user(request)
    dataset = _dataset(request, name, Action.EDIT_DATASET)
    form = _resource_form(request)
    if request.method == "POST" and form.is_valid():
        data, upload = form.resource_fields(), form.upload
        resource = _attempt(form, lambda: services.resource_create(
            user=user, dataset=dataset, data=data, upload=upload))
        if resource is not None:
            messages.success(request, _("The resource “%(name)s” was added.")
                             % {"name": resource.name})
            return redirect("catalog:dataset_edit", name=dataset.slug)
    return _render_resource_form(request, form, dataset)


@staff_view
def resource_edit(request: HttpRequest, name: str, resource_id: str) -> HttpResponse:
    user = _user(request)
    dataset = _dataset(request, name, Action.EDIT_DATASET)
    resource = selectors.get_resource(user, resource_id, dataset)
    form = _resource_form(request, resource)
    if request.method == "POST" and form.is_valid():
        data, upload = form.resource_fields(), form.upload
        saved = _attempt(form, lambda: services.resource_update(
            user=user, resource=resource, data=data, upload=upload))
        if saved is not None:
            messages.success(request, _("The resource “%(name)s” was saved.")
                             % {"name": saved.name})
            return redirect("catalog:dataset_edit", name=dataset.slug)
    return _render_resource_form(request, form, dataset, resource)


@staff_view
def resource_delete(request: HttpRequest, name: str, resource_id: str) -> HttpResponse:
    user = _user(request)
    dataset = _dataset(request, name, Action.EDIT_DATASET)
    resource = selectors.get_resource(user, resource_id, dataset)
    form = StaffForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.resource_delete(user=user, resource=resource)
        messages.success(request, _("The resource “%(name)s” was deleted.")
                         % {"name": resource.name})
        return redirect(reverse("catalog:dataset_edit", kwargs={"name": dataset.slug}))
    return render(request, "catalog/staff/confirm_resource_delete.html",
                  {"form": form, "dataset": dataset, "resource": resource})
