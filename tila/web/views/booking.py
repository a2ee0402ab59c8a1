"""Booking, the confirmation page, my reservations, changing and cancelling, calendar files."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tila.booking.models import Reservation, State
from tila.booking.selectors import next_free_slots
from tila.booking.services import reservation_cancel, reservation_create, reservation_modify
from tila.catalogue.models import Resource
from tila.catalogue.selectors import resource_rules
from tila.core.errors import DomainError
from tila.core.timeutil import Interval, get_zone, local_datetime
from tila.notifications.ics import calendar_for, reservation_ics
from tila.web import formatting
from tila.web.forms import BookingForm, ReservationTimeForm, TilaForm
from tila.web.rules_text import rule_sentences
from tila.web.selectors import day_free_spans, engine_refusal, upcoming_and_past
from tila.web.views.common import now, own_reservation, resident_required, visible_resource

# Engine codes after which other times are worth offering.
TIME_CODES = {"overlap", "closed", "in_past", "not_aligned", "too_late", "too_early"}


def _parse_local(value: str | None, tz_name: str) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat((value or "").strip())
    except ValueError:
        return None
    if parsed.tzinfo is not None or not 2000 <= parsed.year <= 2100:
        return None
    return local_datetime(parsed.date(), parsed.time(), get_zone(tz_name))


def _initial_range(request: HttpRequest, resource: Resource) -> tuple[dt.datetime, dt.datetime] | None:
    """The times a booking form starts with: from the link followed, else the next free slot."""
    tz_name = resource.unit.time_zone
    rules = resource_rules(resource)
    begin = _parse_local(request.GET.get("begin"), tz_name)
    end = _parse_local(request.GET.get("end"), tz_name)
    if begin is None:
        slots = next_free_slots(resource=resource, after=now(), duration=rules.min_period, limit=1)
        if not slots:
            return None
        begin, end = slots[0]
    if end is None or end <= begin:
        end = begin + rules.min_period
    return begin, end


def _initial_times(request: HttpRequest, resource: Resource) -> dict[str, Any]:
    times = _initial_range(request, resource)
    return ReservationTimeForm.initial_for(*times, resource.unit.time_zone) if times else {}


def _offers(resource: Resource, form: TilaForm) -> list[dict[str, str]]:
    """Free times near the one that failed, each a link that fills the form again."""
    if not form.error_codes() & TIME_CODES:
        return []
    rules = resource_rules(resource)
    begin, end = form.cleaned_data.get("begin"), form.cleaned_data.get("end")
    moment = now()
    after = max(begin, moment) if begin else moment
    length = end - begin if begin and end and end > begin else rules.min_period
    tz_name = resource.unit.time_zone
    offers = []
    for slot_begin, slot_end in next_free_slots(resource=resource, after=after, duration=length, limit=6):
        if engine_refusal(resource, slot_begin, slot_end, participants=None, now=moment) is not None:
            continue
        query = urlencode(
            {
                "begin": formatting.local(slot_begin, tz_name).strftime("%Y-%m-%dT%H:%M"),
                "end": formatting.local(slot_end, tz_name).strftime("%Y-%m-%dT%H:%M"),
            }
        )
        offers.append(
            {
                "label": formatting.format_range(slot_begin, slot_end, tz_name),
                "href": f"{reverse('web:book', args=[resource.pk])}?{query}",
            }
        )
        if len(offers) == 3:
            break
    return offers


def _day_spans(resource: Resource, form: ReservationTimeForm) -> tuple[dt.date | None, list[Interval]]:
    day = form.cleaned_data.get("begin_date") if form.is_bound and hasattr(form, "cleaned_data") else None
    day = day or form.initial.get("begin_date")
    if not isinstance(day, dt.date):
        return None, []
    return day, day_free_spans(resource, day)


@resident_required
def book(request: HttpRequest, resource_id: str) -> HttpResponseBase:
    resource = visible_resource(resource_id)
    if request.method == "POST":
        form = BookingForm(request.POST, resource=resource)
        if form.is_valid():
            data = form.cleaned_data
            try:
                reservation = reservation_create(
                    actor=request.user,
                    resource=resource,
                    begin=data["begin"],
                    end=data["end"],
                    event_subject=data.get("event_subject") or "",
                    number_of_participants=data.get("number_of_participants"),
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                if reservation.state == State.REQUESTED:
                    messages.success(request, _("Your request has been sent. Staff will confirm it."))
                elif reservation.state == State.WAITING_FOR_PAYMENT:
                    messages.success(request, _("The time is held for you. Pay for the booking to confirm it."))
                else:
                    messages.success(request, _("Your booking is confirmed."))
                return redirect("web:reservation", pk=reservation.pk)
    else:
        form = BookingForm(initial=_initial_times(request, resource), resource=resource)
    rules = resource_rules(resource)
    day, spans = _day_spans(resource, form)
    context = {
        "resource": resource,
        "unit": resource.unit,
        "form": form,
        "rules": rules,
        "rule_sentences": rule_sentences(rules),
        "offers": _offers(resource, form) if form.is_bound else [],
        "day": day,
        "day_spans": spans,
        "tz_name": resource.unit.time_zone,
        "quote": _quote(request, resource, form),
    }
    return render(request, "web/book.html", context, status=200)


def _quote(request: HttpRequest, resource: Resource, form: TilaForm) -> Any:
    """The customer's price for the times in the form, known before booking (None if unknown)."""
    from tila.payments.selectors import price_quote

    data = getattr(form, "cleaned_data", None) if form.is_bound else None
    times = (data.get("begin"), data.get("end")) if data else _initial_range(request, resource)
    if not times or times[0] is None or times[1] is None:
        return None
    try:
        return price_quote(resource=resource, begin=times[0], end=times[1], customer=request.user)
    except DomainError:
        return None


