"""Writes to accounts and API tokens. The commands, the pages and the APIs call these.

`actor=None` is the operating unit at the command line (whoever may run `portal` on the server
may do anything); a person acting through a page or an API is checked with `permissions.can`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from portal.accounts import mail
from portal.accounts.models import AGENCY_ROLES, ApiToken, RevokeReason, Role, User
from portal.accounts.permissions import Action, can
from portal.accounts.tokens import new_token
from portal.audit import services as audit
from portal.lib.errors import ApplicationError, PermissionDenied
from portal.lib.net import site_url

if TYPE_CHECKING:
    from portal.accounts.permissions import Actor
    from portal.agencies.models import Agency

MAX_TOKEN_DAYS = 3650
USER_FIELDS = ("username", "email", "role", "agency", "is_active")
TOKEN_FIELDS = ("name", "prefix", "read_only", "expires", "revoked")  # never the hash


def _check_manages(actor: Actor | None, role: str, agency: Agency | None) -> None:
    """May `actor` hold an account with this role in this agency? (Asked of the account as it
    is and as it would become.)"""
    if actor is None or can(actor, Action.MANAGE_USER, User(role=role, agency=agency)):
        return
    raise PermissionDenied(_("You may not manage this account."))


def _validate_role(role: str, agency: Agency | None) -> None:
    if role not in Role.values:
        raise ApplicationError(_("Unknown role."), {"role": [
            _("Choose one of: %(roles)s.") % {"roles": ", ".join(Role.values)}]})
    if role in AGENCY_ROLES and agency is None:
        raise ApplicationError(_("This role needs an agency."), {"agency": [
            _("Admins, editors and members belong to an agency: name it.")]})
    if agency is not None and not agency.is_active:
        raise ApplicationError(_("This agency has ceased."), {"agency": [
            _("Choose an agency that is still active.")]})


def _validate_new_user(user: User, password: str | None) -> None:
    errors: dict[str, list[str]] = {}
    for field, check in (("username", User.username_validator), ("email", validate_email)):
        try:
            check(getattr(user, field))
        except ValidationError as error:
            errors[field] = list(error.messages)
    if "username" not in errors and User.objects.filter(
            username__iexact=user.username).exists():
        errors["username"] = [_("This username is taken.")]
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as error:
            errors["password"] = list(error.messages)
    if errors:
        raise ApplicationError(_("The account was not created."), errors)


def split_full_name(full_name: str) -> tuple[str, str]:
    """(family name, given names) of a Vietnamese full name: "Phạm Đức Quân" gives ("Phạm",
    "Đức Quân"), which `User.get_full_name` puts back together as written."""
    family, _space, given = " ".join(full_name.split()).partition(" ")
    return family, given


@transaction.atomic
def user_create(*, actor: Actor | None, username: str, email: str, role: str,
                agency: Agency | None = None, password: str | None = None,
                full_name: str = "") -> User:
    """A new account. Without a password it gets an unusable one and needs
    `password_link_send`."""
    _validate_role(role, agency)
    _check_manages(actor, role, agency)
    family, given = split_full_name(full_name)
    user = User(username=username.strip(), email=email.strip(), role=role, agency=agency,
                last_name=family[:150], first_name=given[:150])
    _validate_new_user(user, password)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    audit.record(actor=actor, action="user.create", target=user,
                 after=audit.snapshot(user, USER_FIELDS))
    return user


def password_set_link(user: User, base_url: str | None = None) -> str:
    """A one-time link to set the password: under `base_url` (default: SITE_URL), or a path.

    It stops working once used (the password changes) and after PASSWORD_RESET_TIMEOUT.
    """
    path = reverse("accounts:password_set", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user)})
    return f"{site_url() if base_url is None else base_url.rstrip('/')}{path}"


@dataclass(frozen=True)
class PasswordLink:
    """A link sent: the link itself, and whether and where it was e-mailed."""

    url: str
    email: str
    problem: str = ""  # why it was not e-mailed; empty once sent
    note: str = ""  # where the message went when no mail server is configured

    @property
    def emailed(self) -> bool:
        return not self.problem


def password_link_send(*, actor: Actor | None, user: User, base_url: str | None = None,
                       new_account: bool = False) -> PasswordLink:
    """Make a one-time link to set the account's password and e-mail it to the account's
    address (a new account's first password, or a "reset"). The current password keeps
    working until the link is used. An e-mail that cannot be sent is reported, not raised:
    the link is still good, to be given by hand."""
    _check_manages(actor, user.role, user.agency)
    if not user.is_active:
        raise ApplicationError(_("This account is deactivated: reactivate it before sending "
                                 "it a link."))
    base = site_url() if base_url is None else base_url.rstrip("/")
    url = password_set_link(user, base)
    problem = mail.send_password_link(user=user, link=url, site_url=base,
                                      new_account=new_account)
    audit.record(actor=actor, action="user.password_link", target=user,
                 after={"email": user.email, "emailed": not problem})
    return PasswordLink(url=url, email=user.email, problem=problem,
                        note="" if problem else mail.where_mail_goes())


def _refuse_last_sysadmin(user: User) -> None:
    others = User.objects.filter(role=Role.SYSADMIN, is_active=True).exclude(pk=user.pk)
    if user.role == Role.SYSADMIN and user.is_active and not others.exists():
        raise ApplicationError(_("This is the last active system administrator. Create or "
                                 "reactivate another one first."))


@transaction.atomic
def user_set_active(*, actor: Actor | None, user: User, active: bool) -> User:
    """Deactivate or reactivate an account. Deactivation revokes its API tokens, and
    reactivation does not bring them back: the person makes new ones."""
    _check_manages(actor, user.role, user.agency)
    if not active:
        _refuse_last_sysadmin(user)
        if actor is not None and actor.pk == user.pk:
            raise ApplicationError(_("You cannot deactivate your own account: ask another "
                                     "administrator."))
    # Also on reactivation: an account deactivated before deactivation revoked tokens (older
    # versions) still holds unrevoked ones, which must not come back to life with it.
    if not (active and user.is_active):
        _revoke_tokens_of(actor=actor, user=user)
    before = audit.snapshot(user, ["is_active"])
    user.is_active = active
    user.save(update_fields=["is_active", "is_staff", "is_superuser"])
    audit.record(actor=actor, action="user.reactivate" if active else "user.deactivate",
                 target=user, before=before, after=audit.snapshot(user, ["is_active"]))
    return user


def _revoke_tokens_of(*, actor: Actor | None, user: User) -> None:
    for token in ApiToken.objects.select_for_update().filter(owner=user, revoked=None):
        _revoke(actor=actor, token=token, reason=RevokeReason.ACCOUNT_DEACTIVATED)


@transaction.atomic
def user_set_role(*, actor: Actor | None, user: User, role: str,
                  agency: Agency | None) -> User:
    """Change an account's role and agency (sysadmins and supervisors may have no agency)."""
    _validate_role(role, agency)
    _check_manages(actor, user.role, user.agency)
    _check_manages(actor, role, agency)
    if role != Role.SYSADMIN:
        _refuse_last_sysadmin(user)
    before = audit.snapshot(user, ["role", "agency"])
    user.role = role
    user.agency = agency
    user.save()
    audit.record(actor=actor, action="user.set_role", target=user, before=before,
                 after=audit.snapshot(user, ["role", "agency"]))
    return user


@transaction.atomic
def member_add(*, actor: Actor | None, user: User, agency: Agency, role: str) -> User:
    """Make an account a member of `agency` with `role`, reactivated if it was deactivated
    (removing a member deactivates the account: adding it again brings it back)."""
    user_set_role(actor=actor, user=user, role=role, agency=agency)
    if not user.is_active:
        user_set_active(actor=actor, user=user, active=True)
    return user


def _validate_token(user: User, name: str, expires_days: int | None) -> None:
    errors: dict[str, list[str]] = {}
    if not name or len(name) > 100:
        errors["name"] = [_("Give the token a name of 1 to 100 characters.")]
    elif ApiToken.objects.filter(owner=user, name=name, revoked=None).exists():
        errors["name"] = [_("This user already has a token with this name: revoke it or "
                            "choose another name.")]
    if expires_days is not None and not 1 <= expires_days <= MAX_TOKEN_DAYS:
        errors["expires_days"] = [_("A token expires after 1 to %(days)d days.")
                                  % {"days": MAX_TOKEN_DAYS}]
    if not user.is_active:
        errors["user"] = [_("This account is deactivated.")]
    if errors:
        raise ApplicationError(_("The token was not created."), errors)


@transaction.atomic
def token_create(*, user: User, name: str, expires_days: int | None = None,
                 read_only: bool = False) -> tuple[ApiToken, str]:
    """A new token for `user` and its plaintext, which is shown once and never stored."""
    name = name.strip()
    _validate_token(user, name, expires_days)
    prefix, secret_hash, plaintext = new_token()
    expires = None if expires_days is None else timezone.now() + timedelta(days=expires_days)
    token = ApiToken.objects.create(owner=user, name=name, prefix=prefix,
                                    secret_hash=secret_hash, expires=expires,
                                    read_only=read_only)
    audit.record(actor=user, action="token.create", target=token,
                 after=audit.snapshot(token, TOKEN_FIELDS))
    return token, plaintext


@transaction.atomic
def token_revoke(*, actor: Actor | None, token: ApiToken) -> ApiToken:
    """Revoke a token: its owner, a sysadmin or the command line may."""
    own = actor is not None and actor.is_authenticated and actor.pk == token.owner_id
    if actor is not None and not own and not can(actor, Action.MANAGE_ACCOUNTS):
        raise PermissionDenied(_("You may revoke only your own API tokens."))
    if token.revoked is None:
        _revoke(actor=actor, token=token, reason=RevokeReason.REQUESTED)
    return token


def _revoke(*, actor: Actor | None, token: ApiToken, reason: RevokeReason) -> None:
    token.revoked = timezone.now()
    token.revoked_reason = reason
    token.save(update_fields=["revoked", "revoked_reason"])
    audit.record(actor=actor, action="token.revoke", target=token,
                 before={"revoked": None, "revoked_reason": ""},
                 after=audit.snapshot(token, ["revoked", "revoked_reason"]))
