"""Recurring reservations: one ReservationSeries, one ordinary Reservation per occurrence.

Every occurrence goes through the booking engine (`reservation_create`, `reservation_modify`,
`reservation_cancel`), so each one obeys the same rules and the database's no-overlap invariant.
Creating a series books what it can and reports the rest with the engine's code and message
(`overlap`, `closed`, …); moving the remaining occurrences does the same. The customer gets one
message for the series, never one per occurrence. Series are staff work: every service here
requires the handle permission for the resource's unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tila.accounts.permissions import Action, can
from tila.booking.models import ACTIVE_STATES, Reservation, ReservationSeries, ReservationType, SeriesState
from tila.booking.services import reservation_cancel, reservation_create, reservation_modify
from tila.catalogue.models import Resource
from tila.core.audit import audit_log, snapshot
from tila.core.errors import DomainError, NotFound, PermissionDenied
from tila.core.timeutil import get_zone, local_datetime
from tila.notifications.events import series_event
from tila.notifications.models import Event

MAX_OCCURRENCES = 260  # five years of weekly slots
MAX_SPAN = dt.timedelta(days=3 * 366)


@dataclass(frozen=True)
class Occurrence:
    """One planned occurrence in UTC, with its local date."""

    day: dt.date
    begin: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class Skipped:
    """An occurrence the engine refused, and why."""

    day: dt.date
    begin: dt.datetime
    end: dt.datetime
    code: str
    message: str

    def as_json(self) -> dict[str, str]:
        return {
            "date": self.day.isoformat(),
            "begin": self.begin.isoformat(),
            "end": self.end.isoformat(),
            "code": self.code,
            "message": self.message,
        }


@dataclass
class SeriesResult:
    series: ReservationSeries
    done: list[Reservation] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


class SeriesEmpty(DomainError):
    """Not one occurrence could be booked; nothing was saved. `skipped` says why for each."""

    def __init__(self, skipped: list[Skipped]) -> None:
        super().__init__(
            "series_empty",
            _("None of the occurrences could be booked: %(reason)s"),
            reason=skipped[0].message if skipped else "",
        )
        self.skipped = skipped


# --- The recurrence ----------------------------------------------------------------------------


def _check_recurrence(
    weekdays: list[int], interval_weeks: int, start_date: dt.date, until_date: dt.date | None, count: int | None
) -> None:
    if not weekdays or any(not isinstance(d, int) or not 0 <= d <= 6 for d in weekdays):
        raise DomainError("invalid_recurrence", _("Choose at least one weekday."), field="weekdays")
    if not 1 <= interval_weeks <= 52:
        raise DomainError("invalid_recurrence", _("Repeat every 1 to 52 weeks."), field="interval_weeks")
    if (until_date is None) == (count is None):
        raise DomainError(
            "invalid_recurrence", _("Give either the last day or the number of occurrences."), field="until_date"
        )
    if until_date is not None and (until_date < start_date or until_date - start_date > MAX_SPAN):
        raise DomainError(
            "invalid_recurrence", _("The last day must be after the first and within three years."), field="until_date"
        )
    if count is not None and not 1 <= count <= MAX_OCCURRENCES:
        raise DomainError(
            "invalid_recurrence",
            _("A series can have 1 to %(max)s occurrences."),
            field="count",
            max=MAX_OCCURRENCES,
        )


def occurrence_dates(
    *, weekdays: list[int], interval_weeks: int, start_date: dt.date, until_date: dt.date | None, count: int | None
) -> list[dt.date]:
    """The dates of a series: weeks counted from the Monday of `start_date`, every `interval_weeks`th."""
    _check_recurrence(weekdays, interval_weeks, start_date, until_date, count)
    last = until_date or start_date + MAX_SPAN
    limit = min(count or MAX_OCCURRENCES, MAX_OCCURRENCES)
    days = sorted(set(weekdays))
    monday = start_date - dt.timedelta(days=start_date.weekday())
    out: list[dt.date] = []
    while monday <= last and len(out) < limit:
        for weekday in days:
            day = monday + dt.timedelta(days=weekday)
            if start_date <= day <= last and len(out) < limit:
                out.append(day)
        monday += dt.timedelta(weeks=interval_weeks)
    return out


def plan_occurrences(
    *,
    tz_name: str,
    weekdays: list[int],
    interval_weeks: int,
    start_date: dt.date,
    until_date: dt.date | None,
    count: int | None,
    begin_time: dt.time,
    end_time: dt.time,
) -> list[Occurrence]:
    """Each occurrence at the same wall-clock times in the unit's zone (daylight saving included)."""
    if begin_time >= end_time:
        raise DomainError("invalid_range", _("The reservation must end after it begins."), field="end_time")
    zone = get_zone(tz_name)
    return [
        Occurrence(day, local_datetime(day, begin_time, zone), local_datetime(day, end_time, zone))
        for day in occurrence_dates(
            weekdays=weekdays, interval_weeks=interval_weeks, start_date=start_date, until_date=until_date, count=count
        )
    ]


