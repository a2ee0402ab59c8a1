"""Reads for the resident pages: the search, the week grid and a resident's own reservations.

Every rule is the booking engine's: free time comes from `booking.selectors` and whether a slot
may be booked is asked of the engine's own checks (`booking.services.check_request`) on a dry
run, never re-implemented here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Avg, Q, QuerySet

from tila.booking.models import ACTIVE_STATES, Reservation, ReservationType
from tila.booking.selectors import aligned_slots_in, free_resources, next_free_slots, resource_availability
from tila.booking.services import Request, check_request, check_time_rules
from tila.catalogue.models import Resource, Unit
from tila.catalogue.selectors import published_q, resource_filter, resource_rules
from tila.core.errors import DomainError
from tila.core.timeutil import Interval, contains, get_zone, intersect, local_datetime

RESULT_SLOTS = 4  # quick-book slots shown per search result
ALTERNATIVES = 5


def city_zone_name() -> str:
    return str(settings.TIME_ZONE)


def bookable_resources() -> QuerySet[Resource]:
    """What a resident may find and book."""
    return Resource.objects.filter(published_q(), reservable=True)


def engine_refusal(
    resource: Resource,
    begin: dt.datetime,
    end: dt.datetime,
    *,
    participants: int | None,
    now: dt.datetime,
    known_free: bool = False,
) -> DomainError | None:
    """The engine's answer to "could anyone book this?" without booking: the first failing rule, or None.

    Runs the engine's own ordered checks (rules 2–8 and 10; the quota is per person and is left to
    the real booking). `known_free`: the slot comes from the availability search, so it is open, free
    and the filter checked the capacity; only the time rules remain, and they need no database."""
    req = Request(
        resource=resource,
        rules=resource_rules(resource),
        begin=begin,
        end=end,
        participants=participants,
        customer_id=None,
        exclude_id=None,
        now=now,
    )
    try:
        if known_free:
            check_time_rules(req)
        else:
            check_request(req, kind=ReservationType.NORMAL, override=False)
    except DomainError as exc:
        return exc
    return None


def slot_starts(
    intervals: list[Interval], duration: dt.timedelta, slot: dt.timedelta, tz_name: str
) -> Iterator[dt.datetime]:
    """Every start on the slot grid at which `duration` fits inside one of `intervals`."""
    for begin, end in intervals:
        cursor = begin
        while cursor + duration <= end:
            start = aligned_slots_in((cursor, end), duration, slot, tz_name)
            if start is None:
                break
            yield start
            cursor = start + slot


# --- Search -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchCriteria:
    day: dt.date
    time_from: dt.time
    time_to: dt.time  # 00:00 means midnight at the end of the day
    duration: dt.timedelta
    people: int | None = None
    purpose: str = ""
    district: str = ""
    unit: str = ""
    text: str = ""

    def window(self) -> Interval:
        zone = get_zone(city_zone_name())
        start = local_datetime(self.day, self.time_from, zone)
        end_day = self.day if self.time_to > self.time_from else self.day + dt.timedelta(days=1)
        return start, local_datetime(end_day, self.time_to, zone)


@dataclass
class ResultItem:
    resource: Resource
    free: list[Interval]
    slots: list[Interval]

    @property
    def tz_name(self) -> str:
        return self.resource.unit.time_zone


@dataclass
class SearchOutcome:
    criteria: SearchCriteria
    start: dt.datetime
    end: dt.datetime
    results: list[ResultItem] = field(default_factory=list)
    candidates: int = 0  # resources matching the filters, free or not
    passed: bool = False  # the whole window is in the past
    refusals: Counter[str] = field(default_factory=Counter)  # engine code → free resources refused
    refusal_messages: dict[str, str] = field(default_factory=dict)
    other_times: list[ResultItem] = field(default_factory=list)
    nearby: list[ResultItem] = field(default_factory=list)

    @property
    def refusal_list(self) -> list[tuple[str, str, int]]:
        """(code, the engine's message, how many free resources it refused), the most common first."""
        return [(code, self.refusal_messages[code], count) for code, count in self.refusals.most_common()]


def _filtered(criteria: SearchCriteria, *, relax: int = 0) -> QuerySet[Resource]:
    """relax 0: every filter; 1: without the free text and the area; 2: also without the purpose."""
    return resource_filter(
        bookable_resources(),
        purposes=[criteria.purpose] if criteria.purpose and relax < 2 else None,
        people=criteria.people,
        units=[criteria.unit] if criteria.unit and relax < 1 else None,
        districts=[criteria.district] if criteria.district and relax < 1 else None,
        text=criteria.text if relax < 1 else None,
    )


def _bookable(
    qs: QuerySet[Resource], criteria: SearchCriteria, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> tuple[list[ResultItem], list[DomainError]]:
    """The free resources the engine would book for `criteria`, and the engine's refusals of the others.

    A free slot has already passed the hours and overlap rules (it is free time) and the capacity
    rule (the filter), so only the time rules remain: checked per resource, without the database."""
    items: list[ResultItem] = []
    refused: list[DomainError] = []
    for found in free_resources(resources=qs, start=start, end=end, duration=criteria.duration, load=True):
        assert found.resource is not None
        refusal = engine_refusal(
            found.resource,
            found.first_start,
            found.first_start + criteria.duration,
            participants=criteria.people,
            now=now,
            known_free=True,
        )
        if refusal is not None:
            refused.append(refusal)
            continue
        rules = resource_rules(found.resource)
        starts = slot_starts(found.free, criteria.duration, rules.slot_size, found.resource.unit.time_zone)
        slots = [(s, s + criteria.duration) for _i, s in zip(range(RESULT_SLOTS), starts, strict=False)]
        items.append(ResultItem(resource=found.resource, free=intersect(found.free, [(start, end)]), slots=slots))
    return items, refused


def search(criteria: SearchCriteria, *, now: dt.datetime) -> SearchOutcome:
    """Resources a resident can book for `criteria`, with explanations and alternatives when none."""
    start, end = criteria.window()
    outcome = SearchOutcome(criteria=criteria, start=start, end=end)
    if end <= now:
        outcome.passed = True
        return outcome
    start = max(start, now)
    qs = _filtered(criteria)
    outcome.candidates = qs.count()
    if outcome.candidates:
        outcome.results, refused = _bookable(qs, criteria, start, end, now)
        for refusal in refused:
            outcome.refusals[refusal.code] += 1
            outcome.refusal_messages.setdefault(refusal.code, refusal.message)
    if not outcome.results:
        outcome.other_times = other_times(qs, criteria, after=start, now=now)
        outcome.nearby = nearby(criteria, start=start, end=end, now=now)
    return outcome


def other_times(
    qs: QuerySet[Resource], criteria: SearchCriteria, *, after: dt.datetime, now: dt.datetime
) -> list[ResultItem]:
    """The earliest bookable slots of the matching resources after the wanted time."""
    offers: list[ResultItem] = []
    for resource in qs.select_related("unit", "unit__district").order_by("name_fi", "id")[:ALTERNATIVES]:
        for begin, end in next_free_slots(resource=resource, after=after, duration=criteria.duration, limit=3):
            if engine_refusal(resource, begin, end, participants=criteria.people, now=now) is None:
                offers.append(ResultItem(resource=resource, free=[], slots=[(begin, end)]))
                break
    offers.sort(key=lambda item: item.slots[0][0])
    return offers


def _reference_point(criteria: SearchCriteria) -> tuple[float, float] | None:
    units = Unit.objects.filter(latitude__isnull=False, longitude__isnull=False)
    if criteria.unit:
        units = units.filter(pk=criteria.unit)
    elif criteria.district:
        units = units.filter(district_id=criteria.district)
    else:
        return None
    point = units.aggregate(lat=Avg("latitude"), lon=Avg("longitude"))
    if point["lat"] is None or point["lon"] is None:
        return None
    return float(point["lat"]), float(point["lon"])


def _distance_km(a: tuple[float, float], unit: Unit) -> float:
    if unit.latitude is None or unit.longitude is None:
        return math.inf
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], float(unit.latitude), float(unit.longitude)))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


