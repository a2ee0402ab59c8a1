"""The API's promises that hold for every endpoint: the error body, both slash forms, bad input is a
400 (never a 500), languages, CORS, and bearer tokens."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from tests.api.conftest import book, slot

pytestmark = pytest.mark.django_db


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["non_field_errors"], list)
    assert body["non_field_errors"]
    assert all(isinstance(message, str) and message for message in body["non_field_errors"])
    return body


# --- Every path with and without the trailing slash, for every method, without redirects --------


def _p(path: str, slash: str) -> str:
    return path if slash else path.rstrip("/")


@pytest.mark.parametrize("slash", ["/", ""], ids=["with-slash", "without-slash"])
def test_every_method_works_on_both_slash_forms_without_redirect(api, city, future_day, slash):
    """One tour of the whole API in one slash form; every answer is the real one, never a 3xx."""
    su = city.superuser

    def ok(response, status):
        assert response.status_code == status, (response.status_code, response.content)
        return response.json() if response.content else None

    # public reads
    for path in ("/v1/unit/", "/v1/resource/", "/v1/purpose/", "/v1/type/", "/v1/equipment/", "/v1/opening_period/"):
        ok(api.get(_p(path, slash)), 200)
    ok(api.get(_p("/v1/unit/tprek:100/", slash)), 200)
    ok(api.get(_p("/v1/resource/room/", slash)), 200)
    ok(api.get(_p("/v1/search/", slash), {"input": "kirj"}), 200)
    # accounts
    ok(api.post(_p("/v1/auth/register/", slash), {"email": "new@example.org", "password": "a long passphrase"}), 201)
    ok(api.post(_p("/v1/auth/token/", slash), {"email": "new@example.org", "password": "a long passphrase"}), 200)
    # units
    ok(api.post(_p("/v1/unit/", slash), {"id": "tprek:9", "name": {"fi": "Uusi"}}, user=su), 201)
    ok(api.patch(_p("/v1/unit/tprek:9/", slash), {"phone": "09 123"}, user=su), 200)
    ok(api.put(_p("/v1/unit/tprek:9/", slash), {"phone": "09 456"}, user=su), 200)
    ok(api.delete(_p("/v1/unit/tprek:9/", slash), user=su), 204)
    # vocabulary
    for kind, item_id in (("purpose", "sauna"), ("type", "sauna-room"), ("equipment", "stove")):
        ok(api.post(_p(f"/v1/{kind}/", slash), {"id": item_id, "name": {"fi": "Sauna"}}, user=su), 201)
        ok(api.get(_p(f"/v1/{kind}/{item_id}/", slash)), 200)
        ok(api.patch(_p(f"/v1/{kind}/{item_id}/", slash), {"name": {"en": "Sauna"}}, user=su), 200)
        ok(api.put(_p(f"/v1/{kind}/{item_id}/", slash), {"name": {"sv": "Bastu"}}, user=su), 200)
        ok(api.delete(_p(f"/v1/{kind}/{item_id}/", slash), user=su), 204)
    # resources
    body = {"id": "new-room", "unit": "tprek:100", "type": "meeting-room", "name": {"fi": "Uusi"}}
    ok(api.post(_p("/v1/resource/", slash), body, user=su), 201)
    ok(api.patch(_p("/v1/resource/new-room/", slash), {"people_capacity": 4}, user=su), 200)
    ok(api.put(_p("/v1/resource/new-room/", slash), {"area": 20}, user=su), 200)
    ok(api.delete(_p("/v1/resource/new-room/", slash), user=su), 204)
    # opening periods
    period = ok(api.post(_p("/v1/opening_period/", slash), {"unit": "tprek:200", "start": "2030-01-01"}, user=su), 201)
    ok(api.get(_p(f"/v1/opening_period/{period['id']}/", slash)), 200)
    ok(api.patch(_p(f"/v1/opening_period/{period['id']}/", slash), {"closed": True}, user=su), 200)
    ok(api.put(_p(f"/v1/opening_period/{period['id']}/", slash), {"end": "2030-01-31"}, user=su), 200)
    ok(api.delete(_p(f"/v1/opening_period/{period['id']}/", slash), user=su), 204)
    # reservations
    booking = {"resource": "room", **slot(future_day, 10)}
    rid = ok(api.post(_p("/v1/reservation/", slash), booking, user=city.resident), 201)["id"]
    ok(api.get(_p("/v1/reservation/", slash), user=city.resident), 200)
    ok(api.get(_p(f"/v1/reservation/{rid}/", slash), user=city.resident), 200)
    ok(api.patch(_p(f"/v1/reservation/{rid}/", slash), {"event_subject": "Kerho"}, user=city.resident), 200)
    moved = {"resource": "room", **slot(future_day, 12)}
    ok(api.put(_p(f"/v1/reservation/{rid}/", slash), moved, user=city.resident), 200)
    ok(api.delete(_p(f"/v1/reservation/{rid}/", slash), user=city.resident), 204)
    city.room.need_manual_confirmation = True
    city.room.save()
    for action, hour in (("approve", 14), ("deny", 16)):
        rid = ok(book(api, city.resident, city.room, future_day, hour), 201)["id"]
        ok(api.post(_p(f"/v1/reservation/{rid}/{action}/", slash), user=city.handler), 200)


def test_a_path_without_the_slash_is_left_out_of_the_openapi_document(api, db):
    paths = api.get("/v1/openapi.json").json()["paths"]
    assert "/v1/reservation/" in paths
    assert "/v1/reservation" not in paths


# --- The error body ---------------------------------------------------------------------------


def test_an_unknown_api_path_is_a_json_404(api, db):
    assert_error(api.get("/v1/no-such-thing/"), 404, "not_found")


def test_a_method_the_path_does_not_have_is_a_json_405_naming_the_allowed_ones(api, db):
    response = api.put("/v1/search/", {})
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


def test_a_field_error_lists_the_message_under_the_field_and_in_non_field_errors(api, city):
    body = assert_error(api.post("/v1/reservation/", {"resource": "room"}, user=city.resident), 400, "invalid")
    assert set(body) >= {"begin", "end"}
    assert isinstance(body["begin"], list)


def test_a_nested_field_error_is_named_by_its_dotted_path(api, city):
    body = assert_error(api.post("/v1/unit/", {"id": "x", "name": {"fi": 5}}, user=city.superuser), 400, "invalid")
    assert "name.fi" in body


def test_an_unexpected_error_is_a_json_500_without_details(api, city, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("tila.api.units.unit_json", explode)
    body = assert_error(api.get("/v1/unit/tprek:100/"), 500, "server_error")
    assert "secret" not in json.dumps(body)


# --- Bad input is a 400, never a 500 ----------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "{nope",
        "",
        "null",
        "[]",
        '"text"',
        "42",
        '{"resource": "room", "begin": NaN, "end": Infinity}',
        b"\xff\xfe not utf-8",
    ],
    ids=["broken", "empty", "null", "list", "string", "number", "nan", "not-utf8"],
)
def test_a_body_that_is_not_a_json_object_is_400(api, city, raw):
    assert_error(api.post("/v1/reservation/", raw, user=city.resident), 400, "invalid")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("begin", "garbage"),
        ("begin", 12.5e300),
        ("begin", "9999-12-31T23:59:59"),
        ("begin", "0001-01-01T00:00:00"),
        ("end", ["a list"]),
        ("number_of_participants", "many"),
        ("number_of_participants", 10**30),
        ("number_of_participants", 0),
        ("number_of_participants", 1e400),
        ("event_subject", "x" * 100_000),
        ("event_subject", 12),
        ("resource", ""),
        ("resource", "r" * 1000),
        ("user", "not-a-uuid"),
        ("user", "00000000-0000-0000-0000-000000000000"),
        ("type", "party"),
        ("staff_override", "sometimes"),
        ("reserver_email", "not an email"),
        ("surprise", "field"),
    ],
)
def test_a_reservation_field_of_the_wrong_type_or_absurd_value_is_400(api, city, future_day, field, value):
    body = {"resource": "room", **slot(future_day, 10), field: value}
    response = api.post("/v1/reservation/", body, user=city.resident)
    assert response.status_code == 400, response.content
    assert response.json()["code"] in {"invalid", "not_reservable"}


def test_a_nul_character_anywhere_is_400_before_it_reaches_the_database(api, city, future_day):
    assert_error(api.get("/v1/resource/", {"search": "a\x00b"}), 400, "invalid")
    assert_error(api.get("/v1/resource/%00/"), 400, "invalid")
    body = {"resource": "room", **slot(future_day, 10), "event_subject": "a\x00b"}
    assert_error(api.post("/v1/reservation/", body, user=city.resident), 400, "invalid")


def test_a_body_larger_than_django_accepts_is_400(api, city, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    assert_error(api.post("/v1/reservation/", {"event_subject": "x" * 5000}, user=city.resident), 400, "too_large")


@pytest.mark.parametrize(
    "path",
    [
        "/v1/reservation/abc/",
        "/v1/reservation/99999999999999999999999999/",
        "/v1/reservation/0/",
        "/v1/opening_period/99999999999999999999999999/",
        "/v1/opening_period/-1/",
        "/v1/unit/no-such-unit/",
        "/v1/resource/no-such-resource/",
        "/v1/purpose/no-such/",
        "/v1/resource/" + "x" * 5000 + "/",
    ],
)
def test_an_unknown_or_impossible_path_id_is_404(api, city, path):
    assert_error(api.get(path, user=city.superuser), 404, "not_found")


@pytest.mark.parametrize(
    "query",
    [
        {"start": "yesterday", "end": "tomorrow"},
        {"start": "2030-01-01T10:00"},
        {"start": "2030-01-02", "end": "2030-01-01"},
        {"start": "2030-01-01", "end": "2031-01-01"},
        {"start": "99999-01-01", "end": "99999-01-02"},
        {"start": "2030-01-01", "end": "2030-01-02", "duration": "nan"},
        {"start": "2030-01-01", "end": "2030-01-02", "duration": "inf"},
        {"start": "2030-01-01", "end": "2030-01-02", "duration": "-5"},
        {"start": "2030-01-01", "end": "2030-01-02", "duration": "1e300"},
        {"start": "2030-01-01", "end": "2030-01-02", "duration": "3000"},
        {"duration": "60"},
        {"people": "-1"},
        {"people": "lots"},
        {"people": str(10**40)},
        {"during_closing": "perhaps"},
        {"search": "x" * 5000},
    ],
)
def test_a_bad_resource_query_is_400(api, city, query):
    response = api.get("/v1/resource/", query)
    assert response.status_code == 400, response.content
    assert response.json()["code"] in {"invalid", "invalid_range"}


# --- Languages --------------------------------------------------------------------------------


def _message(lang: str, text: str) -> str:
    with translation.override(lang):
        return translation.gettext(text)


@pytest.mark.parametrize(
    ("headers", "query", "expected"),
    [
        ({}, {}, "fi"),
        ({"HTTP_ACCEPT_LANGUAGE": "sv"}, {}, "sv"),
        ({"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}, {}, "en"),
        ({"HTTP_ACCEPT_LANGUAGE": "de, sv;q=0.5"}, {}, "sv"),
        ({"HTTP_ACCEPT_LANGUAGE": "de"}, {}, "fi"),
        ({"HTTP_ACCEPT_LANGUAGE": "en"}, {"lang": "sv"}, "sv"),
        ({"HTTP_ACCEPT_LANGUAGE": "sv"}, {"lang": "xx"}, "sv"),
    ],
    ids=["default-finnish", "swedish", "english-region", "first-supported", "unsupported", "lang-wins", "bad-lang"],
)
def test_the_language_follows_lang_then_accept_language_then_finnish(api, city, headers, query, expected):
    response = api.get("/v1/unit/", query, **headers)
    assert response["Content-Language"] == expected


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_messages_are_translated_into_the_requested_language(api, city, lang):
    """Both Tila's own messages and Django's come from gettext in the request's language."""
    response = api.post(f"/v1/reservation/?lang={lang}", {}, user=city.resident, HTTP_ACCEPT_LANGUAGE="de")
    body = response.json()
    assert response["Content-Language"] == lang
    assert body["non_field_errors"] == [_message(lang, "The request is not valid.")]
    assert body["resource"] == [_message(lang, "This field is required.")]


