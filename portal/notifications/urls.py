from django.urls import path

from portal.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("all", views.sent_all, name="sent_all"),
    path("<int:pk>", views.notification_open, name="open"),
]
