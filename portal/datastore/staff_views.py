"""The agency's actions on a table: read the file again (with a chosen encoding, delimiter,
header row, footer), and edit the data dictionary. The services check permission
(`permissions.can`) and write the audit trail."""

from __future__ import annotations

from dataclasses import replace
from itertools import chain

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.accounts.permissions import Action, can
from portal.catalog import selectors as catalog
from portal.catalog.models import Dataset, Resource
from portal.catalog.staff_views import forbidden, staff_view
from portal.datastore import selectors, services
from portal.datastore.choices import ReadChoices
from portal.datastore.forms import EncodingForm, ReadingForm, add_service_errors, column_forms
from portal.datastore.views import with_sheet
from portal.lib.errors import ApplicationError, PermissionDenied


def _resource(request: HttpRequest, name: str, resource_id: str) -> tuple[Dataset, Resource]:
    dataset = catalog.get_dataset(request.user, name)  # NotFound: a 404 (staff_view)
    return dataset, catalog.get_resource(request.user, resource_id, dataset)


def _data_anchor(dataset: Dataset, resource: Resource, sheet: str = "") -> str:
    page = reverse("catalog:resource_detail", args=[dataset.slug, resource.pk])
    return with_sheet(page, sheet) + "#data"


@staff_view
def read_again(request: HttpRequest, name: str, resource_id: str) -> HttpResponse:
    """POST: read the file again, with what the agency chose: the encoding, and (the reading
    form) the delimiter, the header row and the footer of the table shown."""
    dataset, resource = _resource(request, name, resource_id)
    if request.method != "POST":
        return redirect(_data_anchor(dataset, resource))
    choices = _posted_choices(request)
    if choices is None:
        return redirect(_data_anchor(dataset, resource, request.POST.get("sheet", "")))
    try:
        services.ingestion_request(user=request.user, resource=resource, choices=choices)
    except PermissionDenied:
        raise
    except ApplicationError as error:
        messages.error(request, " ".join([error.message,
                                          *chain.from_iterable(error.field_errors.values())]))
    else:
        messages.success(request, _("The file will be read again in a moment. This page shows "
                                    "the progress."))
    return redirect(_data_anchor(dataset, resource, choices.sheet))


def _posted_choices(request: HttpRequest) -> ReadChoices | None:
    """The choices posted (None, with a message, when they are not valid)."""
    form = EncodingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an encoding from the list."))
        return None
    encoding = form.cleaned_data["encoding"] or None
    if not request.POST.get("reading"):
        return ReadChoices(encoding=encoding)
    reading = ReadingForm(request.POST, text="delimiter" in request.POST)
    if not reading.is_valid():
        messages.error(request, " ".join(str(error) for errors in reading.errors.values()
                                         for error in errors))
        return None
    return replace(reading.choices(), encoding=encoding)


@staff_view
def dictionary(request: HttpRequest, name: str, resource_id: str) -> HttpResponse:
    """The data dictionary: a title, description, type and unit for each column."""
    dataset, resource = _resource(request, name, resource_id)
    if not can(request.user, Action.EDIT_DATASET, dataset):
        return forbidden(request, _("Only editors and administrators of %(agency)s may edit "
                                    "this data dictionary.")
                         % {"agency": dataset.agency.display_name})
    table = selectors.data_table(resource)
    if table is None or table.current is None:
        messages.error(request, _("The table has not been read yet."))
        return redirect(_data_anchor(dataset, resource))
    fields = table.current.sheets[0]["schema"]["fields"]
    posted = request.POST if request.method == "POST" else None
    forms = column_forms(fields, table.dictionary, posted)
    if posted is not None and all(form.is_valid() for form in forms):
        entries = {form.cleaned_data["name"]: form.entry() for form in forms}
        try:
            services.dictionary_update(user=request.user, resource=resource, fields=entries)
        except PermissionDenied:
            raise
        except ApplicationError as error:
            add_service_errors(forms, error)
        else:
            messages.success(request, _("The data dictionary was saved. The file is read again "
                                        "with it; this page shows the progress."))
            return redirect(_data_anchor(dataset, resource))
    invalid = posted is not None
    return render(request, "datastore/dictionary.html", {
        "dataset": dataset, "resource": resource, "forms": forms, "invalid": invalid,
    }, status=400 if invalid else 200)
