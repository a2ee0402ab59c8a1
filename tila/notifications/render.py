"""What an email's template sees: the reservation or series put into words in the recipient's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tila.booking.models import Reservation, ReservationSeries, State
from tila.core.timeutil import get_zone
from tila.notifications.models import OutboundEmail

# Engine codes that a series report names, in words a customer understands.
SKIP_REASONS = {
    "overlap": gettext_lazy("already booked"),
    "closed": gettext_lazy("closed"),
    "in_past": gettext_lazy("in the past"),
    "too_early": gettext_lazy("too far ahead"),
    "too_late": gettext_lazy("too soon"),
    "quota_exceeded": gettext_lazy("over the reservation limit"),
    "capacity_exceeded": gettext_lazy("too many participants"),
}


def _local(value: dt.datetime, tz_name: str) -> dt.datetime:
    return value.astimezone(get_zone(tz_name))


def format_range(begin: dt.datetime, end: dt.datetime, tz_name: str) -> str:
    """ "Tuesday 1.12.2026 10.00–11.30" in the active language and the unit's zone."""
    b, e = _local(begin, tz_name), _local(end, tz_name)
    day = f"{formats.date_format(b, 'l')} {formats.date_format(b, 'SHORT_DATE_FORMAT')}"
    start = formats.time_format(b, "TIME_FORMAT")
    if b.date() == e.date():
        return f"{day} {start}–{formats.time_format(e, 'TIME_FORMAT')}"
    return f"{day} {start} – {formats.date_format(e, 'SHORT_DATE_FORMAT')} {formats.time_format(e, 'TIME_FORMAT')}"


def site_url(language: str, reservation: Reservation | None = None) -> str:
    base = str(settings.SITE_URL).rstrip("/")
    with translation.override(language):
        for name, args in (("web:reservation", [reservation.pk] if reservation else None), ("web:my_reservations", [])):
            if args is None:
                continue
            try:
                return base + reverse(name, args=args)
            except NoReverseMatch:
                continue
    return f"{base}/{language}/"


def _place(resource: Any) -> dict[str, str]:
    unit = resource.unit
    address = ", ".join(
        p for p in (str(unit.street_address), " ".join(x for x in (unit.postal_code, unit.municipality) if x)) if p
    )
    return {
        "resource": str(resource.name),
        "unit": str(unit.name),
        "unit_address": address,
        "unit_email": unit.email,
        "unit_phone": unit.phone,
    }


def reservation_context(reservation: Reservation, language: str, extra: dict[str, Any]) -> dict[str, Any]:
    tz_name = reservation.resource.unit.time_zone
    local = _local(reservation.begin, tz_name)
    user = reservation.user
    reason = reservation.deny_reason if reservation.state == State.DENIED else reservation.cancel_reason
    return {
        **_place(reservation.resource),
        "name": reservation.reserver_name or getattr(user, "name", "") or reservation.reserver_email,
        "date": formats.date_format(local, "SHORT_DATE_FORMAT"),
        "time": f"{formats.time_format(local, 'TIME_FORMAT')}–"
        f"{formats.time_format(_local(reservation.end, tz_name), 'TIME_FORMAT')}",
        "when": format_range(reservation.begin, reservation.end, tz_name),
        "subject": reservation.event_subject,
        "state": reservation.get_state_display(),
        "reason": extra.get("reason", reason),
        "message": extra.get("message", ""),
        "url": site_url(language, reservation),
    }


def _weekday_names(days: list[int]) -> str:
    names = [formats.date_format(dt.date(2024, 1, 1) + dt.timedelta(days=d), "l") for d in sorted(days)]
    return ", ".join(names)


def series_context(series: ReservationSeries, language: str, extra: dict[str, Any]) -> dict[str, Any]:
    tz_name = series.resource.unit.time_zone
    occurrences = list(series.occurrences.filter(state__in=(State.CONFIRMED, State.REQUESTED)).order_by("begin"))
    if extra.get("occurrence_ids"):
        occurrences = list(series.occurrences.filter(pk__in=extra["occurrence_ids"]).order_by("begin"))
    skipped = [
        {
            "when": format_range(dt.datetime.fromisoformat(s["begin"]), dt.datetime.fromisoformat(s["end"]), tz_name),
            "reason": str(SKIP_REASONS.get(s.get("code", ""), _("not available"))),
        }
        for s in series.skipped
    ]
    first = occurrences[0].begin if occurrences else None
    last = occurrences[-1].begin if occurrences else None
    return {
        **_place(series.resource),
        "name": series.reserver_name or getattr(series.user, "name", "") or series.reserver_email,
        "subject": series.event_subject,
        "weekdays": _weekday_names(list(series.weekdays)),
        "time": "–".join(formats.time_format(t, "TIME_FORMAT") for t in (series.begin_time, series.end_time)),
        "first": formats.date_format(_local(first, tz_name), "SHORT_DATE_FORMAT") if first else "",
        "last": formats.date_format(_local(last, tz_name), "SHORT_DATE_FORMAT") if last else "",
        "occurrence_count": extra.get("count", len(occurrences)),
        "occurrences": [format_range(o.begin, o.end, tz_name) for o in occurrences],
        "skipped": skipped,
        "reason": extra.get("reason", ""),
        "message": extra.get("message", ""),
        "url": site_url(language),
        "_reservations": occurrences,
    }


def outbound_context(outbound: OutboundEmail) -> tuple[dict[str, Any], str]:
    """(template context, iCalendar text) for an outbox row, in its language."""
    from tila.notifications.ics import calendar_for, reservation_ics

    with translation.override(outbound.language):
        if outbound.series_id is not None:
            series = ReservationSeries.objects.select_related("resource__unit", "user").get(pk=outbound.series_id)
            context = series_context(series, outbound.language, outbound.context)
            reservations = context.pop("_reservations")
            ics = calendar_for(reservations, name=str(series.resource.name)).decode() if reservations else ""
            return context, ics
        if outbound.reservation_id is not None:
            reservation = Reservation.objects.select_related("resource__unit", "user").get(pk=outbound.reservation_id)
            return reservation_context(reservation, outbound.language, outbound.context), reservation_ics(
                reservation
            ).decode()
        return {**outbound.context, "url": site_url(outbound.language)}, ""


def sample_context(language: str) -> dict[str, Any]:
    """Plausible values for previewing a template."""
    with translation.override(language):
        begin = dt.datetime(2026, 3, 3, 8, 0, tzinfo=dt.UTC)
        return {
            "name": "Aino Virtanen",
            "resource": _("Meeting room"),
            "unit": "Oodi",
            "unit_address": "Töölönlahdenkatu 4, 00100 Helsinki",
            "unit_email": "oodi@example.org",
            "unit_phone": "+358 9 123 4567",
            "date": formats.date_format(begin, "SHORT_DATE_FORMAT"),
            "time": "10.00–11.00",
            "when": format_range(begin, begin + dt.timedelta(hours=1), "Europe/Helsinki"),
            "subject": "",
            "state": "",
            "reason": "",
            "message": "",
            "url": site_url(language),
            "weekdays": _weekday_names([1]),
            "first": "3.3.2026",
            "last": "26.5.2026",
            "occurrence_count": 12,
            "occurrences": [],
            "skipped": [],
        }
