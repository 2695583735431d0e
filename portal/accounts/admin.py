"""The operating unit's administration of staff accounts. Django's admin flags follow the role."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import AGENCY_ROLES, User

# The admin's classes are generic only for the type checker (no runtime monkeypatching).
if TYPE_CHECKING:
    CreationFormBase = UserCreationForm[User]
    ChangeFormBase = UserChangeForm[User]
    UserAdminBase = DjangoUserAdmin[User]
else:
    CreationFormBase, ChangeFormBase = UserCreationForm, UserChangeForm
    UserAdminBase = DjangoUserAdmin


def _check_role_and_agency(form: forms.ModelForm[User]) -> None:
    """The database refuses an agency role without an agency; say so on the form first."""
    role, agency = form.cleaned_data.get("role"), form.cleaned_data.get("agency")
    if role in AGENCY_ROLES and agency is None:
        form.add_error("agency", ValidationError(
            gettext("Administrators, editors and members belong to an agency: choose one.")))


class StaffCreationForm(CreationFormBase):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "first_name", "last_name", "email", "role", "agency")

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        _check_role_and_agency(self)
        return cleaned


class StaffChangeForm(ChangeFormBase):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        _check_role_and_agency(self)
        return cleaned


@admin.register(User)
class UserAdmin(UserAdminBase):
    form = StaffChangeForm
    add_form = StaffCreationForm
    list_display = ("username", "get_full_name", "email", "role", "agency", "is_active",
                    "last_login")
    list_filter = ("role", "is_active", "agency")
    search_fields = ("username", "first_name", "last_name", "email", "agency__name")
    list_select_related = ("agency",)
    autocomplete_fields = ("agency",)
    readonly_fields = ("is_staff", "is_superuser", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email", "position", "phone")}),
        (_("Role"), {
            "fields": ("role", "agency", "is_active"),
            "description": _("The role decides what the account may do. Only system "
                             "administrators reach this administration; that follows from the "
                             "role and cannot be set apart."),
        }),
        (_("Derived and dates"), {"fields": ("is_staff", "is_superuser", "last_login",
                                             "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": (
            "username", "first_name", "last_name", "email", "role", "agency",
            "password1", "password2")}),
    )
    filter_horizontal = ()
