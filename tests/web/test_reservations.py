"""My reservations: list, confirmation page, change, cancel, calendar files; only one's own."""

import datetime as dt

import pytest
import time_machine
from icalendar import Calendar

from tila.booking.models import State
from tila.booking.services import reservation_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(f, resident, room, future_day):
    return reservation_create(
        actor=resident, resource=room, begin=f.at(future_day, 10), end=f.at(future_day, 11), event_subject="Choir"
    )


def time_data(day, begin, end, **extra):
    return {
        "begin_date": day.isoformat(),
        "begin_time": begin,
        "end_date": day.isoformat(),
        "end_time": end,
        "event_subject": "Choir",
        "number_of_participants": "",
        **extra,
    }


def field_codes(response):
    return {name: [e.code for e in errs] for name, errs in response.context["form"].errors.as_data().items()}


def test_my_reservations_lists_upcoming_and_past(signed_in, f, resident, room, mine, future_day):
    last_week = future_day - dt.timedelta(days=14)
    with time_machine.travel(f.at(last_week - dt.timedelta(days=1), 12), tick=False):
        earlier = reservation_create(actor=resident, resource=room, begin=f.at(last_week, 9), end=f.at(last_week, 10))
    cancelled = reservation_create(actor=resident, resource=room, begin=f.at(future_day, 14), end=f.at(future_day, 15))
    signed_in.post(f"/en/reservations/{cancelled.pk}/cancel/")
    response = signed_in.get("/en/reservations/")
    assert [r.pk for r in response.context["upcoming"]] == [mine.pk]
    assert [r.pk for r in response.context["past"]] == [cancelled.pk, earlier.pk]
    html = response.content.decode()
    assert "Choir" in html
    assert f"/en/reservations/{mine.pk}/change/" in html
    assert f"/en/reservations/{earlier.pk}/change/" not in html
    assert "/en/reservations/tila.ics" in html


def test_the_list_needs_sign_in(client):
    response = client.get("/en/reservations/")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/?next=/en/reservations/"


@pytest.mark.parametrize("suffix", ["", "change/", "cancel/", "reservation.ics"])
def test_someone_elses_reservation_is_404(client, f, mine, suffix):
    client.force_login(f.user())
    assert client.get(f"/en/reservations/{mine.pk}/{suffix}").status_code == 404
    if suffix in ("change/", "cancel/"):
        assert client.post(f"/en/reservations/{mine.pk}/{suffix}", {}).status_code == 404
    mine.refresh_from_db()
    assert mine.state == State.CONFIRMED


def test_confirmation_page_shows_details_in_finnish_conventions(signed_in, mine, future_day):
    html = signed_in.get(f"/fi/reservations/{mine.pk}/").content.decode()
    assert f"{future_day.day}.{future_day.month}.{future_day.year} 10.00–11.00" in html
    assert "Europe/Helsinki" in html
    assert "Kallion kirjasto" in html
    assert "data-print" in html
    html_en = signed_in.get(f"/en/reservations/{mine.pk}/").content.decode()
    assert f"{future_day.day}.{future_day.month}.{future_day.year} 10:00–11:00" in html_en


def test_change_moves_the_reservation(signed_in, f, mine, future_day):
    response = signed_in.post(f"/en/reservations/{mine.pk}/change/", time_data(future_day, "12:00", "14:00"))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.begin, mine.end) == (f.at(future_day, 12), f.at(future_day, 14))


def test_change_form_starts_from_the_current_time(signed_in, mine):
    response = signed_in.get(f"/en/reservations/{mine.pk}/change/")
    form = response.context["form"]
    assert (form["begin_time"].value(), form["end_time"].value()) == ("10:00", "11:00")
    assert form["event_subject"].value() == "Choir"


def test_change_to_a_taken_time_is_an_overlap_on_the_start(signed_in, f, room, mine, future_day):
    reservation_create(actor=f.user(), resource=room, begin=f.at(future_day, 12), end=f.at(future_day, 13))
    response = signed_in.post(f"/en/reservations/{mine.pk}/change/", time_data(future_day, "12:00", "13:00"))
    assert field_codes(response) == {"begin_time": ["overlap"]}
    mine.refresh_from_db()
    assert mine.begin == f.at(future_day, 10)


