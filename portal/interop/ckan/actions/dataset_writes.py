"""Actions that write datasets. Each reads CKAN's keys, then calls the catalogue's services,
which check permission and validate; their refusals come back in CKAN's shape."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from portal.agencies.models import Agency
from portal.catalog import services
from portal.catalog.models import Dataset, Status
from portal.catalog.services import DatasetFields
from portal.interop.ckan.actions.datasets import find_dataset
from portal.interop.ckan.actions.resource_writes import create_listed_resources
from portal.interop.ckan.context import Context
from portal.interop.ckan.dataset_input import (
    ckan_errors,
    current_fields,
    empty_fields,
    find_agency,
    read_dataset_fields,
)
from portal.interop.ckan.dictize import dataset_dicts
from portal.interop.ckan.params import Params
from portal.interop.ckan.writing import require_writer, service_refusals
from portal.lib.errors import ApplicationError

STATES = ("active", "draft", "deleted")


def _state(params: Params) -> str | None:
    state = params.text("state").strip() or None
    if state is not None and state not in STATES:
        params.fail("state", _("Must be one of: %(states)s") % {"states": ", ".join(STATES)})
    return state


def _apply_state(context: Context, dataset: Dataset, state: str | None) -> None:
    """`active` publishes a draft, `deleted` withdraws a published dataset (docs/api-ckan.md)."""
    if state == "active" and dataset.status != Status.PUBLISHED:
        services.dataset_publish(user=context.user, dataset=dataset)
    elif state == "deleted" and dataset.status != Status.WITHDRAWN:
        services.dataset_withdraw(user=context.user, dataset=dataset)
    elif state == "draft" and dataset.status != Status.DRAFT:
        params = Params({})
        params.fail("state", _("A published or withdrawn dataset cannot become a draft again."))
        params.check()


def _check(params: Params, agency: Agency | None, fields: DatasetFields,
           dataset: Dataset | None = None) -> None:
    """Raise every error at once, as CKAN does: the service's rules too, when reading the
    parameters already failed (otherwise the service checks them itself)."""
    if params.errors and agency is not None:
        try:
            services.validate_dataset_fields(agency, fields, dataset)
        except ApplicationError as error:
            for key, messages in ckan_errors(error.field_errors).items():
                params.errors.setdefault(key, messages)
    params.check()


def _shown(context: Context, dataset: Dataset) -> dict[str, Any]:
    return dataset_dicts([find_dataset(context, str(dataset.pk))], context)[0]


def package_create(context: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Create a dataset (a draft unless `state` is "active", which publishes it).

    :param name: the URL name (2 to 100 lower-case letters, digits, - and _)
    :param owner_org: the agency, by name or id
    :param title: (optional; default: the name)
    :param notes, license_id, tags, groups, maintainer, maintainer_email, frequency,
        access_level, private, temporal_start, temporal_end, spatial, source_system,
        contact_point: see docs/api-ckan.md (all optional)
    :param resources: links to add, each with `url` and `name` (optional)
    :param state: "active" publishes; "draft" (the default) keeps it unpublished
    """
    require_writer(context)
    params = Params(data)
    params.required("name")
    agency = find_agency(params)
    fields = read_dataset_fields(params, empty_fields())
    state = _state(params)
    _check(params, agency, fields)
    assert agency is not None
    with service_refusals(), transaction.atomic():
        dataset = services.dataset_create(user=context.user, agency=agency, data=fields)
        create_listed_resources(context, dataset, data.get("resources"))
        _apply_state(context, dataset, state)
    return _shown(context, dataset)


def _check_same_agency(params: Params, dataset: Dataset) -> None:
    if "owner_org" in params.data and params.data["owner_org"] not in (None, ""):
        agency = find_agency(params)
        if agency is not None and agency.pk != dataset.agency_id:
            params.fail("owner_org", _("A dataset cannot move to another agency."))


def _check_resources(params: Params, dataset: Dataset) -> None:
    """Accept the dataset's own resources back unchanged (package_show's dictionary, edited and
    sent back, is the usual way to update); any other list is for the resource actions."""
    listed = params.data.get("resources")
    if listed is None:
        return
    given = {str(item.get("id")) for item in listed if isinstance(item, dict)} \
        if isinstance(listed, list) else None
    if given != {str(pk) for pk in dataset.resources.values_list("pk", flat=True)}:
        params.fail("resources", _("Add, change or delete resources with resource_create, "
                                   "resource_update and resource_delete."))


def _write(context: Context, data: Mapping[str, Any], patch: bool) -> dict[str, Any]:
    require_writer(context)
    params = Params(data)
    dataset = find_dataset(context, params.required("id", "name"))
    base: DatasetFields = (current_fields(dataset) if patch
                           else replace(empty_fields(), slug=dataset.slug))
    _check_same_agency(params, dataset)
    _check_resources(params, dataset)
    fields = read_dataset_fields(params, base)
    state = _state(params)
    _check(params, dataset.agency, fields, dataset)
    with service_refusals(), transaction.atomic():
        services.dataset_update(user=context.user, dataset=dataset, data=fields)
        _apply_state(context, dataset, state)
    return _shown(context, dataset)


def package_update(context: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Replace a dataset's fields: those not given are cleared, as CKAN does (use
    package_patch to change only some). Resources are left as they are.

    :param id: the dataset's name or id
    :param state: "active" publishes, "deleted" withdraws (optional)
    """
    return _write(context, data, patch=False)


def package_patch(context: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Change only the fields given.

    :param id: the dataset's name or id
    """
    return _write(context, data, patch=True)


def package_delete(context: Context, data: Mapping[str, Any]) -> None:
    """Withdraw a published dataset: its state becomes "deleted"; it is kept with its history.

    :param id: the dataset's name or id
    """
    require_writer(context)
    params = Params(data)
    name_or_id = params.required("id")
    params.check()
    dataset = find_dataset(context, name_or_id)
    with service_refusals():
        services.dataset_withdraw(user=context.user, dataset=dataset)
