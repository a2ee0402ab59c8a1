"""/v1/search/, /v1/auth/ and the list envelope's pagination."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.api.test_contract import assert_error
from tila.accounts.models import User
from tila.catalogue.models import Equipment, Purpose

pytestmark = pytest.mark.django_db


# --- Search -------------------------------------------------------------------------------------------


def test_search_suggests_resources_and_units_by_name_in_any_language(api, city):
    body = api.get("/v1/search/", {"input": "room"}).json()
    assert body["resource"] == [
        {"id": "room", "name": {"fi": "Kokoushuone", "en": "Meeting room"}, "unit": "tprek:100"}
    ]
    assert body["unit"] == []
    body = api.get("/v1/search/", {"input": "biblio"}).json()
    assert [u["id"] for u in body["unit"]] == ["tprek:100"]


def test_search_limits_the_object_types_and_can_return_whole_objects(api, city):
    body = api.get("/v1/search/", {"input": "o", "types": "unit", "full": "true"}).json()
    assert body["resource"] == []
    assert {u["id"] for u in body["unit"]} == {"tprek:100", "tprek:200"}
    assert "street_address" in body["unit"][0]
    full = api.get("/v1/search/", {"input": "room", "types": "resource", "full": "true"}).json()
    assert full["resource"][0]["type"]["id"] == "meeting-room"


def test_search_finds_hidden_resources_only_for_the_units_staff(api, city):
    assert api.get("/v1/search/", {"input": "store"}).json()["resource"] == []
    assert [r["id"] for r in api.get("/v1/search/", {"input": "store"}, user=city.viewer).json()["resource"]] == [
        "hidden"
    ]


@pytest.mark.parametrize(
    "query", [{}, {"input": "   "}, {"input": "a", "types": "people"}, {"input": "a", "full": "maybe"}]
)
def test_a_bad_search_is_400(api, db, query):
    assert_error(api.get("/v1/search/", query), 400, "invalid")


# --- Accounts and tokens ---------------------------------------------------------------------------------


def test_register_then_get_a_token_then_use_it(api, db):
    response = api.post(
        "/v1/auth/register/", {"email": "Maija@Example.org", "password": "a long passphrase", "name": "Maija"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["email"] == "maija@example.org"
    assert response.json()["preferred_language"] == "fi"
    assert "password" not in response.json()
    token = api.post("/v1/auth/token/", {"email": "maija@example.org", "password": "a long passphrase"}).json()
    assert token["expires_at"]
    me = api.client.get("/v1/reservation/", HTTP_AUTHORIZATION=f"Bearer {token['token']}")
    assert me.status_code == 200


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"email": "not an email", "password": "a long passphrase"}, "invalid_email", "email"),
        ({"email": "resident@example.org", "password": "a long passphrase"}, "email_taken", "email"),
        ({"email": "new@example.org", "password": "short"}, "weak_password", "password"),
        ({"email": "new@example.org"}, "invalid", "password"),
        (
            {"email": "new@example.org", "password": "a long passphrase", "preferred_language": "de"},
            "invalid",
            "preferred_language",
        ),
        (
            {"email": "new@example.org", "password": "a long passphrase", "is_superuser": True},
            "invalid",
            "is_superuser",
        ),
    ],
)
def test_a_bad_registration_is_400_naming_the_field(api, city, body, code, field):
    error = assert_error(api.post("/v1/auth/register/", body), 400, code)
    assert field in error
    assert not User.objects.filter(email="new@example.org").exists()


@pytest.mark.parametrize(
    "body",
    [
        {"email": "resident@example.org", "password": "wrong password"},
        {"email": "nobody@example.org", "password": "correct horse battery"},
    ],
)
def test_wrong_credentials_give_no_token(api, city, body):
    assert_error(api.post("/v1/auth/token/", body), 400, "invalid_credentials")


def test_an_inactive_account_gets_no_token(api, city):
    User.objects.filter(pk=city.resident.pk).update(is_active=False)
    body = {"email": "resident@example.org", "password": "correct horse battery"}
    assert_error(api.post("/v1/auth/token/", body), 400, "invalid_credentials")


def test_a_deactivated_accounts_token_stops_working(api, city):
    assert api.get("/v1/reservation/", user=city.resident).status_code == 200
    User.objects.filter(pk=city.resident.pk).update(is_active=False)
    assert_error(api.get("/v1/reservation/", user=city.resident), 401, "not_authenticated")


# --- Pagination ---------------------------------------------------------------------------------------------


@pytest.fixture
def purposes(db):
    Purpose.objects.bulk_create(Purpose(id=f"p{n:03d}", name_fi=f"Käyttö {n:03d}") for n in range(5))


def _page(response) -> tuple[list[str], dict]:
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["previous"] == body["prev"]
    return [p["id"] for p in body["results"]], body


def test_the_first_page_has_next_but_no_previous(api, purposes):
    items, body = _page(api.get("/v1/purpose/", {"page_size": 2}))
    assert items == ["p000", "p001"]
    assert body["count"] == 5
    assert body["previous"] is None
    assert parse_qs(urlparse(body["next"]).query) == {"page": ["2"], "page_size": ["2"]}


def test_following_next_and_previous_walks_the_pages_keeping_the_filters(api, purposes):
    _, first = _page(api.get("/v1/purpose/", {"page_size": 2, "lang": "en"}))
    second_items, second = _page(api.client.get(first["next"]))
    assert second_items == ["p002", "p003"]
    assert parse_qs(urlparse(second["next"]).query)["lang"] == ["en"]
    back_items, _ = _page(api.client.get(second["previous"]))
    assert back_items == ["p000", "p001"]


def test_the_last_page_has_previous_but_no_next(api, purposes):
    items, body = _page(api.get("/v1/purpose/", {"page_size": 2, "page": 3}))
    assert items == ["p004"]
    assert body["next"] is None
    assert parse_qs(urlparse(body["previous"]).query)["page"] == ["2"]


def test_a_page_beyond_the_last_is_404(api, purposes):
    assert_error(api.get("/v1/purpose/", {"page_size": 2, "page": 4}), 404, "not_found")
    assert_error(api.get("/v1/purpose/", {"page": 10**30}), 404, "not_found")


def test_an_empty_list_has_one_empty_page(api, db):
    items, body = _page(api.get("/v1/purpose/"))
    assert (items, body["count"], body["next"], body["previous"]) == ([], 0, None, None)


@pytest.mark.parametrize(
    "query",
    [
        {"page": 0},
        {"page": -1},
        {"page": "abc"},
        {"page": "1.5"},
        {"page_size": 0},
        {"page_size": -5},
        {"page_size": "x"},
    ],
)
def test_a_bad_page_or_page_size_is_400(api, purposes, query):
    error = assert_error(api.get("/v1/purpose/", query), 400, "invalid")
    assert next(iter(query)) in error


def test_the_default_page_size_is_20(api, db):
    Purpose.objects.bulk_create(Purpose(id=f"p{n:03d}", name_fi=f"K {n:03d}") for n in range(25))
    items, body = _page(api.get("/v1/purpose/"))
    assert len(items) == 20
    assert body["next"]


def test_the_page_size_is_capped_at_500(api, db):
    Purpose.objects.bulk_create(Purpose(id=f"p{n:04d}", name_fi=f"K {n:04d}") for n in range(501))
    items, body = _page(api.get("/v1/purpose/", {"page_size": 100_000}))
    assert len(items) == 500
    assert parse_qs(urlparse(body["next"]).query)["page"] == ["2"]
    items, _ = _page(api.client.get(body["next"]))
    assert items == ["p0500"]


@pytest.mark.parametrize("path", ["/v1/unit/", "/v1/resource/", "/v1/type/", "/v1/equipment/", "/v1/opening_period/"])
def test_every_list_has_the_same_envelope(api, city, path):
    Equipment.objects.create(id="piano", name_fi="Piano")
    body = api.get(path, {"page_size": 1}).json()
    assert set(body) == {"count", "next", "previous", "prev", "results"}
    assert len(body["results"]) == 1


def test_the_reservation_list_pages_too(api, city, future_day):
    from tests.api.conftest import book

    for hour in (10, 12, 14):
        book(api, city.resident, city.room, future_day, hour)
    _, body = _page(api.get("/v1/reservation/", {"page_size": 2, "page": 2}, user=city.resident))
    assert body["count"] == 3
    assert len(body["results"]) == 1


def test_me_tells_who_the_token_belongs_to(api, city):
    assert api.get("/v1/auth/me/", user=city.resident).json()["email"] == "resident@example.org"
    assert_error(api.get("/v1/auth/me/"), 401, "not_authenticated")