def test_messages_in_different_languages_differ_where_a_translation_exists(api, city):
    """Django ships Finnish and Swedish for "This field is required."; the API uses them."""
    answers = {
        lang: api.post("/v1/reservation/", {}, user=city.resident, HTTP_ACCEPT_LANGUAGE=lang).json()["resource"][0]
        for lang in ("fi", "sv", "en")
    }
    assert answers["en"] == "This field is required."
    assert len(set(answers.values())) == 3


def test_the_engine_message_is_looked_up_in_the_request_language(api, city, future_day, monkeypatch):
    """The engine's lazy message is rendered through gettext while the request's language is active."""
    from django.utils.translation import trans_real

    seen = []

    def spy(message):
        seen.append((message, translation.get_language()))
        return trans_real.gettext(message)

    book(api, city.resident, city.room, future_day, 10)
    monkeypatch.setattr(translation._trans, "gettext", spy)
    response = api.post(
        "/v1/reservation/?lang=sv", {"resource": "room", **slot(future_day, 10)}, user=city.other_resident
    )
    assert response.json()["code"] == "overlap"
    assert ("The time overlaps another reservation.", "sv") in seen
    assert response.json()["non_field_errors"] == [_message("sv", "The time overlaps another reservation.")]


# --- CORS and bearer tokens -------------------------------------------------------------------


