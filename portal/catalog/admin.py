"""The catalogue in Django's admin, for the operating unit.

Licences and keywords are plain lists and edited here. Datasets, resources and their history are
read-only here: a change to a dataset must go through the catalogue's services, which check the
rules, bump the version and record who changed what. The admin links to the staff pages for that;
the only field it edits directly is a resource's position, which is not part of the history.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.db.models import QuerySet, URLField
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.accounts.admin_access import CatalogueReferenceAccess
from portal.catalog import services
from portal.catalog.models import Dataset, DatasetChange, Keyword, Licence, Resource, Status
from portal.lib.errors import ApplicationError

# The admin's classes are generic only for the type checker (no runtime monkeypatching).
if TYPE_CHECKING:
    LicenceAdminBase = admin.ModelAdmin[Licence]
    KeywordAdminBase = admin.ModelAdmin[Keyword]
    AnyAdminBase = admin.ModelAdmin[Any]
    ResourceAdminBase = admin.ModelAdmin[Resource]
    ResourceInlineBase = admin.TabularInline[Resource, Dataset]
else:
    LicenceAdminBase = KeywordAdminBase = AnyAdminBase = ResourceAdminBase = admin.ModelAdmin
    ResourceInlineBase = admin.TabularInline

READ_ONLY_NOTE = _("Read-only here, so that every change is checked and kept in the dataset's "
                   "history. Use the staff pages to edit, publish or withdraw a dataset.")


@admin.register(Licence)
class LicenceAdmin(CatalogueReferenceAccess, LicenceAdminBase):
    list_display = ("code", "title_vi", "title_en", "is_open", "is_default", "position")
    list_editable = ("position",)
    list_filter = ("is_open",)
    search_fields = ("code", "title_vi", "title_en")
    formfield_overrides = {URLField: {"assume_scheme": "https"}}


@admin.register(Keyword)
class KeywordAdmin(CatalogueReferenceAccess, KeywordAdminBase):
    search_fields = ("name",)


class ReadOnlyAdmin(AnyAdminBase):
    """Shows records without letting the admin add, change or delete them behind history's back."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ResourceInline(ResourceInlineBase):
    model = Resource
    fields = ("name", "kind", "format", "size", "period", "modified")
    readonly_fields = fields
    extra = 0
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Dataset)
class DatasetAdmin(ReadOnlyAdmin):
    list_display = ("title", "agency", "status", "access_level", "frequency", "modified")
    list_filter = ("status", "access_level", "agency", "sectors", "frequency")
    search_fields = ("title", "slug", "search_text")
    list_select_related = ("agency",)
    date_hierarchy = "modified"
    inlines = (ResourceInline,)
    actions = ("withdraw_datasets",)
    readonly_fields = ("staff_page",)
    fieldsets = (
        (None, {"fields": ("staff_page",), "description": READ_ONLY_NOTE}),
        (_("Dataset"), {"fields": ("title", "slug", "agency", "status", "access_level",
                                   "licence", "frequency", "sectors", "keywords", "description")}),
        (_("Coverage and source"), {"fields": ("temporal_start", "temporal_end",
                                               "spatial_codes", "source_system",
                                               "contact_name", "contact_email")}),
        (_("Record"), {"fields": ("version", "view_count", "created", "modified", "published",
                                  "created_by")}),
    )

    @admin.display(description=_("Staff page"))
    def staff_page(self, dataset: Dataset) -> str:
        url = reverse("catalog:dataset_edit", kwargs={"name": dataset.slug})
        return format_html('<a href="{}">{}</a>', url, gettext("Edit on the staff pages"))

    @admin.action(description=_("Withdraw the selected published datasets"))
    def withdraw_datasets(self, request: HttpRequest, queryset: QuerySet[Dataset]) -> None:
        """Through the service, so that each withdrawal is recorded in the dataset's history."""
        done = 0
        for dataset in queryset.filter(status=Status.PUBLISHED).select_related("agency"):
            try:
                services.dataset_withdraw(
                    user=request.user, dataset=dataset,
                    reason=gettext("Withdrawn by the operating unit in the administration."))
            except ApplicationError as error:
                self.message_user(request, f"{dataset}: {error.message}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, gettext("%(count)d dataset(s) withdrawn.") % {"count": done})


@admin.register(Resource)
class ResourceAdmin(ResourceAdminBase):
    list_display = ("name", "dataset", "kind", "format", "size", "period", "modified")
    list_filter = ("kind", "format")
    search_fields = ("name", "dataset__title", "sha256")
    list_select_related = ("dataset",)
    fields = ("dataset", "name", "kind", "description", "file", "url", "format", "media_type",
              "size", "sha256", "encoding", "period", "position", "created", "modified")
    readonly_fields = tuple(name for name in fields if name != "position")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False,
                 **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields["position"].help_text = gettext(
            "Order among the dataset's resources. Everything else is read-only here: "
            "use the staff pages, which keep the dataset's history.")
        return form

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DatasetChange)
class DatasetChangeAdmin(ReadOnlyAdmin):
    list_display = ("at", "dataset", "action", "user", "fields", "note")
    list_filter = ("action",)
    search_fields = ("dataset__title", "dataset__slug", "note", "user__username")
    list_select_related = ("dataset", "user")
    date_hierarchy = "at"
