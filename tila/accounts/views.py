"""Sign-in through OpenID Connect, and the resident's own data: download it, delete the account."""

from __future__ import annotations

import json
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tila.accounts import oidc
from tila.accounts.assurance import STRONG, set_session_level
from tila.accounts.forms import AccountDeleteForm
from tila.accounts.gdpr import DeletionBlocked, account_anonymise, deletion_blockers, gdpr_export
from tila.accounts.models import User
from tila.core.errors import DomainError
from tila.web.views.common import in_language, resident_required, safe_next, set_language_cookie

SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _failed(request: HttpRequest, error: DomainError, status: int = 400) -> HttpResponse:
    return render(request, "accounts/oidc_failed.html", {"error": error.message}, status=status)


@require_GET
@never_cache
def oidc_login(request: HttpRequest) -> HttpResponseBase:
    """Start signing in at the provider; `?strong=1` asks for strong identification."""
    if not oidc.configured():
        raise Http404
    next_url = safe_next(request, request.GET.get("next"), reverse("web:home"))
    try:
        return oidc.sign_in_redirect(request, strong=request.GET.get("strong") == "1", next_url=next_url)
    except DomainError as exc:
        return _failed(request, exc, status=503)


@require_GET
@never_cache
def oidc_callback(request: HttpRequest) -> HttpResponseBase:
    """The provider sends the browser back here with a code; sign the person in at the level the
    ID token's `loa` claim says."""
    if not oidc.configured():
        raise Http404
    try:
        result = oidc.complete_sign_in(request)
    except DomainError as exc:
        return _failed(request, exc)
    login(request, result.user, backend=SESSION_BACKEND)
    set_session_level(request, result.level)
    if result.level == STRONG:
        messages.success(request, _("You have signed in with strong identification."))
    target = safe_next(request, result.next_url, reverse("web:home"))
    language = result.user.preferred_language or settings.LANGUAGE_CODE
    return set_language_cookie(redirect(in_language(target, language)), language)


@resident_required
@never_cache
def profile_data(request: HttpRequest) -> HttpResponse:
    """Everything Tila holds about the signed-in resident, as JSON (the GDPR API's tree)."""
    user = cast(User, request.user)
    body = json.dumps(gdpr_export(user=user), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="tila-my-data-{stamp}.json"'
    return response


def _blocker_messages(blockers: list[object]) -> list[str]:
    language = (translation.get_language() or "fi")[:2]
    return [getattr(b, "message", {}).get(language) or getattr(b, "message", {}).get("en", "") for b in blockers]


@resident_required
@never_cache
def account_delete(request: HttpRequest) -> HttpResponseBase:
    """Delete (anonymise) the resident's own account after they confirm with their password."""
    user = cast(User, request.user)
    needs_password = user.has_usable_password()
    form = AccountDeleteForm(request.POST or None, needs_password=needs_password)
    blockers = deletion_blockers(user=user)
    if request.method == "POST" and form.is_valid() and not blockers:
        if needs_password and not user.check_password(form.cleaned_data["password"]):
            form.add_domain_error(DomainError("wrong_password", _("The password is wrong."), field="password"))
        else:
            try:
                account_anonymise(user=user, reason="self")
            except DeletionBlocked as exc:
                blockers = exc.blockers
            else:
                logout(request)
                messages.success(request, _("Your account has been deleted. Thank you for using Tila."))
                return redirect("web:home")
    context = {"form": form, "blockers": _blocker_messages(list(blockers))}
    return render(request, "accounts/delete.html", context, status=400 if form.errors else 200)