def nearby(criteria: SearchCriteria, *, start: dt.datetime, end: dt.datetime, now: dt.datetime) -> list[ResultItem]:
    """Similar resources that are free at the wanted time, the nearest to the chosen unit or district
    first: the same purpose anywhere, else the same kind of space (type) for any purpose."""
    strict = _filtered(criteria)
    attempts = []
    if criteria.text or criteria.unit or criteria.district:
        attempts.append(_filtered(criteria, relax=1))
    types = set(strict.values_list("type_id", flat=True))
    if types:
        attempts.append(_filtered(criteria, relax=2).filter(type_id__in=types))
    for qs in attempts:
        items, _refused = _bookable(qs.exclude(id__in=strict.values("id")), criteria, start, end, now)
        if items:
            point = _reference_point(criteria)
            if point is not None:
                items.sort(key=lambda item: _distance_km(point, item.resource.unit))
            return items[:ALTERNATIVES]
    return []


# --- The week grid of one resource -------------------------------------------------------------

FREE, RESERVED, CLOSED, PAST, NOT_YET = "free", "reserved", "closed", "past", "unavailable"


@dataclass
class Cell:
    state: str
    begin: dt.datetime
    end: dt.datetime


@dataclass
class Row:
    minute: int  # minutes after local midnight
    cells: list[Cell]


@dataclass
class WeekGrid:
    resource: Resource
    first_day: dt.date
    days: list[dt.date]
    rows: list[Row]
    step: dt.timedelta
    tz_name: str
    day_notes: dict[dt.date, str] = field(default_factory=dict)  # why free time cannot be booked that day

    @property
    def has_free(self) -> bool:
        return any(cell.state == FREE for row in self.rows for cell in row.cells)


