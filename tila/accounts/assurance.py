"""How strongly the person behind a request has been identified.

Levels: `none` (not signed in) < `weak` (signed in: a password, Tila's own API token, or OpenID
Connect with `loa` low) < `strong` (OpenID Connect with `loa` substantial or high, i.e. Suomi.fi
strong identification). A page session keeps its level under `SESSION_KEY`; the level travels to
the booking engine as the `authentication_level` attribute of the acting user, set by
`AuthenticationLevelMiddleware` (pages) or `tila.api.middleware` (bearer JWTs). A user object
without the attribute is `weak`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

NONE = "none"
WEAK = "weak"
STRONG = "strong"
ORDER = {NONE: 0, WEAK: 1, STRONG: 2}
SESSION_KEY = "tila_auth_level"
DEFAULT_STRONG_LOA = ("substantial", "high")


def strong_loa_values() -> set[str]:
    values = getattr(settings, "OIDC_STRONG_LOA_VALUES", None) or DEFAULT_STRONG_LOA
    return {str(v).strip().lower() for v in values if str(v).strip()}


def level_from_loa(loa: Any) -> str:
    """The `loa` claim (low, substantial, high) as Tila's level; a missing claim is `weak`."""
    return STRONG if isinstance(loa, str) and loa.strip().lower() in strong_loa_values() else WEAK


def level_of(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return NONE
    level = getattr(actor, "authentication_level", WEAK)
    return level if level in ORDER else WEAK


def is_strong(actor: Any) -> bool:
    return level_of(actor) == STRONG


def satisfies(actor: Any, required: str) -> bool:
    required = required if required in ORDER else NONE
    return ORDER[level_of(actor)] >= ORDER[required]


def session_level(request: HttpRequest) -> str:
    if not request.user.is_authenticated:
        return NONE
    level = request.session.get(SESSION_KEY, WEAK)
    return level if level in ORDER else WEAK


def set_session_level(request: HttpRequest, level: str) -> None:
    request.session[SESSION_KEY] = level if level in ORDER else WEAK
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        setattr(request.user, "authentication_level", request.session[SESSION_KEY])  # noqa: B010


class AuthenticationLevelMiddleware:
    """Give the signed-in page user the level their session was identified with (after
    AuthenticationMiddleware). The API sets its own (tila.api.middleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY) == STRONG and request.user.is_authenticated:
            setattr(request.user, "authentication_level", STRONG)  # noqa: B010
        return self.get_response(request)
