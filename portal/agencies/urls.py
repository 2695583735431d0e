from django.urls import path

from portal.agencies import views

app_name = "agencies"
urlpatterns = [
    path("organization/", views.agency_list, name="agency_list"),
    path("organization/<slug:slug>", views.agency_detail, name="agency_detail"),
    path("group/", views.sector_list, name="sector_list"),
    path("group/<slug:code>", views.sector_detail, name="sector_detail"),
]
