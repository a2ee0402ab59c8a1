"""Availability selectors. The city-wide SQL is checked against a brute-force Python reference."""

import contextlib
import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tila.booking.selectors import free_intervals, free_resources, next_free_slots, resource_availability
from tila.booking.services import reservation_create
from tila.catalogue.models import Resource
from tila.core.errors import DomainError
from tila.core.timeutil import subtract

pytestmark = pytest.mark.django_db
SLOT = dt.timedelta(minutes=30)


def test_resource_availability_subtracts_reservations_of_related_spaces(f, future_day):
    unit = f.unit(hours=[(d, dt.time(8), dt.time(20)) for d in range(7)])
    hall = f.resource(unit)
    half = f.resource(unit, parent=hall)
    f.resource(unit, parent=hall)
    reservation_create(actor=f.user(), resource=half, begin=f.at(future_day, 10), end=f.at(future_day, 12))
    a = resource_availability(resource=hall, begin=f.at(future_day, 0), end=f.at(future_day + dt.timedelta(days=1), 0))
    assert a.opening == [(f.at(future_day, 8), f.at(future_day, 20))]
    assert a.free == [(f.at(future_day, 8), f.at(future_day, 10)), (f.at(future_day, 12), f.at(future_day, 20))]
    assert a.reservations == []  # the booking is the half's, it only blocks the hall
    assert len(resource_availability(resource=half, begin=a.begin, end=a.end).reservations) == 1


def test_free_intervals_account_for_the_new_bookings_own_buffers(f, future_day):
    res = f.resource(buffer_before=dt.timedelta(minutes=30), buffer_after=dt.timedelta(minutes=30))
    reservation_create(actor=f.user(), resource=res, begin=f.at(future_day, 12), end=f.at(future_day, 13))
    # the existing booking occupies 11:30–13:30; a new one needs 30 min of its own buffer on each side
    a = resource_availability(resource=res, begin=f.at(future_day, 10), end=f.at(future_day, 16))
    assert a.free == [(f.at(future_day, 10), f.at(future_day, 11)), (f.at(future_day, 14), f.at(future_day, 16))]
    found = free_intervals(
        resources=Resource.objects.filter(pk=res.pk),
        start=f.at(future_day, 10),
        end=f.at(future_day, 16),
        duration=dt.timedelta(hours=1),
    )
    assert found == {res.pk: a.free}


def test_free_resources_filters_by_duration_and_slot_grid(f, future_day):
    unit = f.unit(hours=[(d, dt.time(8), dt.time(20)) for d in range(7)])
    busy = f.resource(unit, name_fi="Varattu")
    free = f.resource(unit, name_fi="Vapaa")
    hourly = f.resource(
        unit, name_fi="Tunneittain", slot_size=dt.timedelta(hours=1), buffer_after=dt.timedelta(minutes=30)
    )
    reservation_create(actor=f.user(), resource=busy, begin=f.at(future_day, 16), end=f.at(future_day, 19))
    # occupied 16:00–17:30 with its buffer: free from 17:30, which is off the hourly grid
    reservation_create(actor=f.user(), resource=hourly, begin=f.at(future_day, 16), end=f.at(future_day, 17))
    found = free_resources(
        resources=Resource.objects.filter(unit=unit),
        start=f.at(future_day, 16),
        end=f.at(future_day, 21),
        duration=dt.timedelta(hours=2),
    )
    by_id = {fr.resource_id: fr for fr in found}
    assert set(by_id) == {free.pk, hourly.pk}  # busy has only 19–20 left (closes at 20)
    assert by_id[free.pk].first_start == f.at(future_day, 16)
    assert by_id[hourly.pk].first_start == f.at(future_day, 18)  # 17:30 is off its hourly grid
    assert [fr.resource_id for fr in found] == [free.pk, hourly.pk]


def test_free_resources_can_ignore_opening_hours(f, future_day):
    unit = f.unit(hours=[(d, dt.time(8), dt.time(16)) for d in range(7)])
    res = f.resource(unit)
    qs = Resource.objects.filter(pk=res.pk)
    args = {"start": f.at(future_day, 17), "end": f.at(future_day, 21), "duration": dt.timedelta(hours=1)}
    assert free_resources(resources=qs, **args) == []
    assert [fr.resource_id for fr in free_resources(resources=qs, ignore_hours=True, **args)] == [res.pk]


def test_next_free_slots_skip_taken_time(f, future_day):
    unit = f.unit(hours=[(d, dt.time(8), dt.time(12)) for d in range(7)])
    res = f.resource(unit)
    reservation_create(actor=f.user(), resource=res, begin=f.at(future_day, 8), end=f.at(future_day, 11))
    slots = next_free_slots(resource=res, after=f.at(future_day, 0), duration=dt.timedelta(hours=2), limit=2)
    next_day = future_day + dt.timedelta(days=1)
    assert slots == [
        (f.at(next_day, 8), f.at(next_day, 10)),
        (f.at(next_day + dt.timedelta(days=1), 8), f.at(next_day + dt.timedelta(days=1), 10)),
    ]


bookings = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 30), st.integers(1, 8)), max_size=12)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    plan=bookings,
    window=st.tuples(st.integers(0, 24), st.integers(1, 24)),
    minutes=st.sampled_from([30, 60, 90, 180]),
    buffers=st.booleans(),
)
def test_city_wide_sql_agrees_with_a_python_reference(f, future_day, plan, window, minutes, buffers):
    """free_intervals (one SQL statement) == opening ∩ window − busy, per resource, on random data."""
    with transaction.atomic():
        unit = f.unit(hours=[(d, dt.time(7), dt.time(21)) for d in range(7)])
        hall = f.resource(unit, buffer_after=SLOT if buffers else None)
        nodes = [hall, f.resource(unit, parent=hall), f.resource(unit, parent=hall), f.resource(unit)]
        base = f.at(future_day, 6)
        for idx, start, length in plan:
            with contextlib.suppress(DomainError):  # taken or closed slots are simply skipped
                reservation_create(
                    actor=f.user(),
                    resource=nodes[idx],
                    begin=base + start * SLOT,
                    end=base + (start + length) * SLOT,
                    staff_override=False,
                )
        start, end = base + window[0] * SLOT, base + (window[0] + window[1]) * SLOT
        duration = dt.timedelta(minutes=minutes)
        got = free_intervals(
            resources=Resource.objects.filter(pk__in=[n.pk for n in nodes]), start=start, end=end, duration=duration
        )
        expected = {}
        for node in nodes:
            a = resource_availability(resource=node, begin=start, end=end)
            long_enough = [(b, e) for b, e in a.free if e - b >= duration]
            if long_enough:
                expected[node.pk] = long_enough
        assert got == expected
        assert subtract([(start, end)], []) == [(start, end)]
        transaction.set_rollback(True)
