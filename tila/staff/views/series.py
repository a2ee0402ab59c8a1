"""Recurring series: create (reporting what could not be booked and why), see, cancel or move the rest."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from tila.accounts.permissions import Action
from tila.booking.models import ReservationSeries, ReservationType
from tila.booking.series import SeriesEmpty, SeriesResult, series_cancel, series_create, series_move
from tila.catalogue.models import Resource
from tila.core.errors import DomainError
from tila.staff.forms import SeriesCancelForm, SeriesForm, SeriesMoveForm
from tila.staff.selectors import staff_series, staff_units
from tila.staff.views.common import may, staff_required


@staff_required
def series_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(staff_series(request.user).order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "staff/series/list.html", {"page": page})


def _create(request: HttpRequest, form: SeriesForm) -> SeriesResult:
    data = form.cleaned_data
    until, count = data.get("until_date"), data.get("count")
    return series_create(
        actor=request.user,
        resource=data["resource"],
        weekdays=data["weekdays"],
        interval_weeks=data["interval_weeks"],
        start_date=data["start_date"],
        until_date=until,
        count=count if until is None else None,
        begin_time=data["begin_time"],
        end_time=data["end_time"],
        user=data["customer"] if data["type"] == ReservationType.NORMAL else None,
        type=data["type"],
        staff_override=data["staff_override"],
        event_subject=data["event_subject"],
        reserver_name=data["reserver_name"],
        reserver_email=data["reserver_email"],
        staff_comment=data["staff_comment"],
    )


def _report(request: HttpRequest, result: SeriesResult) -> None:
    made = ngettext("%(count)s occurrence booked.", "%(count)s occurrences booked.", len(result.done))
    messages.success(request, made % {"count": len(result.done)})
    if result.skipped:
        skipped = ngettext(
            "%(count)s occurrence could not be booked; see below.",
            "%(count)s occurrences could not be booked; see below.",
            len(result.skipped),
        )
        messages.warning(request, skipped % {"count": len(result.skipped)})


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def series_new(request: HttpRequest) -> HttpResponse:
    resources = Resource.objects.filter(unit__in=staff_units(request.user, Action.HANDLE)).select_related("unit")
    initial = {"resource": request.GET.get("resource"), "interval_weeks": 1}
    form = SeriesForm(request.POST or None, resources=resources.order_by("unit__name_fi", "name_fi"), initial=initial)
    skipped: list[Any] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = _create(request, form)
            except SeriesEmpty as exc:
                form.add_domain_error(exc)
                skipped = exc.skipped
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                _report(request, result)
                return redirect("staff:series_detail", pk=result.series.pk)
        status = 400
    chosen = form.cleaned_data.get("resource") if form.is_bound and hasattr(form, "cleaned_data") else None
    tz_name = chosen.unit.time_zone if chosen is not None else settings.TIME_ZONE
    context = {"form": form, "skipped": skipped, "tz_name": tz_name}
    return render(request, "staff/series/new.html", context, status=status)


def _series_for(request: HttpRequest, pk: int) -> ReservationSeries:
    series = staff_series(request.user).filter(pk=pk).first()
    if series is None:
        raise Http404
    return series


def _series_post(
    request: HttpRequest, series: ReservationSeries, cancel: SeriesCancelForm, move: SeriesMoveForm
) -> SeriesResult | None:
    action = request.POST.get("action")
    try:
        if action == "cancel" and cancel.is_valid():
            data = cancel.cleaned_data
            return series_cancel(actor=request.user, series=series, from_date=data["from_date"], reason=data["reason"])
        if action == "move" and move.is_valid():
            data = move.cleaned_data
            return series_move(
                actor=request.user,
                series=series,
                begin_time=data["begin_time"],
                end_time=data["end_time"],
                day_shift=data["day_shift"] or 0,
                from_date=data["from_date"],
                staff_override=data["staff_override"],
            )
    except DomainError as exc:
        (move if action == "move" else cancel).add_domain_error(exc)
    return None


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    series = _series_for(request, pk)
    action = request.POST.get("action")
    cancel = SeriesCancelForm(request.POST if action == "cancel" else None, prefix="cancel")
    initial = {"begin_time": series.begin_time, "end_time": series.end_time, "day_shift": 0}
    move = SeriesMoveForm(request.POST if action == "move" else None, prefix="move", initial=initial)
    result = None
    status = 200
    if request.method == "POST":
        result = _series_post(request, series, cancel, move)
        if result is not None and not result.skipped:
            text = _("%(count)s occurrences cancelled.") if action == "cancel" else _("%(count)s occurrences moved.")
            messages.success(request, text % {"count": len(result.done)})
            return redirect("staff:series_detail", pk=pk)
        status = 200 if result is not None else 400
        series = _series_for(request, pk)
    context = {
        "series": series,
        "occurrences": series.occurrences.select_related("resource").order_by("begin"),
        "cancel_form": cancel,
        "move_form": move,
        "result": result,
        "action": action,
        "can_handle": may(request, Action.HANDLE, series.resource.unit_id),
        "tz_name": series.resource.unit.time_zone,
    }
    return render(request, "staff/series/detail.html", context, status=status)
