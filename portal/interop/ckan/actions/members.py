"""Organization membership and accounts: an account belongs to one agency with one role, so
CKAN's membership of an organization is the account's agency, and its capacity the role."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from portal.accounts import services
from portal.accounts.models import AGENCY_ROLES, User
from portal.accounts.permissions import Action, can, writable_agencies_q
from portal.agencies.models import Agency
from portal.catalog.models import Dataset
from portal.interop.ckan.context import Context
from portal.interop.ckan.dictize import iso_utc, organization_summary
from portal.interop.ckan.errors import AuthorizationError, NotFoundError
from portal.interop.ckan.ids import agency_id, agency_pks, user_id
from portal.interop.ckan.params import Params
from portal.interop.ckan.writing import require_writer, service_refusals

ROLES = sorted(AGENCY_ROLES)
# CKAN's permissions as the portal's actions on an agency ("read": any of its accounts).
PERMISSIONS = {"manage_group": Action.MANAGE_MEMBERS, "create_dataset": Action.CREATE_DATASET,
               "update_dataset": Action.CREATE_DATASET, "delete_dataset": Action.CREATE_DATASET,
               "read": None}


def _agency(params: Params) -> Agency:
    name_or_id = params.required("id")
    params.check()
    pks = agency_pks(name_or_id)
    if not pks:
        raise NotFoundError(_("Organization was not found."))
    return Agency.objects.get(pk=pks[0])


def _user(username: str) -> User:
    user = User.objects.select_related("agency").filter(username=username).first()
    if user is None:
        raise NotFoundError(_("User not found"))
    return user


def _member(user: User, agency: Agency) -> dict[str, Any]:
    return {"id": user_id(user.pk), "table_name": "user", "table_id": user_id(user.pk),
            "group_id": agency_id(agency.pk), "capacity": user.role,
            "state": "active" if user.is_active else "deleted"}


def organization_member_create(context: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Make an account a member of an agency with a role (its one agency and role); an
    account removed earlier (deactivated) is active again, without the API tokens it had
    (revoked when it was deactivated).

    :param id: the agency's name or id
    :param username: the account's username
    :param role: "admin", "editor" or "member"
    """
    require_writer(context)
    params = Params(data)
    username = params.required("username")
    role = params.required("role", "capacity")
    if role and role not in ROLES:
        params.fail("role", _("Must be one of: %(roles)s") % {"roles": ", ".join(ROLES)})
    agency = _agency(params)
    user = _user(username)
    with service_refusals():
        services.member_add(actor=context.user, user=user, agency=agency, role=role)
    return _member(user, agency)


def organization_member_delete(context: Context, data: Mapping[str, Any]) -> None:
    """Remove an account from its agency: as every agency account belongs to an agency, the
    account is deactivated (its API tokens are revoked, for good).

    :param id: the agency's name or id
    :param username: the account's username
    """
    require_writer(context)
    params = Params(data)
    username = params.required("username", "user_id")
    agency = _agency(params)
    user = _user(username)
    if user.agency_id != agency.pk:
        raise NotFoundError(_("User is not a member of this organization."))
    with service_refusals():
        services.user_set_active(actor=context.user, user=user, active=False)


def member_list(context: Context, data: Mapping[str, Any]) -> list[list[str]]:
    """The accounts of an agency as [id, "user", capacity], for its administrators,
    supervisors and system administrators.

    :param id: the agency's name or id
    :param object_type: "user" (other types list nothing)
    :param capacity: only this role (optional)
    """
    params = Params(data)
    object_type = params.text("object_type", "user") or "user"
    capacity = params.text("capacity")
    agency = _agency(params)
    if not can(context.user, Action.VIEW_MEMBERS, agency):
        raise AuthorizationError(_("Only the agency's administrators, supervisors and system "
                                   "administrators may list its members."))
    if object_type != "user":
        return []
    users = User.objects.filter(agency=agency, is_active=True).order_by("username")
    if capacity:
        users = users.filter(role=capacity)
    return [[user_id(user.pk), "user", user.role] for user in users]


def _account(context: Context, username: str) -> User:
    """The caller's own account, or any for those who manage accounts."""
    if not context.user.is_authenticated:
        raise AuthorizationError(_("Sign in with an API token to see an account."))
    if username in ("", context.user.get_username()) and isinstance(context.user, User):
        return context.user
    if not can(context.user, Action.MANAGE_ACCOUNTS):
        raise AuthorizationError(_("You may see only your own account."))
    return _user(username)


def organization_list_for_user(context: Context, data: Mapping[str, Any]
                               ) -> list[dict[str, Any]]:
    """The agencies an account holds a permission in, each with `capacity` (its role).

    :param id: the username (optional; default: the caller)
    :param permission: "manage_group" (default), "create_dataset", "update_dataset",
        "delete_dataset" or "read"
    """
    params = Params(data)
    permission = params.text("permission", "manage_group") or "manage_group"
    if permission not in PERMISSIONS:
        params.fail("permission", _("Unknown permission"))
    params.check()
    if not context.user.is_authenticated:
        return []
    user = _account(context, params.text("id").strip())
    action = PERMISSIONS[permission]
    own = Q(pk=user.agency_id) if user.agency_id else Q(pk__in=[])
    agencies = (Agency.objects.filter(writable_agencies_q(user))
                | Agency.objects.filter(own)).distinct().order_by("slug")
    return [organization_summary(agency, context)
            | {"capacity": user.role if agency.pk == user.agency_id else "admin"}
            for agency in agencies if action is None or can(user, action, agency)]


def user_show(context: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """An account: the caller's own, or any for system administrators. Never the password.

    :param id: the username
    """
    params = Params(data)
    username = params.required("id", "user_id")
    params.check()
    user = _account(context, username)
    return {
        "id": user_id(user.pk), "name": user.username, "fullname": user.get_full_name(),
        "display_name": user.get_full_name() or user.username, "email": user.email,
        "about": "", "created": iso_utc(user.date_joined),
        "state": "active" if user.is_active else "deleted",
        "sysadmin": user.is_superuser, "image_display_url": "", "image_url": "",
        "number_created_packages": Dataset.objects.filter(created_by=user).count(),
        "role": user.role, "position": user.position,
        "organization": None if user.agency is None else user.agency.slug,
    }
