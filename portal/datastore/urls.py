from django.urls import path

from portal.datastore import embeds, staff_views, views

app_name = "datastore"
RESOURCE = "dataset/<str:name>/resource/<str:resource_id>/data"
urlpatterns = [
    path(f"{RESOURCE}/state", views.state, name="state"),
    path(f"{RESOURCE}/profile", views.profile_panel, name="profile"),
    path(f"{RESOURCE}/read", staff_views.read_again, name="read"),
    path(f"{RESOURCE}/dictionary", staff_views.dictionary, name="dictionary"),
    path("embed/resource/<str:resource_id>/table", embeds.table, name="embed_table"),
    path("embed/resource/<str:resource_id>/chart", embeds.chart, name="embed_chart"),
    path("embed/resource/<str:resource_id>/map", embeds.map_view, name="embed_map"),
]
