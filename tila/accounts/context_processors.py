"""Template context: whether OpenID Connect sign-in is offered, and how strongly the user is identified."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from tila.accounts import oidc
from tila.accounts.assurance import STRONG, session_level


def _login_url() -> str:
    if not oidc.configured():
        return ""
    try:
        return reverse("oidc:login")
    except NoReverseMatch:  # the sign-in routes are not wired in this deployment
        return ""


def identity(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "oidc_login_url": _login_url(),
        "oidc_provider_name": oidc.provider_name(),
        "strongly_identified": bool(signed_in and hasattr(request, "session") and session_level(request) == STRONG),
    }
