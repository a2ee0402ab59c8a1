"""The staff API actions: /v1/series/ (create, get, cancel, move) and /v1/closure/ (list, create)."""

import datetime as dt

import pytest

from tila.accounts.services import token_create
from tila.booking.models import ReservationSeries
from tila.booking.services import reservation_create

pytestmark = pytest.mark.django_db


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user)}"}


def post(client, path, data, user):
    return client.post(path, data, content_type="application/json", **auth(user))


def test_create_a_series_with_one_conflicting_week(client, f, next_monday):
    res = f.resource()
    handler = f.staff(res.unit)
    customer = f.user()
    second = next_monday + dt.timedelta(days=8)
    reservation_create(actor=f.user(), resource=res, begin=f.at(second, 18), end=f.at(second, 19))
    body = {
        "resource": res.pk,
        "weekdays": [1],
        "start_date": next_monday.isoformat(),
        "count": 3,
        "begin_time": "18:00",
        "end_time": "19:30",
        "user": str(customer.uuid),
        "event_subject": "Choir",
    }
    r = post(client, "/v1/series/", body, handler)
    assert r.status_code == 201, r.content
    data = r.json()
    assert len(data["occurrences"]) == 2 and {o["state"] for o in data["occurrences"]} == {"confirmed"}
    assert [(s["date"], s["code"]) for s in data["skipped"]] == [(second.isoformat(), "overlap")]
    assert data["user"] == str(customer.uuid)
    got = client.get(f"/v1/series/{data['id']}/", **auth(handler))
    assert got.status_code == 200 and got.json()["skipped"][0]["code"] == "overlap"


def test_a_series_nothing_of_which_can_be_booked_is_400_with_the_reasons(client, f, next_monday):
    unit = f.unit(hours=[(d, dt.time(8), dt.time(16)) for d in range(7)])
    res = f.resource(unit)
    body = {
        "resource": res.pk,
        "weekdays": [0, 1],
        "start_date": next_monday.isoformat(),
        "count": 2,
        "begin_time": "18:00",
        "end_time": "19:00",
    }
    r = post(client, "/v1/series/", body, f.staff(unit))
    assert r.status_code == 400
    assert r.json()["code"] == "series_empty" and len(r.json()["skipped"]) == 2
    assert "closed" in r.json()["skipped"][0]
    assert not ReservationSeries.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [({"weekdays": []}, "weekdays"), ({"count": None}, "until_date"), ({"end_time": "17:00"}, "end_time")],
)
def test_bad_series_input_is_400_on_the_field(client, f, next_monday, body, field):
    res = f.resource()
    data = {
        "resource": res.pk,
        "weekdays": [1],
        "start_date": next_monday.isoformat(),
        "count": 2,
        "begin_time": "18:00",
        "end_time": "19:00",
        **body,
    }
    r = post(client, "/v1/series/", data, f.staff(res.unit))
    assert r.status_code == 400 and field in r.json(), r.content


def test_residents_and_viewers_cannot_create_series(client, f, next_monday):
    res = f.resource()
    body = {
        "resource": res.pk,
        "weekdays": [1],
        "start_date": next_monday.isoformat(),
        "count": 2,
        "begin_time": "18:00",
        "end_time": "19:00",
    }
    assert post(client, "/v1/series/", body, f.user()).status_code == 403
    assert post(client, "/v1/series/", body, f.staff(res.unit, "viewer")).status_code == 403
    assert client.post("/v1/series/", body, content_type="application/json").status_code == 401


def test_cancel_and_move_the_rest_of_a_series(client, f, next_monday):
    res = f.resource()
    handler = f.staff(res.unit)
    body = {
        "resource": res.pk,
        "weekdays": [2],
        "start_date": next_monday.isoformat(),
        "count": 3,
        "begin_time": "10:00",
        "end_time": "11:00",
    }
    sid = post(client, "/v1/series/", body, handler).json()["id"]
    r = post(client, f"/v1/series/{sid}/move/", {"begin_time": "12:00", "end_time": "13:00"}, handler)
    assert r.status_code == 200, r.content
    assert len(r.json()["done"]) == 3 and r.json()["series"]["begin_time"] == "12:00"
    third = next_monday + dt.timedelta(days=16)
    r = post(client, f"/v1/series/{sid}/cancel/", {"from_date": third.isoformat(), "reason": "Holiday"}, handler)
    assert r.status_code == 200 and len(r.json()["done"]) == 1
    assert [o["state"] for o in r.json()["series"]["occurrences"]] == ["confirmed", "confirmed", "cancelled"]
    other = f.staff(f.unit())
    assert post(client, f"/v1/series/{sid}/cancel/", {}, other).status_code == 404
    assert client.get("/v1/series/99999999/", **auth(handler)).status_code == 404


def test_closures_are_created_and_listed_for_staff(client, f, future_day):
    res = f.resource()
    handler = f.staff(res.unit)
    body = {
        "resource": res.pk,
        "begin": f"{future_day}T08:00:00",
        "end": f"{future_day}T12:00:00",
        "staff_comment": "Floor works",
    }
    r = post(client, "/v1/closure/", body, handler)
    assert r.status_code == 201, r.content
    assert r.json()["begin"].startswith(f"{future_day}T08:00:00")
    assert post(client, "/v1/closure/", body, handler).json()["code"] == "overlap"
    assert post(client, "/v1/closure/", body, f.user()).status_code == 403
    listed = client.get("/v1/closure/", {"resource": res.pk}, **auth(handler)).json()
    assert listed["count"] == 1 and listed["results"][0]["staff_comment"] == "Floor works"
    assert client.get("/v1/closure/", **auth(f.user())).json()["count"] == 0


def test_the_staff_operations_are_in_the_openapi_document(client):
    paths = client.get("/v1/openapi.json").json()["paths"]
    assert {"/v1/series/", "/v1/series/{series_id}/cancel/", "/v1/series/{series_id}/move/", "/v1/closure/"} <= set(
        paths
    )
