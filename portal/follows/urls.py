from django.urls import path

from portal.follows import views

app_name = "follows"
urlpatterns = [
    path("follow/confirm/<str:token>", views.confirm, name="confirm"),
    path("follow/unsubscribe/<str:token>", views.unsubscribe, name="unsubscribe"),
    path("follow/<str:kind>/<str:key>", views.follow, name="follow"),
]