def _reservation_context(reservation: Reservation) -> dict[str, Any]:
    rules = resource_rules(reservation.resource)
    moment = now()
    deadline = reservation.begin - rules.cancel_cutoff if rules.cancel_cutoff is not None else reservation.begin
    active = reservation.is_active and reservation.end > moment
    return {
        "reservation": reservation,
        "resource": reservation.resource,
        "unit": reservation.resource.unit,
        "tz_name": reservation.resource.unit.time_zone,
        "rules": rules,
        "change_deadline": deadline,
        "may_change": active and moment < deadline,
        "is_active": active,
    }


@resident_required
def reservation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reservation = own_reservation(request, pk)
    return render(request, "web/reservations/detail.html", _reservation_context(reservation))


@resident_required
def reservation_change(request: HttpRequest, pk: int) -> HttpResponseBase:
    reservation = own_reservation(request, pk)
    resource = reservation.resource
    tz_name = resource.unit.time_zone
    initial = {
        **ReservationTimeForm.initial_for(reservation.begin, reservation.end, tz_name),
        "event_subject": reservation.event_subject,
        "number_of_participants": reservation.number_of_participants,
    }
    if request.method == "POST":
        form = ReservationTimeForm(request.POST, initial=initial, resource=resource)
        if form.is_valid():
            data = form.cleaned_data
            try:
                changed = reservation_modify(
                    actor=request.user,
                    reservation=reservation,
                    begin=data["begin"],
                    end=data["end"],
                    event_subject=data.get("event_subject") or "",
                    number_of_participants=data.get("number_of_participants"),
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                if changed.state == State.REQUESTED:
                    messages.success(request, _("Your booking was changed. Staff will confirm the new time."))
                else:
                    messages.success(request, _("Your booking was changed."))
                return redirect("web:reservation", pk=reservation.pk)
    else:
        form = ReservationTimeForm(initial=initial, resource=resource)
    day, spans = _day_spans(resource, form)
    context = {
        **_reservation_context(reservation),
        "form": form,
        "rule_sentences": rule_sentences(resource_rules(resource)),
        "day": day,
        "day_spans": spans,
        "offers": [],
    }
    return render(request, "web/reservations/change.html", context)


@resident_required
def reservation_cancel_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    reservation = own_reservation(request, pk)
    error = None
    if request.method == "POST":
        try:
            reason = request.POST.get("reason", "")[:1000]
            reservation_cancel(actor=request.user, reservation=reservation, reason=reason)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Your booking was cancelled."))
            return redirect("web:my_reservations")
    return render(request, "web/reservations/cancel.html", {**_reservation_context(reservation), "error": error})


@resident_required
def my_reservations(request: HttpRequest) -> HttpResponse:
    upcoming, past = upcoming_and_past(request.user, now=now())
    return render(request, "web/reservations/list.html", {"upcoming": upcoming, "past": past})


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@resident_required
def reservation_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    reservation = own_reservation(request, pk)
    return _calendar_response(reservation_ics(reservation), f"tila-{reservation.pk}.ics")


@require_GET
@resident_required
def my_calendar(request: HttpRequest) -> HttpResponse:
    upcoming, _past = upcoming_and_past(request.user, now=now(), past_limit=0)
    return _calendar_response(calendar_for(upcoming, name=_("My Tila bookings")), "tila.ics")
