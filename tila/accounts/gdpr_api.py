"""The GDPR API in the form the Helsinki profile service calls it.

    GET    /gdpr-api/v1/profiles/<uuid>               the person's data as a key/children/value tree
    DELETE /gdpr-api/v1/profiles/<uuid>[?dry_run=true] forget the person (204), or say why not (403)

`<uuid>` is the Tila user's `uuid` (the provider's `sub` for people who signed in through it).
Authentication is a bearer JWT from the OpenID Connect provider (tila.accounts.bearer_jwt) whose
subject is that same person and whose scopes include `GDPR_API_QUERY_SCOPE` (GET) or
`GDPR_API_DELETE_SCOPE` (DELETE). An unknown profile is 204 with no body, as the profile service
expects. When deletion must wait the answer is 403 with
`{"errors": [{"code": "...", "message": {"fi": "...", "sv": "...", "en": "..."}}]}`; a dry run
answers exactly as the real deletion would, without changing anything.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from tila.accounts import bearer_jwt
from tila.accounts.gdpr import DeletionBlocked, account_anonymise, deletion_blockers, gdpr_export
from tila.accounts.models import User

TRUE_VALUES = {"true", "1", "yes"}


def _message(text: str) -> dict[str, str]:
    messages = {}
    for language in ("fi", "sv", "en"):
        with translation.override(language):
            messages[language] = translation.gettext(text)
    return messages


def _errors(status: int, code: str, text: str) -> JsonResponse:
    response = JsonResponse(
        {"errors": [{"code": code, "message": _message(text)}]},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="tila-gdpr", error="invalid_token"'
    return response


def _claims(request: HttpRequest) -> dict[str, Any] | None:
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    try:
        return bearer_jwt.verify(token.strip())
    except bearer_jwt.InvalidToken:
        return None


def _dry_run(request: HttpRequest) -> bool:
    if str(request.GET.get("dry_run", "")).lower() in TRUE_VALUES:
        return True
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return False
    return isinstance(body, dict) and str(body.get("dry_run", "")).lower() in TRUE_VALUES


def _required_scope(method: str) -> str:
    return str(settings.GDPR_API_QUERY_SCOPE if method == "GET" else settings.GDPR_API_DELETE_SCOPE)


def _authorise(request: HttpRequest, pk: uuid.UUID) -> HttpResponse | User | None:
    """The profile's user, None for an unknown profile, or the error response."""
    claims = _claims(request)
    if claims is None:
        return _errors(401, "not_authenticated", gettext_noop("The access token is missing, not valid or has expired."))
    if _required_scope(request.method or "") not in bearer_jwt.scopes(claims):
        return _errors(403, "insufficient_scope", gettext_noop("The access token does not allow this operation."))
    user = User.objects.filter(uuid=pk, anonymised_at__isnull=True).first()
    if user is None:
        return None
    owner = bearer_jwt.user_for(claims)
    if owner is None or owner.pk != user.pk:
        return _errors(403, "permission_denied", gettext_noop("The access token belongs to another person."))
    return user


def _delete(request: HttpRequest, user: User) -> HttpResponse:
    blockers = deletion_blockers(user=user)
    if blockers:
        return JsonResponse(
            {"errors": [b.as_error() for b in blockers]}, status=403, json_dumps_params={"ensure_ascii": False}
        )
    if _dry_run(request):
        return HttpResponse(status=204)
    try:
        account_anonymise(user=user, reason="gdpr_api")
    except DeletionBlocked as exc:
        return JsonResponse(
            {"errors": [b.as_error() for b in exc.blockers]}, status=403, json_dumps_params={"ensure_ascii": False}
        )
    return HttpResponse(status=204)


@csrf_exempt
@never_cache
def profile(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    if request.method not in {"GET", "DELETE"}:
        response = _errors(405, "method_not_allowed", gettext_noop("This method is not allowed here."))
        response["Allow"] = "GET, DELETE"
        return response
    found = _authorise(request, pk)
    if isinstance(found, HttpResponse):
        return found
    if found is None:
        return HttpResponse(status=204)
    if request.method == "GET":
        return JsonResponse(gdpr_export(user=found), json_dumps_params={"ensure_ascii": False})
    return _delete(request, found)
