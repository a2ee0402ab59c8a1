"""Racing reports: the same callback delivered by many threads at once is applied exactly once, and
a payment racing the hold expiry is never lost (it either lands before the expiry or rebooks)."""

from __future__ import annotations

import threading
import urllib.parse

import pytest
from django.db import connection

from tila.booking.models import State
from tila.booking.services import reservation_create
from tila.payments.models import LogOutcome, Order, OrderState, PaymentLog, PaymentState
from tila.payments.services import checkout_start, order_expire, payment_report_receive, vat_rates_ensure

pytest_plugins = ["tests.fakes.paytrail"]
pytestmark = pytest.mark.django_db(transaction=True)


def _run_together(*targets):
    barrier = threading.Barrier(len(targets))
    errors: list[BaseException] = []

    def wrap(target):
        try:
            barrier.wait()
            target()
        except BaseException as exc:  # collected and reported by the test thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=wrap, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.fixture
def paid_params(paytrail_settings, hall, customer, slot):
    vat_rates_ensure()
    paytrail_settings.callback_mode = "queue"
    reservation = reservation_create(actor=customer, resource=hall, begin=slot[0], end=slot[1])
    result = checkout_start(actor=customer, order=reservation.order, provider_id="paytrail")
    paytrail_settings.pay(result.transaction_id, "ok")
    [delivery] = paytrail_settings.pending_callbacks
    return reservation, dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(delivery.url).query))


def test_eight_simultaneous_deliveries_of_one_callback_apply_it_once(paid_params):
    reservation, params = paid_params

    errors = _run_together(*[lambda: payment_report_receive(provider_id="paytrail", params=params)] * 8)

    assert errors == []
    outcomes = list(PaymentLog.objects.values_list("outcome", flat=True))
    assert outcomes.count(LogOutcome.ACCEPTED) == 1 and outcomes.count(LogOutcome.DUPLICATE) == 7
    reservation.refresh_from_db()
    assert reservation.state == State.CONFIRMED
    assert Order.objects.get(reservation=reservation).state == OrderState.PAID


def test_a_payment_racing_the_hold_expiry_is_never_lost(paid_params):
    reservation, params = paid_params
    order = Order.objects.get(reservation=reservation)

    errors = _run_together(
        lambda: payment_report_receive(provider_id="paytrail", params=params),
        lambda: order_expire(order_id=order.pk, now=order.hold_expires_at),
    )

    assert errors == []
    order.refresh_from_db()
    reservation.refresh_from_db()
    assert order.payments.get().state == PaymentState.PAID
    assert order.state == OrderState.PAID and reservation.state == State.CONFIRMED  # either order, the time is kept
    assert not order.refunds.exists()
