"""/api/v1 resources: list and add a dataset's resources (multipart upload or JSON link),
read, change and delete one."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import ValidationError
from pydantic import ValidationError as PydanticError

from portal.api.auth import ApiRequest
from portal.api.errors import ApiError
from portal.api.schemas import ResourceIn, ResourceOut, ResourcePatchIn
from portal.catalog import selectors, services
from portal.catalog.models import Resource, ResourceKind
from portal.catalog.uploads import upload_was_too_large

router = Router(tags=["resources"])

_RESOURCE_SCHEMA = ResourceIn.model_json_schema()
_MULTIPART_SCHEMA = {
    "type": "object", "required": ["name", "upload"],
    "properties": _RESOURCE_SCHEMA["properties"] | {
        "upload": {"type": "string", "format": "binary", "description": "The file."}},
}
_CREATE_BODY = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": _MULTIPART_SCHEMA},
    "application/json": {"schema": _RESOURCE_SCHEMA},
}}}


@router.get("/datasets/{id_or_name}/resources", response=list[ResourceOut],
            summary="A dataset's resources")
def resource_list(request: ApiRequest, id_or_name: str) -> list[ResourceOut]:
    dataset = selectors.get_dataset(request.auth.actor, id_or_name)
    return [ResourceOut.of(resource, dataset, request) for resource in dataset.resources.all()]


def _read_body(request: HttpRequest) -> tuple[dict[str, Any], Any]:
    """The new resource's fields and its file (None for a link), multipart or JSON."""
    content_type = request.content_type or ""
    if content_type == "multipart/form-data":
        upload = request.FILES.get("upload")  # parsing sets the size verdict
        if upload_was_too_large(request):
            raise ApiError(413, _("The file is larger than the portal accepts (%(size)s bytes).")
                           % {"size": settings.MAX_UPLOAD_SIZE})
        values: dict[str, Any] = request.POST.dict()
        if "periods" in request.POST:  # repeated, or one comma-separated value
            values["periods"] = [part.strip() for value in request.POST.getlist("periods")
                                 for part in value.split(",") if part.strip()]
        return values, upload
    if content_type != "application/json":
        raise ApiError(415, _("Send multipart/form-data with an 'upload' file, or JSON."))
    try:
        values = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, _("The request body is not valid JSON.")) from None
    if not isinstance(values, dict):
        raise ApiError(422, _("Send a JSON object."), "validation_error")
    return values, None


def _parse(values: dict[str, Any]) -> ResourceIn:
    try:
        return ResourceIn.model_validate(values)
    except PydanticError as error:
        raise ValidationError([{**item, "loc": ("body", "payload", *item["loc"])}
                               for item in error.errors(include_url=False)]) from None


@router.post("/datasets/{id_or_name}/resources", response={201: ResourceOut},
             summary="Add a resource: a file (multipart `upload`) or a link (JSON)",
             openapi_extra=_CREATE_BODY)
def resource_create(request: ApiRequest, id_or_name: str) -> Status[ResourceOut]:
    user = request.auth.user
    values, upload = _read_body(request)
    payload = _parse(values)
    dataset = selectors.get_dataset(user, id_or_name)
    kind = payload.kind or (ResourceKind.FILE if upload is not None else ResourceKind.LINK)
    data = services.ResourceFields(name=payload.name, description=payload.description,
                                   kind=kind, url=payload.url, format=payload.format,
                                   period=payload.period, periods=payload.periods)
    resource = services.resource_create(user=user, dataset=dataset, data=data, upload=upload)
    return Status(201, ResourceOut.of(resource, dataset, request))


def _resource(request: ApiRequest, resource_id: str) -> Resource:
    return selectors.get_resource(request.auth.actor, resource_id)


@router.get("/resources/{resource_id}", response=ResourceOut, summary="Read a resource")
def resource_detail(request: ApiRequest, resource_id: str) -> ResourceOut:
    resource = _resource(request, resource_id)
    return ResourceOut.of(resource, resource.dataset, request)


@router.patch("/resources/{resource_id}", response=ResourceOut, summary="Change a resource")
def resource_patch(request: ApiRequest, resource_id: str, payload: ResourcePatchIn
                   ) -> ResourceOut:
    resource = _resource(request, resource_id)
    current = {name: getattr(resource, name)
               for name in ("name", "description", "url", "format", "period")}
    changes = {key: value for key, value in payload.model_dump(exclude_unset=True).items()
               if value is not None}
    data = services.ResourceFields(kind=resource.kind, **(current | changes))
    resource = services.resource_update(user=request.auth.user, resource=resource, data=data)
    return ResourceOut.of(resource, resource.dataset, request)


@router.delete("/resources/{resource_id}", response={204: None}, summary="Delete a resource")
def resource_delete(request: ApiRequest, resource_id: str) -> Status[None]:
    resource = _resource(request, resource_id)
    services.resource_delete(user=request.auth.user, resource=resource)
    return Status(204, None)

