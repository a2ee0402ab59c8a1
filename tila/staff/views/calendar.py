"""The calendar: a day or week timeline of a unit (resources as rows), and from it booking on behalf
of a customer, closures, and moving, shortening or cancelling a reservation — all through the engine."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tila.accounts.permissions import Action
from tila.booking.models import ACTIVE_STATES, ReservationType, State
from tila.booking.services import reservation_cancel, reservation_create, reservation_modify
from tila.catalogue.models import Unit
from tila.core.errors import DomainError
from tila.core.timeutil import get_zone
from tila.notifications.feeds import resource_feed
from tila.staff.forms import BookForm, CancelForm, MoveForm
from tila.staff.selectors import staff_units, unit_timeline
from tila.staff.views.common import local_today, may, parse_date, reservation_for, staff_required, unit_for

LEGEND = [
    ("confirmed", ReservationType.NORMAL),
    ("requested", ReservationType.NORMAL),
    ("waiting_for_payment", ReservationType.NORMAL),
    ("confirmed", ReservationType.BLOCKED),
]


@staff_required
def calendar_index(request: HttpRequest) -> HttpResponse:
    """The chosen unit's calendar (the unit picker submits here), else the first of my units."""
    units = staff_units(request.user, Action.VIEW)
    unit = units.filter(pk=request.GET.get("unit", "")).first() or units.first()
    if unit is None:
        return render(request, "staff/forbidden.html", status=403)
    query = {k: request.GET[k] for k in ("date", "view") if request.GET.get(k)}
    return redirect(reverse("staff:calendar", args=[unit.pk]) + (f"?{urlencode(query)}" if query else ""))


def _window(request: HttpRequest, unit: Unit) -> tuple[dt.date, int]:
    day = parse_date(request.GET.get("date"), local_today(unit.time_zone))
    if request.GET.get("view") == "week":
        return day - dt.timedelta(days=day.weekday()), 7
    return day, 1


def _book(request: HttpRequest, unit: Unit, form: BookForm) -> Any:
    data = form.cleaned_data
    begin, end = form.times(unit.time_zone)
    return reservation_create(
        actor=request.user,
        resource=data["resource"],
        begin=begin,
        end=end,
        user=data["customer"] if data["type"] == ReservationType.NORMAL else None,
        type=data["type"],
        staff_override=data["staff_override"],
        event_subject=data["event_subject"],
        number_of_participants=data["number_of_participants"],
        reserver_name=data["reserver_name"],
        reserver_email=data["reserver_email"],
        reserver_phone=data["reserver_phone"],
        staff_comment=data["staff_comment"],
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def calendar(request: HttpRequest, unit_id: str) -> HttpResponse:
    unit = unit_for(request, unit_id)
    first_day, days = _window(request, unit)
    can_handle = may(request, Action.HANDLE, unit.pk)
    form = BookForm(request.POST if request.method == "POST" else None, unit=unit, initial={"date": first_day})
    status = 200
    if request.method == "POST":
        unit = unit_for(request, unit_id, Action.HANDLE)
        if form.is_valid():
            try:
                reservation = _book(request, unit, form)
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                kind = _("Closure") if reservation.type == ReservationType.BLOCKED else _("Reservation")
                messages.success(request, _("%(kind)s saved.") % {"kind": kind})
                view = "&view=week" if days == 7 else ""
                return redirect(reverse("staff:calendar", args=[unit.pk]) + f"?date={form.cleaned_data['date']}{view}")
        status = 400
    timeline = unit_timeline(unit=unit, first_day=first_day, days=days)
    context = {
        "unit": unit,
        "units": staff_units(request.user, Action.VIEW),
        "timeline": timeline,
        "view": "week" if days == 7 else "day",
        "previous": first_day - dt.timedelta(days=days),
        "next": first_day + dt.timedelta(days=days),
        "last_day": first_day + dt.timedelta(days=days - 1),
        "today": local_today(unit.time_zone),
        "form": form if can_handle else None,
        "legend": LEGEND,
        "tz_name": unit.time_zone,
    }
    return render(request, "staff/calendar.html", context, status=status)


def _reservation_post(request: HttpRequest, reservation: Any, move: MoveForm, cancel: CancelForm) -> str | None:
    action = request.POST.get("action")
    tz_name = reservation.resource.unit.time_zone
    try:
        if action == "move" and move.is_valid():
            begin, end = move.times(tz_name)
            reservation_modify(
                actor=request.user,
                reservation=reservation,
                begin=begin,
                end=end,
                staff_override=move.cleaned_data["staff_override"],
            )
            return _("The reservation has been changed.")
        if action == "cancel" and cancel.is_valid():
            reservation_cancel(actor=request.user, reservation=reservation, reason=cancel.cleaned_data["reason"])
            return _("The reservation has been cancelled.")
    except DomainError as exc:
        (move if action == "move" else cancel).add_domain_error(exc)
    return None


def _move_initial(reservation: Any) -> dict[str, Any]:
    zone = get_zone(reservation.resource.unit.time_zone)
    begin, end = reservation.begin.astimezone(zone), reservation.end.astimezone(zone)
    return {"date": begin.date(), "begin": begin.time(), "end": end.time()}


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def reservation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reservation = reservation_for(request, pk)
    action = request.POST.get("action")
    move = MoveForm(request.POST if action == "move" else None, initial=_move_initial(reservation), prefix="move")
    cancel = CancelForm(request.POST if action == "cancel" else None, prefix="cancel")
    status = 200
    if request.method == "POST":
        done = _reservation_post(request, reservation, move, cancel)
        if done is not None:
            messages.success(request, done)
            return redirect("staff:reservation", pk=pk)
        status = 400
        reservation = reservation_for(request, pk)
    context = {
        "reservation": reservation,
        "move_form": move,
        "cancel_form": cancel,
        "can_handle": may(request, Action.HANDLE, reservation.resource.unit_id),
        "is_active": reservation.state in ACTIVE_STATES,
        "is_request": reservation.state == State.REQUESTED,
        "tz_name": reservation.resource.unit.time_zone,
    }
    return render(request, "staff/reservation.html", context, status=status)


@staff_required
def resource_calendar_file(request: HttpRequest, resource_id: str) -> HttpResponse:
    """A resource's reservations as an .ics download (the subscribable feed lives under /feeds/)."""
    try:
        body = resource_feed(user=request.user, resource_id=resource_id)
    except DomainError:
        raise Http404 from None
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{resource_id}.ics"'
    return response
