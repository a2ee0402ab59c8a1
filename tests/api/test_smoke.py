import pytest

pytestmark = pytest.mark.django_db


def token_for(client, user):
    r = client.post(
        "/v1/auth/token/", {"email": user.email, "password": "correct horse battery"}, content_type="application/json"
    )
    assert r.status_code == 200, r.content
    return {"HTTP_AUTHORIZATION": f"Bearer {r.json()['token']}"}


def test_find_book_cancel_journey(client, f, future_day):
    res = f.resource(people_capacity=12)
    person = f.user()
    auth = token_for(client, person)
    start = f.at(future_day, 16).isoformat()
    end = f.at(future_day, 21).isoformat()
    r = client.get("/v1/resource/", {"start": start, "end": end, "duration": 120, "people": 10})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["count"] == 1
    assert body["results"][0]["id"] == res.pk
    assert body["results"][0]["available_hours"]
    r = client.post(
        "/v1/reservation",
        {"resource": res.pk, "begin": start, "end": f.at(future_day, 18).isoformat()},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    assert r.json()["state"] == "confirmed"
    r = client.post(
        "/v1/reservation/",
        {"resource": res.pk, "begin": start, "end": f.at(future_day, 18).isoformat()},
        content_type="application/json",
        **token_for(client, f.user()),
    )
    assert r.status_code == 400
    assert r.json()["code"] == "overlap"
    r = client.delete(f"/v1/reservation/{rid}/", **auth)
    assert r.status_code == 204
    r = client.get("/v1/openapi.json")
    assert r.status_code == 200
    assert "/v1/reservation/" in r.json()["paths"]


def test_bad_json_is_400(client, f):
    auth = token_for(client, f.user())
    r = client.post("/v1/reservation/", "{nope", content_type="application/json", **auth)
    assert r.status_code == 400
    assert r.json()["code"] == "invalid"
    r = client.post(
        "/v1/reservation/", {"resource": "x", "begin": "garbage", "end": 3}, content_type="application/json", **auth
    )
    assert r.status_code == 400, r.content
    assert "begin" in r.json()
