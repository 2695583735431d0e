"""`{% panels "slot" obj %}`: the blocks higher apps registered for a slot (see lib/panels.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from portal.lib import panels as registry

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context: template.Context, slot: str, obj: Any = None) -> SafeString:
    request = context.get("request")
    if request is None:
        return SafeString("")
    return registry.render(slot, request, obj)
