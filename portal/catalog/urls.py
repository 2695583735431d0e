from django.urls import path

from portal.catalog import staff_views, views

app_name = "catalog"
urlpatterns = [
    path("dataset/", views.dataset_list, name="dataset_list"),
    path("dataset/new", staff_views.dataset_create, name="dataset_create"),
    path("dataset/edit/<str:name>", staff_views.dataset_edit, name="dataset_edit"),
    path("dataset/<str:name>/publish", staff_views.dataset_publish, name="dataset_publish"),
    path("dataset/<str:name>/withdraw", staff_views.dataset_withdraw, name="dataset_withdraw"),
    path("dataset/<str:name>/resource/new", staff_views.resource_create, name="resource_create"),
    path("dataset/<str:name>/resource/<str:resource_id>/edit", staff_views.resource_edit,
         name="resource_edit"),
    path("dataset/<str:name>/resource/<str:resource_id>/delete", staff_views.resource_delete,
         name="resource_delete"),
    path("dataset/<str:name>/resource/<str:resource_id>/download/<str:filename>",
         views.resource_download, name="resource_download"),
    path("dataset/<str:name>/resource/<str:resource_id>", views.resource_detail,
         name="resource_detail"),
    path("dataset/<str:name>", views.dataset_detail, name="dataset_detail"),
    path("dashboard/datasets", staff_views.dashboard, name="dashboard"),
]
