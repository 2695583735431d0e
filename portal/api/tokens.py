"""/api/v1/tokens: the caller's own API tokens. The plaintext is returned once, at creation."""

from __future__ import annotations

from ninja import Router, Status

from portal.accounts import services
from portal.accounts.tokens import tokens_of
from portal.api.auth import ApiRequest, own_account
from portal.api.schemas import TokenCreatedOut, TokenIn, TokenOut
from portal.lib.errors import NotFound

router = Router(tags=["tokens"])


@router.get("/tokens", response=list[TokenOut], summary="Your API tokens, revoked ones too",
            auth=own_account)
def token_list(request: ApiRequest) -> list[TokenOut]:
    return [TokenOut.of(token) for token in tokens_of(request.auth.user)]


@router.post("/tokens", response={201: TokenCreatedOut},
             summary="Create an API token; its plaintext is shown this once")
def token_create(request: ApiRequest, payload: TokenIn) -> Status[TokenCreatedOut]:
    user = request.auth.user
    token, plaintext = services.token_create(user=user, name=payload.name,
                                             expires_days=payload.expires_days,
                                             read_only=payload.read_only)
    return Status(201, TokenCreatedOut(token=plaintext, **TokenOut.of(token).model_dump()))


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke one of your tokens")
def token_revoke(request: ApiRequest, token_id: int) -> Status[None]:
    user = request.auth.user
    token = tokens_of(user).filter(pk=token_id).first()
    if token is None:
        raise NotFound("Token not found")
    services.token_revoke(actor=user, token=token)
    return Status(204, None)
