"""The caller's API tokens: list them (never their secrets) and revoke one."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from portal.accounts import services
from portal.accounts.models import ApiToken, User
from portal.accounts.tokens import TOKEN_PATTERN, hash_secret, tokens_of
from portal.interop.ckan.context import Context
from portal.interop.ckan.dictize import iso_utc
from portal.interop.ckan.errors import AuthorizationError, NotFoundError
from portal.interop.ckan.ids import user_id
from portal.interop.ckan.params import Params
from portal.interop.ckan.writing import require_writer, service_refusals


def _token_dict(token: ApiToken) -> dict[str, Any]:
    """CKAN's keys; `id` is the token's prefix, a lookup key that reveals nothing secret."""
    return {"id": token.prefix, "name": token.name, "user_id": user_id(token.owner_id),
            "created_at": iso_utc(token.created), "last_access": iso_utc(token.last_used),
            "expires": iso_utc(token.expires), "read_only": token.read_only}


def api_token_list(context: Context, data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The caller's API tokens that are not revoked, oldest first.

    :param user_id: the caller's username (optional; only one's own tokens are listed)
    """
    params = Params(data)
    username = params.text("user_id", params.text("user")).strip()
    params.check()
    if not isinstance(context.user, User) or not context.user.is_authenticated:
        raise AuthorizationError(_("Sign in with an API token to list your tokens."))
    if username and username not in (context.user.username, user_id(context.user.pk)):
        raise AuthorizationError(_("You may list only your own API tokens."))
    return [_token_dict(token) for token in tokens_of(context.user).filter(revoked=None)]


def _find(params: Params) -> ApiToken:
    plaintext = params.text("token").strip()
    prefix = params.text("jti", params.text("id")).strip()
    if not plaintext and not prefix:
        params.fail("jti", _("Missing value"))
    params.check()
    match = TOKEN_PATTERN.match(plaintext) if plaintext else None
    if plaintext and match is None:
        raise NotFoundError(_("API token not found."))
    token = ApiToken.objects.select_related("owner").filter(
        prefix=match.group(1) if match else prefix).first()
    if token is None or (match and not hmac.compare_digest(token.secret_hash,
                                                           hash_secret(match.group(2)))):
        raise NotFoundError(_("API token not found."))
    return token


def api_token_revoke(context: Context, data: Mapping[str, Any]) -> None:
    """Revoke one of the caller's API tokens.

    :param jti: the token's id, as api_token_list gives it (or `id`)
    :param token: or the token itself
    """
    require_writer(context)
    token = _find(Params(data))
    with service_refusals():
        services.token_revoke(actor=context.user, token=token)
