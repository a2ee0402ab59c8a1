"""Template helpers of the seasonal pages and emails: weekdays, minutes, skipped dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tila.booking.models import ACTIVE_STATES
from tila.hours.models import Weekday

register = template.Library()


@register.filter
def weekday_name(value: int | None) -> str:
    """0 → Monday, in the active language."""
    if value is None or not 0 <= int(value) <= 6:
        return ""
    return str(Weekday(int(value)).label)


@register.filter
def hhmm(value: dt.time | int | None) -> str:
    """A time of day (or minutes from midnight) as the active language writes it."""
    if value is None:
        return ""
    if isinstance(value, int):
        value = dt.time(value // 60 % 24, value % 60)
    return formats.time_format(value, "TIME_FORMAT")


@register.filter
def minutes_text(value: int | None) -> str:
    """90 → "1 h 30 min"."""
    if not value:
        return ""
    hours, minutes = divmod(int(value), 60)
    parts = []
    if hours:
        parts.append(_("%(hours)s h") % {"hours": hours})
    if minutes:
        parts.append(_("%(minutes)s min") % {"minutes": minutes})
    return " ".join(parts)


@register.filter
def iso_day(value: str) -> str:
    """An ISO date string in the active language's short form."""
    try:
        return formats.date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    except (TypeError, ValueError):
        return str(value or "")


@register.filter
def skip_reason(code: str) -> str:
    from tila.notifications.render import SKIP_REASONS

    return str(SKIP_REASONS.get(code, _("not available")))


@register.filter
def booked_count(series: Any) -> int:
    if series is None:
        return 0
    return int(series.occurrences.filter(state__in=ACTIVE_STATES).count())


@register.filter
def percent(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{100 * float(value):.1f} %"


@register.filter
def times_text(value: int) -> str:
    return ngettext("%(count)s time a week", "%(count)s times a week", value) % {"count": value}


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping[key]
    except (KeyError, IndexError, TypeError):
        return None


@register.simple_tag
def described_widget(bf: Any) -> str:
    """A widget with aria-invalid and aria-describedby pointing at its error, for inputs laid out in a table."""
    attrs: dict[str, str] = {}
    if bf.errors:
        attrs = {"aria-invalid": "true", "aria-describedby": f"{bf.auto_id}_error"}
    return bf.as_widget(attrs=attrs)
