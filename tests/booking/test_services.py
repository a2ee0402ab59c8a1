"""The booking engine's rules, one behaviour per test, in the documented order."""

import datetime as dt

import pytest
from django.utils import timezone

from tila.booking.models import Occupancy, Reservation, ReservationType, State
from tila.booking.services import (
    reservation_approve,
    reservation_cancel,
    reservation_create,
    reservation_deny,
    reservation_modify,
)
from tila.core.errors import DomainError, PermissionDenied

pytestmark = pytest.mark.django_db


def book(actor, resource, begin, end, **kw):
    return reservation_create(actor=actor, resource=resource, begin=begin, end=end, **kw)


def code_of(callable_, *args, **kwargs):
    with pytest.raises(DomainError) as info:
        callable_(*args, **kwargs)
    return info.value.code


def test_create_confirms_and_writes_one_occupancy_row_per_leaf(f, future_day):
    res = f.resource()
    r = book(f.user(), res, f.at(future_day, 10), f.at(future_day, 11))
    assert r.state == State.CONFIRMED
    assert list(Occupancy.objects.filter(reservation=r).values_list("space_id", flat=True)) == [res.pk]


def test_manual_confirmation_makes_a_request_that_staff_approve(f, future_day):
    res = f.resource(need_manual_confirmation=True)
    customer = f.user()
    r = book(customer, res, f.at(future_day, 10), f.at(future_day, 11))
    assert r.state == State.REQUESTED
    assert Occupancy.objects.filter(reservation=r).exists()  # a request holds its slot
    with pytest.raises(PermissionDenied):
        reservation_approve(actor=customer, reservation=r)
    handler = f.staff(res.unit)
    assert reservation_approve(actor=handler, reservation=r).state == State.CONFIRMED


def test_deny_frees_the_slot_and_keeps_history(f, future_day):
    res = f.resource(need_manual_confirmation=True)
    r = book(f.user(), res, f.at(future_day, 10), f.at(future_day, 11))
    denied = reservation_deny(actor=f.staff(res.unit), reservation=r, reason="Hall in use")
    assert denied.state == State.DENIED and denied.deny_reason == "Hall in use"
    assert not Occupancy.objects.filter(reservation=r).exists()
    assert book(f.user(), res, f.at(future_day, 10), f.at(future_day, 11)).state == State.REQUESTED


def test_not_reservable_resource_is_refused(f, future_day):
    res = f.resource(reservable=False)
    assert code_of(book, f.user(), res, f.at(future_day, 10), f.at(future_day, 11)) == "not_reservable"


def test_unpublished_resource_is_not_reservable_for_residents(f, future_day):
    res = f.resource(public=False)
    assert code_of(book, f.user(), res, f.at(future_day, 10), f.at(future_day, 11)) == "not_reservable"


def test_unknown_resource_id_is_not_reservable(f, future_day):
    assert code_of(book, f.user(), "no-such-thing", f.at(future_day, 10), f.at(future_day, 11)) == "not_reservable"


@pytest.mark.parametrize(
    ("begin", "end"),
    [((10, 0), (10, 0)), ((11, 0), (10, 0))],
)
def test_empty_or_reversed_range_is_invalid(f, future_day, begin, end):
    res = f.resource()
    assert code_of(book, f.user(), res, f.at(future_day, *begin), f.at(future_day, *end)) == "invalid_range"


def test_naive_times_are_invalid(f, future_day):
    res = f.resource()
    naive = dt.datetime.combine(future_day, dt.time(10))
    assert code_of(book, f.user(), res, naive, naive + dt.timedelta(hours=1)) == "invalid_range"


def test_past_begin_is_refused(f):
    res = f.resource()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert code_of(book, f.user(), res, f.at(yesterday, 10), f.at(yesterday, 11)) == "in_past"


def test_advance_window_minimum_and_maximum(f):
    res = f.resource(reservable_min_days_in_advance=2, reservable_max_days_in_advance=10)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert code_of(book, f.user(), res, f.at(tomorrow, 10), f.at(tomorrow, 11)) == "too_late"
    far = timezone.localdate() + dt.timedelta(days=30)
    assert code_of(book, f.user(), res, f.at(far, 10), f.at(far, 11)) == "too_early"
    ok = timezone.localdate() + dt.timedelta(days=5)
    assert book(f.user(), res, f.at(ok, 10), f.at(ok, 11)).pk


