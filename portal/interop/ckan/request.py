"""The parameters of a call, read as CKAN reads them (ckan/views/api.py `_get_request_data`).

GET: the query string. POST: a JSON object in the body, or a form; CKAN's old clients post the
JSON as the single key of a form, which is accepted too. A key that repeats becomes a list.
A multipart form's files (ckanapi sends `upload`) join the parameters as uploaded files.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from portal.catalog.uploads import unreadable_form_message, upload_was_too_large
from portal.interop.ckan.errors import BadRequestError, UploadTooLargeError

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# Parameters of the browser or of JSONP (which this API does not serve), never of an action.
DROPPED = ("callback",)


def _mixed(query: QueryDict) -> dict[str, Any]:
    return {key: values[0] if len(values) == 1 else values for key, values in query.lists()}


def _decode(text: str | bytes) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise BadRequestError(_("JSON Error: %(error)s") % {"error": error}) from None
    if not isinstance(data, dict):
        raise BadRequestError(_("Bad request data: Request data JSON decoded to %(data)s but it "
                                "needs to be a dictionary.") % {"data": json.dumps(data)[:100]})
    return data


def _form_data(request: HttpRequest) -> dict[str, Any]:
    form = _mixed(request.POST)
    if len(form) == 1 and next(iter(form.values())) in ("1", ""):
        return _decode(next(iter(form)))
    return form


def _read(request: HttpRequest) -> dict[str, Any]:
    if request.method != "POST":
        return _mixed(request.GET)
    if request.content_type in FORM_TYPES:
        if request.FILES:  # ckanapi's upload: the fields as a form, the file as `upload`
            return _mixed(request.POST) | {key: request.FILES[key] for key in request.FILES}
        return _form_data(request) if request.POST else _mixed(request.GET)
    body = request.body
    return _decode(body) if body.strip() else _mixed(request.GET)


def request_data(request: HttpRequest) -> dict[str, Any]:
    try:
        data = _read(request)
    except MultiPartParserError:
        raise BadRequestError(unreadable_form_message()) from None
    except SuspiciousOperation as error:
        raise BadRequestError(_("The request could not be read: %(error)s") % {"error": error}
                         ) from None
    if upload_was_too_large(request):
        limit = filesizeformat(settings.MAX_UPLOAD_SIZE)
        raise UploadTooLargeError({"upload": [
            _("The file is larger than the limit of %(limit)s.") % {"limit": limit}]})
    for key in DROPPED:
        data.pop(key, None)
    return data
