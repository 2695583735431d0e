from django.urls import path

from portal.security import views

app_name = "security"
urlpatterns = [
    path("account", views.account, name="account"),
    path("two-factor/verify", views.verify, name="verify"),
    path("two-factor/enrol", views.enrol, name="enrol"),
    path("two-factor/recovery-codes", views.recovery_codes, name="recovery_codes"),
    path("logout-everywhere", views.logout_everywhere, name="logout_everywhere"),
    path("two-factor/agency/<slug:slug>", views.agency_two_factor, name="agency_two_factor"),
]
