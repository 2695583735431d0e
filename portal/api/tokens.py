"""/api/v1/tokens: the caller's own API tokens. The plaintext is returned once, at creation."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from portal.accounts import services
from portal.accounts.tokens import tokens_of
from portal.api.auth import caller, signed_in, writer
from portal.api.schemas import TokenCreatedOut, TokenIn, TokenOut
from portal.lib.errors import NotFound

router = Router(tags=["tokens"])


@router.get("/tokens", response=list[TokenOut], summary="Your API tokens, revoked ones too")
def token_list(request: HttpRequest) -> list[TokenOut]:
    return [TokenOut.of(token) for token in tokens_of(signed_in(caller(request)))]


@router.post("/tokens", response={201: TokenCreatedOut},
             summary="Create an API token; its plaintext is shown this once")
def token_create(request: HttpRequest, payload: TokenIn) -> Status[TokenCreatedOut]:
    user = signed_in(writer(request))
    token, plaintext = services.token_create(user=user, name=payload.name,
                                             expires_days=payload.expires_days,
                                             read_only=payload.read_only)
    return Status(201, TokenCreatedOut(token=plaintext, **TokenOut.of(token).model_dump()))


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke one of your tokens")
def token_revoke(request: HttpRequest, token_id: int) -> Status[None]:
    user = signed_in(writer(request))
    token = tokens_of(user).filter(pk=token_id).first()
    if token is None:
        raise NotFound("Token not found")
    services.token_revoke(actor=user, token=token)
    return Status(204, None)
