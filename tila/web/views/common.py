"""Small things every resident view needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse, translate_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from tila.booking.models import Reservation
from tila.catalogue.models import Resource
from tila.catalogue.selectors import published_q
from tila.web.selectors import own_reservations

View = Callable[..., HttpResponseBase]


def now() -> dt.datetime:
    return timezone.now()


def resident_required(view: View) -> View:
    """Sign-in first; the sign-in page sends the resident back here afterwards."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("web:login"))
        return view(request, *args, **kwargs)

    return wrapper


def visible_resource(resource_id: str) -> Resource:
    """A published resource (bookable or not: the booking engine says so), or 404."""
    resource = (
        Resource.objects.filter(published_q())
        .select_related("unit", "unit__district", "type", "parent")
        .filter(pk=resource_id)
        .first()
    )
    if resource is None:
        raise Http404
    return resource


def own_reservation(request: HttpRequest, pk: int) -> Reservation:
    """The signed-in resident's own reservation, or 404 (someone else's is never revealed)."""
    reservation = own_reservations(request.user).filter(pk=pk).first()
    if reservation is None:
        raise Http404
    return reservation


def safe_next(request: HttpRequest, candidate: str | None, default: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def in_language(url: str, language: str) -> str:
    return translate_url(url, language)


def set_language_cookie(response: HttpResponse, language: str) -> HttpResponse:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