def _grid_step(slot: dt.timedelta) -> dt.timedelta:
    if slot >= dt.timedelta(days=1):
        return dt.timedelta(days=1)
    return max(slot, dt.timedelta(minutes=30))


def _minute_of_day(value: dt.datetime, *, zone_name: str) -> int:
    local = value.astimezone(get_zone(zone_name))
    return local.hour * 60 + local.minute


def _row_minutes(opening: list[Interval], days: list[dt.date], step_min: int, tz_name: str) -> list[int]:
    """The rows of the grid: from the earliest opening to the latest closing over the week."""
    zone = get_zone(tz_name)
    first, last = 24 * 60, 0
    for day in days:
        day_begin = local_datetime(day, dt.time(0), zone)
        day_end = local_datetime(day + dt.timedelta(days=1), dt.time(0), zone)
        for begin, end in intersect(opening, [(day_begin, day_end)]):
            first = min(first, _minute_of_day(begin, zone_name=tz_name))
            last = max(last, 24 * 60 if end >= day_end else _minute_of_day(end, zone_name=tz_name))
    if first >= last:
        return []
    first -= first % step_min
    return list(range(first, last, step_min))


def _cell_state(
    begin: dt.datetime, end: dt.datetime, free: list[Interval], opening: list[Interval], now: dt.datetime
) -> str:
    inside = contains(opening, begin, end)
    if begin < now:
        return PAST if inside else CLOSED
    if contains(free, begin, end):
        return FREE
    return RESERVED if inside else CLOSED


def _clock_at(day: dt.date, minute: int, zone_name: str) -> dt.datetime:
    zone = get_zone(zone_name)
    extra, minute = divmod(minute, 24 * 60)
    return local_datetime(day + dt.timedelta(days=extra), dt.time(minute // 60, minute % 60), zone)


def week_grid(resource: Resource, first_day: dt.date, *, now: dt.datetime) -> WeekGrid:
    """Free, reserved and closed time of `resource` in the seven days from `first_day`, one row per step."""
    tz_name = resource.unit.time_zone
    rules = resource_rules(resource)
    days = [first_day + dt.timedelta(days=i) for i in range(7)]
    begin = _clock_at(first_day, 0, tz_name)
    end = _clock_at(first_day + dt.timedelta(days=7), 0, tz_name)
    availability = resource_availability(resource=resource, begin=begin, end=end)
    step = _grid_step(rules.slot_size)
    step_min = int(step.total_seconds() // 60)
    rows = []
    for minute in _row_minutes(availability.opening, days, step_min, tz_name):
        cells = []
        for day in days:
            cell_begin, cell_end = _clock_at(day, minute, tz_name), _clock_at(day, minute + step_min, tz_name)
            state = _cell_state(cell_begin, cell_end, availability.free, availability.opening, now)
            cells.append(Cell(state, cell_begin, cell_end))
        rows.append(Row(minute=minute, cells=cells))
    grid = WeekGrid(resource=resource, first_day=first_day, days=days, rows=rows, step=step, tz_name=tz_name)
    _mark_days_not_yet_bookable(grid, rules.min_period, now)
    return grid


def _mark_days_not_yet_bookable(grid: WeekGrid, min_period: dt.timedelta, now: dt.datetime) -> None:
    """Ask the engine, once per day, whether free time that day can be booked at all (advance window)."""
    for index, day in enumerate(grid.days):
        free_cells = [row.cells[index] for row in grid.rows if row.cells[index].state == FREE]
        if not free_cells:
            continue
        first = free_cells[0].begin
        refusal = engine_refusal(grid.resource, first, first + min_period, participants=None, now=now)
        if refusal is not None and refusal.code in {"too_late", "too_early"}:
            grid.day_notes[day] = refusal.message
            for cell in free_cells:
                cell.state = NOT_YET


def day_free_spans(resource: Resource, day: dt.date) -> list[Interval]:
    """Free time of `resource` on `day` (local), for the booking form."""
    tz_name = resource.unit.time_zone
    begin, end = _clock_at(day, 0, tz_name), _clock_at(day + dt.timedelta(days=1), 0, tz_name)
    return resource_availability(resource=resource, begin=begin, end=end).free


# --- A resident's own reservations -------------------------------------------------------------


def own_reservations(user: Any) -> QuerySet[Reservation]:
    return (
        Reservation.objects.filter(user=user, type=ReservationType.NORMAL)
        .select_related("resource__unit", "resource__unit__district")
        .order_by("begin", "id")
    )


def upcoming_and_past(
    user: Any, *, now: dt.datetime, past_limit: int = 50
) -> tuple[list[Reservation], list[Reservation]]:
    qs = own_reservations(user)
    upcoming = list(qs.filter(end__gt=now, state__in=ACTIVE_STATES))
    past = list(qs.filter(Q(end__lte=now) | ~Q(state__in=ACTIVE_STATES)).order_by("-begin", "-id")[:past_limit])
    return upcoming, past
