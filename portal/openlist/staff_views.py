"""Staff pages of a list's versions: the draft (its items, an import, issuing by decision),
attaching a decision's PDF, and linking datasets to items.

Each view finds its version through the selectors (a draft is a 404 for the public), asks
`permissions.can` before showing a form (403 with a message), and hands the work to a service,
whose refusal is shown on the form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.accounts.permissions import Action, can
from portal.catalog import selectors as catalog
from portal.catalog.forms import StaffForm
from portal.catalog.staff_views import staff_view
from portal.catalog.uploads import upload_was_too_large
from portal.lib.errors import ApplicationError, NotFound, PermissionDenied
from portal.openlist import selectors, services
from portal.openlist.forms import DecisionFileForm, ImportForm, IssueForm, ItemForm, LinkForm
from portal.openlist.models import ListItem, ListKind, ListVersion
from portal.openlist.sheet_import import import_items

T = TypeVar("T")


def attempt(form: StaffForm, action: Callable[[], T]) -> T | None:
    """Run a service; show its refusal on the form. Permission and absence go up to the page."""
    try:
        return action()
    except (PermissionDenied, NotFound):
        raise
    except ApplicationError as error:
        form.add_application_error(error)
        return None


def succeeded(form: StaffForm, action: Callable[[], object]) -> bool:
    """Run a service that returns nothing: True unless it refused (shown on the form)."""

    def run() -> bool:
        action()
        return True

    return bool(attempt(form, run))


def posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def status_of(form: StaffForm) -> int:
    return 400 if form.is_bound and form.errors else 200


def require(request: HttpRequest, action: Action, obj: Any = None) -> None:
    if not can(request.user, action, obj):
        raise PermissionDenied(_("Only the supervising department and the system "
                                 "administrators keep the province's lists."))


def _version(request: HttpRequest, kind: str, version_id: int) -> ListVersion:
    return selectors.get_version(request.user, version_id, kind)


def _edit_url(version: ListVersion) -> str:
    return reverse("openlist:draft", kwargs={"kind": version.kind, "version_id": version.pk})


def _managed(request: HttpRequest, kind: str, version_id: int) -> ListVersion:
    require(request, Action.MANAGE_OPENLIST)
    return _version(request, kind, version_id)


def _page(request: HttpRequest, template: str, context: dict[str, Any],
          status: int = 200) -> HttpResponse:
    base = {"kind": context["version"].kind,
            "kind_label": ListKind(context["version"].kind).label}
    return render(request, f"openlist/staff/{template}", base | context, status=status)


@staff_view
def draft_create(request: HttpRequest, kind: str) -> HttpResponse:
    require(request, Action.MANAGE_OPENLIST)
    existing = selectors.draft_version(kind)
    if existing is not None:
        return redirect(_edit_url(existing))
    form = StaffForm(posted(request))
    if request.method == "POST" and form.is_valid():
        draft = attempt(form, lambda: services.draft_create(actor=request.user, kind=kind))
        if draft is not None:
            messages.success(request, _("A new draft was made from the version in force."))
            return redirect(_edit_url(draft))
    return render(request, "openlist/staff/draft_new.html", {
        "form": form, "kind": kind, "kind_label": ListKind(kind).label,
        "current": selectors.current_version(kind)}, status=status_of(form))


@staff_view
def draft(request: HttpRequest, kind: str, version_id: int) -> HttpResponse:
    """A draft's items, and what can be done to it."""
    version = _managed(request, kind, version_id)
    if not version.is_draft:
        return redirect("openlist:version", kind=kind, version_id=version.pk)
    return _page(request, "draft.html", {
        "version": version, "items": list(version.items.select_related("agency", "sector")),
        "accepted": version.amendments.select_related("agency"),
        "import_form": ImportForm(), "issue_form": IssueForm()})


@staff_view
def item_create(request: HttpRequest, kind: str, version_id: int) -> HttpResponse:
    version = _managed(request, kind, version_id)
    form = ItemForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.item_fields()
        item = attempt(form, lambda: services.item_create(actor=request.user, version=version,
                                                          data=data))
        if item is not None:
            messages.success(request, _("The item %(code)s was added.") % {"code": item.code})
            return redirect(_edit_url(version))
    return _page(request, "item_form.html", {"version": version, "form": form, "item": None},
                 status_of(form))


def _item(version: ListVersion, code: str) -> ListItem:
    item = version.items.filter(code=code).select_related("version").first()
    if item is None:
        raise NotFound("List item not found")
    return item


@staff_view
def item_edit(request: HttpRequest, kind: str, version_id: int, code: str) -> HttpResponse:
    version = _managed(request, kind, version_id)
    item = _item(version, code)
    form = ItemForm(posted(request), item=item)
    if request.method == "POST" and form.is_valid():
        data = form.item_fields()
        if attempt(form, lambda: services.item_update(actor=request.user, item=item,
                                                      data=data)) is not None:
            messages.success(request, _("The item %(code)s was saved.") % {"code": item.code})
            return redirect(_edit_url(version))
    return _page(request, "item_form.html", {"version": version, "form": form, "item": item},
                 status_of(form))


