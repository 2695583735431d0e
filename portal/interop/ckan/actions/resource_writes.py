"""Actions that write resources: links by `url`, files by a multipart `upload` (as ckanapi sends
`upload=open(path, "rb")`). The catalogue's services check permission, validate and store."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from portal.catalog import services
from portal.catalog.models import Dataset, Resource, ResourceKind
from portal.catalog.selectors import get_resource
from portal.catalog.services import ResourceFields
from portal.interop.ckan.actions.datasets import find_dataset
from portal.interop.ckan.context import Context
from portal.interop.ckan.dictize import resource_dict
from portal.interop.ckan.errors import NotFoundError
from portal.interop.ckan.params import Params
from portal.interop.ckan.writing import require_writer, service_refusals
from portal.lib.errors import NotFound

TEXT_KEYS = {"name": "name", "description": "description", "format": "format",
             "period": "period"}


def _upload(params: Params) -> UploadedFile[bytes] | None:
    value = params.data.get("upload")
    if value is None or value == "":
        return None
    if not isinstance(value, UploadedFile):
        params.fail("upload", _("Send the file as multipart/form-data in the field 'upload'."))
        return None
    return value


def _kind(params: Params, upload: UploadedFile[bytes] | None, current: str | None) -> str:
    if upload is not None or current == ResourceKind.FILE:
        return ResourceKind.FILE
    kind = params.text("resource_type").strip()
    if kind in (ResourceKind.LINK, ResourceKind.API):
        return kind
    return current or ResourceKind.LINK


def _periods(params: Params) -> list[str]:
    """`periods`: a JSON list, a repeated parameter, or one comma-separated text."""
    value = params.data.get("periods")
    if isinstance(value, str) and not value.lstrip().startswith("["):
        return [part.strip() for part in value.split(",") if part.strip()]
    return params.string_list("periods")


def _default_name(url: str, upload: UploadedFile[bytes] | None) -> str:
    if upload is not None:
        return PurePosixPath(upload.name or "").name or "data"
    return PurePosixPath(urlsplit(url).path).name or urlsplit(url).netloc or url


def read_resource_fields(params: Params, base: ResourceFields, upload: UploadedFile[bytes] | None
                         ) -> ResourceFields:
    """`base` with the CKAN keys given applied. A file's `url` is its download address: only
    links and APIs take a new one."""
    changes: dict[str, Any] = {name: params.text(key) if params.data.get(key) is not None else ""
               for key, name in TEXT_KEYS.items() if key in params.data}
    if "periods" in params.data:
        changes["periods"] = _periods(params)
    kind = _kind(params, upload, base.kind if base.name else None)
    if kind != ResourceKind.FILE and "url" in params.data:
        changes["url"] = params.text("url").strip()
    result = replace(base, kind=kind, **changes)
    if kind == ResourceKind.FILE:
        result.url = ""
    if not result.name.strip():
        result.name = _default_name(result.url, upload)
    return result


def _shown(context: Context, resource: Resource) -> dict[str, Any]:
    resource.refresh_from_db()
    return resource_dict(resource, resource.dataset, context)


def resource_create(context: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Add a resource to a dataset: a file sent as multipart `upload`, or a link's `url`.

    :param package_id: the dataset's name or id
    :param url: the address of a link or an API (not with upload)
    :param upload: the file (multipart/form-data)
    :param name, description, format, period: (optional; name defaults to the file's name)
    :param resource_type: "link" (default for a url) or "api"
    """
    require_writer(context)
    params = Params(data)
    dataset = find_dataset(context, params.required("package_id"))
    upload = _upload(params)
    fields = read_resource_fields(params, ResourceFields(name=""), upload)
    params.check()
    with service_refusals():
        resource = services.resource_create(user=context.user, dataset=dataset, data=fields,
                                            upload=upload)
    return _shown(context, resource)


def create_listed_resources(context: Context, dataset: Dataset, listed: Any) -> None:
    """The `resources` of package_create: links only (files need resource_create's upload)."""
    if listed is None:
        return
    params = Params({})
    if not isinstance(listed, list) or not all(isinstance(item, dict) for item in listed):
        params.fail("resources", _("Must be a list of resources"))
    params.check()
    for item in listed:
        item_params = Params(item)
        fields = read_resource_fields(item_params, ResourceFields(name=""), None)
        item_params.check()
        services.resource_create(user=context.user, dataset=dataset, data=fields)


def _find(context: Context, params: Params) -> Resource:
    resource_id = params.required("id")
    params.check()
    try:
        return get_resource(context.user, resource_id)
    except NotFound:
        raise NotFoundError(_("Resource was not found.")) from None


def _current(resource: Resource) -> ResourceFields:
    return ResourceFields(name=resource.name, description=resource.description,
                          kind=resource.kind, url=resource.url, format=resource.format,
                          period=resource.period)


def _write(context: Context, data: Mapping[str, Any], patch: bool) -> dict[str, Any]:
    require_writer(context)
    params = Params(data)
    resource = _find(context, params)
    upload = _upload(params)
    current = _current(resource)
    base = current if patch else ResourceFields(name=resource.name, kind=resource.kind,
                                                url=resource.url, periods=[])
    fields = read_resource_fields(params, base, upload)
    params.check()
    with service_refusals(), transaction.atomic():
        services.resource_update(user=context.user, resource=resource, data=fields,
                                 upload=upload)
    return _shown(context, resource)


def resource_update(context: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Replace a resource's fields (those not given are cleared; the name is kept); a new
    `upload` replaces the file.

    :param id: the resource's id
    """
    return _write(context, data, patch=False)


def resource_patch(context: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Change only the resource's fields given (and its file with `upload`).

    :param id: the resource's id
    """
    return _write(context, data, patch=True)


def resource_delete(context: Context, data: Mapping[str, Any]) -> None:
    """Delete a resource (and its file).

    :param id: the resource's id
    """
    require_writer(context)
    resource = _find(context, Params(data))
    with service_refusals():
        services.resource_delete(user=context.user, resource=resource)
