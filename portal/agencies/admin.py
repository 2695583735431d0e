"""Sectors and agencies, kept by the supervising department and the operating unit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.accounts.admin_access import CatalogueReferenceAccess
from portal.agencies.models import Agency, Sector

# The admin's classes are generic only for the type checker (no runtime monkeypatching).
if TYPE_CHECKING:
    SectorAdminBase = admin.ModelAdmin[Sector]
    AgencyAdminBase = admin.ModelAdmin[Agency]
    AgencyFormBase = forms.ModelForm[Agency]
else:
    SectorAdminBase = AgencyAdminBase = admin.ModelAdmin
    AgencyFormBase = forms.ModelForm


@admin.register(Sector)
class SectorAdmin(CatalogueReferenceAccess, SectorAdminBase):
    list_display = ("code", "name_vi", "name_en", "position")
    list_editable = ("position",)
    search_fields = ("code", "name_vi", "name_en")


class AgencyForm(AgencyFormBase):
    website = forms.URLField(label=Agency._meta.get_field("website").verbose_name,
                             required=False, assume_scheme="https")

    class Meta:
        model = Agency
        fields = ("name", "name_en", "short_name", "slug", "kind", "is_supervisor",
                  "description", "logo", "website", "parent", "replaced_by", "sectors",
                  "focal_name", "focal_position", "focal_phone", "focal_email",
                  "focal_user", "valid_from", "valid_to")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The focal point is one of the agency's own active accounts.
        if "focal_user" in self.fields:
            field: Any = self.fields["focal_user"]
            field.queryset = field.queryset.filter(
                agency_id=self.instance.pk, is_active=True) if self.instance.pk else (
                field.queryset.none())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", ValidationError(
                gettext("The end of validity is before its start.")))
        if self.instance.pk and cleaned.get("parent") == self.instance:
            self.add_error("parent", ValidationError(
                gettext("An agency cannot be its own parent.")))
        return cleaned


@admin.register(Agency)
class AgencyAdmin(CatalogueReferenceAccess, AgencyAdminBase):
    form = AgencyForm
    list_display = ("name", "short_name", "kind", "is_supervisor", "valid_from", "valid_to")
    list_filter = ("kind", "is_supervisor", "sectors")
    search_fields = ("name", "name_en", "short_name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("sectors",)
    autocomplete_fields = ("parent", "replaced_by")
    fieldsets = (
        (None, {"fields": ("name", "name_en", "short_name", "slug", "kind", "is_supervisor",
                           "description", "logo", "website")}),
        (_("Hierarchy"), {"fields": ("parent", "replaced_by")}),
        (_("Sectors it may publish in (article 4.4)"), {"fields": ("sectors",)}),
        (_("Focal point (article 7.1)"), {"fields": ("focal_name", "focal_position",
                                                     "focal_phone", "focal_email",
                                                     "focal_user")}),
        (_("Validity"), {
            "fields": ("valid_from", "valid_to"),
            "description": _("An agency that ceases, merges or is renamed gets an end date; "
                             "it keeps its datasets and history."),
        }),
    )
