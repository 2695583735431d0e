from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from portal.lib.places import province


def portal(request: HttpRequest) -> dict[str, Any]:
    """What every page needs: the portal's name, which depends on the configured province."""
    return {
        "portal_name": _("Open Data Portal of %(province)s") % {"province": province().name},
        "province_name": province().name,
    }
