from django.contrib.auth import views as auth_views
from django.urls import path

from portal.accounts.password_views import PasswordSetDoneView, PasswordSetView

app_name = "accounts"
urlpatterns = [
    path("login", auth_views.LoginView.as_view(template_name="accounts/login.html",
                                               redirect_authenticated_user=True), name="login"),
    path("logout", auth_views.LogoutView.as_view(), name="logout"),
    path("set-password/done", PasswordSetDoneView.as_view(), name="password_set_done"),
    path("set-password/<uidb64>/<token>", PasswordSetView.as_view(), name="password_set"),
]
