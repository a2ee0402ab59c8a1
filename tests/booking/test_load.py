"""Fast versions of the contention and stress benchmarks (bench/booking.py), run in CI on both
databases: many concurrent writers, exact outcomes, and an audit query that finds no overlap."""

import datetime as dt
import random
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from tila.booking.models import Occupancy, Reservation, State
from tila.booking.selectors import overlapping_active_reservations
from tila.booking.services import reservation_cancel, reservation_create, reservation_modify
from tila.core.errors import DomainError
from tila.notifications.models import OutboundEmail

pytestmark = pytest.mark.django_db(transaction=True)


def audit() -> int:
    return overlapping_active_reservations()


def run_threads(targets):
    threads = [threading.Thread(target=t) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)


def test_forty_clients_race_for_four_slots_and_exactly_four_win(f, future_day):
    unit = f.unit(hours=f.ALL_WEEK)
    rooms = [f.resource(unit) for _ in range(4)]
    people = [f.user() for _ in range(40)]
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []
    lock = threading.Lock()

    def client(i: int):
        def go():
            try:
                barrier.wait(timeout=60)
                reservation_create(
                    actor=people[i], resource=rooms[i % 4], begin=f.at(future_day, 18), end=f.at(future_day, 19)
                )
                result = "won"
            except DomainError as exc:
                result = exc.code
            except Exception as exc:  # recorded so that the assertion shows it
                result = repr(exc)
            finally:
                connections.close_all()
            with lock:
                outcomes.append(result)

        return go

    run_threads([client(i) for i in range(len(people))])
    assert sorted(outcomes) == sorted(["won"] * 4 + ["overlap"] * 36)
    assert Reservation.objects.filter(state=State.CONFIRMED).count() == 4
    assert audit() == 0


def test_random_concurrent_operations_on_a_divisible_tree_leave_no_overlap(f, future_day):
    unit = f.unit(hours=f.ALL_WEEK)
    hall = f.resource(unit)
    halves = [f.resource(unit, parent=hall) for _ in range(2)]
    courts = [f.resource(unit, parent=h) for h in halves for _ in range(2)]
    tree = [hall, *halves, *courts]
    base = f.at(future_day, 8)
    errors: list[str] = []
    codes: list[str] = []

    def worker(seed: int):
        def go():
            rng = random.Random(seed)
            person = f.user()
            mine: list[int] = []
            try:
                for _ in range(60):
                    begin = base + dt.timedelta(minutes=30 * rng.randrange(0, 12))
                    end = begin + dt.timedelta(minutes=30 * rng.randrange(1, 4))
                    kind = rng.choice(["create", "create", "modify", "cancel"]) if mine else "create"
                    try:
                        if kind == "create":
                            mine.append(
                                reservation_create(actor=person, resource=rng.choice(tree), begin=begin, end=end).pk
                            )
                        elif kind == "modify":
                            reservation_modify(actor=person, reservation=rng.choice(mine), begin=begin, end=end)
                        else:
                            reservation_cancel(actor=person, reservation=mine.pop(rng.randrange(len(mine))))
                        codes.append(f"{kind}:ok")
                    except DomainError as exc:
                        codes.append(f"{kind}:{exc.code}")
            except Exception as exc:  # any server error fails the test below
                errors.append(repr(exc))
            finally:
                connections.close_all()

        return go

    run_threads([worker(seed) for seed in range(4)])
    assert errors == []
    assert len(codes) == 240
    assert {c.split(":")[1] for c in codes} <= {"ok", "overlap"}
    assert any(c == "create:ok" for c in codes)
    assert any(c.endswith(":overlap") for c in codes)  # the tree was contended
    assert audit() == 0


postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="advisory locks are PostgreSQL's; SQLite's writer lock serialises"
)


def _advisory_locks_held() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
        return cursor.fetchone()[0]


@postgres_only
def test_an_uncontended_booking_writes_its_rows_and_takes_its_space_lock_in_one_statement(f, future_day):
    room = f.resource(f.unit(hours=f.ALL_WEEK))
    person = f.user()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        booked = reservation_create(actor=person, resource=room, begin=f.at(future_day, 10), end=f.at(future_day, 11))
        held = _advisory_locks_held()
    statements = [q["sql"] for q in queries.captured_queries]
    assert held == 1  # the leaf's lock, taken by the writing statement itself
    assert not [s for s in statements if s.startswith("SELECT pg_try_advisory_xact_lock")]
    writes = [s for s in statements if "INSERT INTO" in s]
    assert len(writes) == 1, writes
    for table in ("booking_reservation", "booking_occupancy", "notifications_outboundemail"):
        assert f'INSERT INTO "{table}"' in writes[0]
    assert "pg_try_advisory_xact_lock" in writes[0]
    assert Occupancy.objects.filter(space=room, reservation=booked).count() == 1
    email = OutboundEmail.objects.get(reservation=booked)
    assert (email.event, email.to, email.recipient) == ("confirmed", person.email, person)


@postgres_only
@pytest.mark.parametrize(("hh", "expected"), [(10, "overlap"), (11, "won")])
def test_a_booking_behind_another_writer_of_its_space_waits_for_it(f, future_day, hh, expected):
    """The folded try-lock found the space taken: nothing was inserted, the booking queued on the
    lock, and when the first writer committed it got `overlap` (same time) or its row (next hour)."""
    room = f.resource(f.unit(hours=f.ALL_WEEK))
    first, second = f.user(), f.user()
    holding, release = threading.Event(), threading.Event()
    outcome: dict[str, str] = {}

    def first_writer():
        try:
            with transaction.atomic():
                reservation_create(actor=first, resource=room, begin=f.at(future_day, 10), end=f.at(future_day, 11))
                holding.set()
                release.wait(timeout=60)
        finally:
            connections.close_all()

    def second_writer():
        holding.wait(timeout=60)
        try:
            reservation_create(actor=second, resource=room, begin=f.at(future_day, hh), end=f.at(future_day, hh + 1))
            outcome["second"] = "won"
        except DomainError as exc:
            outcome["second"] = exc.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first_writer), threading.Thread(target=second_writer)]
    for t in threads:
        t.start()
    assert holding.wait(timeout=60)
    with connection.cursor() as cursor:  # the second writer's backend waits on an advisory lock
        deadline = time.monotonic() + 30
        waiting = False
        while time.monotonic() < deadline and not waiting:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock' AND wait_event = 'advisory'"
            )
            waiting = cursor.fetchone()[0] == 1
            time.sleep(0.02)
    assert waiting, "the second booking should queue on the space's lock"
    assert "second" not in outcome
    release.set()
    for t in threads:
        t.join(timeout=60)
    assert outcome["second"] == expected
    assert Reservation.objects.filter(resource=room, state=State.CONFIRMED).count() == (2 if expected == "won" else 1)
    assert audit() == 0
