from django.urls import path

from portal.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.finding_list, name="findings"),
    path("<int:pk>/", views.finding_detail, name="finding"),
]
