"""What every staff page shares: who may enter, finding objects the person may see, and dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from tila.accounts.permissions import Action, can, is_staff_anywhere
from tila.booking.models import Reservation
from tila.catalogue.models import Unit
from tila.core.timeutil import get_zone
from tila.staff.selectors import staff_reservations

View = Callable[..., HttpResponse]


def staff_required(view: View) -> View:
    """Signed-in people with a staff role (or general administrators); others are sent to sign in
    or told, with a 403 page, that this is the staff workspace."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("web:login"))
        if not is_staff_anywhere(request.user):
            return render(request, "staff/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def unit_for(request: HttpRequest, unit_id: str, action: Action = Action.VIEW) -> Unit:
    """The unit if the person may `action` there: 404 if they may not even view it, 403 otherwise."""
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not can(request.user, Action.VIEW, unit.pk):
        raise Http404
    if not can(request.user, action, unit.pk):
        raise DjangoPermissionDenied
    return unit


def reservation_for(request: HttpRequest, pk: int) -> Reservation:
    reservation = staff_reservations(request.user).filter(pk=pk).first()
    if reservation is None:
        raise Http404
    return reservation


def local_today(tz_name: str | None = None) -> dt.date:
    return timezone.now().astimezone(get_zone(tz_name)).date()


def parse_date(value: str | None, default: dt.date) -> dt.date:
    try:
        parsed = dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return default
    return parsed if 2000 <= parsed.year <= 2100 else default


def may(request: HttpRequest, action: Action, unit_id: str) -> bool:
    return can(request.user, action, unit_id)
