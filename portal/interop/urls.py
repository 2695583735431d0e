from django.urls import path

from portal.interop import ckan_views, datastore_views

app_name = "interop"
urlpatterns = [
    path("api/3/action/<str:action>", ckan_views.action, name="ckan_action"),
    path("api/action/<str:action>", ckan_views.action, name="ckan_action_unversioned"),
    path("api/3", ckan_views.api_version, name="ckan_version"),
    path("datastore/dump/<path:resource_id>", datastore_views.dump, name="datastore_dump"),
]
