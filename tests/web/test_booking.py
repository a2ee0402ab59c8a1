"""Booking through the form: success, and every engine error on the field it concerns."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tila.booking.models import Reservation, State
from tila.booking.services import reservation_create

pytestmark = pytest.mark.django_db


def form_data(day, begin="10:00", end="11:00", *, end_day=None, **extra):
    data = {
        "begin_date": day.isoformat(),
        "begin_time": begin,
        "end_date": (end_day or day).isoformat(),
        "end_time": end,
        "event_subject": "Choir practice",
        "number_of_participants": "8",
        "accept_terms": "on",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def book(client, resource, day, begin="10:00", end="11:00", lang="en", **extra):
    return client.post(f"/{lang}/resources/{resource.pk}/book/", form_data(day, begin, end, **extra))


def field_codes(response):
    return {name: [e.code for e in errs] for name, errs in response.context["form"].errors.as_data().items()}


def test_booking_needs_sign_in_and_comes_back_afterwards(client, room, future_day):
    url = f"/fi/resources/{room.pk}/book/?begin={future_day}T10:00&end={future_day}T11:00"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/fi/accounts/login/?next=/fi/resources/")


def test_the_form_starts_from_the_chosen_slot(signed_in, room, future_day):
    response = signed_in.get(
        f"/en/resources/{room.pk}/book/", {"begin": f"{future_day}T10:00", "end": f"{future_day}T12:00"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form["begin_date"].value() == future_day
    assert form["begin_time"].value() == "10:00"
    assert form["end_time"].value() == "12:00"
    html = response.content.decode()
    assert '<option value="10:00" selected>10:00</option>' in html
    assert "Free on" in html
    assert "Leave the room tidy." in html


def test_the_form_without_a_slot_offers_the_next_free_one(signed_in, room):
    response = signed_in.get(f"/en/resources/{room.pk}/book/")
    assert response.context["form"]["begin_time"].value()


def test_a_garbage_slot_in_the_link_is_ignored(signed_in, room):
    response = signed_in.get(f"/en/resources/{room.pk}/book/", {"begin": "tomorrow", "end": "1999-01-01T00:00"})
    assert response.status_code == 200


def test_booking_confirms_and_shows_the_confirmation_page(signed_in, resident, room, future_day):
    response = book(signed_in, room, future_day)
    reservation = Reservation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/reservations/{reservation.pk}/"
    assert reservation.user == resident
    assert reservation.state == State.CONFIRMED
    assert reservation.event_subject == "Choir practice"
    assert reservation.number_of_participants == 8
    assert timezone.localtime(reservation.begin).strftime("%Y-%m-%d %H:%M") == f"{future_day} 10:00"
    page = signed_in.get(response["Location"])
    html = page.content.decode()
    assert "Your booking is confirmed." in html
    assert f"/en/reservations/{reservation.pk}/reservation.ics" in html
    assert 'data-state="confirmed"' in html
    assert "Europe/Helsinki" in html


def test_a_booking_until_midnight_uses_24_00(signed_in, f, unit, future_day):
    late = f.resource(unit, name_en="Late room")
    from tila.hours.services import opening_period_create

    opening_period_create(
        actor=None, resource=late, start=dt.date(2020, 1, 1), rules=[(d, dt.time(18), dt.time(0)) for d in range(7)]
    )
    response = book(signed_in, late, future_day, "22:00", "24:00", accept_terms=None)
    assert response.status_code == 302, field_codes(response)
    reservation = Reservation.objects.get()
    assert reservation.end == f.at(future_day + dt.timedelta(days=1), 0)


def test_a_resource_needing_confirmation_makes_a_request_that_says_staff_will_confirm(signed_in, f, unit, future_day):
    res = f.resource(unit, need_manual_confirmation=True, terms_en="Be nice.")
    response = book(signed_in, res, future_day)
    reservation = Reservation.objects.get()
    assert reservation.state == State.REQUESTED
    html = signed_in.get(response["Location"]).content.decode()
    assert "Staff will confirm it" in html
    assert 'data-state="requested"' in html


@pytest.mark.parametrize(
    ("setup", "begin", "end", "day_offset", "extra", "field", "code"),
    [
        ({}, "10:00", "11:00", -8, {}, "begin_time", "in_past"),
        ({"reservable_min_days_in_advance": 30}, "10:00", "11:00", 0, {}, "begin_time", "too_late"),
        ({}, "10:00", "11:00", 70, {}, "begin_time", "too_early"),
        ({}, "10:00", "10:30", 0, {}, "end_time", "duration_too_short"),
        ({}, "10:00", "15:00", 0, {}, "end_time", "duration_too_long"),
        ({}, "10:15", "11:15", 0, {}, "begin_time", "not_aligned"),
        ({}, "06:00", "07:00", 0, {}, "begin_time", "closed"),
        ({}, "10:00", "11:00", 0, {"number_of_participants": "13"}, "number_of_participants", "capacity_exceeded"),
        ({}, "11:00", "10:00", 0, {}, "end_time", "invalid_range"),
        ({"reservable": False}, "10:00", "11:00", 0, {}, "__all__", "not_reservable"),
    ],
)
def test_engine_errors_are_shown_on_their_fields(
    signed_in, room, future_day, setup, begin, end, day_offset, extra, field, code
):
    for name, value in setup.items():
        setattr(room, name, value)
    room.save()
    day = future_day + dt.timedelta(days=day_offset)
    if day_offset < 0:
        day = timezone.localdate() - dt.timedelta(days=1)
    response = book(signed_in, room, day, begin, end, **extra)
    assert response.status_code == 200
    assert field_codes(response) == {field: [code]}
    assert not Reservation.objects.exists()
    html = response.content.decode()
    assert 'role="alert"' in html
    if field != "__all__":
        assert f'href="#id_{field}"' in html  # the error summary links to the field
        assert f'aria-describedby="id_{field}_error"' in html or f'id_{field}_error"' in html
        assert 'aria-invalid="true"' in html


def test_the_quota_is_a_form_error(signed_in, resident, room, future_day):
    room.max_reservations_per_user = 1
    room.save()
    reservation_create(actor=resident, resource=room, begin=room_time(future_day, 14), end=room_time(future_day, 15))
    response = book(signed_in, room, future_day)
    assert field_codes(response) == {"__all__": ["quota_exceeded"]}
    assert "at most 1 active reservations" in response.content.decode()


def room_time(day, hour):
    from zoneinfo import ZoneInfo

    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo("Europe/Helsinki"))


def test_a_slot_taken_by_someone_else_is_an_overlap_with_other_times_offered(signed_in, f, room, future_day):
    reservation_create(actor=f.user(), resource=room, begin=f.at(future_day, 10), end=f.at(future_day, 11))
    response = book(signed_in, room, future_day)
    assert field_codes(response) == {"begin_time": ["overlap"]}
    html = response.content.decode()
    assert "The time overlaps another reservation." in html
    assert "Free times nearby" in html
    assert f"begin={future_day}T11%3A00" in html


def test_terms_must_be_accepted(signed_in, room, future_day):
    response = book(signed_in, room, future_day, accept_terms=None)
    assert field_codes(response) == {"accept_terms": ["required"]}


def test_terms_are_optional_when_the_resource_has_none(signed_in, f, unit, future_day):
    res = f.resource(unit)
    assert book(signed_in, res, future_day, accept_terms=None).status_code == 302


@pytest.mark.parametrize(
    "data",
    [
        {"begin_time": "99:99"},
        {"begin_date": "not a date"},
        {"end_time": ""},
        {"number_of_participants": "-4"},
        {"number_of_participants": "many"},
        {"event_subject": "x" * 500},
        {"begin_date": "9999-12-31", "end_date": "9999-12-31", "end_time": "24:00"},
        {"begin_time": "24:00"},
    ],
)
def test_malformed_input_is_a_form_error_never_a_crash(signed_in, room, future_day, data):
    response = signed_in.post(f"/en/resources/{room.pk}/book/", {**form_data(future_day), **data})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Reservation.objects.exists()


def test_booking_an_unknown_resource_is_404(signed_in, future_day):
    assert signed_in.post("/en/resources/nope/book/", form_data(future_day)).status_code == 404


def test_every_form_needs_the_csrf_token(resident, room, future_day):
    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)
    response = client.post(f"/en/resources/{room.pk}/book/", form_data(future_day))
    assert response.status_code == 403
    assert not Reservation.objects.exists()
    page = client.get(f"/en/resources/{room.pk}/book/")
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()


def test_engine_messages_follow_the_page_language(signed_in, f, room, future_day):
    reservation_create(actor=f.user(), resource=room, begin=f.at(future_day, 10), end=f.at(future_day, 11))
    response = book(signed_in, room, future_day, lang="sv")
    assert field_codes(response) == {"begin_time": ["overlap"]}
    assert '<html lang="sv">' in response.content.decode()
