"""/v1/resource/: the catalogue, its filters, availability in a window, and staff writes."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import factories
from tests.api.conftest import book
from tests.api.test_contract import assert_error
from tila.catalogue.models import District, Equipment, Purpose, Resource, ResourceType, Unit

pytestmark = pytest.mark.django_db


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [r["id"] for r in response.json()["results"]]


def window(day: dt.date, start: int, end: int) -> dict[str, str]:
    return {"start": factories.at(day, start).isoformat(), "end": factories.at(day, end).isoformat()}


# --- Reading ------------------------------------------------------------------------------------


def test_a_resource_carries_the_specification_fields_and_tilas_extensions(api, city):
    Resource.objects.filter(pk="room").update(
        min_period=dt.timedelta(hours=1), max_period=dt.timedelta(hours=4), area=30, buffer_after=dt.timedelta(0)
    )
    body = api.get("/v1/resource/room/").json()
    assert body["id"] == "room"
    assert body["unit"] == "tprek:100"
    assert body["name"] == {"fi": "Kokoushuone", "en": "Meeting room"}
    assert body["type"] == {"id": "meeting-room", "main_type": "space", "name": {"fi": "Kokoustila"}}
    assert (body["min_period"], body["max_period"], body["slot_size"]) == ("01:00:00", "04:00:00", "00:30:00")
    assert (body["people_capacity"], body["area"]) == (10, 30)
    assert body["need_manual_confirmation"] is False
    assert body["url"] == "http://testserver/v1/resource/room/"
    for key in ("parent", "children", "equipment", "images", "accessibility", "terms", "buffer_before"):
        assert key in body
    for key in ("opening_hours", "available_hours", "reservations"):
        assert key not in body  # only with a time window


def test_a_resource_shows_its_parent_and_parts(api, city):
    hall = factories.resource(city.unit, rid="hall")
    factories.resource(parent=hall, rid="half-a")
    factories.resource(parent=hall, rid="half-b")
    assert sorted(api.get("/v1/resource/hall/").json()["children"]) == ["half-a", "half-b"]
    assert api.get("/v1/resource/half-a/").json()["parent"] == "hall"


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("anonymous", False),
        ("resident", False),
        ("other_handler", False),
        ("viewer", True),
        ("admin", True),
        ("superuser", True),
    ],
)
def test_a_hidden_resource_is_visible_only_to_the_units_staff(api, city, role, visible):
    user = city.who(role)
    assert (api.get("/v1/resource/hidden/", user=user).status_code == 200) == visible
    assert ("hidden" in ids(api.get("/v1/resource/", user=user))) == visible


def test_the_resource_list_filters_combine(api, city):
    sports = Purpose.objects.create(id="sports", name_fi="Liikunta")
    ball = Purpose.objects.create(id="ball", parent=sports, name_fi="Pallopelit")
    piano = Equipment.objects.create(id="piano", name_fi="Piano")
    hall_type = ResourceType.objects.create(id="hall", name_fi="Sali")
    District.objects.create(id="kallio", name_fi="Kallio")
    Unit.objects.filter(pk="tprek:200").update(district_id="kallio")
    gym = factories.resource(city.other_unit, rid="gym", type=hall_type, people_capacity=80, name_fi="Liikuntasali")
    gym.purposes.add(ball)
    gym.equipment.add(piano)
    assert ids(api.get("/v1/resource/", {"purpose": "sports"})) == ["gym"]  # sub-purposes count
    assert ids(api.get("/v1/resource/", {"type": "hall"})) == ["gym"]
    assert ids(api.get("/v1/resource/", {"equipment": "piano"})) == ["gym"]
    assert ids(api.get("/v1/resource/", {"district": "kallio"})) == ["gym", "studio"]
    assert ids(api.get("/v1/resource/", {"unit": "tprek:100"})) == ["room"]
    assert ids(api.get("/v1/resource/", {"people": 50})) == ["gym"]
    assert ids(api.get("/v1/resource/", {"people": 10, "unit": "tprek:100"})) == ["room"]
    assert ids(api.get("/v1/resource/", {"people": 9.5, "unit": "tprek:100"})) == ["room"]  # a number, as in 6Aika
    assert ids(api.get("/v1/resource/", {"people": 10.5, "unit": "tprek:100"})) == []
    assert ids(api.get("/v1/resource/", {"search": "liikunta"})) == ["gym"]
    assert ids(api.get("/v1/resource/", {"search": "meeting"})) == ["room"]  # any language
    assert ids(api.get("/v1/resource/", {"search": "kirjasto"})) == ["room"]  # the unit's name
    assert ids(api.get("/v1/resource/", {"purpose": "sports", "people": 100})) == []


# --- Availability ---------------------------------------------------------------------------------


def test_with_a_window_only_resources_free_for_the_whole_window_are_listed(api, city, future_day):
    book(api, city.resident, city.room, future_day, 12)
    assert "room" not in ids(api.get("/v1/resource/", window(future_day, 11, 14)))
    assert "room" in ids(api.get("/v1/resource/", window(future_day, 14, 16)))


def test_with_a_duration_a_resource_free_long_enough_inside_the_window_is_listed(api, city, future_day):
    book(api, city.resident, city.room, future_day, 12)
    query = {**window(future_day, 11, 15), "duration": 120}
    assert "room" in ids(api.get("/v1/resource/", query))  # 13–15 is free
    query = {**window(future_day, 11, 14), "duration": 90}
    assert "room" not in ids(api.get("/v1/resource/", query))  # only 11–12 and 13–14


def test_closed_hours_count_as_busy_unless_during_closing(api, city, future_day):
    query = window(future_day, 21, 23)
    assert "room" not in ids(api.get("/v1/resource/", query))
    assert "room" in ids(api.get("/v1/resource/", {**query, "during_closing": "true"}))


def test_people_and_availability_filters_combine(api, city, future_day):
    query = {**window(future_day, 10, 12), "people": 11}
    assert "room" not in ids(api.get("/v1/resource/", query))


def test_a_resource_in_a_window_carries_opening_free_hours_and_reservations(api, city, future_day):
    mine = book(api, city.resident, city.room, future_day, 12).json()
    body = api.get("/v1/resource/room/", window(future_day, 6, 23)).json()
    assert [
        (dt.datetime.fromisoformat(h["opens"]).hour, dt.datetime.fromisoformat(h["closes"]).hour)
        for h in body["opening_hours"]
    ] == [(8, 22)]
    assert [
        (dt.datetime.fromisoformat(h["starts"]).hour, dt.datetime.fromisoformat(h["ends"]).hour)
        for h in body["available_hours"]
    ] == [(8, 12), (13, 22)]
    assert [r["id"] for r in body["reservations"]] == [mine["id"]]
    assert body["reservations"][0]["state"] == "confirmed"
    assert body["opening_hours"][0]["opens"].endswith(("+02:00", "+03:00"))


def test_a_window_without_an_offset_means_the_resources_local_time(api, city, future_day):
    local = {"start": f"{future_day}T06:00:00", "end": f"{future_day}T23:00:00"}
    body = api.get("/v1/resource/room/", local).json()
    assert dt.datetime.fromisoformat(body["opening_hours"][0]["opens"]).hour == 8


def test_a_plus_sign_sent_unencoded_in_a_query_still_means_an_offset(api, city, future_day):
    response = api.client.get(f"/v1/resource/room/?start={future_day}T08:00:00+02:00&end={future_day}T10:00:00+02:00")
    assert response.status_code == 200, response.content
    assert response.json()["opening_hours"]


def test_the_detail_duration_leaves_out_shorter_free_intervals(api, city, future_day):
    book(api, city.resident, city.room, future_day, 9)
    body = api.get("/v1/resource/room/", {**window(future_day, 8, 22), "duration": 120}).json()
    assert [dt.datetime.fromisoformat(h["starts"]).hour for h in body["available_hours"]] == [10]


@pytest.mark.parametrize(
    ("role", "sees_details"),
    [("anonymous", False), ("other_resident", False), ("other_handler", False), ("resident", True), ("viewer", True)],
)
def test_reservations_in_a_window_show_personal_details_only_to_owner_and_staff(
    api, city, future_day, role, sees_details
):
    book(api, city.resident, city.room, future_day, 12, event_subject="Lukupiiri")
    body = api.get("/v1/resource/room/", window(future_day, 8, 22), user=city.who(role)).json()
    reservation = body["reservations"][0]
    assert ("event_subject" in reservation) == sees_details
    assert ("user" in reservation) == sees_details
    if sees_details:
        assert reservation["event_subject"] == "Lukupiiri"
        assert reservation["user"] == str(city.resident.uuid)
    assert reservation["is_own"] == (role == "resident")


# --- Staff writes -----------------------------------------------------------------------------------


def new_resource(**extra):
    return {"unit": "tprek:100", "type": "meeting-room", "name": {"fi": "Ryhmätila"}, **extra}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("resident", 403),
        ("viewer", 403),
        ("handler", 403),
        ("other_admin", 403),
        ("admin", 201),
        ("superuser", 201),
    ],
)
def test_only_the_units_administrators_create_resources(api, city, role, status):
    response = api.post("/v1/resource/", new_resource(id="group-room"), user=city.who(role))
    assert response.status_code == status, response.content
    assert Resource.objects.filter(pk="group-room").exists() == (status == 201)


def test_a_created_resource_has_its_rules_relations_and_opening_hours(api, city, future_day):
    Purpose.objects.create(id="meeting", name_fi="Kokous")
    Equipment.objects.create(id="screen", name_fi="Näyttö")
    body = new_resource(
        id="group-room",
        purposes=["meeting"],
        equipment=["screen"],
        min_period="01:00:00",
        slot_size="01:00:00",
        people_capacity=6,
        need_manual_confirmation=True,
        parent="room",
    )
    response = api.post("/v1/resource/", body, user=city.admin)
    assert response.status_code == 201, response.content
    created = response.json()
    assert [p["id"] for p in created["purposes"]] == ["meeting"]
    assert [e["id"] for e in created["equipment"]] == ["screen"]
    assert (created["min_period"], created["slot_size"], created["parent"]) == ("01:00:00", "01:00:00", "room")
    assert created["need_manual_confirmation"] is True
    hours = api.get("/v1/resource/group-room/", window(future_day, 0, 23)).json()["opening_hours"]
    assert len(hours) == 1  # the unit's hours apply at once


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        (new_resource(unit=None), "unit", "invalid"),
        ({"type": "meeting-room", "name": {"fi": "X"}}, "unit", "invalid"),
        (new_resource(type="no-such-type"), "type", "invalid"),
        (new_resource(unit="no-such-unit"), "unit", "invalid"),
        (new_resource(purposes=["no-such-purpose"]), "purposes", "invalid"),
        (new_resource(parent="studio"), "parent", "invalid_parent"),
        (new_resource(name=None), "name", "invalid"),
        (new_resource(id="room"), "id", "invalid"),
        (new_resource(slot_size="00:00:00"), "slot_size", "invalid"),
        (new_resource(slot_size="half an hour"), "slot_size", "invalid"),
        (new_resource(people_capacity=0), "people_capacity", "invalid"),
        (new_resource(authentication="retina"), "authentication", "invalid"),
    ],
)
def test_a_bad_new_resource_is_400_naming_the_field(api, city, body, field, code):
    response = api.post("/v1/resource/", body, user=city.superuser)
    error = assert_error(response, 400, code)
    assert field in error, error


def test_a_resource_is_edited_in_place_and_null_rules_fall_back_to_the_unit(api, city):
    response = api.patch("/v1/resource/room/", {"max_period": "02:00:00", "name": {"sv": "Mötesrum"}}, user=city.admin)
    assert response.status_code == 200, response.content
    assert response.json()["max_period"] == "02:00:00"
    assert response.json()["name"] == {"fi": "Kokoushuone", "sv": "Mötesrum", "en": "Meeting room"}
    response = api.put("/v1/resource/room/", {"max_period": None}, user=city.admin)
    assert response.json()["max_period"] is None


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("resident", 403), ("handler", 403), ("other_admin", 403), ("admin", 200)],
)
def test_only_the_units_administrators_edit_a_resource(api, city, role, status):
    response = api.patch("/v1/resource/room/", {"people_capacity": 3}, user=city.who(role))
    assert response.status_code == status
    assert (Resource.objects.get(pk="room").people_capacity == 3) == (status == 200)


def test_a_resource_cannot_be_moved_to_a_unit_its_administrator_does_not_manage(api, city):
    assert_error(api.patch("/v1/resource/room/", {"unit": "tprek:200"}, user=city.admin), 403, "permission_denied")


def test_the_id_of_a_resource_cannot_be_changed(api, city):
    assert_error(api.patch("/v1/resource/room/", {"id": "other"}, user=city.admin), 400, "invalid")


@pytest.mark.parametrize(("role", "status"), [("anonymous", 401), ("handler", 403), ("admin", 204)])
def test_only_the_units_administrators_delete_a_resource(api, city, role, status):
    response = api.delete("/v1/resource/room/", user=city.who(role))
    assert response.status_code == status
    assert Resource.objects.filter(pk="room").exists() == (status != 204)


def test_a_resource_with_reservations_is_not_deleted(api, city, future_day):
    book(api, city.resident, city.room, future_day, 10)
    assert_error(api.delete("/v1/resource/room/", user=city.admin), 400, "has_reservations")


def test_a_hidden_resource_is_not_found_for_writes_by_others(api, city):
    assert_error(api.patch("/v1/resource/hidden/", {"area": 5}, user=city.other_admin), 404, "not_found")
