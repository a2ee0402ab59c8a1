"""Reads for the staff workspace: the request queue, the calendar timeline, reports and the audit log.

Everything is scoped to the units where the person holds the needed role (`units_where`); the
report figures are SQL aggregates over reservations and materialised opening intervals.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Greatest, Least

from tila.accounts.permissions import Action, is_general_admin, units_where
from tila.booking.models import ACTIVE_STATES, Reservation, ReservationSeries, ReservationType, State
from tila.catalogue.models import Purpose, Resource, Unit
from tila.core.i18n import translated_q
from tila.core.models import AuditEntry
from tila.core.timeutil import day_bounds, get_zone
from tila.hours.models import OpeningInterval


def staff_units(user: Any, action: Action = Action.VIEW) -> QuerySet[Unit]:
    return Unit.objects.filter(units_where(user, action)).order_by("name_fi")


# --- Request queue -----------------------------------------------------------------------------


def request_queue(
    *,
    user: Any,
    unit_id: str = "",
    resource_id: str = "",
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    search: str = "",
) -> QuerySet[Reservation]:
    """Requested reservations in the units the person handles, oldest request first."""
    qs = Reservation.objects.filter(
        state=State.REQUESTED, resource__unit__in=staff_units(user, Action.HANDLE)
    ).select_related("resource__unit", "user")
    if unit_id:
        qs = qs.filter(resource__unit_id=unit_id)
    if resource_id:
        qs = qs.filter(resource_id=resource_id)
    if start is not None:
        qs = qs.filter(end__gt=start)
    if end is not None:
        qs = qs.filter(begin__lt=end)
    if search:
        qs = qs.filter(
            Q(event_subject__icontains=search)
            | Q(reserver_name__icontains=search)
            | Q(reserver_email__icontains=search)
            | translated_q("resource__name", "icontains", search)
        )
    return qs.order_by("created_at", "id")


def staff_reservations(user: Any) -> QuerySet[Reservation]:
    """Every reservation in the units the person may view."""
    return Reservation.objects.filter(resource__unit__in=staff_units(user, Action.VIEW)).select_related(
        "resource__unit", "user", "series"
    )


def staff_series(user: Any) -> QuerySet[ReservationSeries]:
    return ReservationSeries.objects.filter(resource__unit__in=staff_units(user, Action.VIEW)).select_related(
        "resource__unit", "user"
    )


# --- Calendar ----------------------------------------------------------------------------------


@dataclass
class Block:
    """A reservation or an opening interval placed on the timeline (percentages of the window)."""

    left: float
    width: float
    begin: dt.datetime
    end: dt.datetime
    reservation: Reservation | None = None


@dataclass
class Row:
    resource: Resource
    opening: list[Block] = field(default_factory=list)
    reservations: list[Block] = field(default_factory=list)


@dataclass
class Timeline:
    unit: Unit
    first_day: dt.date
    days: int
    begin: dt.datetime
    end: dt.datetime
    rows: list[Row]
    ticks: list[tuple[float, dt.datetime]]


def _block(begin: dt.datetime, end: dt.datetime, window: tuple[dt.datetime, dt.datetime], **kw: Any) -> Block:
    w_begin, w_end = window
    total = (w_end - w_begin).total_seconds()
    b, e = max(begin, w_begin), min(end, w_end)
    return Block(
        left=round((b - w_begin).total_seconds() / total * 100, 3),
        width=round(max((e - b).total_seconds(), 0) / total * 100, 3),
        begin=begin,
        end=end,
        **kw,
    )


def _ticks(first_day: dt.date, days: int, zone: Any, window: tuple[dt.datetime, dt.datetime]) -> list[Any]:
    """Scale marks: every hour (or two on a long day) in a day view, every midnight in a week view."""
    w_begin, w_end = window
    step = dt.timedelta(hours=24 if days > 1 else (1 if w_end - w_begin <= dt.timedelta(hours=14) else 2))
    ticks = []
    for offset in range(days):
        midnight, next_midnight = day_bounds(first_day + dt.timedelta(days=offset), zone)
        at = midnight
        while at < next_midnight:
            if w_begin <= at < w_end:
                ticks.append((_block(at, at, window).left, at.astimezone(zone)))
            at += step
    return ticks


def _day_window(
    bounds: tuple[dt.datetime, dt.datetime], spans: list[tuple[dt.datetime, dt.datetime]]
) -> tuple[dt.datetime, dt.datetime]:
    """A day view shows the whole hours around what happens that day (06–22 when nothing does)."""
    day_begin, day_end = bounds
    inside = [(max(b, day_begin), min(e, day_end)) for b, e in spans if b < day_end and e > day_begin]
    if not inside:
        return day_begin + dt.timedelta(hours=6), day_begin + dt.timedelta(hours=22)
    first = min(b for b, _ in inside)
    last = max(e for _, e in inside)
    first = first - dt.timedelta(minutes=first.minute, seconds=first.second, microseconds=first.microsecond)
    if (last - day_begin) % dt.timedelta(hours=1):
        last = last - (last - day_begin) % dt.timedelta(hours=1) + dt.timedelta(hours=1)
    return max(first, day_begin), min(last, day_end)


def unit_timeline(*, unit: Unit, first_day: dt.date, days: int) -> Timeline:
    """Resources as rows, opening hours and active reservations as blocks, over 1 or 7 local days."""
    zone = get_zone(unit.time_zone)
    begin = day_bounds(first_day, zone)[0]
    end = day_bounds(first_day + dt.timedelta(days=days - 1), zone)[1]
    resources = list(Resource.objects.filter(unit=unit).select_related("type").order_by("name_fi", "id"))
    opening = list(
        OpeningInterval.objects.filter(resource__unit=unit, begin__lt=end, end__gt=begin).values_list(
            "resource_id", "begin", "end"
        )
    )
    reservations = list(
        Reservation.objects.filter(resource__unit=unit, state__in=ACTIVE_STATES, begin__lt=end, end__gt=begin)
        .select_related("user", "series")
        .order_by("begin", "id")
    )
    if days == 1:
        spans = [(b, e) for _, b, e in opening] + [(r.begin, r.end) for r in reservations]
        begin, end = _day_window((begin, end), spans)
    window = (begin, end)
    rows = {r.pk: Row(resource=r) for r in resources}
    for rid, o_begin, o_end in opening:
        rows[rid].opening.append(_block(o_begin, o_end, window))
    for reservation in reservations:
        rows[reservation.resource_id].reservations.append(
            _block(reservation.begin, reservation.end, window, reservation=reservation)
        )
    return Timeline(
        unit=unit,
        first_day=first_day,
        days=days,
        begin=begin,
        end=end,
        rows=list(rows.values()),
        ticks=_ticks(first_day, days, zone, window),
    )


# --- Reports -----------------------------------------------------------------------------------


@dataclass
class UtilisationRow:
    unit: Unit
    resource: Resource | None  # None: the unit's total
    open_hours: float
    booked_hours: float
    closed_hours: float
    reservations: int

    @property
    def utilisation(self) -> float | None:
        """Booked hours against open hours, in per cent (None when the resource was never open)."""
        if not self.open_hours:
            return None
        return round(100 * self.booked_hours / self.open_hours, 1)


def _clipped_hours(qs: QuerySet[Any], start: dt.datetime, end: dt.datetime) -> dict[str, tuple[float, int]]:
    """Per resource: hours of [begin, end) inside the period, summed in SQL; and the row count."""
    duration = ExpressionWrapper(
        Least(F("end"), Value(end)) - Greatest(F("begin"), Value(start)), output_field=DurationField()
    )
    rows = qs.filter(begin__lt=end, end__gt=start).values("resource_id").annotate(total=Sum(duration), n=Count("id"))
    return {r["resource_id"]: ((r["total"] or dt.timedelta(0)).total_seconds() / 3600, r["n"]) for r in rows}


def utilisation(*, units: QuerySet[Unit], start: dt.datetime, end: dt.datetime) -> list[UtilisationRow]:
    """Per resource and per unit: open hours, confirmed booked hours, closure hours, number of bookings."""
    resources = list(Resource.objects.filter(unit__in=units).select_related("unit").order_by("unit_id", "name_fi"))
    ids = [r.pk for r in resources]
    opening = _clipped_hours(OpeningInterval.objects.filter(resource_id__in=ids), start, end)
    reservations = Reservation.objects.filter(resource_id__in=ids, state=State.CONFIRMED)
    booked = _clipped_hours(reservations.filter(type=ReservationType.NORMAL), start, end)
    closed = _clipped_hours(reservations.filter(type=ReservationType.BLOCKED), start, end)
    out: list[UtilisationRow] = []
    totals: dict[str, UtilisationRow] = {}
    for resource in resources:
        row = UtilisationRow(
            unit=resource.unit,
            resource=resource,
            open_hours=round(opening.get(resource.pk, (0.0, 0))[0], 2),
            booked_hours=round(booked.get(resource.pk, (0.0, 0))[0], 2),
            closed_hours=round(closed.get(resource.pk, (0.0, 0))[0], 2),
            reservations=booked.get(resource.pk, (0.0, 0))[1],
        )
        total = totals.setdefault(resource.unit_id, UtilisationRow(resource.unit, None, 0.0, 0.0, 0.0, 0))
        total.open_hours = round(total.open_hours + row.open_hours, 2)
        total.booked_hours = round(total.booked_hours + row.booked_hours, 2)
        total.closed_hours = round(total.closed_hours + row.closed_hours, 2)
        total.reservations += row.reservations
        out.append(row)
    return out + list(totals.values())


def _in_period(units: QuerySet[Unit], start: dt.datetime, end: dt.datetime) -> QuerySet[Reservation]:
    return Reservation.objects.filter(resource__unit__in=units, begin__lt=end, end__gt=start)


def reservations_by_state(*, units: QuerySet[Unit], start: dt.datetime, end: dt.datetime) -> list[dict[str, Any]]:
    """Counts of reservations overlapping the period, by state and type."""
    rows = _in_period(units, start, end).values("state", "type").annotate(n=Count("id")).order_by("state", "type")
    labels, types = dict(State.choices), dict(ReservationType.choices)
    return [
        {
            "state": r["state"],
            "state_label": str(labels.get(r["state"], r["state"])),
            "type": r["type"],
            "type_label": str(types.get(r["type"], r["type"])),
            "count": r["n"],
        }
        for r in rows
    ]


def reservations_by_purpose(*, units: QuerySet[Unit], start: dt.datetime, end: dt.datetime) -> list[dict[str, Any]]:
    """Active and past normal reservations by the purposes of their resource (a reservation of a
    resource with two purposes counts under both; resources without a purpose under none)."""
    rows = (
        _in_period(units, start, end)
        .filter(type=ReservationType.NORMAL, state__in=(State.CONFIRMED, State.REQUESTED))
        .values("resource__purposes")
        .annotate(n=Count("id", distinct=True))
    )
    counts: dict[str | None, int] = defaultdict(int)
    for r in rows:
        counts[r["resource__purposes"]] += r["n"]
    purposes = Purpose.objects.in_bulk([pid for pid in counts if pid])
    out = [{"purpose": pid, "label": str(purposes[pid]), "count": n} for pid, n in counts.items() if pid in purposes]
    return sorted(out, key=lambda r: (-r["count"], r["label"]))


# --- Audit log ---------------------------------------------------------------------------------


def audit_entries(
    *,
    user: Any,
    unit_id: str = "",
    actor_email: str = "",
    action: str = "",
    object_type: str = "",
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> QuerySet[AuditEntry]:
    """Audit rows an administrator may read: every row for general administrators, their units' rows
    for unit administrators."""
    qs = AuditEntry.objects.select_related("actor")
    if not is_general_admin(user):
        qs = qs.filter(unit_id__in=staff_units(user, Action.MANAGE).values("id"))
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if actor_email:
        qs = qs.filter(actor__email__icontains=actor_email)
    if action:
        qs = qs.filter(action__startswith=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if start is not None:
        qs = qs.filter(at__gte=start)
    if end is not None:
        qs = qs.filter(at__lt=end)
    return qs.order_by("-at", "-id")
