"""Identity and language for /v1/.

Across sites identity travels only in `Authorization: Bearer <token>`, never in cookies: for API
paths the session user is replaced by the token's user (or an anonymous user). A malformed or
unknown token is answered 401 at once. The language is `?lang=` if given, else the
`Accept-Language` header, else Finnish.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from tila.accounts.services import token_authenticate

API_PREFIX = "/v1/"
LANGS = ("fi", "sv", "en")


def api_language(request: HttpRequest) -> str:
    lang = (request.GET.get("lang") or "").lower()[:2]
    if lang in LANGS:
        return lang
    for code, _q in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code[:2].lower() in LANGS:
            return code[:2].lower()
    return "fi"


def _unauthorised() -> JsonResponse:
    response = JsonResponse(
        {"code": "not_authenticated", "non_field_errors": [_("The access token is not valid or has expired.")]},
        status=401,
        json_dumps_params={"ensure_ascii": False},
    )
    response["WWW-Authenticate"] = 'Bearer realm="tila", error="invalid_token"'
    return response


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX) and request.path != API_PREFIX.rstrip("/"):
            return self.get_response(request)
        lang = api_language(request)
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        request.user = AnonymousUser()  # type: ignore[assignment]
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _sep, token = header.partition(" ")
            if scheme.lower() != "bearer":
                return _unauthorised()
            user = token_authenticate(token=token.strip())
            if user is None:
                return _unauthorised()
            request.user = user
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        return response
