"""Orders and reservations through every state change: priced booking, hold, expiry, pay later
(invoice, at the place), staff marking paid, cancelling, subsidies, moving."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.payments.conftest import make_group
from tila.booking.models import Occupancy, State
from tila.booking.services import (
    reservation_approve,
    reservation_cancel,
    reservation_create,
    reservation_deny,
    reservation_modify,
)
from tila.core.errors import DomainError, PermissionDenied
from tila.core.finnish import is_valid_reference
from tila.core.models import AuditEntry
from tila.payments import services
from tila.payments.models import (
    CustomerGroup,
    Invoice,
    Order,
    OrderState,
    PaymentState,
    PriceRule,
    SubsidyState,
    UnitProvider,
)
from tila.payments.services import InvoiceDetails, checkout_start, order_expire_holds, order_mark_paid

pytestmark = pytest.mark.django_db
D = Decimal


def book(customer, resource, slot, **kw):
    return reservation_create(actor=customer, resource=resource, begin=slot[0], end=slot[1], **kw)


def code_of(callable_, *args, **kwargs):
    with pytest.raises(DomainError) as info:
        callable_(*args, **kwargs)
    return info.value.code


# --- Booking a priced space -------------------------------------------------------------------


def test_a_priced_booking_waits_for_payment_and_holds_its_slot(f, hall, customer, slot):
    before = timezone.now()
    reservation = book(customer, hall, slot)

    assert reservation.state == State.WAITING_FOR_PAYMENT
    assert Occupancy.objects.filter(reservation=reservation).count() == 1
    order = Order.objects.get(reservation=reservation)
    assert order.state == OrderState.OPEN
    assert order.total == D("80.00") and order.customer_group == CustomerGroup.RESIDENT
    assert before + dt.timedelta(minutes=10) <= order.hold_expires_at <= timezone.now() + dt.timedelta(minutes=10)
    assert is_valid_reference(order.reference)
    line = order.lines.get()
    assert (line.quantity, line.unit_price, line.total, line.vat, line.net) == (
        D("2.0000"), D("40.00"), D("80.00"), D("9.52"), D("70.48"),
    )  # fmt: skip
    assert line.description.startswith("Sali ")
    assert code_of(book, f.user(), hall, slot) == "overlap"  # the slot is taken while held


def test_nothing_is_emailed_while_the_booking_waits_for_payment(
    f, hall, customer, slot, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        book(customer, hall, slot)
    assert mail.outbox == []


def test_the_hold_time_is_a_setting(hall, customer, slot, settings):
    settings.TILA_PAYMENT_HOLD_MINUTES = 3
    order = book(customer, hall, slot).order
    assert order.hold_expires_at - order.created_at < dt.timedelta(minutes=3, seconds=5)


def test_a_free_price_confirms_at_once_without_an_order(f, hall, slot):
    youth = f.user()
    make_group(youth, CustomerGroup.YOUTH)
    reservation = book(youth, hall, slot)
    assert reservation.state == State.CONFIRMED
    assert not Order.objects.filter(reservation=reservation).exists()


def test_an_unpriced_resource_confirms_at_once(f, slot):
    reservation = book(f.user(), f.resource(), slot)
    assert reservation.state == State.CONFIRMED


def test_staff_booking_for_a_customer_needs_no_payment_unless_asked(f, hall, customer, slot, future_day):
    handler = f.staff(hall.unit)
    assert book(handler, hall, slot, user=customer).state == State.CONFIRMED
    later = (f.at(future_day, 14), f.at(future_day, 15))
    asked = book(handler, hall, later, user=customer, without_payment=False)
    assert asked.state == State.WAITING_FOR_PAYMENT and asked.order.user == customer


def test_a_resident_cannot_book_without_payment(hall, customer, slot):
    with pytest.raises(PermissionDenied):
        book(customer, hall, slot, without_payment=True)


# --- Hold expiry -------------------------------------------------------------------------------


def test_an_expired_hold_cancels_the_booking_and_frees_the_slot_at_once(f, hall, customer, slot):
    reservation = book(customer, hall, slot)
    order = reservation.order

    assert order_expire_holds(now=order.hold_expires_at - dt.timedelta(seconds=1)) == 0
    assert order_expire_holds(now=order.hold_expires_at) == 1

    reservation.refresh_from_db()
    order.refresh_from_db()
    assert reservation.state == State.CANCELLED and order.state == OrderState.EXPIRED
    assert order.expired_at == order.hold_expires_at
    assert not Occupancy.objects.filter(reservation=reservation).exists()
    assert book(f.user(), hall, slot).state == State.WAITING_FOR_PAYMENT  # free for the next customer
    assert order_expire_holds(now=order.hold_expires_at + dt.timedelta(hours=1)) == 1  # only the new one


def test_expire_holds_command_and_task_release_due_holds(hall, customer, slot):
    import time_machine

    from tila.payments.tasks import expire_holds

    order = book(customer, hall, slot).order
    with time_machine.travel(order.hold_expires_at + dt.timedelta(seconds=5)):
        call_command("expire_holds")
        order.refresh_from_db()
        assert order.state == OrderState.EXPIRED
        assert expire_holds.call() == 0  # idempotent


def test_paying_after_the_hold_ran_out_is_refused_politely(hall, customer, slot):
    order = book(customer, hall, slot).order
    later = order.hold_expires_at + dt.timedelta(seconds=1)
    assert code_of(checkout_start, actor=customer, order=order, provider_id="onsite", now=later) in {
        "hold_expired",
        "payment_method_not_available",
    }


# --- Paying later: at the place, by invoice -----------------------------------------------------


@pytest.fixture
def onsite(unit):
    UnitProvider.objects.create(unit=unit, provider="onsite")
    UnitProvider.objects.create(unit=unit, provider="invoice")


def test_pay_at_the_place_confirms_and_staff_mark_it_paid(
    f, hall, customer, slot, onsite, django_capture_on_commit_callbacks
):
    reservation = book(customer, hall, slot)
    order = reservation.order

    result = checkout_start(actor=customer, order=order, provider_id="onsite")

    assert result.kind == "instructions"
    order.refresh_from_db()
    reservation.refresh_from_db()
    assert order.state == OrderState.COMMITTED and order.provider == "onsite" and order.hold_expires_at is None
    assert reservation.state == State.CONFIRMED
    assert order.payments.get().state == PaymentState.PENDING
    assert order_expire_holds(now=timezone.now() + dt.timedelta(days=1)) == 0

    with pytest.raises(PermissionDenied):
        order_mark_paid(actor=customer, order=order)
    handler = f.staff(hall.unit)
    with django_capture_on_commit_callbacks(execute=True):
        order_mark_paid(actor=handler, order=order, method="card")

    order.refresh_from_db()
    payment = order.payments.get()
    assert order.state == OrderState.PAID and order.paid_at is not None
    assert payment.state == PaymentState.PAID and payment.marked_paid_by == handler and payment.method == "card"
    assert AuditEntry.objects.filter(action="order.mark_paid", object_id=str(order.pk)).exists()
    [receipt] = mail.outbox
    assert receipt.to == ["asukas@example.org"]
    assert "80,00" in receipt.body and "9,52" in receipt.body and order.reference[:5] in receipt.body.replace(" ", "")
    assert code_of(order_mark_paid, actor=handler, order=order) == "order_not_payable"


def test_an_invoice_is_for_organisations_only(hall, customer, slot, onsite):
    order = book(customer, hall, slot).order
    assert code_of(checkout_start, actor=customer, order=order, provider_id="invoice") == "payment_method_not_available"


def test_an_association_pays_by_invoice_with_a_reference_and_due_date(
    f, hall, slot, onsite, django_capture_on_commit_callbacks
):
    club = f.user(email="club@example.org")
    make_group(club, CustomerGroup.ASSOCIATION)
    reservation = book(club, hall, slot)
    order = reservation.order
    assert order.total == D("40.00")
    assert code_of(checkout_start, actor=club, order=order, provider_id="invoice") == "invoice_details_missing"

    details = InvoiceDetails(organisation_name="Kallion Kiekko ry", billing_address="Kallio 1\n00530 Helsinki")
    with django_capture_on_commit_callbacks(execute=True):
        checkout_start(actor=club, order=order, provider_id="invoice", invoice=details)

    invoice = Invoice.objects.get(order=order)
    reservation.refresh_from_db()
    assert reservation.state == State.CONFIRMED
    assert invoice.reference == order.reference and is_valid_reference(invoice.reference)
    assert invoice.due_on == invoice.issued_on + dt.timedelta(days=14)
    [message] = [m for m in mail.outbox if m.attachments and m.attachments[0][0].endswith(".pdf")]
    assert message.to == ["club@example.org"]
    assert message.attachments[0][0] == f"invoice-{invoice.number}.pdf"
    assert message.attachments[0][1].startswith(b"%PDF")


def test_a_unit_offers_only_the_payment_methods_it_chose(hall, customer, slot, unit):
    UnitProvider.objects.create(unit=unit, provider="onsite", enabled=False)
    UnitProvider.objects.create(unit=unit, provider="invoice")
    order = book(customer, hall, slot).order
    assert code_of(checkout_start, actor=customer, order=order, provider_id="onsite") == "payment_method_not_available"


def test_someone_else_cannot_pay_or_cancel_my_order(f, hall, customer, slot, onsite):
    order = book(customer, hall, slot).order
    with pytest.raises(PermissionDenied):
        checkout_start(actor=f.user(), order=order, provider_id="onsite")


# --- Manual confirmation, cancelling, denying ---------------------------------------------------


def test_a_paid_booking_that_needs_confirmation_becomes_a_request(f, hall, customer, slot, onsite):
    PriceRule.objects.filter(resource=hall)  # the hall keeps its price
    hall.need_manual_confirmation = True
    hall.save()
    reservation = book(customer, hall, slot)
    assert reservation.state == State.WAITING_FOR_PAYMENT
    checkout_start(actor=customer, order=reservation.order, provider_id="onsite")
    order_mark_paid(actor=f.staff(hall.unit), order=reservation.order)
    reservation.refresh_from_db()
    assert reservation.state == State.REQUESTED
    assert reservation_approve(actor=f.staff(hall.unit), reservation=reservation).state == State.CONFIRMED


def test_cancelling_before_paying_closes_the_order_without_a_refund(hall, customer, slot):
    reservation = book(customer, hall, slot)
    reservation_cancel(actor=customer, reservation=reservation)
    order = Order.objects.get(reservation=reservation)
    assert order.state == OrderState.CANCELLED and order.cancelled_at is not None
    assert not order.refunds.exists()
    assert order_expire_holds(now=timezone.now() + dt.timedelta(hours=1)) == 0


def test_denying_a_paid_request_refunds_it_in_full(f, hall, customer, slot, onsite):
    hall.need_manual_confirmation = True
    hall.save()
    reservation = book(customer, hall, slot)
    checkout_start(actor=customer, order=reservation.order, provider_id="onsite")
    handler = f.staff(hall.unit)
    order_mark_paid(actor=handler, order=reservation.order)
    reservation_deny(actor=handler, reservation=reservation, reason="Hall in use")
    order = Order.objects.get(reservation=reservation)
    assert order.state == OrderState.CANCELLED
    assert [(r.amount, r.state) for r in order.refunds.all()] == [(D("80.00"), "manual")]  # paid on site


def test_cancelling_an_invoiced_booking_cancels_the_invoice(f, hall, slot, onsite):
    club = f.user()
    make_group(club, CustomerGroup.COMPANY)
    reservation = book(club, hall, slot)
    details = InvoiceDetails(organisation_name="Oy Ab", billing_address="Katu 1", business_id="0112038-9")
    checkout_start(actor=club, order=reservation.order, provider_id="invoice", invoice=details)
    reservation_cancel(actor=club, reservation=reservation)
    order = Order.objects.get(reservation=reservation)
    assert order.state == OrderState.CANCELLED
    assert order.invoice.cancelled_at is not None
    assert order.payments.get().state == PaymentState.FAILED
    assert not order.refunds.exists()


# --- Moving ------------------------------------------------------------------------------------


def test_moving_to_a_time_with_another_price_is_refused(f, hall, customer, slot, future_day):
    reservation = book(customer, hall, slot)
    assert (
        code_of(reservation_modify, actor=customer, reservation=reservation, end=f.at(future_day, 13))
        == "price_changes"
    )
    moved = reservation_modify(
        actor=customer, reservation=reservation, begin=f.at(future_day, 14), end=f.at(future_day, 16)
    )
    assert moved.begin == f.at(future_day, 14)


# --- Subsidies ---------------------------------------------------------------------------------


def test_applying_for_a_subsidy_sends_the_booking_to_staff(f, hall, customer, slot):
    reservation = book(customer, hall, slot)
    order = reservation.order
    assert code_of(services.subsidy_apply, actor=customer, order=order, reason="  ") == "required"

    application = services.subsidy_apply(actor=customer, order=order, reason="Open youth event")

    order.refresh_from_db()
    reservation.refresh_from_db()
    assert order.state == OrderState.AWAITING_DECISION and order.hold_expires_at is None
    assert reservation.state == State.REQUESTED
    assert application.original_total == D("80.00")
    assert order_expire_holds(now=timezone.now() + dt.timedelta(days=1)) == 0
    with pytest.raises(PermissionDenied):
        services.subsidy_decide(actor=customer, application=application, grant=True)


def test_a_granted_subsidy_reprices_the_order_with_vat(f, hall, customer, slot):
    order = book(customer, hall, slot).order
    application = services.subsidy_apply(actor=customer, order=order, reason="Charity")
    services.subsidy_decide(actor=f.staff(hall.unit), application=application, grant=True, note="OK")
    order.refresh_from_db()
    line = order.lines.get()
    assert order.state == OrderState.COMMITTED and order.total == D("20.00")
    assert (line.total, line.vat, line.net) == (D("20.00"), D("2.38"), D("17.62"))
    application.refresh_from_db()
    assert application.state == SubsidyState.GRANTED and application.granted_total == D("20.00")
    assert code_of(services.subsidy_decide, actor=f.staff(hall.unit), application=application, grant=False) == (
        "subsidy_decided"
    )


def test_a_subsidy_granted_at_zero_is_paid_at_once(f, hall, customer, slot):
    order = book(customer, hall, slot).order
    application = services.subsidy_apply(actor=customer, order=order, reason="Charity")
    services.subsidy_decide(actor=f.staff(hall.unit), application=application, grant=True, total=D("0"))
    order.refresh_from_db()
    assert order.state == OrderState.PAID and order.total == D("0.00")


def test_a_refused_subsidy_keeps_the_full_price_to_pay_later(f, hall, customer, slot):
    order = book(customer, hall, slot).order
    application = services.subsidy_apply(actor=customer, order=order, reason="Please")
    services.subsidy_decide(actor=f.staff(hall.unit), application=application, grant=False, note="Not eligible")
    order.refresh_from_db()
    assert order.state == OrderState.COMMITTED and order.total == D("80.00")


def test_a_subsidised_booking_may_still_change_its_details_and_move_at_the_same_price(
    f, hall, customer, slot, future_day
):
    reservation = book(customer, hall, slot)
    application = services.subsidy_apply(actor=customer, order=reservation.order, reason="Charity")
    services.subsidy_decide(actor=f.staff(hall.unit), application=application, grant=True)
    changed = reservation_modify(actor=customer, reservation=reservation, number_of_participants=5)
    assert changed.number_of_participants == 5
    moved = reservation_modify(
        actor=customer, reservation=reservation, begin=f.at(future_day, 16), end=f.at(future_day, 18)
    )
    assert moved.begin == f.at(future_day, 16)


def test_no_subsidy_where_the_space_has_none(hall, customer, slot):
    PriceRule.objects.filter(resource=hall).update(subsidised_price=None)
    order = book(customer, hall, slot).order
    assert code_of(services.subsidy_apply, actor=customer, order=order, reason="x") == "subsidy_not_available"


# --- The engine's payment functions -------------------------------------------------------------


def test_the_engine_settles_only_a_reservation_waiting_for_payment(f, slot):
    from tila.booking.services import reservation_payment_expired, reservation_payment_settled

    confirmed = book(f.user(), f.resource(), slot)
    assert code_of(reservation_payment_settled, reservation=confirmed) == "not_waiting_for_payment"
    assert code_of(reservation_payment_expired, reservation=confirmed) == "not_waiting_for_payment"


def test_the_engine_reinstates_an_expired_hold_only_in_the_future(hall, customer, slot):
    from tila.booking.services import reservation_payment_reinstate

    reservation = book(customer, hall, slot)
    order_expire_holds(now=reservation.order.hold_expires_at)
    late = slot[0] + dt.timedelta(minutes=1)
    assert code_of(reservation_payment_reinstate, reservation=reservation, now=late) == "in_past"
    again = reservation_payment_reinstate(reservation=reservation, now=timezone.now())
    assert again.state == State.WAITING_FOR_PAYMENT and again.occupancies.count() == 1
    assert code_of(reservation_payment_reinstate, reservation=reservation) == "not_active"
