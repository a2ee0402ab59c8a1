"""Home and search: results are what the booking engine would accept; no results is explained."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from tila.booking.services import reservation_create
from tila.catalogue.models import Purpose

pytestmark = pytest.mark.django_db


def search(client, day, lang="en", **params):
    query = {"date": day.isoformat(), "time_from": "08:00", "time_to": "22:00", "duration": "60", **params}
    return client.get(f"/{lang}/", query)


def result_ids(response):
    return [item.resource.pk for item in response.context["outcome"].results]


def test_home_without_parameters_shows_the_form_with_defaults(client, room):
    response = client.get("/en/")
    assert response.status_code == 200
    assert response.context["outcome"] is None
    form = response.context["form"]
    assert form["time_from"].value() == "08:00"
    assert form["duration"].value() == 60
    html = response.content.decode()
    assert 'role="search"' in html
    assert '<label for="id_date">' in html


def test_search_lists_a_free_resource_with_slots_capacity_unit_and_district(client, room, future_day):
    response = search(client, future_day)
    assert result_ids(response) == [room.pk]
    item = response.context["outcome"].results[0]
    assert item.slots[0][1] - item.slots[0][0] == dt.timedelta(hours=1)
    html = response.content.decode()
    assert "Kallio Library" in html
    assert "Kallio" in html
    assert "for up to 12 people" in html
    assert (
        f"/en/resources/{room.pk}/book/?begin={future_day.isoformat()}T08:00&amp;end={future_day.isoformat()}T09:00"
        in html
    )


def test_a_resource_booked_for_the_whole_window_is_not_a_result(client, f, room, future_day):
    reservation_create(actor=f.user(), resource=room, begin=f.at(future_day, 10), end=f.at(future_day, 12))
    assert result_ids(search(client, future_day, time_from="10:00", time_to="12:00", duration="60")) == []
    assert result_ids(search(client, future_day, time_from="10:00", time_to="13:00", duration="60")) == [room.pk]


def test_the_people_filter_uses_capacity(client, room, future_day):
    assert result_ids(search(client, future_day, people="12")) == [room.pk]
    response = search(client, future_day, people="13")
    assert result_ids(response) == []
    assert "Perhaps none fits 13 people" in response.content.decode()


def test_purpose_area_and_words_filter(client, f, room, future_day):
    other_unit = f.unit(hours=[(d, dt.time(8), dt.time(22)) for d in range(7)], name_en="Faraway Hall")
    other = f.resource(other_unit, name_en="Gym hall")
    assert set(result_ids(search(client, future_day))) == {room.pk, other.pk}
    assert result_ids(search(client, future_day, purpose="meeting")) == [room.pk]
    assert result_ids(search(client, future_day, area="district:kallio")) == [room.pk]
    assert result_ids(search(client, future_day, area=f"unit:{other_unit.pk}")) == [other.pk]
    assert result_ids(search(client, future_day, q="gym")) == [other.pk]


def test_child_purposes_count_for_their_parent(client, room, future_day):
    parent = Purpose.objects.create(id="work", name_en="Work")
    Purpose.objects.filter(pk="meeting").update(parent=parent)
    assert result_ids(search(client, future_day, purpose="work")) == [room.pk]


def test_unpublished_and_unreservable_resources_are_never_results(client, f, room, unit, future_day):
    f.resource(unit, public=False, name_en="Hidden")
    f.resource(unit, reservable=False, name_en="Not bookable")
    assert result_ids(search(client, future_day)) == [room.pk]


def test_resources_the_engine_would_refuse_are_explained_not_listed(client, f, unit, future_day):
    f.resource(unit, reservable_min_days_in_advance=30, name_en="Plan ahead room")
    response = search(client, future_day)
    outcome = response.context["outcome"]
    assert outcome.results == []
    assert outcome.refusals == {"too_late": 1}
    html = response.content.decode()
    assert "must be reserved at least 30 days ahead" in html
    assert 'data-code="too_late"' in html


def test_a_duration_below_the_minimum_is_explained(client, room, future_day):
    response = search(client, future_day, duration="30")
    assert response.context["outcome"].refusals == {"duration_too_short": 1}
    assert "at least 60 minutes" in response.content.decode()


def test_no_results_offers_other_times_of_the_matching_resources(client, f, room, future_day):
    reservation_create(actor=f.user(), resource=room, begin=f.at(future_day, 10), end=f.at(future_day, 12))
    response = search(client, future_day, time_from="10:00", time_to="12:00")
    outcome = response.context["outcome"]
    assert outcome.results == []
    assert outcome.candidates == 1
    assert [item.resource.pk for item in outcome.other_times] == [room.pk]
    assert outcome.other_times[0].slots[0][0] == f.at(future_day, 12)
    assert "Other times" in response.content.decode()


def test_no_results_offers_similar_resources_nearby(client, f, room, future_day):
    far = f.unit(hours=[(d, dt.time(8), dt.time(22)) for d in range(7)], latitude="60.30", longitude="25.10")
    near = f.unit(hours=[(d, dt.time(8), dt.time(22)) for d in range(7)], latitude="60.19", longitude="24.96")
    far_room = f.resource(far, name_en="Far meeting room")
    near_room = f.resource(near, name_en="Near meeting room")
    far_room.purposes.add("meeting")
    near_room.purposes.add("meeting")
    reservation_create(actor=f.user(), resource=room, begin=f.at(future_day, 10), end=f.at(future_day, 12))
    response = search(client, future_day, time_from="10:00", time_to="12:00", area="district:kallio", purpose="meeting")
    outcome = response.context["outcome"]
    assert outcome.results == []
    assert [item.resource.pk for item in outcome.nearby] == [near_room.pk, far_room.pk]
    assert "Similar spaces free at that time" in response.content.decode()


def test_a_window_in_the_past_is_explained(client, room):
    moment = timezone.localtime().replace(hour=23, minute=30)
    with time_machine.travel(moment, tick=False):
        response = search(client, timezone.localdate(), time_from="08:00", time_to="10:00")
    assert response.context["outcome"].passed
    assert "already passed" in response.content.decode()


def test_today_starts_from_now_on_the_slot_grid(client, room):
    moment = timezone.localtime().replace(hour=12, minute=10, second=0, microsecond=0)
    with time_machine.travel(moment, tick=False):
        response = search(client, timezone.localdate())
        first = response.context["outcome"].results[0].slots[0][0]
    assert timezone.localtime(first).strftime("%H:%M") == "12:30"


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"time_from": "12:00", "time_to": "10:00"}, "time_to", "invalid_range"),
        ({"time_from": "10:00", "time_to": "10:30", "duration": "60"}, "duration", "too_long"),
        ({"people": "0"}, "people", "min_value"),
        ({"duration": "7"}, "duration", "invalid_choice"),
        ({"area": "unit:nowhere"}, "area", "invalid_choice"),
    ],
)
def test_bad_search_input_is_a_form_error_never_a_crash(client, room, future_day, params, field, code):
    response = search(client, future_day, **params)
    assert response.status_code == 200
    assert code in [e.code for e in response.context["form"].errors.as_data()[field]]
    assert 'role="alert"' in response.content.decode()


def test_a_past_day_is_refused(client, room):
    response = search(client, timezone.localdate() - dt.timedelta(days=1))
    assert [e.code for e in response.context["form"].errors.as_data()["date"]] == ["past_day"]


def test_a_day_years_ahead_is_refused(client, room):
    response = search(client, dt.date(9999, 12, 31), time_to="24:00")
    assert [e.code for e in response.context["form"].errors.as_data()["date"]] == ["far_day"]


def test_a_malformed_date_is_a_form_error(client, room):
    response = client.get("/en/", {"date": "31.2.2026"})
    assert response.status_code == 200
    assert "date" in response.context["form"].errors


def test_search_runs_in_every_language(client, room, future_day):
    for lang, word in (("fi", 'lang="fi"'), ("sv", 'lang="sv"'), ("en", 'lang="en"')):
        response = search(client, future_day, lang=lang)
        assert response.status_code == 200
        assert f"<html {word}>" in response.content.decode()
        assert result_ids(response) == [room.pk]


def test_signed_in_home_lists_favourites(client, signed_in, resident, room):
    from tila.web.services import favourite_add

    favourite_add(user=resident, resource_id=room.pk)
    response = signed_in.get("/en/")
    assert "Your favourites" in response.content.decode()
    assert f"/en/resources/{room.pk}/" in response.content.decode()


def test_results_come_in_pages_of_twenty(client, f, unit, future_day):
    for n in range(23):
        f.resource(unit, name_en=f"Room {n:02d}")
    first = search(client, future_day)
    assert len(first.context["results"]) == 20
    assert first.context["pages"] == 2
    assert "page=2" in first.content.decode()
    second = search(client, future_day, page="2")
    assert len(second.context["results"]) == 3
    assert search(client, future_day, page="nine").context["page"] == 1


def test_without_an_area_the_alternatives_are_the_same_kind_of_space(client, f, unit, room, future_day):
    from tila.catalogue.models import ResourceType

    same_kind = f.resource(unit, name_en="Another meeting room")  # same type, no purpose set
    hall_type = ResourceType.objects.create(id="hall", name_en="Hall")
    f.resource(unit, name_en="Sports hall", type=hall_type)
    reservation_create(actor=f.user(), resource=room, begin=f.at(future_day, 10), end=f.at(future_day, 12))
    response = search(client, future_day, time_from="10:00", time_to="12:00", purpose="meeting")
    assert [item.resource.pk for item in response.context["outcome"].nearby] == [same_kind.pk]