def test_duration_limits(f, future_day):
    res = f.resource(min_period=dt.timedelta(hours=1), max_period=dt.timedelta(hours=2))
    assert code_of(book, f.user(), res, f.at(future_day, 10), f.at(future_day, 10, 30)) == "duration_too_short"
    assert code_of(book, f.user(), res, f.at(future_day, 10), f.at(future_day, 13)) == "duration_too_long"


def test_slot_grid_alignment(f, future_day):
    res = f.resource(slot_size=dt.timedelta(minutes=30))
    assert code_of(book, f.user(), res, f.at(future_day, 10, 15), f.at(future_day, 11, 15)) == "not_aligned"
    assert book(f.user(), res, f.at(future_day, 10, 30), f.at(future_day, 11, 30)).pk


def test_outside_opening_hours_is_closed_unless_staff_override(f, future_day):
    u = f.unit(hours=[(d, dt.time(8), dt.time(16)) for d in range(7)])
    res = f.resource(u)
    assert code_of(book, f.user(), res, f.at(future_day, 15), f.at(future_day, 17)) == "closed"
    handler = f.staff(u)
    r = book(handler, res, f.at(future_day, 15), f.at(future_day, 17), staff_override=True)
    assert r.state == State.CONFIRMED


def test_resident_cannot_use_staff_override(f, future_day):
    res = f.resource()
    with pytest.raises(PermissionDenied):
        book(f.user(), res, f.at(future_day, 10), f.at(future_day, 11), staff_override=True)


def test_capacity(f, future_day):
    res = f.resource(people_capacity=10)
    code = code_of(book, f.user(), res, f.at(future_day, 10), f.at(future_day, 11), number_of_participants=11)
    assert code == "capacity_exceeded"
    assert book(f.user(), res, f.at(future_day, 10), f.at(future_day, 11), number_of_participants=10).pk


def test_quota_counts_active_future_reservations_only(f, future_day):
    res = f.resource(max_reservations_per_user=1)
    person = f.user()
    first = book(person, res, f.at(future_day, 10), f.at(future_day, 11))
    assert code_of(book, person, res, f.at(future_day, 12), f.at(future_day, 13)) == "quota_exceeded"
    reservation_cancel(actor=person, reservation=first)
    assert book(person, res, f.at(future_day, 12), f.at(future_day, 13)).pk


def test_overlap_on_the_same_resource(f, future_day):
    res = f.resource()
    book(f.user(), res, f.at(future_day, 10), f.at(future_day, 11))
    assert code_of(book, f.user(), res, f.at(future_day, 10, 30), f.at(future_day, 11, 30)) == "overlap"
    # half-open: back to back is fine
    assert book(f.user(), res, f.at(future_day, 11), f.at(future_day, 12)).pk


def test_buffers_keep_reservations_apart(f, future_day):
    res = f.resource(buffer_after=dt.timedelta(minutes=30))
    book(f.user(), res, f.at(future_day, 10), f.at(future_day, 11))
    assert code_of(book, f.user(), res, f.at(future_day, 11), f.at(future_day, 12)) == "overlap"
    assert book(f.user(), res, f.at(future_day, 11, 30), f.at(future_day, 12, 30)).pk


def test_divisible_hall_blocks_its_halves_and_the_halves_not_each_other(f, future_day):
    hall = f.resource()
    half_a = f.resource(parent=hall)
    half_b = f.resource(parent=hall)
    book(f.user(), half_a, f.at(future_day, 10), f.at(future_day, 11))
    assert book(f.user(), half_b, f.at(future_day, 10), f.at(future_day, 11)).pk
    assert code_of(book, f.user(), hall, f.at(future_day, 10), f.at(future_day, 11)) == "overlap"
    book(f.user(), hall, f.at(future_day, 12), f.at(future_day, 13))
    assert code_of(book, f.user(), half_a, f.at(future_day, 12), f.at(future_day, 13)) == "overlap"


def test_grandchild_blocks_grandparent(f, future_day):
    hall = f.resource()
    half = f.resource(parent=hall)
    court = f.resource(parent=half)
    f.resource(parent=half)
    book(f.user(), court, f.at(future_day, 10), f.at(future_day, 11))
    assert code_of(book, f.user(), hall, f.at(future_day, 10), f.at(future_day, 11)) == "overlap"


