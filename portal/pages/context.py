from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from portal.lib.places import province


def portal_name() -> str:
    """The portal's name, which depends on the configured province (pages and mail use it)."""
    return _("Open Data Portal of %(province)s") % {"province": province().name}


def portal(request: HttpRequest) -> dict[str, Any]:
    """What every page needs: the portal's name."""
    return {"portal_name": portal_name(), "province_name": province().name}
