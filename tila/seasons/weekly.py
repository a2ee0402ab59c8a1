"""A season's dated calendar folded into one typical week, as the allocator sees it.

The allocator plans one week that repeats all season; the database knows dated opening intervals
(materialised from opening hours) and dated occupancy (bookings and closures). This module folds
the season's dates into weekly ranges on the round's time grid, in each unit's own time zone:

* **Opening.** A grid slot of a weekday is open in the typical week when the resource is open
  then on more than half of that weekday's dates in the season on which it opens at all. Dates on
  which it does not open at all are its *closed dates* (holidays); they do not count. So a short
  Christmas Eve does not shorten every Tuesday, and the series made on acceptance simply skips the
  dates the engine finds closed.
* **Blocked.** A grid slot of a weekday is blocked on a leaf space when existing bookings or
  closures occupy it on at least `BLOCKED_SHARE` of that weekday's dates (a weekly booking
  blocks its time; a one-off event does not block a whole season — the series made on acceptance
  skips that one date and reports it).

Dates beyond the materialised horizon of opening hours are left out (nothing is known of them).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tila.booking.models import Occupancy
from tila.core.timeutil import day_bounds, get_zone
from tila.hours.models import OpeningInterval
from tila.hours.services import horizon

DAY_MINUTES = 24 * 60
BLOCKED_SHARE = 0.25
"""Share of a weekday's dates a slot must be occupied on to count as blocked every week."""

Span = tuple[int, int]
"""Minutes from local midnight, half-open."""


@dataclass
class Season:
    first: dt.date
    last: dt.date
    slot: int

    def dates(self) -> list[dt.date]:
        """The season's dates that the opening hours are known for."""
        _, known_until = horizon()
        last = min(self.last, known_until)
        count = (last - self.first).days + 1
        return [self.first + dt.timedelta(days=n) for n in range(max(0, count))]


@dataclass
class WeeklyOpening:
    open: dict[int, list[Span]] = field(default_factory=dict)
    """Weekday → open ranges in the typical week."""
    closed_dates: list[dt.date] = field(default_factory=list)


def _local_minute(value: dt.datetime, midnight: dt.datetime, zone: dt.tzinfo) -> int:
    """Wall-clock minutes since local midnight (1440 at or after the next midnight)."""
    if value <= midnight:
        return 0
    local = value.astimezone(zone)
    if local.date() > midnight.astimezone(zone).date():
        return DAY_MINUTES
    return local.hour * 60 + local.minute


def day_spans(intervals: Sequence[tuple[dt.datetime, dt.datetime]], day: dt.date, zone: dt.tzinfo) -> list[Span]:
    """The parts of UTC `intervals` that fall on local `day`, as wall-clock minute ranges."""
    begin, end = day_bounds(day, zone)  # type: ignore[arg-type]
    spans = []
    for b, e in intervals:
        if b < end and e > begin:
            low = _local_minute(max(b, begin), begin, zone)
            high = _local_minute(min(e, end), begin, zone) if e < end else DAY_MINUTES
            if low < high:
                spans.append((low, high))
    return spans


