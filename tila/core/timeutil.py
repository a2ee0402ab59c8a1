"""Time helpers. Store UTC, compute in the unit's zone, never a naive datetime; intervals are [begin, end)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils import timezone

UTC = dt.UTC
Interval = tuple[dt.datetime, dt.datetime]


def get_zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def now() -> dt.datetime:
    return timezone.now()


def to_utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(UTC)


def is_aware(value: dt.datetime) -> bool:
    return value.tzinfo is not None and value.tzinfo.utcoffset(value) is not None


def make_aware(value: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """A naive wall-clock time in `zone` as an aware datetime (fold=0 for ambiguous times)."""
    if is_aware(value):
        return value
    return value.replace(tzinfo=zone)


def local_datetime(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The instant at wall-clock `at` on `day` in `zone`, normalised through UTC.

    A wall time skipped by a daylight-saving jump resolves forward (03:30 on the spring night
    becomes 04:30), an ambiguous one to its first occurrence.
    The result is in UTC: Python compares and subtracts datetimes that share a tzinfo by their wall
    clocks, which is wrong across a daylight-saving change, so Tila computes in UTC only.
    """
    local = dt.datetime.combine(day, at).replace(tzinfo=zone)
    return local.astimezone(UTC)


def day_bounds(day: dt.date, zone: ZoneInfo) -> Interval:
    """[local midnight, next local midnight) of `day` (23 or 25 hours on DST change days)."""
    return local_datetime(day, dt.time(0), zone), local_datetime(day + dt.timedelta(days=1), dt.time(0), zone)


def daterange(first: dt.date, last: dt.date) -> Iterable[dt.date]:
    """Every date from `first` to `last`, both included."""
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Union of half-open intervals; touching intervals join."""
    out: list[list[dt.datetime]] = []
    for begin, end in sorted(intervals):
        if begin >= end:
            continue
        if out and begin <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([begin, end])
    return [(b, e) for b, e in out]


def subtract(base: Sequence[Interval], holes: Iterable[Interval]) -> list[Interval]:
    """`base` minus the union of `holes` (both lists of half-open intervals)."""
    merged_holes = merge(holes)
    out: list[Interval] = []
    for begin, end in merge(base):
        cursor = begin
        for h_begin, h_end in merged_holes:
            if h_end <= cursor or h_begin >= end:
                continue
            if h_begin > cursor:
                out.append((cursor, h_begin))
            cursor = max(cursor, h_end)
            if cursor >= end:
                break
        if cursor < end:
            out.append((cursor, end))
    return out


def intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for a_begin, a_end in merge(a):
        for b_begin, b_end in merge(b):
            begin, end = max(a_begin, b_begin), min(a_end, b_end)
            if begin < end:
                out.append((begin, end))
    return merge(out)


def contains(intervals: Sequence[Interval], begin: dt.datetime, end: dt.datetime) -> bool:
    """Whether [begin, end) lies inside one interval of the union of `intervals`."""
    return any(b <= begin and end <= e for b, e in merge(intervals))


def format_duration(delta: dt.timedelta) -> str:
    """hh:mm:ss, the 6Aika form of a duration."""
    seconds = int(delta.total_seconds())
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
