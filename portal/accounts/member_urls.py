"""An agency's members, at CKAN's addresses (/organization/members/<id>, .../member_new/<id>)."""

from django.urls import path

from portal.accounts import member_views

app_name = "members"
urlpatterns = [
    path("members/<slug:slug>", member_views.member_list, name="list"),
    path("member_new/<slug:slug>", member_views.member_new, name="new"),
]