def slots_of(spans: Iterable[Span], slot: int, *, whole: bool) -> set[int]:
    """Grid slots inside (`whole`) or touching (not `whole`) the spans."""
    found: set[int] = set()
    for low, high in spans:
        first = -(-low // slot) if whole else low // slot
        last = high // slot if whole else -(-high // slot)
        found.update(range(first, last))
    return found


def ranges_of(slots: Iterable[int], slot: int) -> list[Span]:
    """Consecutive grid slots joined into minute ranges."""
    out: list[Span] = []
    for s in sorted(slots):
        if out and out[-1][1] == s * slot:
            out[-1] = (out[-1][0], (s + 1) * slot)
        else:
            out.append((s * slot, (s + 1) * slot))
    return out


def _by_resource(
    rows: Iterable[tuple[str, dt.datetime, dt.datetime]],
) -> dict[str, list[tuple[dt.datetime, dt.datetime]]]:
    grouped: dict[str, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for rid, b, e in rows:
        grouped[rid].append((b, e))
    return grouped


def _season_bounds(season: Season, zone: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    return day_bounds(season.first, zone)[0], day_bounds(season.last, zone)[1]  # type: ignore[arg-type]


def fold_opening(
    intervals: Sequence[tuple[dt.datetime, dt.datetime]], dates: Sequence[dt.date], zone: dt.tzinfo, slot: int
) -> WeeklyOpening:
    """One resource's dated opening intervals folded into its typical week (see the module doc)."""
    counts: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    open_days: dict[int, int] = defaultdict(int)
    closed: list[dt.date] = []
    ordered = sorted(intervals)
    for day in dates:
        spans = day_spans(ordered, day, zone)
        if not spans:
            closed.append(day)
            continue
        weekday = day.weekday()
        open_days[weekday] += 1
        for s in slots_of(spans, slot, whole=True):
            counts[weekday][s] += 1
    weekly = {
        weekday: ranges_of([s for s, n in per_slot.items() if 2 * n > open_days[weekday]], slot)
        for weekday, per_slot in counts.items()
    }
    return WeeklyOpening(open={d: r for d, r in weekly.items() if r}, closed_dates=closed)


def weekly_opening(resources: dict[str, str], season: Season) -> dict[str, WeeklyOpening]:
    """Resource id → its typical week and closed dates; `resources` maps ids to time zone names."""
    dates = season.dates()
    out: dict[str, WeeklyOpening] = {}
    by_zone: dict[str, list[str]] = defaultdict(list)
    for rid, tz_name in resources.items():
        by_zone[tz_name].append(rid)
    for tz_name, ids in by_zone.items():
        zone = get_zone(tz_name)
        low, high = _season_bounds(season, zone)
        rows = OpeningInterval.objects.filter(resource_id__in=ids, begin__lt=high, end__gt=low).values_list(
            "resource_id", "begin", "end"
        )
        grouped = _by_resource(rows)
        for rid in ids:
            out[rid] = fold_opening(grouped.get(rid, []), dates, zone, season.slot)
    return out


def fold_blocked(
    rows: Sequence[tuple[str, dt.datetime, dt.datetime]],
    dates: Sequence[dt.date],
    zone: dt.tzinfo,
    slot: int,
    share: float = BLOCKED_SHARE,
) -> dict[tuple[str, int], list[Span]]:
    """(leaf, weekday) → ranges occupied on at least `share` of that weekday's dates."""
    per_weekday: dict[int, int] = defaultdict(int)
    for day in dates:
        per_weekday[day.weekday()] += 1
    wanted = set(dates)
    taken: dict[tuple[str, int, int], set[dt.date]] = defaultdict(set)
    for leaf, begin, end in rows:
        first = begin.astimezone(zone).date()
        last = end.astimezone(zone).date()
        day = first
        while day <= last:
            if day in wanted:
                for s in slots_of(day_spans([(begin, end)], day, zone), slot, whole=False):
                    taken[(leaf, day.weekday(), s)].add(day)
            day += dt.timedelta(days=1)
    blocked: dict[tuple[str, int], list[int]] = defaultdict(list)
    for (leaf, weekday, s), days in taken.items():
        if len(days) >= max(1.0, share * per_weekday[weekday]):
            blocked[(leaf, weekday)].append(s)
    return {key: ranges_of(slots, slot) for key, slots in blocked.items()}


def weekly_blocked(
    leaves: dict[str, str], season: Season, *, exclude_series: Iterable[int] = ()
) -> dict[tuple[str, int], list[Span]]:
    """(leaf id, weekday) → weekly blocked ranges from bookings and closures; `leaves` maps ids to zones."""
    dates = season.dates()
    out: dict[tuple[str, int], list[Span]] = {}
    by_zone: dict[str, list[str]] = defaultdict(list)
    for rid, tz_name in leaves.items():
        by_zone[tz_name].append(rid)
    excluded = list(exclude_series)
    for tz_name, ids in by_zone.items():
        zone = get_zone(tz_name)
        low, high = _season_bounds(season, zone)
        rows = Occupancy.objects.filter(space_id__in=ids, begin__lt=high, end__gt=low)
        if excluded:
            rows = rows.exclude(reservation__series_id__in=excluded)
        out.update(fold_blocked(list(rows.values_list("space_id", "begin", "end")), dates, zone, season.slot))
    return out


def closed_dates(
    *, resource_id: str, tz_name: str, weekday: int, begin: dt.time, end: dt.time, first: dt.date, last: dt.date
) -> list[dt.date]:
    """The dates in [first, last] on `weekday` when the resource is not open for all of [begin, end)."""
    from tila.core.timeutil import local_datetime

    zone = get_zone(tz_name)
    low, high = day_bounds(first, zone)[0], day_bounds(last, zone)[1]
    intervals = list(
        OpeningInterval.objects.filter(resource_id=resource_id, begin__lt=high, end__gt=low).values_list("begin", "end")
    )
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7)
    out = []
    while day <= last:
        b, e = local_datetime(day, begin, zone), local_datetime(day, end, zone)
        if not any(ib <= b and e <= ie for ib, ie in intervals):
            out.append(day)
        day += dt.timedelta(weeks=1)
    return out
