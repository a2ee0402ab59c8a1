"""Parsing query parameters the API's way: bad values are 400s with a field, never 500s."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from tila.api.base import bad_request
from tila.core.i18n import LANGUAGES
from tila.core.timeutil import get_zone

MAX_WINDOW = dt.timedelta(days=93)
MAX_DURATION_MINUTES = 60 * 24 * 31
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _out_of_range(field: str) -> Exception:
    return bad_request(
        "invalid",
        _("Enter a date between the years %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
        field,
    )


def parse_time(value: str | None, field: str, tz_name: str | None = None) -> dt.datetime | None:
    """ISO 8601; without an offset the time is wall-clock time in `tz_name` (default: the city's).

    A "+" in a query string arrives as a space ("10:00 02:00"); it is read as the "+" it was.
    """
    if value is None or value.strip() == "":
        return None
    text = value.strip()[:64]
    try:
        parsed = dt.datetime.fromisoformat(text.replace(" ", "+") if "T" in text else text)
    except ValueError:
        try:
            parsed = dt.datetime.combine(dt.date.fromisoformat(text), dt.time(0))
        except ValueError:
            raise bad_request("invalid", _("Enter a valid date and time in ISO 8601 format."), field) from None
    return aware(parsed, tz_name, field)


def aware(value: dt.datetime, tz_name: str | None = None, field: str = "begin") -> dt.datetime:
    """`value` in UTC; a naive `value` is wall-clock time in `tz_name` (default: the city's)."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise _out_of_range(field)
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=get_zone(tz_name or settings.TIME_ZONE))
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
        raise bad_request(
            "invalid_range", _("The time window can be at most %(days)s days long.") % {"days": MAX_WINDOW.days}, "end"
        )
    return begin, finish


def parse_duration_minutes(value: float | None) -> dt.timedelta | None:
    if value is None:
        return None
    if not math.isfinite(value) or value < 1 or value > MAX_DURATION_MINUTES:
        raise bad_request("invalid", _("The duration must be between 1 minute and 31 days."), "duration")
    return dt.timedelta(minutes=value)


def parse_hms(value: str | None) -> dt.timedelta | None:
    """`hh:mm:ss` (the schemas check the pattern) as a timedelta."""
    if value is None:
        return None
    hours, minutes, seconds = (int(x) for x in value.split(":"))
    return dt.timedelta(hours=hours, minutes=minutes, seconds=seconds)


def split_ids(value: str | None) -> list[str]:
    """A comma-separated filter value: at most 100 ids of at most 100 characters each."""
    return [v.strip()[:100] for v in (value or "").split(",") if v.strip()][:100]


def texts(data: dict[str, Any], name: str) -> dict[str, str] | None:
    """A translated field of a payload (`{"fi": …, "sv": …}`) without its null languages; None if absent."""
    if name not in data:
        return None
    return {lang: text for lang, text in (data[name] or {}).items() if text is not None}


def translated_input(data: dict[str, Any], *names: str) -> dict[str, str]:
    """Model kwargs (`name_fi`, …) for the languages a payload gives: a string sets the language ("" clears
    it); a language left out or null stays as it is."""
    fields: dict[str, str] = {}
    for name in names:
        for lang, text in (texts(data, name) or {}).items():
            if lang in LANGUAGES:
                fields[f"{name}_{lang}"] = text
    return fields


def require_name(data: dict[str, Any]) -> None:
    """A new object needs a name in at least one language."""
    if not any((data.get("name") or {}).values()):
        raise bad_request("invalid", _("Give a name in at least one language."), "name")
