"""The no-double-booking invariant, proven against the database on SQLite and PostgreSQL."""

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tila.booking.models import Occupancy, Reservation, State
from tila.booking.services import reservation_cancel, reservation_create, reservation_modify
from tila.catalogue.models import ResourceLeaf
from tila.core.errors import DomainError

OVERLAP_AUDIT = """
    SELECT COUNT(*) FROM booking_occupancy a JOIN booking_occupancy b
      ON a.space_id = b.space_id AND a.id < b.id AND a.begin < b."end" AND b.begin < a."end"
"""


def overlapping_pairs() -> int:
    with connection.cursor() as cursor:
        cursor.execute(OVERLAP_AUDIT)
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_database_refuses_overlapping_occupancy_rows_even_without_the_engine(f, future_day):
    """Bypass every Python check: the schema itself refuses the second row."""
    res = f.resource()
    person = f.user()
    first = reservation_create(actor=person, resource=res, begin=f.at(future_day, 10), end=f.at(future_day, 11))
    second = Reservation.objects.create(resource=res, user=person, begin=first.begin, end=first.end)
    with pytest.raises(IntegrityError), transaction.atomic():
        Occupancy.objects.create(
            reservation=second, space=res, begin=f.at(future_day, 10, 30), end=f.at(future_day, 12)
        )
    # touching ranges are allowed: intervals are half-open
    Occupancy.objects.create(reservation=second, space=res, begin=f.at(future_day, 11), end=f.at(future_day, 12))
    # and an update into the taken range is refused too
    row = Occupancy.objects.get(reservation=second)
    row.begin = f.at(future_day, 9)
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_workers_race_for_one_slot_and_exactly_one_wins(f, future_day):
    hall = f.resource()
    half = f.resource(parent=hall)
    f.resource(parent=hall)
    people = [f.user() for _ in range(20)]
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(i: int) -> None:
        # Alternate between the hall and one of its halves: they contain one another.
        target = hall if i % 2 else half
        try:
            barrier.wait(timeout=30)
            reservation_create(actor=people[i], resource=target, begin=f.at(future_day, 18), end=f.at(future_day, 19))
            result = "won"
        except DomainError as exc:
            result = exc.code
        except Exception as exc:
            result = repr(exc)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(len(people))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(outcomes) == sorted(["won"] + ["overlap"] * 19)
    assert Reservation.objects.filter(state=State.CONFIRMED).count() == 1
    assert overlapping_pairs() == 0


# --- Property test against a pure-Python oracle -----------------------------------------------

SLOT = dt.timedelta(minutes=30)

tree_shapes = st.sampled_from(
    [
        [None],  # a single space
        [None, 0, 0],  # a hall with two halves
        [None, 0, 0, 1, 1, 2],  # hall, halves, courts
        [None, 0, None, 2, 2, 3],  # two trees, one three levels deep
    ]
)
op = st.tuples(
    st.sampled_from(["create", "create", "modify", "cancel"]),
    st.integers(0, 5),  # resource index / reservation index
    st.integers(0, 20),  # start slot
    st.integers(1, 6),  # length in slots
)


class Oracle:
    def __init__(self, leaves: dict[int, set[int]], buffers_after: dict[int, dt.timedelta]):
        self.leaves = leaves
        self.buffers_after = buffers_after
        self.active: dict[int, tuple[int, dt.datetime, dt.datetime]] = {}

    def span(self, res: int, begin: dt.datetime, end: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        return begin, end + self.buffers_after[res]

    def accepts(self, res: int, begin: dt.datetime, end: dt.datetime, ignore: int | None = None) -> bool:
        b, e = self.span(res, begin, end)
        for rid, (other, ob, oe) in self.active.items():
            if rid == ignore or not (self.leaves[res] & self.leaves[other]):
                continue
            sb, se = self.span(other, ob, oe)
            if b < se and sb < e:
                return False
        return True


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shape=tree_shapes, ops=st.lists(op, min_size=1, max_size=25), buffered=st.booleans())
def test_random_operations_agree_with_the_oracle_and_never_overlap(f, future_day, shape, ops, buffered):
    with transaction.atomic():
        unit = f.unit(hours=f.ALL_WEEK)
        nodes = []
        for i, parent in enumerate(shape):
            buffer = SLOT if buffered and i % 2 else dt.timedelta(0)
            nodes.append(f.resource(unit, parent=nodes[parent] if parent is not None else None, buffer_after=buffer))
        leaves = {
            i: set(ResourceLeaf.objects.filter(resource=node).values_list("leaf_id", flat=True))
            for i, node in enumerate(nodes)
        }
        oracle = Oracle(leaves, {i: node.buffer_after or dt.timedelta(0) for i, node in enumerate(nodes)})
        person = f.user()
        base = f.at(future_day, 8)
        made: list[int] = []
        index_of = {node.pk: i for i, node in enumerate(nodes)}
        for kind, idx, start, length in ops:
            begin, end = base + start * SLOT, base + (start + length) * SLOT
            if kind == "create":
                res = idx % len(nodes)
                expected = oracle.accepts(res, begin, end)
                try:
                    r = reservation_create(actor=person, resource=nodes[res], begin=begin, end=end)
                    oracle.active[r.pk] = (res, begin, end)
                    made.append(r.pk)
                    got = True
                except DomainError as exc:
                    assert exc.code == "overlap"
                    got = False
                assert got == expected
            elif made:
                rid = made[idx % len(made)]
                if rid not in oracle.active:
                    continue
                res = oracle.active[rid][0]
                if kind == "cancel":
                    reservation_cancel(actor=person, reservation=rid)
                    del oracle.active[rid]
                    continue
                expected = oracle.accepts(res, begin, end, ignore=rid)
                try:
                    reservation_modify(actor=person, reservation=rid, begin=begin, end=end)
                    oracle.active[rid] = (res, begin, end)
                    got = True
                except DomainError as exc:
                    assert exc.code == "overlap"
                    got = False
                assert got == expected
        assert overlapping_pairs() == 0
        db_active = {
            r.pk: (index_of[r.resource_id], r.begin, r.end)
            for r in Reservation.objects.filter(state=State.CONFIRMED, resource__in=nodes)
        }
        assert db_active == oracle.active
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_overlap_audit_finds_overlaps_the_engine_would_have_refused(f, future_day):
    """Rows written around the engine (no occupancy): the audit must see them, on shared leaves only."""
    from tila.booking.selectors import overlapping_active_reservations

    unit = f.unit()
    hall = f.resource(unit)
    halves = [f.resource(unit, parent=hall) for _ in range(2)]
    person = f.user()

    def row(resource, begin, end, state=State.CONFIRMED):
        return Reservation.objects.create(
            resource=resource, user=person, begin=f.at(future_day, begin), end=f.at(future_day, end), state=state
        )

    row(halves[0], 10, 12)
    row(halves[1], 10, 12)  # the other half: no shared leaf
    row(halves[0], 12, 13)  # touching is not overlapping
    row(halves[0], 10, 11, state=State.CANCELLED)  # not active
    assert overlapping_active_reservations() == 0
    row(hall, 11, 12)  # the whole hall shares both halves' leaves: once on each
    assert overlapping_active_reservations() == 2
    row(halves[1], 8, 14)  # begins first on its leaf, so the two later rows there now overlap it
    assert overlapping_active_reservations() == 3
