"""Refund rules per resource: a full refund (less a fee) until a cutoff before the start, a share or
nothing after it; staff cancelling or denying refund everything; staff refunds; manual refunds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tila.booking.services import reservation_cancel, reservation_create
from tila.core.errors import DomainError, PermissionDenied
from tila.core.models import AuditEntry
from tila.payments.models import Order, OrderState, RefundPolicy, RefundState, UnitProvider
from tila.payments.selectors import paid_amount, refund_due
from tila.payments.services import checkout_start, order_mark_paid, order_refund, refund_mark_done

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def paid(f, hall, customer, slot, unit):
    """The hall booked 10–12 next week and paid at the place (80 €)."""
    UnitProvider.objects.create(unit=unit, provider="onsite")
    reservation = reservation_create(actor=customer, resource=hall, begin=slot[0], end=slot[1])
    checkout_start(actor=customer, order=reservation.order, provider_id="onsite")
    order_mark_paid(actor=f.staff(hall.unit), order=reservation.order)
    reservation.refresh_from_db()
    return reservation


def cancel_at(reservation, actor, moment):
    reservation_cancel(actor=actor, reservation=reservation, now=moment)
    return Order.objects.get(reservation=reservation)


def test_before_the_cutoff_everything_but_the_fee_comes_back(paid, customer):
    order = cancel_at(paid, customer, paid.begin - dt.timedelta(hours=48))
    assert order.state == OrderState.CANCELLED
    assert [(r.amount, r.state) for r in order.refunds.all()] == [(D("75.00"), RefundState.MANUAL)]


def test_after_the_cutoff_nothing_comes_back(paid, customer):
    order = cancel_at(paid, customer, paid.begin - dt.timedelta(hours=47, minutes=59))
    assert order.state == OrderState.CANCELLED
    assert not order.refunds.exists()


def test_a_policy_may_give_a_share_back_after_the_cutoff(paid, customer, hall):
    RefundPolicy.objects.filter(resource=hall).update(late_refund_percentage=50)
    order = cancel_at(paid, customer, paid.begin - dt.timedelta(hours=2))
    assert [r.amount for r in order.refunds.all()] == [D("40.00")]


def test_without_a_policy_everything_comes_back_until_the_start(paid, customer, hall):
    RefundPolicy.objects.filter(resource=hall).delete()
    order = Order.objects.get(reservation=paid)
    assert refund_due(order=order, now=paid.begin - dt.timedelta(minutes=1)) == D("80.00")
    assert refund_due(order=order, now=paid.begin) == D("0.00")


def test_a_fee_larger_than_the_price_refunds_nothing(paid, hall):
    RefundPolicy.objects.filter(resource=hall).update(fee=D("100.00"))
    order = Order.objects.get(reservation=paid)
    assert refund_due(order=order, now=paid.begin - dt.timedelta(days=5)) == D("0.00")


def test_staff_cancelling_refunds_in_full_even_after_the_cutoff(f, paid, hall):
    order = cancel_at(paid, f.staff(hall.unit), paid.begin - dt.timedelta(hours=2))
    assert [r.amount for r in order.refunds.all()] == [D("80.00")]


def test_cancelling_twice_refunds_once(f, paid, customer, hall):
    order = cancel_at(paid, customer, paid.begin - dt.timedelta(days=3))
    with pytest.raises(DomainError):
        reservation_cancel(actor=f.staff(hall.unit), reservation=paid)
    assert order.refunds.count() == 1


def test_staff_mark_a_manual_refund_paid_back(f, paid, customer, hall):
    order = cancel_at(paid, customer, paid.begin - dt.timedelta(days=3))
    refund = order.refunds.get()
    with pytest.raises(PermissionDenied):
        refund_mark_done(actor=customer, refund=refund)
    done = refund_mark_done(actor=f.staff(hall.unit), refund=refund)
    assert done.state == RefundState.DONE and done.done_at is not None
    assert AuditEntry.objects.filter(action="refund.done", object_id=str(refund.pk)).exists()
    with pytest.raises(DomainError):
        refund_mark_done(actor=f.staff(hall.unit), refund=refund)


def test_staff_refund_part_of_a_paid_order_but_never_more_than_was_paid(f, paid, hall, customer):
    order = Order.objects.get(reservation=paid)
    handler = f.staff(hall.unit)
    with pytest.raises(PermissionDenied):
        order_refund(actor=customer, order=order, amount=D("10"))
    [refund] = order_refund(actor=handler, order=order, amount=D("10.004"), reason="Lights broken")
    assert refund.amount == D("10.00") and refund.created_by == handler
    assert paid_amount(order) == D("70.00")
    with pytest.raises(DomainError) as info:
        order_refund(actor=handler, order=order, amount=D("70.01"))
    assert info.value.code == "invalid_refund_amount"
    assert AuditEntry.objects.filter(action="order.refund").count() == 1
