"""/v1/reservation/: book, see, move and cancel; staff approve and deny; every engine rejection."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests.api.conftest import book, slot
from tests.api.test_contract import assert_error
from tila.booking.models import Occupancy, Reservation
from tila.catalogue.models import Resource

pytestmark = pytest.mark.django_db


def configure(resource: Resource, **rules) -> None:
    Resource.objects.filter(pk=resource.pk).update(**rules)


# --- Booking ----------------------------------------------------------------------------------------


def test_booking_returns_201_with_the_confirmed_reservation_in_local_time(api, city, future_day):
    response = book(api, city.resident, city.room, future_day, 10, event_subject="Lukupiiri", number_of_participants=5)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "confirmed"
    assert body["resource"] == "room"
    assert body["user"] == str(city.resident.uuid)
    assert body["is_own"] is True
    assert body["event_subject"] == "Lukupiiri"
    assert body["number_of_participants"] == 5
    assert body["need_manual_confirmation"] is False
    assert body["begin"] == factories.at(future_day, 10).isoformat()
    assert body["url"] == f"http://testserver/v1/reservation/{body['id']}/"
    assert body["reserver_email"] == city.resident.email  # defaults to the account's


def test_a_resource_needing_confirmation_gives_a_requested_reservation(api, city, future_day):
    configure(city.room, need_manual_confirmation=True)
    body = book(api, city.resident, city.room, future_day, 10).json()
    assert body["state"] == "requested"
    assert body["need_manual_confirmation"] is True


def test_a_time_without_an_offset_is_the_resources_local_time(api, city, future_day):
    body = {"resource": "room", "begin": f"{future_day}T10:00:00", "end": f"{future_day}T11:00:00"}
    response = api.post("/v1/reservation/", body, user=city.resident)
    assert response.status_code == 201, response.content
    assert response.json()["begin"] == factories.at(future_day, 10).isoformat()


def test_a_time_in_another_offset_is_the_same_instant(api, city, future_day):
    begin = factories.at(future_day, 10).astimezone(dt.UTC)
    body = {"resource": "room", "begin": begin.isoformat(), "end": (begin + dt.timedelta(hours=1)).isoformat()}
    response = api.post("/v1/reservation/", body, user=city.resident)
    assert response.json()["begin"] == factories.at(future_day, 10).isoformat()


def test_a_client_may_send_back_what_it_read(api, city, future_day):
    """The 6Aika PUT takes the whole reservation object; read-only fields are accepted unchanged."""
    read = book(api, city.resident, city.room, future_day, 10).json()
    moved = {**read, **slot(future_day, 12)}
    response = api.put(f"/v1/reservation/{read['id']}/", moved, user=city.resident)
    assert response.status_code == 200, response.content
    assert response.json()["begin"] == factories.at(future_day, 12).isoformat()


@pytest.mark.parametrize(("field", "value"), [("state", "confirmed"), ("type", "blocked"), ("id", 999999)])
def test_a_read_only_field_cannot_be_changed(api, city, future_day, field, value):
    configure(city.room, need_manual_confirmation=True)
    read = book(api, city.resident, city.room, future_day, 10).json()
    error = assert_error(
        api.patch(f"/v1/reservation/{read['id']}/", {field: value}, user=city.resident), 400, "read_only"
    )
    assert field in error
    assert Reservation.objects.get(pk=read["id"]).state == "requested"


# --- Every rejection the engine can give passes through unchanged -------------------------------------


def _past_day():
    return timezone.localdate() - dt.timedelta(days=1)


REJECTIONS = {
    "not_reservable": ({"reservable": False}, lambda day: {"resource": "room", **slot(day, 10)}),
    "not_reservable_unknown": ({}, lambda day: {"resource": "no-such-room", **slot(day, 10)}),
    "invalid_range": (
        {},
        lambda day: {"resource": "room", "begin": slot(day, 11)["begin"], "end": slot(day, 10)["begin"]},
    ),
    "in_past": ({}, lambda day: {"resource": "room", **slot(_past_day(), 10)}),
    "too_late": ({"reservable_min_days_in_advance": 30}, lambda day: {"resource": "room", **slot(day, 10)}),
    "too_early": ({"reservable_max_days_in_advance": 2}, lambda day: {"resource": "room", **slot(day, 10)}),
    "duration_too_short": (
        {"min_period": dt.timedelta(hours=2)},
        lambda day: {"resource": "room", **slot(day, 10, minutes=60)},
    ),
    "duration_too_long": (
        {"max_period": dt.timedelta(hours=1)},
        lambda day: {"resource": "room", **slot(day, 10, minutes=90)},
    ),
    "not_aligned": ({}, lambda day: {"resource": "room", **slot(day, 10, 10)}),
    "closed": ({}, lambda day: {"resource": "room", **slot(day, 21, 30)}),
    "capacity_exceeded": ({}, lambda day: {"resource": "room", **slot(day, 10), "number_of_participants": 11}),
}


@pytest.mark.parametrize("case", list(REJECTIONS))
def test_a_rejected_booking_is_400_with_the_engines_code(api, city, future_day, case):
    rules, body = REJECTIONS[case]
    configure(city.room, **rules)
    response = api.post("/v1/reservation/", body(future_day), user=city.resident)
    error = assert_error(response, 400, case.removesuffix("_unknown"))
    assert not Reservation.objects.exists()
    assert error["non_field_errors"][0]


def test_a_booking_over_the_quota_is_quota_exceeded(api, city, future_day):
    configure(city.room, max_reservations_per_user=1)
    assert book(api, city.resident, city.room, future_day, 10).status_code == 201
    assert_error(book(api, city.resident, city.room, future_day, 12), 400, "quota_exceeded")
    assert book(api, city.other_resident, city.room, future_day, 12).status_code == 201


def test_a_booking_over_another_is_overlap_also_through_the_space_tree(api, city, future_day):
    half = factories.resource(parent=city.room, rid="room-half")
    assert book(api, city.resident, city.room, future_day, 10).status_code == 201
    error = assert_error(book(api, city.other_resident, city.room, future_day, 10), 400, "overlap")
    assert "begin" in error
    assert_error(book(api, city.other_resident, half, future_day, 10), 400, "overlap")


def test_a_residents_closure_or_booking_for_someone_else_is_403(api, city, future_day):
    blocked = {"resource": "room", **slot(future_day, 10), "type": "blocked"}
    assert_error(api.post("/v1/reservation/", blocked, user=city.resident), 403, "permission_denied")
    for_other = {"resource": "room", **slot(future_day, 10), "user": str(city.other_resident.uuid)}
    assert_error(api.post("/v1/reservation/", for_other, user=city.resident), 403, "permission_denied")
    override = {"resource": "room", **slot(future_day, 21, 30), "staff_override": True}
    assert_error(api.post("/v1/reservation/", override, user=city.resident), 403, "permission_denied")


def test_a_residents_booking_asks_nothing_about_staff_roles(api, city, future_day):
    """The process knows who holds any unit role (refreshed every 30 s): no roles query per booking."""
    assert book(api, city.resident, city.room, future_day, 10).status_code == 201  # may load the holders
    with CaptureQueriesContext(connection) as queries:
        assert book(api, city.resident, city.room, future_day, 12).status_code == 201
    assert not [q for q in queries.captured_queries if "accounts_unitrole" in q["sql"]]
    with CaptureQueriesContext(connection) as queries:  # a handler's roles are always asked
        body = {"resource": "room", **slot(future_day, 14), "type": "blocked"}
        assert api.post("/v1/reservation/", body, user=city.handler).status_code == 201
    assert [q for q in queries.captured_queries if "accounts_unitrole" in q["sql"]]


def test_a_booking_asks_its_leaf_spaces_hours_and_price_in_one_statement(api, city, future_day):
    """tila.core.db.Probe: the three lookups every booking makes travel together."""
    with CaptureQueriesContext(connection) as queries:
        assert book(api, city.resident, city.room, future_day, 10).status_code == 201
    tables = ("catalogue_resourceleaf", "hours_openinginterval", "payments_pricerule")
    asking = [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in tables)]
    assert len(asking) == 1
    assert all(t in asking[0] for t in tables)


def test_a_role_granted_in_this_process_counts_at_once_and_one_removed_is_gone_at_once(api, city, future_day):
    from tila.accounts.models import Role, UnitRole

    closure = {"resource": "room", **slot(future_day, 10), "type": "blocked"}
    assert api.post("/v1/reservation/", closure, user=city.resident).status_code == 403
    role = UnitRole.objects.create(user=city.resident, unit=city.unit, role=Role.HANDLER)
    assert api.post("/v1/reservation/", closure, user=city.resident).status_code == 201
    role.delete()
    closure = {"resource": "room", **slot(future_day, 12), "type": "blocked"}
    assert api.post("/v1/reservation/", closure, user=city.resident).status_code == 403


def test_a_handler_by_token_is_still_staff(api, city, future_day):
    body = {"resource": "room", **slot(future_day, 21, 30), "staff_override": True, "type": "blocked"}
    assert api.post("/v1/reservation/", body, user=city.handler).status_code == 201
    assert api.post("/v1/reservation/", body | slot(future_day, 12), user=city.other_handler).status_code == 403


def test_booking_without_a_token_is_401(api, city, future_day):
    assert_error(api.post("/v1/reservation/", {"resource": "room", **slot(future_day, 10)}), 401, "not_authenticated")


def test_a_hidden_resource_cannot_be_booked_by_a_resident(api, city, future_day):
    assert_error(book(api, city.resident, city.hidden, future_day, 10), 400, "not_reservable")


# --- Staff booking ------------------------------------------------------------------------------------


def test_a_handler_books_for_a_customer_outside_the_rules(api, city, future_day):
    body = {"resource": "room", **slot(future_day, 22), "user": str(city.resident.uuid), "staff_override": True}
    response = api.post("/v1/reservation/", body, user=city.handler)
    assert response.status_code == 201, response.content
    assert response.json()["user"] == str(city.resident.uuid)
    assert response.json()["is_own"] is False
    assert api.get(f"/v1/reservation/{response.json()['id']}/", user=city.resident).json()["is_own"] is True


def test_a_handler_makes_a_closure(api, city, future_day):
    response = api.post(
        "/v1/reservation/", {"resource": "room", **slot(future_day, 10), "type": "blocked"}, user=city.handler
    )
    assert response.status_code == 201, response.content
    assert (response.json()["type"], response.json()["user"]) == ("blocked", None)
    assert_error(book(api, city.resident, city.room, future_day, 10), 400, "overlap")


@pytest.mark.parametrize("role", ["viewer", "other_handler"])
def test_staff_without_the_handle_right_here_cannot_book_for_others(api, city, future_day, role):
    body = {"resource": "room", **slot(future_day, 10), "user": str(city.resident.uuid)}
    assert_error(api.post("/v1/reservation/", body, user=city.who(role)), 403, "permission_denied")


# --- Seeing -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "personal"),
    [
        ("anonymous", 401, None),
        ("resident", 200, True),
        ("other_resident", 404, None),
        ("other_handler", 404, None),
        ("viewer", 200, True),
        ("handler", 200, True),
        ("superuser", 200, True),
    ],
)
def test_a_reservation_is_visible_to_its_owner_and_the_units_staff(api, city, future_day, role, status, personal):
    rid = book(api, city.resident, city.room, future_day, 10, event_subject="Kerho").json()["id"]
    response = api.get(f"/v1/reservation/{rid}/", user=city.who(role))
    assert response.status_code == status
    if personal:
        assert response.json()["event_subject"] == "Kerho"
        assert response.json()["reserver_email"] == city.resident.email


@pytest.mark.parametrize(
    ("role", "expected"),
    [("resident", {"mine"}), ("other_resident", {"theirs"}), ("viewer", {"mine", "theirs"}), ("other_handler", set())],
)
def test_the_list_shows_own_reservations_and_for_staff_their_units(api, city, future_day, role, expected):
    book(api, city.resident, city.room, future_day, 10, event_subject="mine")
    book(api, city.other_resident, city.room, future_day, 12, event_subject="theirs")
    body = api.get("/v1/reservation/", user=city.who(role)).json()
    assert {r["event_subject"] for r in body["results"]} == expected
    assert body["count"] == len(expected)


def test_the_list_leaves_out_past_reservations_unless_asked(api, city, future_day):
    past = factories.at(timezone.localdate() - dt.timedelta(days=3), 10)
    Reservation.objects.create(resource=city.room, user=city.resident, begin=past, end=past + dt.timedelta(hours=1))
    book(api, city.resident, city.room, future_day, 10)
    assert api.get("/v1/reservation/", user=city.resident).json()["count"] == 1
    assert api.get("/v1/reservation/", {"all": "true"}, user=city.resident).json()["count"] == 2
    window = {"start": (past - dt.timedelta(hours=1)).isoformat(), "end": (past + dt.timedelta(hours=2)).isoformat()}
    assert api.get("/v1/reservation/", window, user=city.resident).json()["count"] == 1


def test_the_list_filters_by_resource_unit_state_and_ownership(api, city, future_day):
    configure(city.other_room, need_manual_confirmation=True)
    book(api, city.resident, city.room, future_day, 10)
    book(api, city.resident, city.other_room, future_day, 10)
    book(api, city.handler, city.room, future_day, 12)
    assert api.get("/v1/reservation/", {"resource": "studio"}, user=city.resident).json()["count"] == 1
    assert api.get("/v1/reservation/", {"unit": "tprek:100"}, user=city.resident).json()["count"] == 1
    assert api.get("/v1/reservation/", {"state": "requested"}, user=city.resident).json()["count"] == 1
    assert api.get("/v1/reservation/", {"is_own": "true"}, user=city.handler).json()["count"] == 1
    assert api.get("/v1/reservation/", {"is_own": "false"}, user=city.handler).json()["count"] == 1


# --- Moving and editing ----------------------------------------------------------------------------------


def test_the_owner_moves_a_reservation_and_the_old_slot_is_free(api, city, future_day):
    rid = book(api, city.resident, city.room, future_day, 10).json()["id"]
    response = api.patch(f"/v1/reservation/{rid}/", slot(future_day, 14), user=city.resident)
    assert response.status_code == 200, response.content
    assert response.json()["begin"] == factories.at(future_day, 14).isoformat()
    assert book(api, city.other_resident, city.room, future_day, 10).status_code == 201


def test_a_move_follows_the_same_rules_as_booking(api, city, future_day):
    rid = book(api, city.resident, city.room, future_day, 10).json()["id"]
    book(api, city.other_resident, city.room, future_day, 14)
    assert_error(api.patch(f"/v1/reservation/{rid}/", slot(future_day, 14), user=city.resident), 400, "overlap")
    assert_error(api.patch(f"/v1/reservation/{rid}/", slot(future_day, 21, 30), user=city.resident), 400, "closed")
    assert_error(
        api.patch(f"/v1/reservation/{rid}/", {"number_of_participants": 50}, user=city.resident),
        400,
        "capacity_exceeded",
    )


def test_a_moved_reservation_needing_confirmation_is_requested_again(api, city, future_day):
    configure(city.room, need_manual_confirmation=True)
    rid = book(api, city.resident, city.room, future_day, 10).json()["id"]
    api.post(f"/v1/reservation/{rid}/approve/", user=city.handler)
    response = api.patch(f"/v1/reservation/{rid}/", slot(future_day, 12), user=city.resident)
    assert response.json()["state"] == "requested"


def test_put_needs_resource_begin_and_end(api, city, future_day):
    rid = book(api, city.resident, city.room, future_day, 10).json()["id"]
    error = assert_error(api.put(f"/v1/reservation/{rid}/", {"event_subject": "x"}, user=city.resident), 400, "invalid")
    assert "resource" in error


def test_a_reservation_cannot_be_moved_to_another_resource(api, city, future_day):
    rid = book(api, city.resident, city.room, future_day, 10).json()["id"]
    body = {"resource": "studio", **slot(future_day, 10)}
    assert_error(api.put(f"/v1/reservation/{rid}/", body, user=city.resident), 400, "resource_change_not_allowed")


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("other_resident", 404), ("other_handler", 404), ("viewer", 403), ("handler", 200)],
)
def test_only_the_owner_and_the_units_handlers_change_a_reservation(api, city, future_day, role, status):
    rid = book(api, city.resident, city.room, future_day, 10).json()["id"]
    response = api.patch(f"/v1/reservation/{rid}/", {"event_subject": "changed"}, user=city.who(role))
    assert response.status_code == status
    assert (Reservation.objects.get(pk=rid).event_subject == "changed") == (status == 200)


# --- Cancelling -------------------------------------------------------------------------------------------


def test_cancelling_keeps_the_reservation_as_history_and_frees_the_slot(api, city, future_day):
    rid = book(api, city.resident, city.room, future_day, 10).json()["id"]
    response = api.delete(f"/v1/reservation/{rid}/", user=city.resident)
    assert response.status_code == 204
    assert response.content == b""
    assert Reservation.objects.get(pk=rid).state == "cancelled"
    assert not Occupancy.objects.filter(reservation_id=rid).exists()
    assert api.get(f"/v1/reservation/{rid}/", user=city.resident).json()["state"] == "cancelled"
    assert book(api, city.other_resident, city.room, future_day, 10).status_code == 201


def test_a_cancelled_reservation_cannot_be_cancelled_again(api, city, future_day):
    rid = book(api, city.resident, city.room, future_day, 10).json()["id"]
    api.delete(f"/v1/reservation/{rid}/", user=city.resident)
    assert_error(api.delete(f"/v1/reservation/{rid}/", user=city.resident), 400, "not_active")


def test_a_resident_cannot_cancel_after_the_cutoff(api, city, future_day):
    rid = book(api, city.resident, city.room, future_day, 10).json()["id"]
    configure(city.room, cancel_cutoff=dt.timedelta(days=30))
    assert_error(api.delete(f"/v1/reservation/{rid}/", user=city.resident), 400, "cutoff_passed")
    assert api.delete(f"/v1/reservation/{rid}/", user=city.handler).status_code == 204


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("other_resident", 404),
        ("other_handler", 404),
        ("viewer", 403),
        ("handler", 204),
        ("superuser", 204),
    ],
)
def test_only_the_owner_and_the_units_handlers_cancel(api, city, future_day, role, status):
    rid = book(api, city.resident, city.room, future_day, 10).json()["id"]
    assert api.delete(f"/v1/reservation/{rid}/", user=city.who(role)).status_code == status
    assert (Reservation.objects.get(pk=rid).state == "cancelled") == (status == 204)


# --- Approving and denying ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("resident", 403),
        ("other_resident", 404),
        ("viewer", 403),
        ("other_handler", 404),
        ("handler", 200),
        ("admin", 200),
        ("superuser", 200),
    ],
)
@pytest.mark.parametrize(("action", "state"), [("approve", "confirmed"), ("deny", "denied")])
def test_only_the_units_handlers_approve_or_deny(api, city, future_day, role, status, action, state):
    configure(city.room, need_manual_confirmation=True)
    rid = book(api, city.resident, city.room, future_day, 10).json()["id"]
    response = api.post(f"/v1/reservation/{rid}/{action}/", user=city.who(role))
    assert response.status_code == status, response.content
    final = Reservation.objects.get(pk=rid).state
    assert final == (state if status == 200 else "requested")
    if status == 200:
        assert response.json()["state"] == state


def test_denying_gives_a_reason_and_frees_the_slot(api, city, future_day):
    configure(city.room, need_manual_confirmation=True)
    rid = book(api, city.resident, city.room, future_day, 10).json()["id"]
    response = api.post(f"/v1/reservation/{rid}/deny/", {"reason": "Sali on remontissa."}, user=city.handler)
    assert response.status_code == 200, response.content
    assert Reservation.objects.get(pk=rid).deny_reason == "Sali on remontissa."
    assert book(api, city.other_resident, city.room, future_day, 10).json()["state"] == "requested"


def test_only_requested_reservations_are_approved(api, city, future_day):
    rid = book(api, city.resident, city.room, future_day, 10).json()["id"]
    assert_error(api.post(f"/v1/reservation/{rid}/approve/", user=city.handler), 400, "not_requested")


# --- Daylight saving ----------------------------------------------------------------------------------------


def test_local_times_keep_their_wall_clock_across_the_daylight_saving_change(api, db):
    """Europe/Helsinki moves to +03:00 on the last Sunday of March; 10:00 stays 10:00 and the offset follows."""
    import time_machine

    from tests.api.conftest import build_city

    with time_machine.travel(dt.datetime(2030, 3, 20, 12, tzinfo=dt.UTC), tick=False):
        city = build_city()
        before = api.post(
            "/v1/reservation/",
            {"resource": "room", "begin": "2030-03-30T10:00", "end": "2030-03-30T11:00"},
            user=city.resident,
        )
        after = api.post(
            "/v1/reservation/",
            {"resource": "room", "begin": "2030-03-31T10:00", "end": "2030-03-31T11:00"},
            user=city.resident,
        )
        assert (before.status_code, after.status_code) == (201, 201), (before.content, after.content)
        assert before.json()["begin"] == "2030-03-30T10:00:00+02:00"
        assert after.json()["begin"] == "2030-03-31T10:00:00+03:00"
        day = api.get("/v1/resource/room/", {"start": "2030-03-31T00:00", "end": "2030-04-01T00:00"}).json()
        assert day["opening_hours"] == [{"opens": "2030-03-31T08:00:00+03:00", "closes": "2030-03-31T22:00:00+03:00"}]