# --- Services ----------------------------------------------------------------------------------


def _require_handler(actor: Any, unit_id: str) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not can(actor, Action.HANDLE, unit_id):
        raise PermissionDenied()


def _load_resource(resource: Resource | str) -> Resource:
    rid = resource.pk if isinstance(resource, Resource) else resource
    found = Resource.objects.select_related("unit").filter(pk=rid).first()
    if found is None:
        raise DomainError("not_reservable", _("This resource cannot be reserved."), field="resource")
    return found


def _try(call: Any, **kwargs: Any) -> tuple[Reservation | None, DomainError | None]:
    """Run one engine call in a savepoint: a refusal rolls back only that occurrence."""
    try:
        with transaction.atomic():
            return call(**kwargs), None
    except PermissionDenied:
        raise
    except DomainError as exc:
        return None, exc


@transaction.atomic
def series_create(
    *,
    actor: Any,
    resource: Resource | str,
    weekdays: list[int],
    start_date: dt.date,
    begin_time: dt.time,
    end_time: dt.time,
    interval_weeks: int = 1,
    until_date: dt.date | None = None,
    count: int | None = None,
    user: Any = None,
    type: str = ReservationType.NORMAL,
    staff_override: bool = False,
    event_subject: str = "",
    reserver_name: str = "",
    reserver_email: str = "",
    staff_comment: str = "",
    now: dt.datetime | None = None,
    skip_dates: Collection[dt.date] = (),
    notify: bool = True,
) -> SeriesResult:
    """Book every occurrence the engine allows; report the others. Raises `SeriesEmpty` if none.

    `skip_dates` are reported as closed without asking the engine (a season booked with
    staff_override skips the engine's hours check, so its caller names the holidays); `notify=False`
    leaves the customer's single confirmation to the caller (seasonal decisions are sent together)."""
    resource = _load_resource(resource)
    _require_handler(actor, resource.unit_id)
    plan = plan_occurrences(
        tz_name=resource.unit.time_zone,
        weekdays=weekdays,
        interval_weeks=interval_weeks,
        start_date=start_date,
        until_date=until_date,
        count=count,
        begin_time=begin_time,
        end_time=end_time,
    )
    customer = user if type == ReservationType.NORMAL else None
    series = ReservationSeries.objects.create(
        resource=resource,
        user=customer,
        type=type,
        weekdays=sorted(set(weekdays)),
        interval_weeks=interval_weeks,
        start_date=start_date,
        until_date=until_date,
        count=count,
        begin_time=begin_time,
        end_time=end_time,
        event_subject=event_subject,
        reserver_name=(reserver_name or getattr(customer, "name", "")) if customer else reserver_name,
        reserver_email=(reserver_email or getattr(customer, "email", "")) if customer else reserver_email,
        staff_comment=staff_comment,
        created_by=actor,
    )
    result = SeriesResult(series=series)
    for occurrence in plan:
        if occurrence.day in skip_dates:
            closed = str(_("The resource is closed on this day."))
            result.skipped.append(Skipped(occurrence.day, occurrence.begin, occurrence.end, "closed", closed))
            continue
        reservation, error = _try(
            reservation_create,
            actor=actor,
            resource=resource,
            begin=occurrence.begin,
            end=occurrence.end,
            user=customer,
            type=type,
            staff_override=staff_override,
            event_subject=event_subject,
            reserver_name=series.reserver_name,
            reserver_email=series.reserver_email,
            staff_comment=staff_comment,
            now=now,
            series=series,
            notify=False,
        )
        if reservation is not None:
            result.done.append(reservation)
        elif error is not None:
            result.skipped.append(Skipped(occurrence.day, occurrence.begin, occurrence.end, error.code, error.message))
    if not result.done:
        raise SeriesEmpty(result.skipped)
    series.skipped = [s.as_json() for s in result.skipped]
    series.save(update_fields=["skipped", "modified_at"])
    audit_log(
        actor=actor,
        action="series.create",
        obj=series,
        unit_id=resource.unit_id,
        after={**snapshot(series), "occurrences": [r.pk for r in result.done]},
    )
    if notify:
        series_event(Event.SERIES_CREATED, series)
    return result


def _lock_series(series: ReservationSeries | int) -> ReservationSeries:
    pk = series.pk if isinstance(series, ReservationSeries) else series
    found = ReservationSeries.objects.select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return ReservationSeries.objects.select_related("resource__unit", "user").get(pk=found.pk)