def test_change_after_the_cutoff_is_refused_with_the_engines_message(signed_in, f, mine, future_day):
    with time_machine.travel(f.at(future_day, 0), tick=False):
        page = signed_in.get(f"/en/reservations/{mine.pk}/")
        assert "can no longer be changed or cancelled here" in page.content.decode()
        response = signed_in.post(f"/en/reservations/{mine.pk}/change/", time_data(future_day, "12:00", "13:00"))
    assert field_codes(response) == {"__all__": ["cutoff_passed"]}


def test_moving_a_confirmed_booking_of_a_manually_confirmed_resource_says_staff_will_confirm(
    signed_in, f, resident, unit, future_day
):
    res = f.resource(unit, need_manual_confirmation=True)
    staff = f.staff(unit)
    reservation = reservation_create(
        actor=staff, user=resident, resource=res, begin=f.at(future_day, 10), end=f.at(future_day, 11)
    )
    assert reservation.state == State.CONFIRMED
    response = signed_in.post(
        f"/en/reservations/{reservation.pk}/change/", time_data(future_day, "12:00", "13:00"), follow=True
    )
    assert "Staff will confirm the new time." in response.content.decode()


def test_cancel_asks_then_cancels(signed_in, mine):
    page = signed_in.get(f"/en/reservations/{mine.pk}/cancel/")
    assert "Yes, cancel the booking" in page.content.decode()
    response = signed_in.post(f"/en/reservations/{mine.pk}/cancel/", {"reason": "Ill"})
    assert response.status_code == 302
    assert response["Location"] == "/en/reservations/"
    mine.refresh_from_db()
    assert mine.state == State.CANCELLED
    assert mine.cancel_reason == "Ill"


def test_cancel_after_the_cutoff_is_refused(signed_in, f, mine, future_day):
    with time_machine.travel(f.at(future_day, 0), tick=False):
        response = signed_in.post(f"/en/reservations/{mine.pk}/cancel/")
    assert response.status_code == 200
    assert "can no longer be changed or cancelled here" in response.content.decode()
    mine.refresh_from_db()
    assert mine.state == State.CONFIRMED


def test_cancelling_twice_is_an_error_not_a_crash(signed_in, mine):
    signed_in.post(f"/en/reservations/{mine.pk}/cancel/")
    response = signed_in.post(f"/en/reservations/{mine.pk}/cancel/")
    assert response.status_code == 200
    assert "no longer active" in response.content.decode()


def test_reservation_ics_parses_back(signed_in, mine, room):
    response = signed_in.get(f"/en/reservations/{mine.pk}/reservation.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    cal = Calendar.from_ical(response.content)
    assert cal["METHOD"] == "PUBLISH"
    assert cal["VERSION"] == "2.0"
    events = cal.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert event.decoded("DTSTART") == mine.begin
    assert event.decoded("DTEND") == mine.end
    assert str(event["SUMMARY"]) == "Choir"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "Kallio Library" in str(event["LOCATION"])
    assert str(event["UID"]).startswith(f"reservation-{mine.pk}@")


def test_my_calendar_has_every_upcoming_booking(signed_in, f, resident, room, mine, future_day):
    other = reservation_create(actor=resident, resource=room, begin=f.at(future_day, 15), end=f.at(future_day, 16))
    cal = Calendar.from_ical(signed_in.get("/en/reservations/tila.ics").content)
    uids = sorted(str(e["UID"]) for e in cal.walk("VEVENT"))
    assert [uid.split("@")[0] for uid in uids] == sorted([f"reservation-{mine.pk}", f"reservation-{other.pk}"])


def test_a_booking_waiting_for_payment_says_so(signed_in, mine):
    type(mine).objects.filter(pk=mine.pk).update(state=State.WAITING_FOR_PAYMENT)
    html = signed_in.get(f"/en/reservations/{mine.pk}/").content.decode()
    assert 'data-state="waiting_for_payment"' in html


def test_an_ended_reservation_offers_its_feedback_survey(signed_in, f, resident, room, future_day):
    from tila.feedback.selectors import survey_token

    last_week = future_day - dt.timedelta(days=14)
    with time_machine.travel(f.at(last_week - dt.timedelta(days=1), 12), tick=False):
        ended = reservation_create(actor=resident, resource=room, begin=f.at(last_week, 9), end=f.at(last_week, 10))
    cancelled = reservation_create(actor=resident, resource=room, begin=f.at(future_day, 14), end=f.at(future_day, 15))
    signed_in.post(f"/en/reservations/{cancelled.pk}/cancel/")
    html = signed_in.get("/en/reservations/").content.decode()
    assert survey_token(ended.pk) in html
    assert survey_token(cancelled.pk) not in html
