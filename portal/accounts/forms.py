"""Forms of the account pages. They check shapes; accounts.services checks the rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import AGENCY_ROLES, Role, User
from portal.accounts.permissions import Action, can
from portal.accounts.selectors import AccountFilter
from portal.agencies.models import Agency
from portal.catalog.forms import StaffForm

if TYPE_CHECKING:
    from portal.accounts.permissions import Actor

ACTIVE_CHOICES = [("", _("Active and deactivated")), ("active", _("Active")),
                  ("inactive", _("Deactivated"))]


def roles_for(actor: Actor, agency: Agency | None) -> list[tuple[str, Any]]:
    """The roles `actor` may give an account, asked of the one rule: any for an account
    without a fixed agency (a sysadmin's choice), the agency's roles for a member of `agency`."""
    return [(value, label) for value, label in Role.choices
            if (agency is None or value in AGENCY_ROLES)
            and can(actor, Action.MANAGE_USER, User(role=value, agency=agency))]


def agency_field(current: Agency | None = None) -> forms.ModelChoiceField[Agency]:
    """The active agencies by name, and the account's current one even if it has ceased."""
    kept = Q(pk=current.pk) if current is not None else Q(pk__in=[])
    return forms.ModelChoiceField(
        label=_("Agency"), required=False, to_field_name="slug", empty_label=_("(no agency)"),
        queryset=Agency.objects.filter(Q(pk__in=Agency.objects.active()) | kept).order_by(
            "name"),
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text=_("Administrators, editors and members belong to an agency; system "
                    "administrators and supervisors to none."))


class AccountFilterForm(StaffForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=200,
                        help_text=_("Username, name or e-mail."))
    role = forms.ChoiceField(label=_("Role"), required=False,
                             choices=[("", _("All roles")), *Role.choices])
    agency = forms.ModelChoiceField(label=_("Agency"), required=False, to_field_name="slug",
                                    queryset=Agency.objects.order_by("name"),
                                    empty_label=_("All agencies"))
    active = forms.ChoiceField(label=_("State"), required=False, choices=ACTIVE_CHOICES)

    def to_filter(self) -> AccountFilter:
        """The filter; everything when the form is not valid (a stale link, say)."""
        if not self.is_valid():
            return AccountFilter()
        data = self.cleaned_data
        active = {"active": True, "inactive": False}.get(data["active"])
        return AccountFilter(q=data["q"].strip(), role=data["role"], agency=data["agency"],
                             active=active)


class AccountForm(StaffForm):
    """A new account. An agency's administrator creates it in its own agency (`agency`)."""

    username = forms.CharField(
        label=_("Username"), max_length=150,
        help_text=_("Letters, digits and @ . + - _ only, for example hoa.tt or "
                    "hoa@ninhbinh.gov.vn. It cannot be changed later."))
    full_name = forms.CharField(label=_("Full name"), max_length=300, required=False,
                                help_text=_("Family name first, as in Phạm Đức Quân."))
    email = forms.EmailField(label=_("E-mail"),
                             help_text=_("The one-time link to set the password is sent here."))
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, actor: Actor, agency: Agency | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fixed_agency = agency
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        if agency is None:
            self.fields["agency"] = agency_field()
            role.choices = roles_for(actor, None)
        else:
            # A new account of an agency starts as an editor or a member; its administrator
            # may make it an administrator once its owner has set a password.
            role.choices = [(value, label) for value, label in roles_for(actor, agency)
                            if value != Role.ADMIN]
        role.initial = Role.EDITOR

    def chosen_agency(self) -> Agency | None:
        return self.fixed_agency or self.cleaned_data.get("agency")


class RoleForm(StaffForm):
    """Change an account's role (and, for a sysadmin, its agency)."""

    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, actor: Actor, account: User, **kwargs: Any) -> None:
        initial = {"role": account.role, "agency": account.agency.slug if account.agency else ""}
        super().__init__(*args, initial=initial, **kwargs)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        self.fixed_agency: Agency | None = None
        if can(actor, Action.MANAGE_ACCOUNTS):
            self.fields["agency"] = agency_field(account.agency)
            role.choices = roles_for(actor, None)
        else:
            self.fixed_agency = account.agency
            role.choices = roles_for(actor, account.agency)

    def chosen_agency(self) -> Agency | None:
        if "agency" in self.fields:
            chosen: Agency | None = self.cleaned_data.get("agency")
            return chosen
        return self.fixed_agency


class ExistingMemberForm(StaffForm):
    """Make an account the portal already has a member of the agency, with a role (as CKAN's
    organization_member_create does)."""

    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, actor: Actor, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = roles_for(actor, agency)
        role.initial = Role.EDITOR
