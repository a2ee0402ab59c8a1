"""Dates, times and durations as Finnish residents read them.

Dates are written d.m.yyyy in every language (15.1.2026), times HH.MM in Finnish and Swedish
(09.30) and HH:MM in English, always on the wall clock of the unit's time zone, which the pages
name next to the times. An end at local midnight reads 24.00 so that an evening booking reads
"20.00–24.00".
"""

from __future__ import annotations

import datetime as dt

from django.utils import dateformat
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from tila.core.timeutil import get_zone


def _lang() -> str:
    return (get_language() or "fi")[:2]


def local(value: dt.datetime, tz_name: str | None) -> dt.datetime:
    return value.astimezone(get_zone(tz_name))


def format_day(value: dt.date | dt.datetime, tz_name: str | None = None, *, weekday: bool = True) -> str:
    """ "ke 15.1.2026" (the weekday abbreviation in the active language)."""
    day = local(value, tz_name) if isinstance(value, dt.datetime) else value
    return dateformat.format(day, "D j.n.Y" if weekday else "j.n.Y")


def format_day_short(value: dt.date) -> str:
    """ "ke 15.1." for column headings."""
    return dateformat.format(value, "D j.n.")


def format_clock(hour: int, minute: int) -> str:
    separator = ":" if _lang() == "en" else "."
    return f"{hour:02d}{separator}{minute:02d}"


def format_time(value: dt.datetime, tz_name: str | None = None) -> str:
    moment = local(value, tz_name)
    return format_clock(moment.hour, moment.minute)


def _is_midnight(value: dt.datetime) -> bool:
    return value.hour == 0 and value.minute == 0


def format_range(begin: dt.datetime, end: dt.datetime, tz_name: str | None = None) -> str:
    """ "ke 15.1.2026 10.00–12.00"; across days "pe 16.1.2026 18.00 – su 18.1.2026 12.00"."""
    b, e = local(begin, tz_name), local(end, tz_name)
    if e.date() == b.date():
        return f"{format_day(b)} {format_clock(b.hour, b.minute)}–{format_clock(e.hour, e.minute)}"
    if _is_midnight(e) and e.date() == b.date() + dt.timedelta(days=1) and not _is_midnight(b):
        return f"{format_day(b)} {format_clock(b.hour, b.minute)}–{format_clock(24, 0)}"
    return f"{format_day(b)} {format_clock(b.hour, b.minute)} – {format_day(e)} {format_clock(e.hour, e.minute)}"


def format_span(begin: dt.datetime, end: dt.datetime, tz_name: str | None = None) -> str:
    """Times only, "10.00–12.00", for lists under a day heading (an end at midnight reads 24.00)."""
    b, e = local(begin, tz_name), local(end, tz_name)
    if e.date() > b.date() and _is_midnight(e):
        end_text = format_clock(24, 0)
    elif e.date() > b.date():
        end_text = f"{format_day(e, weekday=False)} {format_clock(e.hour, e.minute)}"
    else:
        end_text = format_clock(e.hour, e.minute)
    return f"{format_clock(b.hour, b.minute)}–{end_text}"


def format_duration(delta: dt.timedelta) -> str:
    """ "1 h 30 min" in words: "1 hour 30 minutes", "2 days"."""
    total = int(delta.total_seconds() // 60)
    days, rest = divmod(total, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if minutes or not parts:
        parts.append(ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes})
    return " ".join(parts)


def tz_label(tz_name: str | None, at: dt.datetime | None = None) -> str:
    """ "Europe/Helsinki (UTC+2)" — the zone the times on a page are in."""
    zone = get_zone(tz_name)
    moment = (at or dt.datetime.now(dt.UTC)).astimezone(zone)
    offset = moment.utcoffset() or dt.timedelta(0)
    hours, remainder = divmod(abs(int(offset.total_seconds())) // 60, 60)
    sign = "+" if offset >= dt.timedelta(0) else "-"
    text = f"UTC{sign}{hours}" + (f":{remainder:02d}" if remainder else "")
    return _("%(zone)s time (%(offset)s)") % {"zone": zone.key, "offset": text}
