"""tila.notifications.ics: valid iCalendar that calendar programs read back the same."""

import datetime as dt

import pytest
import time_machine
from django.utils import translation
from icalendar import Calendar

from tila.booking.services import reservation_cancel, reservation_create
from tila.notifications.ics import calendar_for, reservation_ics

pytestmark = pytest.mark.django_db


@pytest.fixture
def reservation(f, resident, room, future_day):
    return reservation_create(
        actor=resident,
        resource=room,
        begin=f.at(future_day, 10),
        end=f.at(future_day, 12),
        event_subject="Board meeting",
        number_of_participants=5,
    )


def test_one_reservation_is_one_utc_event(reservation):
    with translation.override("en"):
        cal = Calendar.from_ical(reservation_ics(reservation))
    assert cal["PRODID"]
    (event,) = cal.walk("VEVENT")
    assert event.decoded("DTSTART") == reservation.begin
    assert event.decoded("DTSTART").utcoffset().total_seconds() == 0
    assert event.decoded("DTEND") == reservation.end
    assert str(event["SUMMARY"]) == "Board meeting"
    assert "Participants: 5" in str(event["DESCRIPTION"])
    assert str(event["URL"]).endswith(f"/reservations/{reservation.pk}/")
    assert event.decoded("GEO") is not None
    assert "mailto:kallio@example.org" in str(event["ORGANIZER"])


def test_a_request_is_tentative_and_a_cancellation_cancels_with_a_higher_sequence(f, resident, unit, future_day):
    res = f.resource(unit, need_manual_confirmation=True)
    r = reservation_create(actor=resident, resource=res, begin=f.at(future_day, 10), end=f.at(future_day, 11))
    (event,) = Calendar.from_ical(reservation_ics(r)).walk("VEVENT")
    assert str(event["STATUS"]) == "TENTATIVE"
    first_sequence = int(event["SEQUENCE"])
    with time_machine.travel(f.at(future_day, 0) - dt.timedelta(days=2), tick=False):
        cancelled = reservation_cancel(actor=resident, reservation=r)
    cal = Calendar.from_ical(reservation_ics(cancelled, method="CANCEL"))
    assert cal["METHOD"] == "CANCEL"
    (event,) = cal.walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) >= first_sequence
    assert str(event["UID"]) == f"reservation-{r.pk}@127.0.0.1"


def test_an_unknown_method_is_refused(reservation):
    with pytest.raises(ValueError, match="method"):
        reservation_ics(reservation, method="PUBLISHX")


def test_calendar_for_holds_every_reservation(f, resident, room, reservation, future_day):
    second = reservation_create(actor=resident, resource=room, begin=f.at(future_day, 14), end=f.at(future_day, 15))
    cal = Calendar.from_ical(calendar_for([reservation, second], name="Mine"))
    assert str(cal["X-WR-CALNAME"]) == "Mine"
    assert [e.decoded("DTSTART") for e in cal.walk("VEVENT")] == [reservation.begin, second.begin]
    assert Calendar.from_ical(calendar_for([])).walk("VEVENT") == []