@staff_view
def item_delete(request: HttpRequest, kind: str, version_id: int, code: str) -> HttpResponse:
    version = _managed(request, kind, version_id)
    item = _item(version, code)
    form = StaffForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if not succeeded(form, lambda: services.item_delete(actor=request.user, item=item)):
            return _page(request, "item_delete.html", {"version": version, "item": item,
                                                       "form": form}, 400)
        messages.success(request, _("The item %(code)s was removed from the draft.")
                         % {"code": code})
        return redirect(_edit_url(version))
    return _page(request, "item_delete.html", {"version": version, "item": item, "form": form})


@staff_view
def draft_import(request: HttpRequest, kind: str, version_id: int) -> HttpResponse:
    version = _managed(request, kind, version_id)
    form = ImportForm(posted(request), request.FILES if request.method == "POST" else None)
    if upload_was_too_large(request):
        form.add_error("file", _("The file is too large."))
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        count = attempt(form, lambda: import_items(
            actor=request.user, version=version, handle=upload, size=upload.size,
            source=upload.name or ""))
        if count is not None:
            messages.success(request, _("%(count)s items were imported into the draft.")
                             % {"count": count})
            return redirect(_edit_url(version))
    return _page(request, "import.html", {"version": version, "form": form},
                 413 if upload_was_too_large(request) else status_of(form))


@staff_view
def draft_issue(request: HttpRequest, kind: str, version_id: int) -> HttpResponse:
    version = _managed(request, kind, version_id)
    form = IssueForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        decision, upload = form.decision(), form.cleaned_data["decision_file"]
        issued = attempt(form, lambda: services.version_issue(
            actor=request.user, version=version, decision=decision, decision_file=upload))
        if issued is not None:
            messages.success(request, _("Version %(number)s is now in force.")
                             % {"number": issued.number})
            return redirect("openlist:current", kind=kind)
    return _page(request, "issue.html", {"version": version, "form": form,
                                         "count": version.items.count()}, status_of(form))


@staff_view
def draft_discard(request: HttpRequest, kind: str, version_id: int) -> HttpResponse:
    version = _managed(request, kind, version_id)
    form = StaffForm(posted(request))
    if request.method == "POST" and form.is_valid() and succeeded(
            form, lambda: services.draft_discard(actor=request.user, version=version)):
        messages.success(request, _("The draft was discarded."))
        return redirect("openlist:current", kind=kind)
    return _page(request, "discard.html", {"version": version, "form": form}, status_of(form))


@staff_view
def decision_attach(request: HttpRequest, kind: str, version_id: int) -> HttpResponse:
    version = _managed(request, kind, version_id)
    form = DecisionFileForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["decision_file"]
        if attempt(form, lambda: services.version_attach_decision(
                actor=request.user, version=version, decision_file=upload)) is not None:
            messages.success(request, _("The decision's PDF was attached."))
            return redirect("openlist:version", kind=kind, version_id=version.pk)
    return _page(request, "decision.html", {"version": version, "form": form},
                 status_of(form))


# Links between items and datasets ------------------------------------------------------------


def _item_url(item: ListItem) -> str:
    return reverse("openlist:item", kwargs={"kind": item.version.kind,
                                            "version_id": item.version_id, "code": item.code})


@staff_view
def link_create(request: HttpRequest, kind: str, version_id: int, code: str) -> HttpResponse:
    item = _item(_version(request, kind, version_id), code)
    choices = selectors.linkable_datasets(request.user, item)
    if not choices:
        raise PermissionDenied(_("Only editors and administrators of %(agency)s link its "
                                 "datasets to its items.") % {"agency": item.agency.name})
    form = LinkForm(posted(request), choices=[(str(d.pk), d.title) for d in choices])
    if request.method == "POST" and form.is_valid():
        dataset = next(d for d in choices if str(d.pk) == form.cleaned_data["dataset"])
        if attempt(form, lambda: services.link_create(actor=request.user, item=item,
                                                      dataset=dataset)) is not None:
            messages.success(request, _("“%(dataset)s” now fulfils %(code)s.")
                             % {"dataset": dataset.title, "code": item.code})
            return redirect(_item_url(item))
    return _page(request, "link.html", {"version": item.version, "item": item, "form": form},
                 status_of(form))


@staff_view
def link_delete(request: HttpRequest, kind: str, version_id: int, code: str,
                name: str) -> HttpResponse:
    item = _item(_version(request, kind, version_id), code)
    dataset = catalog.get_dataset(request.user, name)
    if not can(request.user, Action.LINK_LIST_ITEM, (item, dataset)):
        raise PermissionDenied(_("Only editors and administrators of %(agency)s link its "
                                 "datasets to its items.") % {"agency": item.agency.name})
    form = StaffForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if not succeeded(form, lambda: services.link_delete(actor=request.user, item=item,
                                                            dataset=dataset)):
            return _page(request, "unlink.html", {"version": item.version, "item": item,
                                                  "dataset": dataset, "form": form}, 400)
        messages.success(request, _("“%(dataset)s” no longer fulfils %(code)s.")
                         % {"dataset": dataset.title, "code": item.code})
        return redirect(_item_url(item))
    return _page(request, "unlink.html", {"version": item.version, "item": item,
                                          "dataset": dataset, "form": form})
