"""Parsing query parameters the API's way: bad values are 400s with a field, never 500s."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _

from tila.api.base import bad_request
from tila.core.timeutil import get_zone

MAX_WINDOW = dt.timedelta(days=93)


def parse_time(value: str | None, field: str, tz_name: str | None = None) -> dt.datetime | None:
    """ISO 8601; without an offset the time is wall-clock time in `tz_name` (default: the city's)."""
    if value is None or value == "":
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace(" ", "+") if "T" in value else value.strip())
    except ValueError:
        try:
            parsed = dt.datetime.combine(dt.date.fromisoformat(value.strip()), dt.time(0))
        except ValueError:
            raise bad_request("invalid", _("Enter a valid date and time in ISO 8601 format."), field) from None
    if parsed.year < 2000 or parsed.year > 2100:
        raise bad_request("invalid", _("Enter a date between the years 2000 and 2100."), field)
    return aware(parsed, tz_name)


def aware(value: dt.datetime, tz_name: str | None = None) -> dt.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=get_zone(tz_name or settings.TIME_ZONE))
    if value.year < 2000 or value.year > 2100:
        raise bad_request("invalid", _("Enter a date between the years 2000 and 2100."), "begin")
    return value.astimezone(dt.UTC)


def parse_window(
    start: str | None, end: str | None, tz_name: str | None = None
) -> tuple[dt.datetime, dt.datetime] | None:
    begin = parse_time(start, "start", tz_name)
    finish = parse_time(end, "end", tz_name)
    if begin is None and finish is None:
        return None
    if begin is None or finish is None:
        raise bad_request("invalid", _("Give both start and end."), "start" if begin is None else "end")
    if finish <= begin:
        raise bad_request("invalid_range", _("The end must be after the start."), "end")
    if finish - begin > MAX_WINDOW:
        raise bad_request("invalid_range", _("The time window can be at most 93 days long."), "end")
    return begin, finish


def parse_duration_minutes(value: float | None) -> dt.timedelta | None:
    if value is None:
        return None
    if value <= 0 or value > 60 * 24 * 31:
        raise bad_request("invalid", _("The duration must be between 1 minute and 31 days."), "duration")
    return dt.timedelta(minutes=value)


def parse_hms(value: str | None, field: str) -> dt.timedelta | None:
    if value is None:
        return None
    hours, minutes, seconds = (int(x) for x in value.split(":"))
    return dt.timedelta(hours=hours, minutes=minutes, seconds=seconds)


def split_ids(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()][:100]
