"""Actions about the portal itself: its status, licences and keywords."""

from __future__ import annotations

from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from portal.catalog.models import Keyword, Licence
from portal.interop.ckan.context import Context
from portal.interop.ckan.dictize import licence_dict, tag_dict
from portal.interop.ckan.errors import NotFoundError
from portal.interop.ckan.params import Params
from portal.interop.ckan.search import listed
from portal.lib.places import province
from portal.lib.text import fold

# The CKAN release whose Action API this one follows, for clients that choose by version.
CKAN_API_VERSION = "2.10.0"


def _portal_version() -> str | None:
    try:
        return version("portal")
    except PackageNotFoundError:
        return None


def status_show(context: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Return the portal's title, address and default language, and the CKAN version whose
    Action API it follows (`ckan_version`)."""
    return {
        "site_title": _("Open Data Portal of %(province)s") % {"province": province().name},
        "site_description": "",
        "site_url": context.site_url,
        "error_emails_to": None,
        "locale_default": settings.LANGUAGE_CODE,
        "extensions": [],
        "ckan_version": CKAN_API_VERSION,
        "portal_version": _portal_version(),
    }


def license_list(context: Context, data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return the licences datasets may be published under."""
    return [licence_dict(licence) for licence in Licence.objects.all()]


def tag_list(context: Context, data: Mapping[str, Any]) -> list[Any]:
    """Return the keywords of the published datasets the caller may see, in alphabetical order.

    :param query: only keywords containing this text, ignoring case and diacritics (optional)
    :param all_fields: dictionaries instead of names (optional, default: false)
    :param vocabulary_id: the portal has no vocabularies: any value is not found
    """
    params = Params(data)
    query = fold(params.text("query") or params.text("q")).strip()
    vocabulary = params.text("vocabulary_id").strip()
    all_fields = params.boolean("all_fields", False)
    params.check()
    if vocabulary:
        raise NotFoundError(_("Could not find vocabulary"))
    keywords = (Keyword.objects.filter(datasets__in=listed(context.user).values("pk"))
                .distinct().order_by("name"))
    found = [keyword for keyword in keywords if query in fold(keyword.name)]
    return [tag_dict(keyword) for keyword in found] if all_fields else [k.name for k in found]
