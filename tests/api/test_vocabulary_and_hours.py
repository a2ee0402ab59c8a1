"""/v1/purpose/, /v1/type/, /v1/equipment/ (the shared vocabulary) and /v1/opening_period/."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import factories
from tests.api.test_contract import assert_error
from tila.catalogue.models import Equipment, Purpose, ResourceType
from tila.hours.models import OpeningPeriod

pytestmark = pytest.mark.django_db

KINDS = {"purpose": Purpose, "type": ResourceType, "equipment": Equipment}


# --- Vocabulary ---------------------------------------------------------------------------------


def test_purposes_show_their_parent_and_translations(api, db):
    Purpose.objects.create(id="sports", name_fi="Liikunta", name_en="Sports")
    Purpose.objects.create(id="ball", parent_id="sports", name_fi="Pallopelit")
    body = api.get("/v1/purpose/").json()
    assert body["count"] == 2
    assert {p["id"]: p["parent"] for p in body["results"]} == {"sports": None, "ball": "sports"}
    assert api.get("/v1/purpose/sports/").json() == {
        "id": "sports",
        "parent": None,
        "name": {"fi": "Liikunta", "en": "Sports"},
    }


def test_types_and_equipment_show_their_own_fields(api, db):
    ResourceType.objects.create(id="projector-kit", main_type="item", name_fi="Laite")
    Equipment.objects.create(id="piano", name_fi="Piano", category_fi="Soittimet")
    assert api.get("/v1/type/projector-kit/").json()["main_type"] == "item"
    assert api.get("/v1/equipment/piano/").json()["category"] == {"fi": "Soittimet"}


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize(
    ("role", "status"), [("anonymous", 401), ("resident", 403), ("admin", 403), ("superuser", 201)]
)
def test_only_general_administrators_add_vocabulary(api, city, kind, role, status):
    response = api.post(f"/v1/{kind}/", {"id": "new-item", "name": {"fi": "Uusi"}}, user=city.who(role))
    assert response.status_code == status, response.content
    assert KINDS[kind].objects.filter(pk="new-item").exists() == (status == 201)


@pytest.mark.parametrize("kind", list(KINDS))
def test_vocabulary_is_edited_and_deleted_by_general_administrators(api, city, kind):
    KINDS[kind].objects.create(id="old", name_fi="Vanha")
    response = api.patch(f"/v1/{kind}/old/", {"name": {"en": "Old"}}, user=city.superuser)
    assert response.json()["name"] == {"fi": "Vanha", "en": "Old"}
    assert api.patch(f"/v1/{kind}/old/", {"name": {"en": "x"}}, user=city.admin).status_code == 403
    assert api.delete(f"/v1/{kind}/old/", user=city.admin).status_code == 403
    assert api.delete(f"/v1/{kind}/old/", user=city.superuser).status_code == 204
    assert not KINDS[kind].objects.filter(pk="old").exists()


@pytest.mark.parametrize(
    ("kind", "body", "field"),
    [
        ("purpose", {"id": "x", "name": {"fi": "X"}, "parent": "nope"}, "parent"),
        ("purpose", {"id": "x", "name": {"fi": "X"}, "main_type": "item"}, "main_type"),
        ("type", {"id": "x", "name": {"fi": "X"}, "main_type": "vehicle"}, "main_type"),
        ("type", {"id": "x", "name": {"fi": "X"}, "category": {"fi": "Y"}}, "category"),
        ("equipment", {"id": "x", "name": {"fi": "X"}, "parent": "sports"}, "parent"),
        ("equipment", {"id": "Not A Slug", "name": {"fi": "X"}}, "id"),
        ("equipment", {"name": {"fi": "X"}}, "id"),
        ("equipment", {"id": "x"}, "name"),
    ],
)
def test_a_bad_vocabulary_item_is_400_naming_the_field(api, city, kind, body, field):
    error = assert_error(api.post(f"/v1/{kind}/", body, user=city.superuser), 400, "invalid")
    assert field in error, error


def test_a_purpose_cannot_become_its_own_ancestor(api, city):
    Purpose.objects.create(id="sports", name_fi="Liikunta")
    Purpose.objects.create(id="ball", parent_id="sports", name_fi="Pallopelit")
    error = assert_error(
        api.patch("/v1/purpose/sports/", {"parent": "ball"}, user=city.superuser), 400, "invalid_parent"
    )
    assert "parent" in error


def test_a_type_in_use_is_not_deleted(api, city):
    assert_error(api.delete("/v1/type/meeting-room/", user=city.superuser), 400, "in_use")


def test_an_existing_vocabulary_id_is_not_created_twice(api, city):
    error = assert_error(
        api.post("/v1/type/", {"id": "meeting-room", "name": {"fi": "X"}}, user=city.superuser), 400, "invalid"
    )
    assert "id" in error


# --- Opening periods ------------------------------------------------------------------------------


def test_opening_periods_are_listed_by_unit_and_resource(api, city):
    own = OpeningPeriod.objects.create(resource=city.room, start=dt.date(2030, 1, 1), name_fi="Oma")
    body = api.get("/v1/opening_period/", {"unit": "tprek:100"}).json()
    assert [p["unit"] for p in body["results"]] == ["tprek:100"]
    assert body["results"][0]["rules"][0] == {"weekday": 0, "opens": "08:00", "closes": "22:00"}
    assert [p["id"] for p in api.get("/v1/opening_period/", {"resource": "room"}).json()["results"]] == [own.pk]


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("resident", 403), ("handler", 403), ("other_admin", 403), ("admin", 201)],
)
def test_only_the_units_administrators_add_opening_periods(api, city, role, status):
    body = {"unit": "tprek:100", "start": "2030-06-01", "end": "2030-06-30", "closed": True, "name": {"fi": "Kesä"}}
    assert api.post("/v1/opening_period/", body, user=city.who(role)).status_code == status


def test_a_new_period_changes_the_resources_hours_at_once(api, city, future_day):
    body = {
        "resource": "room",
        "start": future_day.isoformat(),
        "end": future_day.isoformat(),
        "rules": [{"weekday": future_day.weekday(), "opens": "10:00", "closes": "12:00"}],
    }
    response = api.post("/v1/opening_period/", body, user=city.admin)
    assert response.status_code == 201, response.content
    assert response.json()["rules"] == [{"weekday": future_day.weekday(), "opens": "10:00", "closes": "12:00"}]
    query = {"start": factories.at(future_day, 0).isoformat(), "end": factories.at(future_day, 23).isoformat()}
    hours = api.get("/v1/resource/room/", query).json()["opening_hours"]
    assert [dt.datetime.fromisoformat(h["opens"]).hour for h in hours] == [10]


def test_a_period_is_edited_and_deleted_by_the_units_administrators(api, city):
    period = OpeningPeriod.objects.get(unit_id="tprek:100")
    response = api.patch(
        f"/v1/opening_period/{period.pk}/", {"name": {"en": "Normal"}, "closed": True}, user=city.admin
    )
    assert response.status_code == 200, response.content
    assert response.json()["closed"] is True
    assert response.json()["name"]["en"] == "Normal"
    assert api.patch(f"/v1/opening_period/{period.pk}/", {"closed": False}, user=city.handler).status_code == 403
    assert api.delete(f"/v1/opening_period/{period.pk}/", user=city.other_admin).status_code == 403
    assert api.delete(f"/v1/opening_period/{period.pk}/", user=city.admin).status_code == 204
    assert_error(api.get(f"/v1/opening_period/{period.pk}/"), 404, "not_found")


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"unit": "tprek:100"}, "start", "invalid"),
        ({"unit": "nope", "start": "2030-01-01"}, "unit", "invalid"),
        ({"resource": "nope", "start": "2030-01-01"}, "resource", "invalid"),
        ({"start": "2030-01-01"}, "non_field_errors", "invalid"),
        ({"unit": "tprek:100", "resource": "room", "start": "2030-01-01"}, "non_field_errors", "invalid"),
        ({"unit": "tprek:100", "start": "2030-01-10", "end": "2030-01-01"}, "end", "invalid_range"),
        ({"unit": "tprek:100", "start": "1066-10-14"}, "start", "invalid"),
        (
            {
                "unit": "tprek:100",
                "start": "2030-01-01",
                "rules": [{"weekday": 7, "opens": "08:00", "closes": "09:00"}],
            },
            "rules.0.weekday",
            "invalid",
        ),
        (
            {
                "unit": "tprek:100",
                "start": "2030-01-01",
                "rules": [{"weekday": 1, "opens": "08:00+02:00", "closes": "09:00"}],
            },
            "rules.0.opens",
            "invalid",
        ),
        (
            {
                "unit": "tprek:100",
                "start": "2030-01-01",
                "rules": [{"weekday": 1, "opens": "25:00", "closes": "09:00"}],
            },
            "rules.0.opens",
            "invalid",
        ),
    ],
)
def test_a_bad_opening_period_is_400(api, city, body, field, code):
    error = assert_error(api.post("/v1/opening_period/", body, user=city.superuser), 400, code)
    assert field in error, error


def test_a_period_cannot_be_moved_to_another_unit(api, city):
    period = OpeningPeriod.objects.get(unit_id="tprek:100")
    assert_error(
        api.patch(f"/v1/opening_period/{period.pk}/", {"unit": "tprek:200"}, user=city.superuser), 400, "invalid"
    )
