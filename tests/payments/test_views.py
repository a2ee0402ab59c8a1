"""The shop's pages: checkout, return, cancel, subsidy, invoice PDF, my orders; the staff order list,
order actions and the accounting export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.payments.conftest import make_group
from tila.booking.models import State
from tila.booking.services import reservation_cancel, reservation_create
from tila.payments.models import (
    CustomerGroup,
    Order,
    OrderState,
    RefundState,
    SubsidyState,
    UnitProvider,
)
from tila.payments.selectors import accounting_rows
from tila.payments.services import checkout_start, order_mark_paid, subsidy_apply

pytest_plugins = ["tests.fakes.paytrail"]
pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def order(hall, customer, slot):
    return reservation_create(actor=customer, resource=hall, begin=slot[0], end=slot[1]).order


@pytest.fixture
def onsite(unit):
    UnitProvider.objects.create(unit=unit, provider="onsite")
    UnitProvider.objects.create(unit=unit, provider="invoice")


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer)
    return client


def page_of(order, language="fi"):
    return f"/{language}/pay/order/{order.uuid}/"


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_checkout_page_shows_the_price_vat_and_the_hold(signed_in, order, onsite, language):
    response = signed_in.get(page_of(order, language))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    assert 'data-order-state="open"' in html and "data-order-total" in html
    assert 'name="provider" value="onsite"' in html
    assert 'value="invoice"' not in html  # residents do not get invoices
    assert ("80,00" if language != "en" else "80.00") in html
    assert ("13,5" if language != "en" else "13.5") in html


def test_the_checkout_page_needs_sign_in_and_is_private(client, f, order):
    response = client.get(page_of(order))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(f.user())
    assert client.get(page_of(order)).status_code == 404


def test_staff_of_the_unit_may_look_at_a_customers_order(client, f, order, hall):
    client.force_login(f.staff(hall.unit, role="viewer"))
    assert client.get(page_of(order)).status_code == 200


def test_choosing_to_pay_at_the_place_confirms_the_booking(signed_in, order, onsite):
    response = signed_in.post(page_of(order), {"provider": "onsite"})
    assert response.status_code == 302 and response["Location"] == page_of(order)
    order.refresh_from_db()
    assert order.state == OrderState.COMMITTED and order.reservation.state == State.CONFIRMED
    follow = signed_in.get(page_of(order))
    assert 'data-state="committed"' in follow.content.decode()


def test_an_invalid_choice_is_shown_as_an_error(signed_in, order, onsite):
    response = signed_in.post(page_of(order), {"provider": "bitcoin"})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()


def test_an_association_gives_billing_details_on_the_page(client, f, hall, slot, onsite):
    club = f.user()
    make_group(club, CustomerGroup.ASSOCIATION)
    client.force_login(club)
    order = reservation_create(actor=club, resource=hall, begin=slot[0], end=slot[1]).order
    missing = client.post(page_of(order), {"provider": "invoice"})
    assert missing.status_code == 400 and 'id="id_organisation_name"' in missing.content.decode()
    done = client.post(
        page_of(order),
        {"provider": "invoice", "organisation_name": "Kuoro ry", "billing_address": "Katu 2\n00100 Helsinki"},
    )
    assert done.status_code == 302
    pdf = client.get(f"/fi/pay/order/{order.uuid}/invoice.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_choosing_paytrail_sends_the_customer_to_pay(signed_in, order, paytrail_settings, unit):
    response = signed_in.post(page_of(order), {"provider": "paytrail"})
    assert response.status_code == 302 and response["Location"].startswith(f"{paytrail_settings.url}/pay/")


def test_an_expired_hold_is_shown_as_expired_with_a_way_to_book_again(signed_in, order):
    Order.objects.filter(pk=order.pk).update(hold_expires_at=timezone.now() - dt.timedelta(seconds=1))
    html = signed_in.get(page_of(order)).content.decode()
    order.refresh_from_db()
    assert order.state == OrderState.EXPIRED and order.reservation.state == State.CANCELLED
    assert 'data-state="expired"' in html and "/fi/resources/hall/book/" in html


def test_cancelling_on_the_checkout_page_frees_the_slot(signed_in, order):
    response = signed_in.post(f"/fi/pay/order/{order.uuid}/cancel/")
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.state == OrderState.CANCELLED and order.reservation.state == State.CANCELLED
    assert signed_in.get(f"/fi/pay/order/{order.uuid}/cancel/").status_code == 405


def test_a_return_with_a_bad_signature_is_not_trusted(signed_in, order, paytrail_settings):
    response = signed_in.get(
        f"/fi/pay/order/{order.uuid}/return/paytrail/success/",
        {"checkout-status": "ok", "checkout-stamp": "x", "signature": "bad"},
        follow=True,
    )
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.state == OrderState.OPEN
    assert "message--error" in response.content.decode()


def test_applying_for_the_subsidised_price(signed_in, order):
    page = signed_in.get(f"/fi/pay/order/{order.uuid}/subsidy/")
    assert page.status_code == 200 and 'id="id_reason"' in page.content.decode()
    assert signed_in.post(f"/fi/pay/order/{order.uuid}/subsidy/", {"reason": ""}).status_code == 400
    done = signed_in.post(f"/fi/pay/order/{order.uuid}/subsidy/", {"reason": "Youth event"})
    assert done.status_code == 302
    order.refresh_from_db()
    assert order.state == OrderState.AWAITING_DECISION and order.subsidy.reason == "Youth event"


def test_my_orders_and_the_reservation_link(signed_in, order):
    html = signed_in.get("/fi/pay/orders/").content.decode()
    assert page_of(order) in html
    response = signed_in.get(f"/fi/pay/reservation/{order.reservation_id}/")
    assert response.status_code == 302 and response["Location"] == page_of(order)


def test_the_receipt_after_paying_offers_the_refund_terms(signed_in, f, order, onsite, hall):
    checkout_start(actor=order.user, order=order, provider_id="onsite")
    order_mark_paid(actor=f.staff(hall.unit), order=order)
    html = signed_in.get(page_of(order)).content.decode()
    assert 'data-state="paid"' in html and "data-refund-if-cancelled" in html and "75,00" in html


# --- Staff -------------------------------------------------------------------------------------


def test_the_staff_order_list_is_for_staff_of_the_unit(client, f, order, hall, customer):
    client.force_login(customer)
    assert client.get("/fi/pay/staff/orders/").status_code == 403
    client.force_login(f.staff(f.unit(), role="viewer"))  # another unit's staff
    assert order.reference not in client.get("/fi/pay/staff/orders/").content.decode()
    client.force_login(f.staff(hall.unit, role="viewer"))
    html = client.get("/fi/pay/staff/orders/", {"state": "open"}).content.decode()
    assert f"/fi/pay/staff/orders/{order.uuid}/" in html
    assert (
        f"/fi/pay/staff/orders/{order.uuid}/"
        not in client.get("/fi/pay/staff/orders/", {"state": "paid"}).content.decode()
    )


def test_staff_mark_an_order_paid_on_its_page(client, f, order, hall, onsite):
    checkout_start(actor=order.user, order=order, provider_id="onsite")
    client.force_login(f.staff(hall.unit, role="viewer"))
    assert client.post(f"/fi/pay/staff/orders/{order.uuid}/", {"action": "mark_paid"}).status_code == 400
    client.force_login(f.staff(hall.unit))
    response = client.post(f"/fi/pay/staff/orders/{order.uuid}/", {"action": "mark_paid", "method": "cash"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.state == OrderState.PAID


def test_staff_refund_and_mark_the_refund_paid_back(client, f, order, hall, onsite):
    checkout_start(actor=order.user, order=order, provider_id="onsite")
    handler = f.staff(hall.unit)
    order_mark_paid(actor=handler, order=order)
    client.force_login(handler)
    url = f"/fi/pay/staff/orders/{order.uuid}/"
    assert client.post(url, {"action": "refund", "amount": "-1"}).status_code == 400
    assert client.post(url, {"action": "refund", "amount": "200"}).status_code == 400
    assert client.post(url, {"action": "refund", "amount": "20", "reason": "Sorry"}).status_code == 302
    refund = order.refunds.get()
    assert (refund.amount, refund.state) == (D("20.00"), RefundState.MANUAL)
    assert client.post(url, {"action": "refund_done", "refund": refund.pk}).status_code == 302
    refund.refresh_from_db()
    assert refund.state == RefundState.DONE


def test_staff_decide_a_subsidy_on_the_order_page(client, f, order, hall, customer):
    subsidy_apply(actor=customer, order=order, reason="Youth")
    client.force_login(f.staff(hall.unit))
    url = f"/fi/pay/staff/orders/{order.uuid}/"
    assert "Youth" in client.get(url).content.decode()
    assert client.post(url, {"action": "subsidy", "decision": "granted", "total": "15"}).status_code == 302
    order.refresh_from_db()
    assert order.subsidy.state == SubsidyState.GRANTED and order.total == D("15.00")


def test_the_accounting_export_lists_sales_and_refunds_with_vat(client, f, order, hall, onsite):
    checkout_start(actor=order.user, order=order, provider_id="onsite")
    handler = f.staff(hall.unit)
    order_mark_paid(actor=handler, order=order)
    reservation_cancel(actor=handler, reservation=order.reservation_id)  # staff: a full refund (manual)
    from tila.payments.services import refund_mark_done

    refund_mark_done(actor=handler, refund=order.refunds.get())
    day = timezone.localdate()
    client.force_login(handler)
    response = client.get("/fi/pay/staff/orders/export.csv", {"day": day.isoformat()})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["kind"], r["total"], r["vat"], r["net"], r["vat_percentage"]) for r in rows] == [
        ("sale", "80.00", "9.52", "70.48", "13.50"),
        ("refund", "-80.00", "-9.52", "-70.48", "13.50"),
    ]
    assert rows[0]["account"] == "3210" and rows[0]["product_code"] == "SALI" and rows[0]["payment_method"] == "onsite"
    other_unit_staff = f.staff(f.unit())
    client.force_login(other_unit_staff)
    assert len(list(csv.reader(io.StringIO(client.get("/fi/pay/staff/orders/export.csv").content.decode())))) == 1


def test_accounting_rows_split_a_partial_refund_by_vat_and_add_up(f, order, hall, onsite):
    checkout_start(actor=order.user, order=order, provider_id="onsite")
    handler = f.staff(hall.unit)
    order_mark_paid(actor=handler, order=order)
    from tila.payments.services import order_refund, refund_mark_done

    [refund] = order_refund(actor=handler, order=order, amount=D("33.33"))
    refund_mark_done(actor=handler, refund=refund)
    rows = accounting_rows(day=timezone.localdate(), unit_ids=[hall.unit_id])
    refund_row = rows[-1]
    assert refund_row.total == D("-33.33") and refund_row.net + refund_row.vat == refund_row.total
