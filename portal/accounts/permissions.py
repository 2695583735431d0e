"""Who may do what. Every door (pages, the native API, the CKAN API) asks this module.

The rules (regulation articles 4.4, 4.5, 8, 11.3):
- the public reads published, public datasets;
- "state agencies only" datasets: any signed-in staff account;
- "agency only" datasets, drafts and withdrawn datasets: the agency's own accounts, supervisors
  and sysadmins;
- editors and agency admins write their own agency's datasets (only in its sectors, checked by
  the catalogue's services); supervisors read everything and write none of the agencies' data;
- supervisors and sysadmins manage sectors, agencies and licences; an agency admin manages its
  own agency's members (the accounts with an agency role in its agency: create, change role,
  deactivate, send a set-password link, remove two-factor); sysadmins manage all accounts;
- sysadmins and supervisors read the audit trail;
- an agency's deadlines and reminders (its work) are seen by its own accounts, supervisors and
  sysadmins; supervisors and sysadmins read every message the portal sent (article 12.3).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from portal.accounts.models import AGENCY_ROLES, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.accounts.models import User
    from portal.agencies.models import Agency
    from portal.catalog.models import Dataset

    Actor = User | AnonymousUser


class Action(StrEnum):
    VIEW_DATASET = "view_dataset"
    CREATE_DATASET = "create_dataset"  # the object is the agency
    EDIT_DATASET = "edit_dataset"
    PUBLISH_DATASET = "publish_dataset"
    MANAGE_CATALOGUE = "manage_catalogue"  # sectors, agencies, licences; no object
    MANAGE_MEMBERS = "manage_members"  # the object is the agency
    MANAGE_ACCOUNTS = "manage_accounts"  # all accounts; no object
    VIEW_AUDIT = "view_audit"  # the audit trail; no object
    VIEW_MEMBERS = "view_members"  # the object is the agency
    # One account, existing or about to be created (an unsaved User with its role and agency).
    MANAGE_USER = "manage_user"
    # An agency's deadlines, overdue periods and reminders; the object is the agency.
    VIEW_AGENCY_WORK = "view_agency_work"
    # Every message the portal sent anyone (reminders, escalations); no object.
    VIEW_ALL_NOTIFICATIONS = "view_all_notifications"


def role_of(user: Actor) -> Role | None:
    if not user.is_authenticated or not user.is_active:
        return None
    return Role(user.role)


def _agency_id(user: Actor) -> int | None:
    return getattr(user, "agency_id", None)


def _reads_everything(role: Role | None) -> bool:
    return role in (Role.SYSADMIN, Role.SUPERVISOR)


def _is_in_agency(user: Actor, agency_id: int) -> bool:
    return role_of(user) in (Role.ADMIN, Role.EDITOR, Role.MEMBER) and _agency_id(user) == agency_id


def _writes_for(user: Actor, agency_id: int) -> bool:
    role = role_of(user)
    if role == Role.SYSADMIN:
        return True
    return role in (Role.ADMIN, Role.EDITOR) and _agency_id(user) == agency_id


def _admin_of_account(user: Actor, account: User) -> bool:
    """An agency admin manages the accounts of its own agency that hold an agency role."""
    return (role_of(user) == Role.ADMIN and account.role in AGENCY_ROLES
            and account.agency_id is not None and account.agency_id == _agency_id(user))


def can_view_dataset(user: Actor, dataset: Dataset) -> bool:
    role = role_of(user)
    if _reads_everything(role) or _is_in_agency(user, dataset.agency_id):
        return True
    if dataset.status != "published":
        return False
    if dataset.access_level == "public":
        return True
    return dataset.access_level == "agencies" and role is not None


def can(user: Actor, action: Action, obj: Any = None) -> bool:
    """The one question every door asks."""
    role = role_of(user)
    if action == Action.VIEW_DATASET:
        return can_view_dataset(user, obj)
    if action in (Action.EDIT_DATASET, Action.PUBLISH_DATASET):
        return _writes_for(user, obj.agency_id)
    if action == Action.CREATE_DATASET:
        agency: Agency = obj
        return _writes_for(user, agency.pk) and agency.is_active
    if action == Action.MANAGE_CATALOGUE:
        return _reads_everything(role)
    if action == Action.MANAGE_MEMBERS:
        return role == Role.SYSADMIN or (role == Role.ADMIN and _agency_id(user) == obj.pk)
    if action == Action.MANAGE_ACCOUNTS:
        return role == Role.SYSADMIN
    if action == Action.MANAGE_USER:
        return role == Role.SYSADMIN or _admin_of_account(user, obj)
    if action == Action.VIEW_MEMBERS:
        return _reads_everything(role) or (role == Role.ADMIN and _agency_id(user) == obj.pk)
    if action == Action.VIEW_AUDIT:
        return _reads_everything(role)
    if action == Action.VIEW_AGENCY_WORK:
        return _reads_everything(role) or _is_in_agency(user, obj.pk)
    if action == Action.VIEW_ALL_NOTIFICATIONS:
        return _reads_everything(role)
    raise ValueError(f"unknown action {action!r}")


def must_use_two_factor(user: Actor) -> bool:
    """Sysadmins and supervisors always log in with a second factor; an agency's accounts do
    when its administrator requires it; other accounts may choose to."""
    role = role_of(user)
    if role is None:
        return False
    if _reads_everything(role):
        return True
    agency = getattr(user, "agency", None)
    return bool(agency is not None and agency.require_two_factor)


def visible_datasets_q(user: Actor) -> Q:
    """The same rule as `can_view_dataset`, as a filter for querysets."""
    role = role_of(user)
    if _reads_everything(role):
        return Q()
    levels = ["public"] if role is None else ["public", "agencies"]
    visible = Q(status="published", access_level__in=levels)
    agency_id = _agency_id(user)
    if role is not None and agency_id is not None:
        visible |= Q(agency_id=agency_id)
    return visible


def writable_agencies_q(user: Actor) -> Q:
    """Agencies the user may create datasets for."""
    role = role_of(user)
    if role == Role.SYSADMIN:
        return Q()
    if role in (Role.ADMIN, Role.EDITOR):
        return Q(pk=_agency_id(user))
    return Q(pk__in=[])
