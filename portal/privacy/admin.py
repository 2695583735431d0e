"""The guard's categories and column roles, kept by the supervising department and the
operating unit: the law changes, and the list with it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.accounts.admin_access import CatalogueReferenceAccess
from portal.privacy.models import Category, ColumnRole

# The admin's classes are generic only for the type checker (no runtime monkeypatching).
if TYPE_CHECKING:
    CategoryAdminBase = admin.ModelAdmin[Category]
    ColumnRoleAdminBase = admin.ModelAdmin[ColumnRole]
else:
    CategoryAdminBase = ColumnRoleAdminBase = admin.ModelAdmin

RULES_HELP = _("Column keywords are matched on column names without diacritics; patterns are "
               "regular expressions; thresholds are shares of the sampled values. See "
               "docs/security.md, “Personal data”.")


@admin.register(Category)
class CategoryAdmin(CatalogueReferenceAccess, CategoryAdminBase):
    list_display = ("code", "name_vi", "kind", "enabled", "position")
    list_editable = ("enabled", "position")
    list_filter = ("kind", "enabled")
    search_fields = ("code", "name_vi", "name_en", "citation")
    fieldsets = (
        (None, {"fields": ("code", "name_vi", "name_en", "kind", "enabled", "position")}),
        (_("Legal basis"), {"fields": ("citation",)}),
        (_("How it is found"), {"fields": ("rules",), "description": RULES_HELP}),
    )


@admin.register(ColumnRole)
class ColumnRoleAdmin(CatalogueReferenceAccess, ColumnRoleAdminBase):
    list_display = ("code", "name_vi", "position")
    search_fields = ("code", "name_vi", "name_en")
    fieldsets = (
        (None, {"fields": ("code", "name_vi", "name_en", "position")}),
        (_("How it is found"), {"fields": ("rules",), "description": RULES_HELP}),
    )