def test_any_origin_may_call_the_api_with_a_bearer_token_but_no_cookies(api, db):
    preflight = api.client.options(
        "/v1/reservation/",
        HTTP_ORIGIN="https://city.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] in {"*", "https://city.example"}
    assert "authorization" in preflight["Access-Control-Allow-Headers"].lower()
    assert "Access-Control-Allow-Credentials" not in preflight
    response = api.get("/v1/unit/", HTTP_ORIGIN="https://city.example")
    assert response["Access-Control-Allow-Origin"] in {"*", "https://city.example"}


@pytest.mark.parametrize(
    "header",
    ["Bearer not-a-token", "Bearer ", "Token abc", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 5000],
)
def test_an_invalid_authorization_header_is_401_even_on_public_paths(api, db, header):
    response = api.client.get("/v1/unit/", HTTP_AUTHORIZATION=header)
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response["Content-Language"] == "fi"


def test_an_expired_token_is_401(api, city):
    from tila.accounts.models import AuthToken
    from tila.accounts.services import token_create

    token = token_create(user=city.resident)
    AuthToken.objects.update(expires_at="2000-01-01T00:00:00Z")
    assert_error(api.client.get("/v1/unit/", HTTP_AUTHORIZATION=f"Bearer {token}"), 401, "not_authenticated")


def test_a_session_cookie_is_not_an_api_identity(api, city):
    api.client.force_login(city.resident)
    assert_error(api.get("/v1/reservation/"), 401, "not_authenticated")


def test_a_signed_in_operation_answers_401_before_looking_at_the_body(api, db):
    response = api.post("/v1/reservation/", "{broken")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")
