"""Paytrail end to end against the local fake: create, redirect, success callback, duplicate and
out-of-order callbacks, a callback for an expired hold, a tampered amount, a bad signature,
cancelling at Paytrail, and refunds with their own callbacks.

The fake queues its server-to-server callbacks (`callback_mode = "queue"`); the tests deliver them
to Django's test client, exactly as Paytrail would call the callback URL.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from decimal import Decimal

import pytest
from django.core import mail

from tila.booking.models import State
from tila.booking.services import reservation_cancel, reservation_create
from tila.core.errors import DomainError
from tila.payments.models import LogOutcome, Order, OrderState, PaymentLog, PaymentState, RefundState
from tila.payments.services import checkout_start, order_expire_holds, refund_send

pytest_plugins = ["tests.fakes.paytrail"]
pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def fake(paytrail_settings):
    paytrail_settings.callback_mode = "queue"
    return paytrail_settings


def book(customer, resource, slot):
    return reservation_create(actor=customer, resource=resource, begin=slot[0], end=slot[1])


def start(customer, order):
    return checkout_start(actor=customer, order=order, provider_id="paytrail")


def path_and_query(url):
    parts = urllib.parse.urlsplit(url)
    return parts.path, dict(urllib.parse.parse_qsl(parts.query))


def deliver(client, delivery):
    """Paytrail calling our callback URL (a GET with the signed checkout-* parameters)."""
    path, params = path_and_query(delivery.url)
    response = client.get(path, params)
    delivery.status = response.status_code
    return response


def deliver_all(client, fake, *, reverse=False):
    with fake._lock:
        pending, fake.pending_callbacks = fake.pending_callbacks, []
    return [deliver(client, d) for d in (reversed(pending) if reverse else pending)]


def refreshed(*objects):
    for obj in objects:
        obj.refresh_from_db()


def test_create_sends_a_signed_payment_with_the_order_lines_and_our_urls(fake, hall, customer, slot):
    order = book(customer, hall, slot).order

    result = start(customer, order)

    assert result.kind == "redirect" and result.redirect_url.startswith(f"{fake.url}/pay/")
    [request] = fake.requests_to("POST", "/payments")
    body = request.json()
    payment = order.payments.get()
    assert body["stamp"] == str(payment.stamp) and body["reference"] == order.reference
    assert body["amount"] == 8000 and body["items"][0]["vatPercentage"] == 13.5
    assert body["items"][0]["unitPrice"] * body["items"][0]["units"] == 8000
    assert body["language"] == "FI" and body["customer"]["email"] == "asukas@example.org"
    assert body["redirectUrls"]["success"] == f"http://testserver/fi/pay/order/{order.uuid}/return/paytrail/success/"
    assert body["callbackUrls"]["success"] == "http://testserver/payments/callback/paytrail/"
    assert payment.transaction_id == result.transaction_id and payment.state == PaymentState.CREATED


def test_paying_redirects_back_confirms_the_booking_and_the_callback_is_a_no_op(
    fake, hall, customer, slot, client, django_capture_on_commit_callbacks
):
    reservation = book(customer, hall, slot)
    order = reservation.order
    result = start(customer, order)

    back_to = fake.pay(result.transaction_id, "ok")  # the customer pays at the bank
    client.force_login(customer)
    path, params = path_and_query(back_to)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(path, params)

    assert response.status_code == 302 and response["Location"] == f"/fi/pay/order/{order.uuid}/"
    refreshed(order, reservation)
    payment = order.payments.get()
    assert order.state == OrderState.PAID and reservation.state == State.CONFIRMED
    assert payment.state == PaymentState.PAID and payment.method == "osuuspankki"
    receipts = [m for m in mail.outbox if "80,00" in m.body]
    assert len(receipts) == 1

    [callback] = deliver_all(client, fake)  # the server-to-server call arrives after the customer
    assert callback.status_code == 200
    assert list(PaymentLog.objects.values_list("kind", "outcome")) == [
        ("callback", LogOutcome.DUPLICATE),
        ("return", LogOutcome.ACCEPTED),
    ]


def test_the_callback_alone_confirms_even_if_the_customer_never_comes_back(fake, hall, customer, slot, client):
    reservation = book(customer, hall, slot)
    result = start(customer, reservation.order)
    fake.pay(result.transaction_id, "ok")  # the browser is closed: no return

    [response] = deliver_all(client, fake)

    assert response.status_code == 200 and response.content == b"OK"
    refreshed(reservation)
    assert reservation.state == State.CONFIRMED and reservation.order.state == OrderState.PAID


def test_duplicate_callbacks_are_applied_once(fake, hall, customer, slot, client, django_capture_on_commit_callbacks):
    reservation = book(customer, hall, slot)
    result = start(customer, reservation.order)
    fake.callback_repeat = 3
    fake.pay(result.transaction_id, "ok")

    with django_capture_on_commit_callbacks(execute=True):
        responses = deliver_all(client, fake)

    assert [r.status_code for r in responses] == [200, 200, 200]
    outcomes = sorted(PaymentLog.objects.values_list("outcome", flat=True))
    assert outcomes == [LogOutcome.ACCEPTED, LogOutcome.DUPLICATE, LogOutcome.DUPLICATE]
    assert reservation.order.payments.get().state == PaymentState.PAID
    assert len([m for m in mail.outbox if m.subject.startswith("Kuitti") or "80,00" in m.body]) == 1


def test_out_of_order_callbacks_never_move_a_payment_backwards(fake, hall, customer, slot, client):
    reservation = book(customer, hall, slot)
    result = start(customer, reservation.order)
    fake.pay(result.transaction_id, "pending")  # first "pending", then "ok"
    fake.pay(result.transaction_id, "ok")

    responses = deliver_all(client, fake, reverse=True)  # "ok" arrives first, the old "pending" last

    assert [r.status_code for r in responses] == [200, 200]
    refreshed(reservation)
    assert reservation.state == State.CONFIRMED
    assert reservation.order.payments.get().state == PaymentState.PAID


def test_a_pending_payment_becomes_paid_when_the_ok_arrives(fake, hall, customer, slot, client):
    reservation = book(customer, hall, slot)
    result = start(customer, reservation.order)
    fake.pay(result.transaction_id, "pending")
    deliver_all(client, fake)
    payment = reservation.order.payments.get()
    assert payment.state == PaymentState.PENDING
    refreshed(reservation)
    assert reservation.state == State.WAITING_FOR_PAYMENT

    fake.pay(result.transaction_id, "ok")
    deliver_all(client, fake)
    refreshed(reservation, payment)
    assert payment.state == PaymentState.PAID and reservation.state == State.CONFIRMED


def test_a_payment_for_an_expired_hold_rebooks_the_time_if_it_is_still_free(fake, hall, customer, slot, client):
    reservation = book(customer, hall, slot)
    order = reservation.order
    result = start(customer, order)
    order_expire_holds(now=order.hold_expires_at)
    refreshed(order, reservation)
    assert order.state == OrderState.EXPIRED and reservation.state == State.CANCELLED

    fake.pay(result.transaction_id, "ok")  # the customer was slow at the bank
    [response] = deliver_all(client, fake)

    assert response.status_code == 200
    refreshed(order, reservation)
    assert order.state == OrderState.PAID and reservation.state == State.CONFIRMED
    assert reservation.occupancies.count() == 1
    assert not order.refunds.exists()


def test_a_payment_for_an_expired_hold_whose_time_was_taken_is_refunded(
    fake, f, hall, customer, slot, client, django_capture_on_commit_callbacks
):
    reservation = book(customer, hall, slot)
    order = reservation.order
    result = start(customer, order)
    order_expire_holds(now=order.hold_expires_at)
    other = book(f.user(), hall, slot)  # someone else took the freed time
    assert other.state == State.WAITING_FOR_PAYMENT

    fake.pay(result.transaction_id, "ok")
    with django_capture_on_commit_callbacks(execute=True):
        [response] = deliver_all(client, fake)

    assert response.status_code == 200  # recorded, never lost
    refreshed(order, reservation)
    payment = order.payments.get()
    assert payment.state == PaymentState.PAID
    assert order.state == OrderState.CANCELLED and reservation.state == State.CANCELLED
    [refund] = order.refunds.all()
    assert refund.amount == D("80.00") and refund.state == RefundState.DONE  # sent to Paytrail at once
    [sent] = fake.requests_to("POST", f"/payments/{payment.transaction_id}/refund")
    assert sent.json()["amount"] == 8000 and sent.json()["refundStamp"] == str(refund.stamp)
    assert any("80,00" in m.body and m.subject.startswith("Palautus") for m in mail.outbox)


def test_a_tampered_amount_is_rejected_and_logged(fake, hall, customer, slot, client):
    reservation = book(customer, hall, slot)
    result = start(customer, reservation.order)
    fake.pay(result.transaction_id, "ok")
    [delivery] = fake.pending_callbacks
    _, params = path_and_query(delivery.url)

    edited = {**params, "checkout-amount": "100"}  # changed on the way, signature kept
    resigned = fake.signed_params({k: v for k, v in edited.items() if k != "signature"})  # signed, wrong sum

    first = client.get("/payments/callback/paytrail/", edited)
    second = client.get("/payments/callback/paytrail/", resigned)

    assert (first.status_code, first.json()["code"]) == (400, "payment_bad_signature")
    assert (second.status_code, second.json()["code"]) == (400, "payment_amount_mismatch")
    refreshed(reservation)
    assert reservation.state == State.WAITING_FOR_PAYMENT
    assert reservation.order.payments.get().state == PaymentState.CREATED
    rejected = PaymentLog.objects.filter(outcome=LogOutcome.REJECTED).order_by("id")
    assert [e.code for e in rejected] == ["payment_bad_signature", "payment_amount_mismatch"]
    assert rejected[1].order == reservation.order and rejected[1].params["checkout-amount"] == "100"


def test_a_bad_signature_is_rejected_and_logged(fake, hall, customer, slot, client, caplog):
    reservation = book(customer, hall, slot)
    result = start(customer, reservation.order)
    fake.pay(result.transaction_id, "ok")
    _, params = path_and_query(fake.pending_callbacks[0].url)

    response = client.get("/payments/callback/paytrail/", {**params, "signature": "0" * 64})
    unsigned = client.get("/payments/callback/paytrail/", {k: v for k, v in params.items() if k != "signature"})

    assert response.status_code == 400 and unsigned.status_code == 400
    assert PaymentLog.objects.filter(outcome=LogOutcome.REJECTED, code="payment_bad_signature").count() == 2
    assert "bad signature" in caplog.text
    refreshed(reservation)
    assert reservation.state == State.WAITING_FOR_PAYMENT


def test_a_callback_for_a_payment_we_do_not_know_is_404(fake, client):
    params = fake.signed_params(
        {
            "checkout-account": fake.merchant_id,
            "checkout-algorithm": "sha256",
            "checkout-amount": "100",
            "checkout-stamp": "00000000-0000-0000-0000-000000000000",
            "checkout-reference": "1232",
            "checkout-transaction-id": "nope",
            "checkout-status": "ok",
        }
    )
    response = client.get("/payments/callback/paytrail/", params)
    assert (response.status_code, response.json()["code"]) == (404, "payment_unknown")
    assert client.get("/payments/callback/bitcoin/", params).status_code == 404


def test_cancelling_at_paytrail_keeps_the_hold_and_a_new_attempt_can_pay(fake, hall, customer, slot, client):
    reservation = book(customer, hall, slot)
    order = reservation.order
    first = start(customer, order)
    back_to = fake.pay(first.transaction_id, "fail")
    client.force_login(customer)
    path, params = path_and_query(back_to)
    assert "/return/paytrail/cancel/" in path
    client.get(path, params)
    deliver_all(client, fake)

    refreshed(order, reservation)
    assert order.payments.get().state == PaymentState.FAILED
    assert order.state == OrderState.OPEN and reservation.state == State.WAITING_FOR_PAYMENT

    second = start(customer, order)
    fake.pay(second.transaction_id, "ok")
    deliver_all(client, fake)
    refreshed(order)
    assert order.state == OrderState.PAID
    assert sorted(order.payments.values_list("state", flat=True)) == ["failed", "paid"]


def _paid_booking(fake, client, customer, hall, slot):
    reservation = book(customer, hall, slot)
    result = start(customer, reservation.order)
    fake.pay(result.transaction_id, "ok")
    deliver_all(client, fake)
    reservation.refresh_from_db()
    return reservation


def test_cancelling_a_paid_booking_refunds_it_through_paytrail(
    fake, hall, customer, slot, client, django_capture_on_commit_callbacks
):
    reservation = _paid_booking(fake, client, customer, hall, slot)
    fake.refund_response_status = "pending"  # the outcome comes later by callback

    with django_capture_on_commit_callbacks(execute=True):
        reservation_cancel(actor=customer, reservation=reservation)

    order = Order.objects.get(reservation=reservation)
    [refund] = order.refunds.all()
    assert order.state == OrderState.CANCELLED
    assert refund.amount == D("75.00") and refund.state == RefundState.PENDING  # 80 € less the 5 € fee
    [callback] = deliver_all(client, fake)
    assert callback.status_code == 200
    assert "/payments/callback/paytrail/refund/" in callback.request["PATH_INFO"]
    refund.refresh_from_db()
    assert refund.state == RefundState.DONE and refund.done_at is not None
    assert any(m.subject.startswith("Palautus") and "75,00" in m.body for m in mail.outbox)


def test_a_refund_paytrail_refuses_is_failed_for_staff_to_handle(fake, hall, customer, slot, client):
    reservation = _paid_booking(fake, client, customer, hall, slot)
    fake.refund_response_status = "fail"
    reservation_cancel(actor=customer, reservation=reservation)
    refund = reservation.order.refunds.get()
    assert refund_send(refund_id=refund.pk) == RefundState.FAILED
    assert refund_send(refund_id=refund.pk) == "not_due"


def test_an_unreachable_paytrail_leaves_the_refund_to_be_sent_again(fake, hall, customer, slot, client, settings):
    reservation = _paid_booking(fake, client, customer, hall, slot)
    reservation_cancel(actor=customer, reservation=reservation)
    refund = reservation.order.refunds.get()
    settings.PAYTRAIL_API_URL = "http://127.0.0.1:9"  # nothing listens there
    assert refund_send(refund_id=refund.pk) == RefundState.CREATED
    refund.refresh_from_db()
    assert refund.attempts == 1 and refund.last_error
    settings.PAYTRAIL_API_URL = fake.url
    assert refund_send(refund_id=refund.pk) == RefundState.DONE


def test_a_refund_callback_with_a_bad_signature_is_rejected(fake, hall, customer, slot, client):
    reservation = _paid_booking(fake, client, customer, hall, slot)
    fake.refund_response_status = "pending"
    reservation_cancel(actor=customer, reservation=reservation)
    refund_send(refund_id=reservation.order.refunds.get().pk)
    [delivery] = fake.pending_callbacks
    path, params = path_and_query(delivery.url)
    response = client.get(path, {**params, "signature": "f" * 64})
    assert response.status_code == 400
    assert reservation.order.refunds.get().state == RefundState.PENDING


def test_paytrail_down_at_checkout_is_a_polite_error(fake, hall, customer, slot, settings):
    settings.PAYTRAIL_API_URL = "http://127.0.0.1:9"
    order = book(customer, hall, slot).order
    with pytest.raises(DomainError) as info:
        start(customer, order)
    assert info.value.code == "payment_provider_unavailable"
    assert order.payments.get().state == PaymentState.FAILED
    order.refresh_from_db()
    assert order.state == OrderState.OPEN


def test_a_second_payment_for_a_paid_order_is_refunded_in_full(
    fake, hall, customer, slot, client, django_capture_on_commit_callbacks
):
    reservation = book(customer, hall, slot)
    order = reservation.order
    first, second = start(customer, order), start(customer, order)  # two browser tabs
    fake.pay(first.transaction_id, "ok")
    fake.pay(second.transaction_id, "ok")
    with django_capture_on_commit_callbacks(execute=True):
        deliver_all(client, fake)
    order.refresh_from_db()
    assert order.state == OrderState.PAID
    [refund] = order.refunds.all()
    assert refund.amount == D("80.00") and refund.payment.transaction_id == second.transaction_id


def test_the_expiry_sweep_does_not_touch_a_paid_order(fake, hall, customer, slot, client):
    reservation = _paid_booking(fake, client, customer, hall, slot)
    assert order_expire_holds(now=reservation.order.created_at + dt.timedelta(hours=1)) == 0
    reservation.refresh_from_db()
    assert reservation.state == State.CONFIRMED
