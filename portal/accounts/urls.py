from django.contrib.auth import views as auth_views
from django.urls import path

from portal.accounts import views
from portal.accounts.password_views import PasswordSetDoneView, PasswordSetView

app_name = "accounts"
urlpatterns = [
    path("login", auth_views.LoginView.as_view(template_name="accounts/login.html",
                                               redirect_authenticated_user=True), name="login"),
    path("logout", auth_views.LogoutView.as_view(), name="logout"),
    path("set-password/done", PasswordSetDoneView.as_view(), name="password_set_done"),
    path("set-password/<uidb64>/<token>", PasswordSetView.as_view(), name="password_set"),
    # Account administration (CKAN's /user/ list and /user/edit/<name> addresses).
    path("", views.user_list, name="user_list"),
    path("new", views.user_create, name="user_create"),
    path("edit/<str:username>", views.user_edit, name="user_edit"),
    path("edit/<str:username>/active", views.user_set_active, name="user_set_active"),
    path("edit/<str:username>/password-link", views.user_password_link,
         name="user_password_link"),
    path("edit/<str:username>/two-factor", views.user_two_factor_remove,
         name="user_two_factor_remove"),
]
