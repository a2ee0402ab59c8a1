"""The web shop in a real browser: book a priced space, pay through the (fake) Paytrail and see it
confirmed; let a hold expire; cancel a paid booking and see the refund. axe-core checks each page.

The fake Paytrail calls the live server's callback URL over the loopback interface, as Paytrail
would over the internet.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.e2e.conftest import next_weekday, sign_in_cookie
from tila.booking.models import Reservation, State
from tila.payments.models import Order, OrderState, PaymentState, PriceRule, Pricing, RefundPolicy, RefundState
from tila.payments.services import order_expire_holds, vat_rates_ensure

pytest_plugins = ["tests.fakes.paytrail"]
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop(city, live_server, paytrail_settings, settings):
    """The Kaisla meeting room costs 20 € an hour (general VAT); Paytrail is the fake."""
    settings.SITE_URL = live_server.url
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    vat_rates_ensure()  # a transactional test flushes the rows the data migration added
    PriceRule.objects.create(
        resource=city["room"],
        valid_from=dt.date(2020, 1, 1),
        pricing=Pricing.PER_HOUR,
        price_resident=Decimal("20.00"),
        product_code="KOKOUS",
    )
    RefundPolicy.objects.create(resource=city["room"], full_refund_until=dt.timedelta(hours=24))
    return paytrail_settings


def book_priced_room(page, day):
    page.goto(f"/fi/resources/kallio-meeting/book/?begin={day}T12:00&end={day}T14:00")
    page.check("#id_accept_terms")
    page.click("#book-submit")
    page.wait_for_url("**/fi/reservations/*/")
    expect(page.locator("[data-state='waiting_for_payment']")).to_be_visible()


def test_book_a_priced_space_pay_through_paytrail_and_see_it_confirmed(page, live_server, shop, resident, axe):
    day = next_weekday(timezone.localdate())
    sign_in_cookie(page.context, live_server, resident)

    book_priced_room(page, day)
    axe(page, "booking waiting for payment")
    page.click("[data-state='waiting_for_payment'] a")
    page.wait_for_url("**/fi/pay/order/*/")
    axe(page, "checkout")
    expect(page.locator("[data-order-total]")).to_contain_text("40,00")
    expect(page.locator("[data-state='open']")).to_be_visible()

    page.check("input[name='provider'][value='paytrail']")
    page.click("#pay-submit")
    page.wait_for_url(f"{shop.url}/pay/**")
    expect(page.locator("h1")).to_contain_text("40.00 EUR")
    page.click("#pay-ok")

    page.wait_for_url("**/fi/pay/order/*/")
    expect(page.locator("[data-state='paid']")).to_be_visible()
    expect(page.locator(".messages")).to_be_visible()
    axe(page, "receipt")
    reservation = Reservation.objects.get(user=resident)
    assert reservation.state == State.CONFIRMED
    order = Order.objects.get(reservation=reservation)
    assert order.state == OrderState.PAID and order.payments.get().state == PaymentState.PAID
    assert [d.status for d in shop.callbacks] == [200]  # Paytrail's own call reached us too

    page.goto(f"/fi/reservations/{reservation.pk}/")
    expect(page.locator("[data-state='confirmed']")).to_be_visible()


def test_an_unpaid_hold_expires_and_the_time_is_free_again(page, live_server, shop, resident, axe):
    day = next_weekday(timezone.localdate())
    sign_in_cookie(page.context, live_server, resident)
    book_priced_room(page, day)
    page.click("[data-state='waiting_for_payment'] a")
    page.wait_for_url("**/fi/pay/order/*/")
    order = Order.objects.get(user=resident)

    order_expire_holds(now=order.hold_expires_at + dt.timedelta(seconds=1))  # the clock ran out
    page.reload()

    expect(page.locator("[data-state='expired']")).to_be_visible()
    axe(page, "expired hold")
    assert Reservation.objects.get(user=resident).state == State.CANCELLED
    page.click("[data-state='expired'] a")
    page.wait_for_url("**/fi/resources/kallio-meeting/book/")
    book_priced_room(page, day)  # the same time can be booked again at once


def test_cancel_a_paid_booking_and_see_the_refund(page, live_server, shop, resident, axe):
    day = next_weekday(timezone.localdate())
    sign_in_cookie(page.context, live_server, resident)
    book_priced_room(page, day)
    page.click("[data-state='waiting_for_payment'] a")
    page.check("input[name='provider'][value='paytrail']")
    page.click("#pay-submit")
    page.click("#pay-ok")
    page.wait_for_url("**/fi/pay/order/*/")
    expect(page.locator("[data-refund-if-cancelled]")).to_contain_text("40,00")

    page.click("[data-refund-if-cancelled] a")
    page.wait_for_url("**/fi/reservations/*/cancel/")
    page.click("#cancel-submit")
    page.wait_for_url("**/fi/reservations/")

    order = Order.objects.get(user=resident)
    page.goto(f"/fi/pay/order/{order.uuid}/")
    expect(page.locator("[data-state='cancelled']")).to_be_visible()
    expect(page.locator("[data-refund-state='done']")).to_contain_text("40,00")
    axe(page, "refunded order")
    refund = order.refunds.get()
    assert refund.state == RefundState.DONE and refund.amount == Decimal("40.00")
    assert shop.requests_to("POST", f"/payments/{order.payments.get().transaction_id}/refund")


def test_staff_see_the_order_in_the_order_list(page, live_server, shop, resident, city, axe):
    from tila.booking.services import reservation_create

    day = next_weekday(timezone.localdate())
    reservation_create(actor=resident, resource=city["room"], begin=f.at(day, 12), end=f.at(day, 13))
    handler = f.staff(city["library"])
    sign_in_cookie(page.context, live_server, handler)
    page.goto("/fi/pay/staff/orders/")
    axe(page, "staff order list")
    page.click("table[data-orders] tbody a")
    page.wait_for_url("**/fi/pay/staff/orders/*/")
    expect(page.locator("[data-order-state='open']")).to_be_visible()
    axe(page, "staff order")
