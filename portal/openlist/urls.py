"""The lists' pages. Both lists share them; the first part of the URL names the list:
/open-data-list/ (danh mục dữ liệu mở) and /shared-databases/ (danh mục CSDL dùng chung)."""

from django.urls import path, register_converter

from portal.openlist import amendment_views, plan_views, staff_views, views
from portal.openlist.models import ListKind


class ListKindConverter:
    """The list's URL prefix ↔ its `ListKind` value."""

    PREFIXES = {"open-data-list": ListKind.OPEN_DATA, "shared-databases": ListKind.SHARED_DATABASES}
    KINDS = {kind: prefix for prefix, kind in PREFIXES.items()}
    regex = "open-data-list|shared-databases"

    def to_python(self, value: str) -> str:
        return str(self.PREFIXES[value])

    def to_url(self, value: str) -> str:
        return self.KINDS[ListKind(value)]


register_converter(ListKindConverter, "listkind")

VERSION = "<listkind:kind>/v/<int:version_id>"
ITEM = f"{VERSION}/items/<str:code>"

app_name = "openlist"
urlpatterns = [
    path("<listkind:kind>/", views.current, name="current"),
    path("<listkind:kind>/versions/", views.version_list, name="versions"),
    path("<listkind:kind>/template.xlsx", views.template, name="template"),
    path("<listkind:kind>/drafts/new", staff_views.draft_create, name="draft_create"),
    path(f"{VERSION}/", views.version_detail, name="version"),
    path(f"{VERSION}/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path(f"{VERSION}/export.csv", views.export_csv, name="export_csv"),
    path(f"{VERSION}/decision.pdf", views.decision_pdf, name="decision_pdf"),
    path(f"{VERSION}/edit", staff_views.draft, name="draft"),
    path(f"{VERSION}/import", staff_views.draft_import, name="draft_import"),
    path(f"{VERSION}/issue", staff_views.draft_issue, name="draft_issue"),
    path(f"{VERSION}/discard", staff_views.draft_discard, name="draft_discard"),
    path(f"{VERSION}/decision", staff_views.decision_attach, name="decision_attach"),
    path(f"{VERSION}/items/new", staff_views.item_create, name="item_create"),
    path(f"{ITEM}/", views.item_detail, name="item"),
    path(f"{ITEM}/edit", staff_views.item_edit, name="item_edit"),
    path(f"{ITEM}/delete", staff_views.item_delete, name="item_delete"),
    path(f"{ITEM}/link", staff_views.link_create, name="link_create"),
    path(f"{ITEM}/unlink/<str:name>", staff_views.link_delete, name="link_delete"),
    path("<listkind:kind>/amendments/", amendment_views.amendment_list, name="amendments"),
    path("<listkind:kind>/amendments/new", amendment_views.amendment_create,
         name="amendment_create"),
    path("<listkind:kind>/amendments/<int:amendment_id>", amendment_views.amendment_detail,
         name="amendment"),
    path("dashboard/plans/", plan_views.overview, name="plans_overview"),
    path("dashboard/plans/<slug:slug>", plan_views.agency_plans, name="plans"),
    path("dashboard/plans/<slug:slug>/new", plan_views.plan_create, name="plan_create"),
    path("dashboard/plans/<slug:slug>/<int:plan_id>/edit", plan_views.plan_edit,
         name="plan_edit"),
    path("dashboard/plans/<slug:slug>/<int:plan_id>/delete", plan_views.plan_delete,
         name="plan_delete"),
]
