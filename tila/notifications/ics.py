"""iCalendar (RFC 5545) for reservations: one event per reservation.

`reservation_ics(reservation)` is the file a resident downloads or an email carries;
`calendar_for(reservations)` puts several in one calendar (a feed, "all my bookings").
Times are written in UTC, so every calendar program places them right whatever its zone; the
UID is stable per reservation, and SEQUENCE grows with every change, so importing a moved or
cancelled reservation again updates the event instead of adding a second one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from tila.booking.models import Reservation, State

PRODID = "-//Tila//Tila bookings//EN"
METHODS = {"PUBLISH", "REQUEST", "CANCEL"}
_STATUS: dict[str, str] = {
    State.CONFIRMED: "CONFIRMED",
    State.REQUESTED: "TENTATIVE",
    State.WAITING_FOR_PAYMENT: "TENTATIVE",
    State.CANCELLED: "CANCELLED",
    State.DENIED: "CANCELLED",
}


def _site() -> str:
    return str(getattr(settings, "SITE_URL", "http://localhost")).rstrip("/")


def reservation_uid(reservation: Reservation) -> str:
    host = urlsplit(_site()).hostname or "localhost"
    return f"reservation-{reservation.pk}@{host}"


def _reservation_url(reservation: Reservation) -> str | None:
    try:
        return _site() + reverse("web:reservation", args=[reservation.pk])
    except NoReverseMatch:
        return None


def _location(reservation: Reservation) -> str:
    resource = reservation.resource
    unit = resource.unit
    address = " ".join(part for part in (unit.postal_code, unit.municipality) if part)
    parts = [str(resource.name), str(unit.name), str(unit.street_address), address]
    return ", ".join(part for part in parts if part)


def _sequence(reservation: Reservation) -> int:
    """Grows with every save of the reservation (seconds since its creation)."""
    created = reservation.created_at or reservation.modified_at
    if created is None or reservation.modified_at is None:
        return 0
    return max(0, int((reservation.modified_at - created).total_seconds()))


def _description(reservation: Reservation, url: str | None) -> str:
    lines = []
    if reservation.event_description:
        lines.append(reservation.event_description)
    if reservation.state == State.REQUESTED:
        lines.append(_("This is a request: staff will confirm it."))
    if reservation.number_of_participants:
        lines.append(_("Participants: %(count)s") % {"count": reservation.number_of_participants})
    if url:
        lines.append(url)
    return "\n".join(lines)


def _event(reservation: Reservation, method: str) -> Event:
    url = _reservation_url(reservation)
    event = Event()
    event.add("uid", reservation_uid(reservation))
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", reservation.begin.astimezone(dt.UTC))
    event.add("dtend", reservation.end.astimezone(dt.UTC))
    event.add("summary", reservation.event_subject or str(reservation.resource.name))
    event.add("location", _location(reservation))
    description = _description(reservation, url)
    if description:
        event.add("description", description)
    status = "CANCELLED" if method == "CANCEL" else _STATUS.get(reservation.state, "CONFIRMED")
    event.add("status", status)
    event.add("sequence", _sequence(reservation))
    if reservation.created_at is not None:
        event.add("created", reservation.created_at.astimezone(dt.UTC))
    if reservation.modified_at is not None:
        event.add("last-modified", reservation.modified_at.astimezone(dt.UTC))
    if url:
        event.add("url", url)
    unit = reservation.resource.unit
    if unit.latitude is not None and unit.longitude is not None:
        event.add("geo", (float(unit.latitude), float(unit.longitude)))
    if unit.email:
        event.add("organizer", f"mailto:{unit.email}", parameters={"CN": str(unit.name)})
    return event


def _calendar(method: str, name: str | None = None) -> Calendar:
    if method not in METHODS:
        raise ValueError(f"Unknown iCalendar method: {method!r}")
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    return cal


def reservation_ics(reservation: Reservation, *, method: str = "PUBLISH") -> bytes:
    """One reservation as an iCalendar file (`method` "PUBLISH" for downloads, "REQUEST"/"CANCEL" for email)."""
    cal = _calendar(method)
    cal.add_component(_event(reservation, method))
    return bytes(cal.to_ical())


def calendar_for(reservations: Iterable[Reservation], *, name: str | None = None) -> bytes:
    """Several reservations in one published calendar."""
    cal = _calendar("PUBLISH", name or _("Tila bookings"))
    for reservation in reservations:
        cal.add_component(_event(reservation, "PUBLISH"))
    return bytes(cal.to_ical())
