"""Catalogue services: the space tree, its closure and permissions."""

import datetime as dt

import pytest

from tila.booking.models import Occupancy
from tila.booking.services import reservation_create
from tila.catalogue.models import ResourceLeaf
from tila.catalogue.selectors import related_resource_ids, resource_rules
from tila.catalogue.services import resource_delete, resource_parent_check, resource_update
from tila.core.errors import DomainError, PermissionDenied

pytestmark = pytest.mark.django_db


def leaves(resource):
    return set(ResourceLeaf.objects.filter(resource=resource).values_list("leaf_id", flat=True))


def test_closure_lists_the_leaf_spaces_each_resource_covers(f):
    hall = f.resource()
    half_a, half_b = f.resource(parent=hall), f.resource(parent=hall)
    court = f.resource(parent=half_a)
    court2 = f.resource(parent=half_a)
    assert leaves(hall) == {court.pk, court2.pk, half_b.pk}
    assert leaves(half_a) == {court.pk, court2.pk}
    assert leaves(half_b) == {half_b.pk}
    assert set(related_resource_ids(court.pk)) == {court.pk, half_a.pk, hall.pk}


def test_adding_a_part_moves_existing_bookings_onto_the_new_leaf(f, future_day):
    hall = f.resource()
    booking = reservation_create(actor=f.user(), resource=hall, begin=f.at(future_day, 10), end=f.at(future_day, 11))
    half = f.resource(parent=hall)
    assert set(Occupancy.objects.filter(reservation=booking).values_list("space_id", flat=True)) == {half.pk}
    with pytest.raises(DomainError) as info:
        reservation_create(actor=f.user(), resource=half, begin=f.at(future_day, 10), end=f.at(future_day, 11))
    assert info.value.code == "overlap"


def test_moving_a_space_under_a_booked_one_is_refused_when_bookings_would_overlap(f, future_day):
    hall, room = f.resource(), f.resource()
    unit_room = f.resource(hall.unit)
    reservation_create(actor=f.user(), resource=hall, begin=f.at(future_day, 10), end=f.at(future_day, 12))
    reservation_create(actor=f.user(), resource=unit_room, begin=f.at(future_day, 11), end=f.at(future_day, 13))
    with pytest.raises(DomainError) as info:
        resource_update(actor=None, resource=unit_room, parent=hall)
    assert info.value.code == "overlap"
    unit_room.refresh_from_db()
    assert unit_room.parent_id is None  # nothing was half-written
    with pytest.raises(DomainError) as dry:
        resource_parent_check(resource=unit_room, parent=hall)
    assert dry.value.code == "overlap"
    assert room.pk


def test_cycles_and_cross_unit_parents_are_refused(f):
    hall = f.resource()
    half = f.resource(parent=hall)
    with pytest.raises(DomainError) as info:
        resource_update(actor=None, resource=hall, parent=half)
    assert info.value.code == "invalid_parent"
    other = f.resource()  # another unit
    with pytest.raises(DomainError):
        resource_update(actor=None, resource=half, parent=other)


def test_rules_fall_back_to_the_unit_then_to_defaults(f):
    unit = f.unit(slot_size=dt.timedelta(minutes=15), max_period=dt.timedelta(hours=3))
    res = f.resource(unit, max_period=dt.timedelta(hours=2))
    rules = resource_rules(res)
    assert rules.slot_size == dt.timedelta(minutes=15)  # from the unit
    assert rules.max_period == dt.timedelta(hours=2)  # the resource's own
    assert rules.min_period == dt.timedelta(minutes=15)  # defaults to the slot
    assert rules.max_days_ahead == 365  # Tila's default


def test_only_unit_admins_edit_resources_and_it_is_audited(f):
    from tila.core.models import AuditEntry

    res = f.resource()
    with pytest.raises(PermissionDenied):
        resource_update(actor=f.staff(res.unit, role="handler"), resource=res, people_capacity=5)
    with pytest.raises(PermissionDenied):
        resource_update(actor=f.staff(f.unit(), role="admin"), resource=res, people_capacity=5)
    admin = f.staff(res.unit, role="admin")
    resource_update(actor=admin, resource=res, people_capacity=5)
    entry = AuditEntry.objects.get(action="resource.update", object_id=res.pk)
    assert entry.actor == admin
    assert entry.after["people_capacity"] == 5


def test_resources_with_history_cannot_be_deleted(f, future_day):
    res = f.resource()
    reservation_create(actor=f.user(), resource=res, begin=f.at(future_day, 10), end=f.at(future_day, 11))
    with pytest.raises(DomainError) as info:
        resource_delete(actor=None, resource=res)
    assert info.value.code == "has_reservations"
