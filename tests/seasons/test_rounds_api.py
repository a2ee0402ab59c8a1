"""/v1/application_round/, /v1/application/ and /v1/allocation_run/ (tila.api.seasons)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests import factories as f
from tests.seasons import builders as b
from tila.accounts.services import token_create
from tila.seasons import decisions, runs
from tila.seasons.models import AllocationRun, RunStatus

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.seasons.urls")]


def _client(user=None) -> Client:
    """A client with the user's bearer token (the API does not use the session)."""
    if user is None:
        return Client()
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user)}")


def test_rounds_are_public_with_their_resources_and_whether_they_take_applications():
    c = b.city()
    round = b.open_round(c)
    listing = _client().get("/v1/application_round/").json()
    assert listing["count"] == 1
    item = listing["results"][0]
    assert item["accepting_applications"] is True and item["state"] == "open"
    assert {r["id"] for r in item["resources"]} == {"hall", "hall-a", "hall-b", "studio"}
    assert item["name"]["en"] == "Autumn season"
    assert _client().get(f"/v1/application_round/{round.pk}/").json()["id"] == round.pk
    assert _client().get("/v1/application_round/999999/").status_code == 404
    assert _client().get("/v1/application_round/?state=handled").json()["count"] == 0


def test_an_applicant_reads_their_applications_and_the_decisions_only_once_sent():
    c = b.city()
    round = b.open_round(c)
    application = b.apply(round, [b.section_data([c.half_a], [b.suitable(0, "17:00", "19:00")])])
    b.apply(round, [b.section_data([c.studio], [b.suitable(1, "17:00", "19:00")])])
    client = _client(application.user)
    listing = client.get("/v1/application/").json()
    assert [a["id"] for a in listing["results"]] == [application.pk]
    assert _client().get("/v1/application/").status_code == 401
    b.to_allocation(c, round)
    section = application.sections.get()
    decisions.allocation_add(
        actor=c.handler, section=section, resource="hall-a", weekday=0, begin=dt.time(17), end=dt.time(18)
    )
    decisions.round_accept(actor=c.handler, round=round)
    before = client.get(f"/v1/application/{application.pk}/").json()
    assert before["results_sent"] is False and before["sections"][0]["decisions"] == []
    decisions.round_results_send(actor=c.handler, round=round)
    after = client.get(f"/v1/application/{application.pk}/").json()
    (decision,) = after["sections"][0]["decisions"]
    assert (decision["resource"], decision["weekday"], decision["begin"], decision["state"]) == (
        "hall-a",
        0,
        "17:00",
        "accepted",
    )
    assert decision["series"] is not None
    assert _client(f.user()).get(f"/v1/application/{application.pk}/").status_code == 404


def test_staff_start_follow_and_cancel_a_run():
    c = b.city()
    round = b.open_round(c)
    b.apply(round, [b.section_data([c.half_a], [b.suitable(0, "17:00", "19:00")])])
    client = _client(c.handler)
    refused = client.post(f"/v1/application_round/{round.pk}/allocation_run/", {}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "invalid_state"
    b.to_allocation(c, round)
    assert (
        _client(f.user())
        .post(f"/v1/application_round/{round.pk}/allocation_run/", {}, content_type="application/json")
        .status_code
        == 404
    )
    bad = client.post(
        f"/v1/application_round/{round.pk}/allocation_run/", {"time_limit": 0}, content_type="application/json"
    )
    assert bad.status_code == 400
    started = client.post(
        f"/v1/application_round/{round.pk}/allocation_run/",
        {"time_limit": 5, "seed": 1},
        content_type="application/json",
    )
    assert started.status_code == 202
    run_id = started.json()["id"]
    assert started.json()["status"] == "queued"
    cancelled = client.post(f"/v1/allocation_run/{run_id}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = client.post(
        f"/v1/application_round/{round.pk}/allocation_run/", {"time_limit": 5}, content_type="application/json"
    )
    runs.allocation_run_execute(run_id=again.json()["id"], poll=0.05)
    body = client.get(f"/v1/allocation_run/{again.json()['id']}/").json()
    assert body["status"] == "done" and body["progress"] == 100 and body["allocations"] == 1
    assert body["objective"] <= body["bound"] + 1e-6 and body["gap"] is not None
    assert AllocationRun.objects.filter(status=RunStatus.DONE).count() == 1


def test_staff_accept_a_round_through_the_api():
    c = b.city()
    round = b.open_round(c)
    b.apply(round, [b.section_data([c.half_a], [b.suitable(0, "17:00", "19:00")])])
    b.to_allocation(c, round)
    client = _client(c.handler)
    run = client.post(
        f"/v1/application_round/{round.pk}/allocation_run/", {"time_limit": 5}, content_type="application/json"
    )
    runs.allocation_run_execute(run_id=run.json()["id"], poll=0.05)
    accepted = client.post(f"/v1/application_round/{round.pk}/accept/")
    assert accepted.status_code == 200
    body = accepted.json()
    assert (body["state"], body["series"], body["booked"]) == ("handled", 1, 8)
    assert client.post(f"/v1/application_round/{round.pk}/accept/").json()["code"] == "invalid_state"
