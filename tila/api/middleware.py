"""Identity, language and last-resort answers for /v1/.

Across sites identity travels only in `Authorization: Bearer <token>`, never in cookies: for API
paths the session user is replaced by the token's user (or an anonymous user). The token is
either Tila's own (POST /v1/auth/token/; the user is `weak`ly identified) or a JWT from the
OpenID Connect provider (RS256, issuer, audience and expiry checked against its JWKS; the `loa`
claim gives the level — tila.accounts.bearer_jwt). A malformed or unknown token is answered 401
at once. A JWT issued to a client other than Tila's own (its `azp`) is answered 403
`untrusted_application` unless the person trusts that application (/v1/user/trusted_applications/).
The language is `?lang=` if given, else the `Accept-Language` header, else Finnish; every response
says which in `Content-Language`.

Requests that cannot be handled safely are answered here, before any view runs: a NUL character
anywhere (PostgreSQL cannot store one) or a body larger than Django accepts is a 400. Errors that
Django or ninja produce outside the API's views (an unknown path, a method the path does not
allow) are rewritten into the API's JSON error body.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from tila.accounts.bearer_jwt import authenticate as jwt_authenticate
from tila.accounts.bearer_jwt import looks_like_jwt
from tila.accounts.selectors import application_allowed
from tila.accounts.services import token_authenticate

API_PREFIX = "/v1/"
LANGS = ("fi", "sv", "en")


def api_language(request: HttpRequest) -> str:
    lang = (request.GET.get("lang") or "").lower()[:2]
    if lang in LANGS:
        return lang
    for code, _q in parse_accept_lang_header(request.headers.get("Accept-Language", "")[:500]):
        if code[:2].lower() in LANGS:
            return code[:2].lower()
    return "fi"


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(
        {"code": code, "non_field_errors": [message]},
        status=status,
        json_dumps_params={"ensure_ascii": False},
        content_type="application/json; charset=utf-8",
    )


def _unauthorised() -> JsonResponse:
    response = _error(401, "not_authenticated", _("The access token is not valid or has expired."))
    response["WWW-Authenticate"] = 'Bearer realm="tila", error="invalid_token"'
    return response


def _unsafe_input(request: HttpRequest) -> JsonResponse | None:
    try:
        body = request.body
    except RequestDataTooBig:
        return _error(400, "too_large", _("The request body is too large."))
    text_parts = [request.path, *request.GET.keys(), *(v for values in request.GET.lists() for v in values[1])]
    if any("\x00" in part for part in text_parts) or b"\x00" in body or b"\\u0000" in body:
        return _error(400, "invalid", _("The request contains a NUL character, which is not allowed."))
    return None


def _as_api_error(response: HttpResponse) -> HttpResponse:
    """Django's HTML 404 and ninja's plain-text 405 in the API's JSON error shape."""
    if response.status_code < 400 or response.get("Content-Type", "").startswith("application/json"):
        return response
    if response.status_code == 404:
        replacement = _error(404, "not_found", _("Not found."))
    elif response.status_code == 405:
        replacement = _error(405, "method_not_allowed", _("This method is not allowed here."))
        replacement["Allow"] = response.get("Allow", "")
    else:
        replacement = _error(response.status_code, "error", _("The request could not be handled."))
    return replacement


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX) and request.path != API_PREFIX.rstrip("/"):
            return self.get_response(request)
        lang = api_language(request)
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self._handle(request)
        response.headers["Content-Language"] = lang
        return response

    def _handle(self, request: HttpRequest) -> HttpResponse:
        request.user = AnonymousUser()
        rejection = _unsafe_input(request)
        if rejection is not None:
            return rejection
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _sep, token = header.partition(" ")
            if scheme.lower() != "bearer":
                return _unauthorised()
            token = token.strip()
            user = jwt_authenticate(token) if looks_like_jwt(token) else token_authenticate(token=token)
            if user is None:
                return _unauthorised()
            if not application_allowed(user=user, client_id=getattr(user, "api_client_id", None)):
                return _error(
                    403,
                    "untrusted_application",
                    _("You have not allowed this application to use Tila for you. You can allow it in Tila."),
                )
            request.user = user
        return _as_api_error(self.get_response(request))


__all__ = ["ApiMiddleware", "api_language"]
