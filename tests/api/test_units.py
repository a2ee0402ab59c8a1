"""/v1/unit/: anyone reads; general administrators add and delete; unit administrators edit their own."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.api.test_contract import assert_error
from tila.catalogue.models import District, Unit
from tila.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_unit_shows_translations_address_location_district_and_todays_hours(api, city):
    district = District.objects.create(id="kallio", name_fi="Kallio", name_sv="Berghäll")
    Unit.objects.filter(pk="tprek:100").update(
        district=district,
        municipality="Helsinki",
        postal_code="00530",
        street_address_fi="Viides linja 11",
        latitude="60.183000",
        longitude="24.950000",
    )
    body = api.get("/v1/unit/tprek:100/").json()
    assert body["id"] == "tprek:100"
    assert body["name"] == {"fi": "Kirjasto", "sv": "Bibliotek", "en": "Library"}
    assert body["street_address"] == {"fi": "Viides linja 11"}
    assert body["address_zip"] == "00530"
    assert body["municipality"] == "Helsinki"
    assert body["district"] == "kallio"
    assert body["district_name"] == {"fi": "Kallio", "sv": "Berghäll"}
    assert body["location"] == {"type": "Point", "coordinates": [24.95, 60.183]}
    assert body["time_zone"] == "Europe/Helsinki"
    hours = body["opening_hours_today"]["opening_hours"]
    assert len(hours) == 1
    assert hours[0]["opens"].endswith(("+02:00", "+03:00"))
    assert dt.datetime.fromisoformat(hours[0]["opens"]).hour == 8
    assert dt.datetime.fromisoformat(hours[0]["closes"]).hour == 22


def test_a_unit_without_coordinates_has_a_null_location(api, city):
    assert api.get("/v1/unit/tprek:200/").json()["location"] is None


def test_the_unit_list_filters_by_district_and_municipality(api, city):
    District.objects.create(id="kallio", name_fi="Kallio")
    Unit.objects.filter(pk="tprek:100").update(district_id="kallio", municipality="Helsinki")
    Unit.objects.filter(pk="tprek:200").update(municipality="Espoo")
    assert [u["id"] for u in api.get("/v1/unit/", {"district": "kallio"}).json()["results"]] == ["tprek:100"]
    assert [u["id"] for u in api.get("/v1/unit/", {"municipality": "espoo"}).json()["results"]] == ["tprek:200"]
    assert api.get("/v1/unit/").json()["count"] == 2


def test_a_general_administrator_creates_a_unit(api, city):
    body = {
        "id": "tprek:300",
        "name": {"fi": "Työväentalo", "en": "Workers' hall"},
        "street_address": {"fi": "Katu 1"},
        "address_zip": "00100",
        "email": "talo@example.org",
        "location": {"type": "Point", "coordinates": [24.9, 60.2]},
    }
    response = api.post("/v1/unit/", body, user=city.superuser)
    assert response.status_code == 201, response.content
    assert response.json()["name"] == {"fi": "Työväentalo", "en": "Workers' hall"}
    unit = Unit.objects.get(pk="tprek:300")
    assert (float(unit.longitude), float(unit.latitude)) == (24.9, 60.2)
    assert AuditEntry.objects.filter(action="unit.create").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": {"fi": "Ilman tunnusta"}}, "id"),
        ({"id": "tprek:100", "name": {"fi": "Sama"}}, "id"),
        ({"id": "has space", "name": {"fi": "X"}}, "id"),
        ({"id": "tprek:301"}, "name"),
        ({"id": "tprek:301", "name": {"fi": "X"}, "time_zone": "Mars/Olympus"}, "time_zone"),
        ({"id": "tprek:301", "name": {"fi": "X"}, "district": "nowhere"}, "district"),
        ({"id": "tprek:301", "name": {"fi": "X"}, "email": "not-an-email"}, "email"),
        ({"id": "tprek:301", "name": {"fi": "X"}, "location": {"type": "Point", "coordinates": [200, 95]}}, "location"),
        (
            {"id": "tprek:301", "name": {"fi": "X"}, "location": {"type": "Point", "coordinates": [1]}},
            "location.coordinates",
        ),
        ({"id": "tprek:301", "name": {"fi": "X" * 300}}, "name_fi"),
    ],
)
def test_a_bad_new_unit_is_400_naming_the_field(api, city, body, field):
    response = api.post("/v1/unit/", body, user=city.superuser)
    error = assert_error(response, 400, "invalid")
    assert field in error, error
    assert not Unit.objects.filter(pk="tprek:301").exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("resident", 403),
        ("viewer", 403),
        ("handler", 403),
        ("admin", 200),
        ("other_admin", 403),
        ("superuser", 200),
    ],
)
def test_only_the_units_administrators_edit_it(api, city, role, status):
    response = api.patch("/v1/unit/tprek:100/", {"phone": "09 310 85000"}, user=city.who(role))
    assert response.status_code == status, response.content
    phone = Unit.objects.get(pk="tprek:100").phone
    assert (phone == "09 310 85000") == (status == 200)


def test_editing_a_translation_keeps_the_other_languages(api, city):
    response = api.patch("/v1/unit/tprek:100/", {"name": {"en": "City library"}}, user=city.admin)
    assert response.json()["name"] == {"fi": "Kirjasto", "sv": "Bibliotek", "en": "City library"}


def test_the_id_of_a_unit_cannot_be_changed(api, city):
    assert_error(api.put("/v1/unit/tprek:100/", {"id": "tprek:999"}, user=city.admin), 400, "invalid")


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("resident", 403), ("admin", 403), ("superuser", 201)],
)
def test_only_general_administrators_add_units(api, city, role, status):
    response = api.post("/v1/unit/", {"id": "tprek:400", "name": {"fi": "Uusi"}}, user=city.who(role))
    assert response.status_code == status


@pytest.mark.parametrize(("role", "status"), [("anonymous", 401), ("admin", 403), ("superuser", 204)])
def test_only_general_administrators_delete_an_empty_unit(api, city, role, status):
    Unit.objects.create(id="tprek:500", name_fi="Tyhjä")
    response = api.delete("/v1/unit/tprek:500/", user=city.who(role))
    assert response.status_code == status
    assert Unit.objects.filter(pk="tprek:500").exists() == (status != 204)


def test_a_unit_with_resources_cannot_be_deleted(api, city):
    assert_error(api.delete("/v1/unit/tprek:100/", user=city.superuser), 400, "has_resources")


def test_an_unknown_unit_is_404_for_every_method(api, city):
    su = city.superuser
    assert_error(api.get("/v1/unit/nope/"), 404, "not_found")
    assert_error(api.patch("/v1/unit/nope/", {"phone": "1"}, user=su), 404, "not_found")
    assert_error(api.delete("/v1/unit/nope/", user=su), 404, "not_found")
