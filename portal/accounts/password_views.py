"""The page behind the one-time link a new account gets to set its password."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from portal.accounts.models import User


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """Django's reset confirmation: the link works once, until PASSWORD_RESET_TIMEOUT."""

    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:password_set_done")
    reset_url_token = "set"  # noqa: S105 - the placeholder in the URL, not a secret

    def get_user(self, uidb64: str) -> Any:
        user: User | None = super().get_user(uidb64)
        # A deactivated account keeps its link unusable.
        return user if user is not None and user.is_active else None


class PasswordSetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_set_done.html"
