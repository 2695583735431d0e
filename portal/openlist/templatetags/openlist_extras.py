"""`{% coverage_badge item.coverage %}`: where an item stands, as a coloured badge with words
(the colour is never the only sign)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from portal.openlist.models import Coverage

register = template.Library()

COLOURS = {Coverage.PUBLISHED: "text-bg-success", Coverage.OVERDUE: "text-bg-danger",
           Coverage.NOT_YET: "text-bg-secondary"}


@register.simple_tag
def coverage_badge(coverage: str) -> SafeString:
    if coverage not in Coverage.values:
        return SafeString("")
    value = Coverage(coverage)
    return format_html('<span class="badge {}">{}</span>', COLOURS[value], value.label)