def test_blocked_closure_needs_staff_and_blocks_residents(f, future_day):
    res = f.resource()
    with pytest.raises(PermissionDenied):
        book(f.user(), res, f.at(future_day, 8), f.at(future_day, 18), type=ReservationType.BLOCKED)
    closure = book(f.staff(res.unit), res, f.at(future_day, 8), f.at(future_day, 18), type=ReservationType.BLOCKED)
    assert closure.user is None and closure.state == State.CONFIRMED
    assert code_of(book, f.user(), res, f.at(future_day, 10), f.at(future_day, 11)) == "overlap"


def test_overnight_reservation_across_midnight(f, future_day):
    res = f.resource()
    r = book(f.user(), res, f.at(future_day, 22), f.at(future_day + dt.timedelta(days=1), 2))
    assert r.end - r.begin == dt.timedelta(hours=4)


def test_modify_moves_under_the_same_rules(f, future_day):
    res = f.resource()
    person = f.user()
    r = book(person, res, f.at(future_day, 10), f.at(future_day, 11))
    other = book(f.user(), res, f.at(future_day, 12), f.at(future_day, 13))
    assert (
        code_of(reservation_modify, actor=person, reservation=r, begin=f.at(future_day, 12), end=f.at(future_day, 13))
        == "overlap"
    )
    moved = reservation_modify(
        actor=person, reservation=r, begin=f.at(future_day, 10, 30), end=f.at(future_day, 11, 30)
    )
    assert (moved.begin, moved.end) == (f.at(future_day, 10, 30), f.at(future_day, 11, 30))
    occ = Occupancy.objects.get(reservation=r)
    assert (occ.begin, occ.end) == (moved.begin, moved.end)
    assert other.pk


def test_someone_else_cannot_modify_or_cancel(f, future_day):
    res = f.resource()
    r = book(f.user(), res, f.at(future_day, 10), f.at(future_day, 11))
    stranger = f.user()
    with pytest.raises(PermissionDenied):
        reservation_cancel(actor=stranger, reservation=r)
    with pytest.raises(PermissionDenied):
        reservation_modify(actor=stranger, reservation=r, event_subject="mine now")
    other_unit_staff = f.staff(f.unit())
    with pytest.raises(PermissionDenied):
        reservation_cancel(actor=other_unit_staff, reservation=r)


def test_cancel_frees_the_slot_at_once_and_keeps_history(f, future_day):
    res = f.resource()
    person = f.user()
    r = book(person, res, f.at(future_day, 10), f.at(future_day, 11))
    reservation_cancel(actor=person, reservation=r)
    r.refresh_from_db()
    assert r.state == State.CANCELLED and r.cancelled_at is not None
    assert Reservation.objects.filter(pk=r.pk).exists()
    assert book(f.user(), res, f.at(future_day, 10), f.at(future_day, 11)).pk


def test_cancel_cutoff_binds_residents_but_not_staff(f):
    res = f.resource(cancel_cutoff=dt.timedelta(days=2))
    person = f.user()
    soon = timezone.localdate() + dt.timedelta(days=1)
    r = book(person, res, f.at(soon, 10), f.at(soon, 11))
    assert code_of(reservation_cancel, actor=person, reservation=r) == "cutoff_passed"
    assert reservation_cancel(actor=f.staff(res.unit), reservation=r).state == State.CANCELLED


def test_staff_books_on_behalf_of_a_customer_and_is_audited(f, future_day):
    from tila.core.models import AuditEntry

    res = f.resource(need_manual_confirmation=True)
    handler, customer = f.staff(res.unit), f.user()
    r = book(handler, res, f.at(future_day, 10), f.at(future_day, 11), user=customer)
    assert r.user == customer and r.created_by == handler
    assert r.state == State.CONFIRMED  # staff bookings need no second confirmation
    assert AuditEntry.objects.filter(action="reservation.create", object_id=str(r.pk), actor=handler).exists()


def test_error_messages_follow_the_active_language(f, future_day):
    from django.utils import translation

    res = f.resource()
    book(f.user(), res, f.at(future_day, 10), f.at(future_day, 11))
    messages = {}
    for lang in ("fi", "sv", "en"):
        with translation.override(lang):
            with pytest.raises(DomainError) as info:
                book(f.user(), res, f.at(future_day, 10), f.at(future_day, 11))
            messages[lang] = info.value.message
    assert messages["en"] == "The time overlaps another reservation."
    assert len(set(messages.values())) == 3
