"""/v1/hobby/ — JSON and the Linked Events form."""

import pytest
from django.urls import NoReverseMatch, reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _wired():
    try:
        reverse("api:hobbies")
    except NoReverseMatch:
        pytest.skip("tila.api.hobbies is not wired into tila/api/urls.py yet")


def test_list_filters_and_shape(client, group, time_machine):
    import datetime as dt

    time_machine.move_to(dt.datetime(2030, 9, 1, 12, tzinfo=dt.UTC))
    body = client.get("/v1/hobby/", {"age": 8, "weekday": 1, "max_price": 100}).json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["name"]["sv"] == "Innebandyklubb" and item["place"]["district"] == "vuosaari"
    assert item["times"] == [{"weekday": 1, "begins": "17:00", "ends": "18:00"}]
    assert (item["audience_min_age"], item["audience_max_age"], item["price"]) == (7, 10, "80.00")
    assert client.get("/v1/hobby/", {"age": 40}).json()["count"] == 0
    assert client.get("/v1/hobby/", {"free": "true"}).json()["count"] == 0


def test_linked_events_form(client, group, time_machine):
    import datetime as dt

    time_machine.move_to(dt.datetime(2030, 9, 1, 12, tzinfo=dt.UTC))
    body = client.get("/v1/hobby/", {"format": "linkedevents"}).json()
    assert body["meta"]["count"] == 1 and body["data"][0]["type_id"] == "Course"
    assert body["data"][0]["super_event_type"] == "recurring" and len(body["data"]) == 16
    one = client.get(f"/v1/hobby/{group.pk}/", {"format": "linkedevents"}).json()
    assert one["data"][1]["super_event"] == {"@id": one["data"][0]["@id"]}


def test_detail_and_errors(client, group):
    assert client.get(f"/v1/hobby/{group.pk}/").json()["id"] == group.pk
    assert client.get("/v1/hobby/0/").status_code == 404
    assert client.get("/v1/hobby/99999999999999999999/").status_code in (400, 404)
    bad = client.get("/v1/hobby/", {"format": "xml"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    assert client.get("/v1/hobby/", {"weekday": 9}).status_code == 400
