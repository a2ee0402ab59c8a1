"""/v1/auth/ — register and get a bearer token."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status

from tila.accounts import lockout
from tila.accounts.models import AuthToken
from tila.accounts.services import token_create, user_authenticate, user_register
from tila.api.base import SIGNED_IN, ApiError, api, error_body, require_user, responses, route
from tila.api.schemas import RegisterIn, RegisterOut, TokenIn, TokenOut
from tila.core.errors import DomainError

router = Router(tags=["auth"])


@route(
    router,
    ["POST"],
    "/auth/register/",
    response=responses({201: RegisterOut}, 400, 429),
    summary="Create an account",
    url_name="register",
)
def register(request: HttpRequest, payload: RegisterIn) -> Status[dict[str, Any]]:
    """A resident account with an email login; then POST /v1/auth/token/ for a bearer token."""
    user = user_register(
        email=payload.email, password=payload.password, name=payload.name, preferred_language=payload.preferred_language
    )
    body = {"id": str(user.uuid), "email": user.email, "name": user.name, "preferred_language": user.preferred_language}
    return Status(201, body)


def _locked(request: HttpRequest, exc: DomainError) -> HttpResponse:
    response = api.create_response(request, error_body(exc.code, exc.message), status=429)
    response["Retry-After"] = str(lockout.status(request_email(request)).retry_after)
    return response


def request_email(request: HttpRequest) -> str:
    try:
        return str(json.loads(request.body).get("email", ""))
    except (ValueError, AttributeError):
        return ""


@route(
    router,
    ["POST"],
    "/auth/token/",
    response=responses({200: TokenOut}, 400, 429),
    summary="Get a bearer token",
    url_name="token",
)
def token(request: HttpRequest, payload: TokenIn) -> Any:
    """Use the token as `Authorization: Bearer <token>`; it expires after 30 days.

    Wrong passwords are counted per address: after too many the address is locked for a while
    (429 `account_locked` with Retry-After), and requests are rate-limited per client (429 `throttled`).
    Bearer JWTs from the city's OpenID Connect provider are accepted as well, without this call."""
    try:
        user = user_authenticate(email=payload.email, password=payload.password, request=request)
    except DomainError as exc:  # account_locked: too many wrong passwords for this address
        return _locked(request, exc)
    if user is None:
        raise ApiError(400, "invalid_credentials", _("The email address or password is wrong."))
    value = token_create(user=user)
    expires = AuthToken.objects.filter(user=user).order_by("-created_at").values_list("expires_at", flat=True).first()
    return {"token": value, "expires_at": expires}


@route(
    router,
    ["GET"],
    "/auth/me/",
    response=responses({200: RegisterOut}),
    summary="The signed-in user",
    url_name="me",
    **SIGNED_IN,
)
def me(request: HttpRequest) -> dict[str, Any]:
    """Who the bearer token belongs to (also the benchmarks' minimal authenticated endpoint)."""
    user = require_user(request)
    return {"id": str(user.uuid), "email": user.email, "name": user.name, "preferred_language": user.preferred_language}
