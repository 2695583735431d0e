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
- the province's lists of required data (articles 3.3, 6.2, 11.1, 12.1): supervisors and
  sysadmins prepare and issue versions (MANAGE_OPENLIST) and decide amendments; an agency's
  admins and editors propose amendments for their agency and link their own agency's datasets
  to their agency's items; every staff account reads the drafts;
- plans (article 11.2): an agency's admin sets its own agency's plans, supervisors every
  agency's; the agency's accounts, supervisors and sysadmins read them.
- threads (feedback, data requests, requests between agencies, difficulties; articles 7.1,
  11.6, 12.2, 16): the public reads public feedback and data requests (not rejected ones, and
  feedback only on a dataset it may see) and sends them without an account; the handling
  agency's accounts read its threads with their internal notes, its editors and admins answer,
  close and reject them; the asking agency's accounts read the requests they sent; supervisors
  and sysadmins read and handle every thread, and they alone reassign one to another agency;
  an agency's editors and admins send requests to other agencies and report difficulties;
- sysadmins read the list of a dataset's followers (e-mail addresses: personal data).
- the personal-data guard's findings (issue 11): editors and admins of the agency, supervisors
  and sysadmins see them; only the agency's admins (and sysadmins) acknowledge one.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from portal.accounts.models import AGENCY_ROLES, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.accounts.models import User
    from portal.agencies.models import Agency
    from portal.catalog.models import Dataset
    from portal.feedback.models import Thread
    from portal.openlist.models import ListItem

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
    # The open data list and the shared-database list.
    MANAGE_OPENLIST = "manage_openlist"  # versions, items, issuing, amendments; no object
    VIEW_LIST_DRAFTS = "view_list_drafts"  # drafts of the lists; no object
    PROPOSE_AMENDMENT = "propose_amendment"  # the object is the proposing agency
    LINK_LIST_ITEM = "link_list_item"  # the object is a pair (ListItem, Dataset)
    MANAGE_PLAN = "manage_plan"  # the object is the agency
    VIEW_PLANS = "view_plans"  # the object is the agency
    VIEW_THREAD = "view_thread"  # the object is the thread
    VIEW_THREAD_NOTES = "view_thread_notes"  # internal notes, the sender's contact; a thread
    HANDLE_FEEDBACK = "handle_feedback"  # answer, note, close, reject, link; the thread
    REASSIGN_FEEDBACK = "reassign_feedback"  # to another agency; no object (or the thread)
    SEND_AGENCY_THREAD = "send_agency_thread"  # ask an agency, report a difficulty; the
    # object is the asking agency
    VIEW_FEEDBACK_DASHBOARD = "view_feedback_dashboard"  # the staff list; no object
    VIEW_FOLLOWERS = "view_followers"  # who follows (e-mail addresses); no object
    VIEW_FINDINGS = "view_findings"  # the personal-data findings of a dataset's resources
    RESOLVE_FINDING = "resolve_finding"  # acknowledge (or reopen) one; the object: the dataset

# Thread kinds the public sends and reads (portal.feedback.models.PUBLIC_KINDS).
PUBLIC_THREAD_KINDS = ("feedback", "data_request")


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


def _thread_is_public(user: Actor, thread: Thread) -> bool:
    return (thread.public and thread.kind in PUBLIC_THREAD_KINDS and thread.state != "rejected"
            and (thread.dataset is None or can_view_dataset(user, thread.dataset)))


def _reads_thread_notes(user: Actor, thread: Thread) -> bool:
    """The handling agency's accounts, supervisors and sysadmins."""
    return _reads_everything(role_of(user)) or (
        thread.agency_id is not None and _is_in_agency(user, thread.agency_id))


def can_view_thread(user: Actor, thread: Thread) -> bool:
    return (_reads_thread_notes(user, thread) or _thread_is_public(user, thread)
            or (thread.requester_agency_id is not None
                and _is_in_agency(user, thread.requester_agency_id)))


def _handles_thread(user: Actor, thread: Thread) -> bool:
    role = role_of(user)
    if _reads_everything(role):
        return True
    return (role in (Role.ADMIN, Role.EDITOR) and thread.agency_id is not None
            and _agency_id(user) == thread.agency_id)


def _thread_action(user: Actor, action: Action, obj: Any) -> bool:
    role = role_of(user)
    if action == Action.VIEW_THREAD:
        return can_view_thread(user, obj)
    if action == Action.VIEW_THREAD_NOTES:
        return _reads_thread_notes(user, obj)
    if action == Action.HANDLE_FEEDBACK:
        return _handles_thread(user, obj)
    if action == Action.REASSIGN_FEEDBACK:
        return _reads_everything(role)
    if action == Action.SEND_AGENCY_THREAD:
        return role in (Role.ADMIN, Role.EDITOR) and obj is not None and \
            _agency_id(user) == obj.pk and obj.is_active
    if action == Action.VIEW_FEEDBACK_DASHBOARD:
        return _reads_everything(role) or (role in AGENCY_ROLES and _agency_id(user) is not None)
    return role == Role.SYSADMIN  # VIEW_FOLLOWERS