def _remaining(series: ReservationSeries, from_date: dt.date | None, now: dt.datetime) -> list[Reservation]:
    """Active occurrences that have not begun, from `from_date` (the unit's local date) on."""
    qs = series.occurrences.filter(state__in=ACTIVE_STATES, begin__gt=now)
    if from_date is not None:
        zone = get_zone(series.resource.unit.time_zone)
        qs = qs.filter(begin__gte=local_datetime(from_date, dt.time(0), zone))
    return list(qs.order_by("begin", "id"))


@transaction.atomic
def series_cancel(
    *,
    actor: Any,
    series: ReservationSeries | int,
    from_date: dt.date | None = None,
    reason: str = "",
    now: dt.datetime | None = None,
) -> SeriesResult:
    """Cancel every remaining occurrence (from `from_date` on, if given) at once; one message."""
    series = _lock_series(series)
    _require_handler(actor, series.resource.unit_id)
    now = now or timezone.now()
    result = SeriesResult(series=series)
    for occurrence in _remaining(series, from_date, now):
        done, error = _try(
            reservation_cancel, actor=actor, reservation=occurrence, reason=reason, now=now, notify=False
        )
        if done is not None:
            result.done.append(done)
        elif error is not None:
            result.skipped.append(_skipped(occurrence, series, error))
    before = snapshot(series)
    if not series.occurrences.filter(state__in=ACTIVE_STATES, end__gt=now).exists():
        series.state = SeriesState.CANCELLED
        series.save(update_fields=["state", "modified_at"])
    audit_log(
        actor=actor,
        action="series.cancel",
        obj=series,
        unit_id=series.resource.unit_id,
        before=before,
        after={**snapshot(series), "cancelled": [r.pk for r in result.done], "reason": reason},
    )
    if result.done:
        series_event(
            Event.SERIES_CANCELLED,
            series,
            reason=reason,
            count=len(result.done),
            occurrence_ids=[r.pk for r in result.done],
        )
    return result


def _skipped(reservation: Reservation, series: ReservationSeries, error: DomainError) -> Skipped:
    day = reservation.begin.astimezone(get_zone(series.resource.unit.time_zone)).date()
    return Skipped(day, reservation.begin, reservation.end, error.code, error.message)


def _moved(occurrence: Reservation, zone: Any, begin_time: dt.time, end_time: dt.time, days: int) -> tuple[Any, Any]:
    day = occurrence.begin.astimezone(zone).date() + dt.timedelta(days=days)
    return local_datetime(day, begin_time, zone), local_datetime(day, end_time, zone)


@transaction.atomic
def series_move(
    *,
    actor: Any,
    series: ReservationSeries | int,
    begin_time: dt.time,
    end_time: dt.time,
    day_shift: int = 0,
    from_date: dt.date | None = None,
    staff_override: bool = False,
    now: dt.datetime | None = None,
) -> SeriesResult:
    """Move (or shorten) every remaining occurrence to new wall-clock times, optionally `day_shift`
    days later or earlier. What the engine refuses stays as it was and is reported."""
    series = _lock_series(series)
    _require_handler(actor, series.resource.unit_id)
    if begin_time >= end_time:
        raise DomainError("invalid_range", _("The reservation must end after it begins."), field="end_time")
    if not -6 <= day_shift <= 6:
        raise DomainError("invalid", _("Move by at most six days."), field="day_shift")
    now = now or timezone.now()
    zone = get_zone(series.resource.unit.time_zone)
    before = snapshot(series)
    result = SeriesResult(series=series)
    for occurrence in _remaining(series, from_date, now):
        begin, end = _moved(occurrence, zone, begin_time, end_time, day_shift)
        done, error = _try(
            reservation_modify,
            actor=actor,
            reservation=occurrence,
            begin=begin,
            end=end,
            staff_override=staff_override,
            now=now,
            notify=False,
        )
        if done is not None:
            result.done.append(done)
        elif error is not None:
            result.skipped.append(Skipped(begin.astimezone(zone).date(), begin, end, error.code, error.message))
    if result.done:
        series.begin_time, series.end_time = begin_time, end_time
        if day_shift:
            series.weekdays = sorted({(d + day_shift) % 7 for d in series.weekdays})
        series.save(update_fields=["begin_time", "end_time", "weekdays", "modified_at"])
        series_event(Event.SERIES_CHANGED, series, occurrence_ids=[r.pk for r in result.done])
    audit_log(
        actor=actor,
        action="series.move",
        obj=series,
        unit_id=series.resource.unit_id,
        before=before,
        after={
            **snapshot(series),
            "moved": [r.pk for r in result.done],
            "not_moved": [s.as_json() for s in result.skipped],
        },
    )
    return result
