"""/v1/series/ and /v1/closure/ — staff actions: recurring reservations (create, cancel or move the
rest at once) and closures. Approve and deny are /v1/reservation/{id}/approve/ and /deny/.

Every rule and permission is decided by the services (tila.booking.series, the booking engine);
this module only translates HTTP. A series that books some occurrences answers 201 with the ones
it could not make in `skipped`, each with the engine's code (`overlap`, `closed`, …).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from tila.accounts.models import User
from tila.accounts.permissions import Action, units_where
from tila.api.base import (
    SIGNED_IN,
    ApiError,
    bad_request,
    db_int,
    not_found,
    paginate,
    require_user,
    responses,
    route,
)
from tila.api.params import aware, parse_window, split_ids
from tila.api.schemas import StrictIn
from tila.booking.models import Reservation, ReservationSeries, ReservationType
from tila.booking.series import SeriesEmpty, SeriesResult, Skipped, series_cancel, series_create, series_move
from tila.booking.services import reservation_create
from tila.catalogue.models import Resource, Unit
from tila.core.timeutil import get_zone

router = Router(tags=["staff"])


class SkippedOut(Schema):
    date: dt.date
    begin: str
    end: str
    code: str = Field(description="The booking engine's code, e.g. overlap, closed.")
    message: str


class OccurrenceOut(Schema):
    id: int
    begin: str
    end: str
    state: str


class SeriesOut(Schema):
    id: int
    resource: str
    type: str
    state: str
    user: str | None
    weekdays: list[int]
    interval_weeks: int
    start_date: dt.date
    until_date: dt.date | None
    count: int | None
    begin_time: str
    end_time: str
    event_subject: str
    reserver_name: str
    reserver_email: str
    occurrences: list[OccurrenceOut]
    skipped: list[SkippedOut] = Field(description="Occurrences not booked (on creation) or not changed (on move).")


class SeriesIn(StrictIn):
    resource: str = Field(min_length=1, max_length=100)
    weekdays: list[int] = Field(min_length=1, max_length=7, description="0 is Monday, 6 is Sunday.")
    interval_weeks: int = Field(1, ge=1, le=52)
    start_date: dt.date
    until_date: dt.date | None = None
    count: int | None = Field(None, ge=1, le=1000)
    begin_time: dt.time = Field(description="Local wall-clock time in the unit's zone.")
    end_time: dt.time
    type: Literal["normal", "blocked"] = "normal"
    user: str | None = Field(None, max_length=64, description="The customer's uuid.")
    staff_override: bool = False
    event_subject: str = Field("", max_length=200)
    reserver_name: str = Field("", max_length=200)
    reserver_email: str = Field("", max_length=254)
    staff_comment: str = Field("", max_length=5000)


class SeriesCancelIn(StrictIn):
    from_date: dt.date | None = Field(
        None, description="Cancel occurrences on or after this local date; default all that remain."
    )
    reason: str = Field("", max_length=2000)


class SeriesMoveIn(StrictIn):
    begin_time: dt.time
    end_time: dt.time
    day_shift: int = Field(0, ge=-6, le=6)
    from_date: dt.date | None = None
    staff_override: bool = False


class SeriesActionOut(Schema):
    series: SeriesOut
    done: list[int] = Field(description="Occurrences cancelled or moved.")
    skipped: list[SkippedOut]


class ClosureIn(StrictIn):
    resource: str = Field(min_length=1, max_length=100)
    begin: dt.datetime
    end: dt.datetime
    staff_comment: str = Field("", max_length=5000)


class ClosureOut(Schema):
    id: int
    resource: str
    begin: str
    end: str
    state: str
    staff_comment: str
    series: int | None


class ClosureList(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[ClosureOut]


def _iso(value: dt.datetime, tz_name: str) -> str:
    return value.astimezone(get_zone(tz_name)).isoformat()


def _skipped_json(items: list[Skipped] | list[dict[str, Any]], tz_name: str) -> list[dict[str, Any]]:
    out = []
    for s in items:
        data = s.as_json() if isinstance(s, Skipped) else s
        out.append(
            {
                "date": data["date"],
                "begin": _iso(dt.datetime.fromisoformat(data["begin"]), tz_name),
                "end": _iso(dt.datetime.fromisoformat(data["end"]), tz_name),
                "code": data["code"],
                "message": data["message"],
            }
        )
    return out


def series_json(series: ReservationSeries, skipped: list[Skipped] | None = None) -> dict[str, Any]:
    tz_name = series.resource.unit.time_zone
    occurrences = series.occurrences.order_by("begin", "id")
    return {
        "id": series.pk,
        "resource": series.resource_id,
        "type": series.type,
        "state": series.state,
        "user": str(series.user.uuid) if series.user is not None else None,
        "weekdays": list(series.weekdays),
        "interval_weeks": series.interval_weeks,
        "start_date": series.start_date,
        "until_date": series.until_date,
        "count": series.count,
        "begin_time": series.begin_time.strftime("%H:%M"),
        "end_time": series.end_time.strftime("%H:%M"),
        "event_subject": series.event_subject,
        "reserver_name": series.reserver_name,
        "reserver_email": series.reserver_email,
        "occurrences": [
            {"id": o.pk, "begin": _iso(o.begin, tz_name), "end": _iso(o.end, tz_name), "state": o.state}
            for o in occurrences
        ],
        "skipped": _skipped_json(skipped if skipped is not None else series.skipped, tz_name),
    }


def _visible_series(user: Any) -> QuerySet[ReservationSeries]:
    units = Unit.objects.filter(units_where(user, Action.VIEW))
    return ReservationSeries.objects.filter(resource__unit__in=units).select_related("resource__unit", "user")


def _get_series(request: HttpRequest, series_id: int) -> ReservationSeries:
    series = _visible_series(require_user(request)).filter(pk=db_int(series_id)).first()
    if series is None:
        raise not_found()
    return series


def _customer(user_uuid: str | None) -> User | None:
    if not user_uuid:
        return None
    try:
        key = uuid.UUID(user_uuid)
    except ValueError:
        key = None
    customer = User.objects.filter(uuid=key, is_active=True).first() if key else None
    if customer is None:
        raise bad_request("invalid", _("Unknown user."), "user")
    return customer


@route(
    router,
    ["POST"],
    "/series/",
    response=responses({201: SeriesOut}, 400, 403),
    summary="Staff: create a recurring reservation",
    url_name="series_list",
    **SIGNED_IN,
)
def create_series(request: HttpRequest, payload: SeriesIn) -> Status[dict[str, Any]]:
    """Books every occurrence the engine allows and lists the others in `skipped` with the engine's code.
    If none can be booked, nothing is saved and the answer is 400 `series_empty`, with one line per
    occurrence in `skipped`."""
    user = require_user(request)
    try:
        result = series_create(
            actor=user,
            resource=payload.resource,
            weekdays=payload.weekdays,
            interval_weeks=payload.interval_weeks,
            start_date=payload.start_date,
            until_date=payload.until_date,
            count=payload.count,
            begin_time=payload.begin_time,
            end_time=payload.end_time,
            user=_customer(payload.user),
            type=payload.type,
            staff_override=payload.staff_override,
            event_subject=payload.event_subject,
            reserver_name=payload.reserver_name,
            reserver_email=payload.reserver_email,
            staff_comment=payload.staff_comment,
        )
    except SeriesEmpty as exc:
        resource = Resource.objects.select_related("unit").get(pk=payload.resource)
        raise _series_empty(exc, resource.unit.time_zone) from exc
    return Status(201, series_json(result.series, result.skipped))


def _series_empty(exc: SeriesEmpty, tz_name: str) -> ApiError:
    """400 `series_empty`; `skipped` lists each occurrence as "<date> <code>: <message>"."""
    lines = [f"{s['date']} {s['code']}: {s['message']}" for s in _skipped_json(exc.skipped, tz_name)]
    return ApiError(400, exc.code, exc.message, {"skipped": lines})


@route(
    router,
    ["GET"],
    "/series/{int:series_id}/",
    response=responses({200: SeriesOut}, 404),
    summary="Staff: get a recurring reservation",
    url_name="series",
    **SIGNED_IN,
)
def get_series(request: HttpRequest, series_id: int) -> dict[str, Any]:
    return series_json(_get_series(request, series_id))


def _action_json(result: SeriesResult) -> dict[str, Any]:
    series = ReservationSeries.objects.select_related("resource__unit", "user").get(pk=result.series.pk)
    tz_name = series.resource.unit.time_zone
    return {
        "series": series_json(series),
        "done": [r.pk for r in result.done],
        "skipped": _skipped_json(result.skipped, tz_name),
    }


@route(
    router,
    ["POST"],
    "/series/{int:series_id}/cancel/",
    response=responses({200: SeriesActionOut}, 400, 403, 404),
    summary="Staff: cancel the remaining occurrences of a recurring reservation",
    **SIGNED_IN,
)
def cancel_series(request: HttpRequest, series_id: int, payload: SeriesCancelIn) -> dict[str, Any]:
    series = _get_series(request, series_id)
    result = series_cancel(actor=request.user, series=series, from_date=payload.from_date, reason=payload.reason)
    return _action_json(result)


@route(
    router,
    ["POST"],
    "/series/{int:series_id}/move/",
    response=responses({200: SeriesActionOut}, 400, 403, 404),
    summary="Staff: move the remaining occurrences of a recurring reservation",
    **SIGNED_IN,
)
def move_series(request: HttpRequest, series_id: int, payload: SeriesMoveIn) -> dict[str, Any]:
    """Occurrences the engine refuses at the new time keep their old time and are listed in `skipped`."""
    series = _get_series(request, series_id)
    result = series_move(
        actor=request.user,
        series=series,
        begin_time=payload.begin_time,
        end_time=payload.end_time,
        day_shift=payload.day_shift,
        from_date=payload.from_date,
        staff_override=payload.staff_override,
    )
    return _action_json(result)


def _closure_json(r: Reservation) -> dict[str, Any]:
    tz_name = r.resource.unit.time_zone
    return {
        "id": r.pk,
        "resource": r.resource_id,
        "begin": _iso(r.begin, tz_name),
        "end": _iso(r.end, tz_name),
        "state": r.state,
        "staff_comment": r.staff_comment,
        "series": r.series_id,
    }


@route(
    router,
    ["GET"],
    "/closure/",
    response=responses({200: ClosureList}, 400, 404),  # 404: a page past the last
    summary="Staff: list closures",
    url_name="closures",
    **SIGNED_IN,
)
def list_closures(
    request: HttpRequest,
    unit: str | None = Query(None, max_length=2000),
    resource: str | None = Query(None, max_length=2000),
    start: str | None = Query(None, max_length=64),
    end: str | None = Query(None, max_length=64),
    include_cancelled: bool = False,
    page: int | None = Query(None, ge=1),
    page_size: int | None = Query(None, ge=1),
) -> dict[str, Any]:
    """Closures (reservations of type `blocked`) in the units where you may view reservations."""
    user = require_user(request)
    qs = Reservation.objects.filter(
        type=ReservationType.BLOCKED, resource__unit__in=Unit.objects.filter(units_where(user, Action.VIEW))
    ).select_related("resource__unit")
    if not include_cancelled:
        qs = qs.filter(state="confirmed")
    if unit:
        qs = qs.filter(resource__unit_id__in=split_ids(unit))
    if resource:
        qs = qs.filter(resource_id__in=split_ids(resource))
    window = parse_window(start, end)
    if window is not None:
        qs = qs.filter(begin__lt=window[1], end__gt=window[0])
    return paginate(
        request, qs.order_by("begin", "id"), lambda items: [_closure_json(r) for r in items], page, page_size
    )


@route(
    router,
    ["POST"],
    "/closure/",
    response=responses({201: ClosureOut}, 400, 403),
    summary="Staff: close a resource for a time",
    **SIGNED_IN,
)
def create_closure(request: HttpRequest, payload: ClosureIn) -> Status[dict[str, Any]]:
    """A closure blocks the resource (and the spaces it contains or is part of); `overlap` if booked."""
    user = require_user(request)
    target = Resource.objects.select_related("unit").filter(pk=payload.resource).first()
    tz_name = target.unit.time_zone if target is not None else None
    closure = reservation_create(
        actor=user,
        resource=payload.resource,
        begin=aware(payload.begin, tz_name, "begin"),
        end=aware(payload.end, tz_name, "end"),
        type=ReservationType.BLOCKED,
        staff_comment=payload.staff_comment,
    )
    closure = Reservation.objects.select_related("resource__unit").get(pk=closure.pk)
    return Status(201, _closure_json(closure))