THREAD_ACTIONS = frozenset({
    Action.VIEW_THREAD, Action.VIEW_THREAD_NOTES, Action.HANDLE_FEEDBACK,
    Action.REASSIGN_FEEDBACK, Action.SEND_AGENCY_THREAD, Action.VIEW_FEEDBACK_DASHBOARD,
    Action.VIEW_FOLLOWERS})


def can(user: Actor, action: Action, obj: Any = None) -> bool:
    """The one question every door asks."""
    role = role_of(user)
    if action in THREAD_ACTIONS:
        return _thread_action(user, action, obj)
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
    if action in _OPENLIST_RULES:
        return _OPENLIST_RULES[action](user, obj)
    if action == Action.VIEW_FINDINGS:
        return _reads_everything(role) or _writes_for(user, obj.agency_id)
    if action == Action.RESOLVE_FINDING:
        return role == Role.SYSADMIN or (role == Role.ADMIN and _agency_id(user) == obj.agency_id)
    raise ValueError(f"unknown action {action!r}")


def _may_link(user: Actor, pair: tuple[ListItem, Dataset]) -> bool:
    item, dataset = pair
    return _writes_for(user, item.agency_id) and _writes_for(user, dataset.agency_id)


def _may_manage_plan(user: Actor, agency: Agency) -> bool:
    role = role_of(user)
    return _reads_everything(role) or (role == Role.ADMIN and _agency_id(user) == agency.pk)


_OPENLIST_RULES: dict[Action, Callable[[Actor, Any], bool]] = {
    Action.MANAGE_OPENLIST: lambda user, obj: _reads_everything(role_of(user)),
    Action.VIEW_LIST_DRAFTS: lambda user, obj: role_of(user) is not None,
    Action.PROPOSE_AMENDMENT: lambda user, agency: (
        _writes_for(user, agency.pk) and agency.is_active),
    Action.LINK_LIST_ITEM: _may_link,
    Action.MANAGE_PLAN: _may_manage_plan,
    Action.VIEW_PLANS: lambda user, agency: (
        _reads_everything(role_of(user)) or _is_in_agency(user, agency.pk)),
}


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


def visible_datasets_q(user: Actor, prefix: str = "") -> Q:
    """The same rule as `can_view_dataset`, as a filter for querysets (of datasets, or of
    records that point to one: `prefix="dataset__"`)."""
    role = role_of(user)
    if _reads_everything(role):
        return Q()
    levels = ["public"] if role is None else ["public", "agencies"]
    visible = Q(**{f"{prefix}status": "published", f"{prefix}access_level__in": levels})
    agency_id = _agency_id(user)
    if role is not None and agency_id is not None:
        visible |= Q(**{f"{prefix}agency_id": agency_id})
    return visible


def visible_threads_q(user: Actor) -> Q:
    """The same rule as `can_view_thread`, as a filter for querysets of threads."""
    role = role_of(user)
    if _reads_everything(role):
        return Q()
    public = (Q(public=True, kind__in=PUBLIC_THREAD_KINDS) & ~Q(state="rejected")
              & (Q(dataset__isnull=True) | visible_datasets_q(user, "dataset__")))
    return public | staff_threads_q(user)


def staff_threads_q(user: Actor) -> Q:
    """Threads the user reads as staff (the staff list): every one for supervisors and
    sysadmins; those its agency handles or asked for an agency's accounts; none else."""
    role = role_of(user)
    if _reads_everything(role):
        return Q()
    agency_id = _agency_id(user)
    if role in AGENCY_ROLES and agency_id is not None:
        return Q(agency_id=agency_id) | Q(requester_agency_id=agency_id)
    return Q(pk__in=[])


def findings_datasets_q(user: Actor) -> Q:
    """The datasets whose personal-data findings the user sees (the rule of VIEW_FINDINGS), as
    a filter for querysets of datasets."""
    role = role_of(user)
    if _reads_everything(role):
        return Q()
    if role in (Role.ADMIN, Role.EDITOR) and _agency_id(user) is not None:
        return Q(agency_id=_agency_id(user))
    return Q(pk__in=[])


def writable_agencies_q(user: Actor) -> Q:
    """Agencies the user may create datasets for."""
    role = role_of(user)
    if role == Role.SYSADMIN:
        return Q()
    if role in (Role.ADMIN, Role.EDITOR):
        return Q(pk=_agency_id(user))
    return Q(pk__in=[])
