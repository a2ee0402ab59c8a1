"""/v1/order/ — a signed-in user's orders (6Aika), and /v1/resource/{id}/price/ — a price check.

Money is a string with two decimals ("80.00", euros, VAT included unless named otherwise), so no
client ever rounds a float.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from tila.accounts.permissions import Action, units_where
from tila.api.base import (
    OPTIONAL_AUTH,
    SIGNED_IN,
    bad_request,
    current_user,
    not_found,
    paginate,
    require_user,
    responses,
    route,
)
from tila.api.params import parse_time, split_ids
from tila.api.serializers import iso
from tila.catalogue.models import Resource, Unit
from tila.catalogue.selectors import published_q
from tila.payments import links
from tila.payments.models import CustomerGroup, Order, OrderLine, OrderState
from tila.payments.selectors import customer_group_for, orders_of, price_quote

router = Router(tags=["order"])
MAX_PRICE_SPAN = dt.timedelta(days=31)
UNPRICED: dict[str, Any] = {
    "priced": False,
    "payment_required": False,
    "price": "0.00",
    "currency": "EUR",
    "pricing": None,
    "unit_price": None,
    "quantity": None,
    "vat_percentage": None,
    "vat": None,
    "price_without_vat": None,
    "subsidy_available": False,
    "subsidised_price": None,
}


class ProductOut(Schema):
    id: str
    type: str
    name: str
    pricing: str
    tax_percentage: str
    unit_price: str


class OrderLineOut(Schema):
    product: ProductOut
    quantity: str
    unit_price: str
    price: str
    vat: str
    price_without_vat: str


class PaymentOut(Schema):
    provider: str
    state: str
    amount: str
    paid_at: str | None


class RefundOut(Schema):
    amount: str
    state: str
    created_at: str
    done_at: str | None


class OrderOut(Schema):
    id: str
    reservation: int
    resource: str
    begin: str
    end: str
    state: str
    customer_group: str
    price: str
    currency: str
    reference: str
    payment_url: str
    created_at: str
    hold_expires_at: str | None
    paid_at: str | None
    order_lines: list[OrderLineOut]
    payments: list[PaymentOut]
    refunds: list[RefundOut]


class OrderList(Schema):
    count: int
    next: str | None
    previous: str | None
    prev: str | None
    results: list[OrderOut]


class PriceOut(Schema):
    resource: str
    begin: str
    end: str
    customer_group: str
    priced: bool
    payment_required: bool
    price: str
    currency: str
    pricing: str | None
    unit_price: str | None
    quantity: str | None
    vat_percentage: str | None
    vat: str | None
    price_without_vat: str | None
    subsidy_available: bool
    subsidised_price: str | None


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _when(value: dt.datetime | None, tz_name: str) -> str | None:
    return iso(value, tz_name) if value is not None else None


def _line_json(line: OrderLine) -> dict[str, Any]:
    return {
        "product": {
            "id": line.product_code,
            "type": "rent",
            "name": line.description,
            "pricing": line.pricing,
            "tax_percentage": f"{line.vat_percentage:.2f}",
            "unit_price": f"{line.unit_price:.2f}",
        },
        "quantity": f"{line.quantity.normalize():f}",
        "unit_price": f"{line.unit_price:.2f}",
        "price": f"{line.total:.2f}",
        "vat": f"{line.vat:.2f}",
        "price_without_vat": f"{line.net:.2f}",
    }


def order_json(order: Order) -> dict[str, Any]:
    reservation = order.reservation
    tz_name = reservation.resource.unit.time_zone
    return {
        "id": str(order.uuid),
        "reservation": reservation.pk,
        "resource": reservation.resource_id,
        "begin": iso(reservation.begin, tz_name),
        "end": iso(reservation.end, tz_name),
        "state": order.state,
        "customer_group": order.customer_group,
        "price": f"{order.total:.2f}",
        "currency": order.currency,
        "reference": order.reference,
        "payment_url": links.order_url(order),
        "created_at": iso(order.created_at, tz_name),
        "hold_expires_at": _when(order.hold_expires_at, tz_name),
        "paid_at": _when(order.paid_at, tz_name),
        "order_lines": [_line_json(line) for line in order.lines.all()],
        "payments": [
            {
                "provider": p.provider,
                "state": p.state,
                "amount": f"{p.amount:.2f}",
                "paid_at": _when(p.paid_at, tz_name),
            }
            for p in order.payments.all()
        ],
        "refunds": [
            {
                "amount": f"{r.amount:.2f}",
                "state": r.state,
                "created_at": iso(r.created_at, tz_name),
                "done_at": _when(r.done_at, tz_name),
            }
            for r in order.refunds.all()
        ],
    }


def _orders_json(items: list[Order]) -> list[dict[str, Any]]:
    return [order_json(order) for order in items]


@route(
    router,
    ["GET"],
    "/order/",
    response=responses({200: OrderList}, 400, 404),
    summary="List your orders",
    url_name="orders",
    **SIGNED_IN,
)
def list_orders(
    request: HttpRequest,
    state: str | None = Query(None, max_length=200, description="Order states, comma-separated."),
    page: int | None = Query(None, ge=1),
    page_size: int | None = Query(None, ge=1, description="Default 20, at most 500."),
) -> dict[str, Any]:
    """The signed-in user's orders, newest first: lines with VAT, payments and refunds."""
    user = require_user(request)
    qs = orders_of(user)
    if state:
        wanted = split_ids(state)
        unknown = sorted(set(wanted) - set(OrderState.values))
        if unknown:
            raise bad_request("invalid", _("Unknown state: %(state)s") % {"state": ", ".join(unknown)}, "state")
        qs = qs.filter(state__in=wanted)
    return paginate(request, qs, _orders_json, page, page_size)


@route(
    router,
    ["GET"],
    "/order/{order_id}/",
    response=responses({200: OrderOut}, 404),
    summary="One of your orders",
    url_name="order",
    **SIGNED_IN,
)
def get_order(request: HttpRequest, order_id: str) -> dict[str, Any]:
    user = require_user(request)
    try:
        key = uuid.UUID(order_id[:64])
    except ValueError:
        raise not_found() from None
    order = orders_of(user).filter(uuid=key).first()
    if order is None:
        raise not_found()
    return order_json(order)


def _visible_resource(request: HttpRequest, resource_id: str) -> Resource:
    user = current_user(request)
    visible = published_q()
    if user is not None:
        visible |= Q(unit__in=Unit.objects.filter(units_where(user, Action.VIEW)))
    resource = Resource.objects.filter(visible).select_related("unit").filter(pk=resource_id[:100]).first()
    if resource is None:
        raise not_found()
    return resource


def _price_window(begin: str, end: str, tz_name: str) -> tuple[dt.datetime, dt.datetime]:
    start = parse_time(begin, "begin", tz_name)
    finish = parse_time(end, "end", tz_name)
    if start is None or finish is None:
        raise bad_request("invalid", _("Give both begin and end."), "begin" if start is None else "end")
    if finish <= start:
        raise bad_request("invalid_range", _("The end must be after the start."), "end")
    if finish - start > MAX_PRICE_SPAN:
        raise bad_request("invalid_range", _("A price can be checked for at most 31 days."), "end")
    return start, finish


@route(
    router,
    ["GET"],
    "/resource/{resource_id}/price/",
    response=responses({200: PriceOut}, 404),
    summary="What booking a resource costs",
    url_name="resource_price",
    **OPTIONAL_AUTH,
)
def resource_price(
    request: HttpRequest,
    resource_id: str,
    begin: str = Query(..., max_length=64, description="ISO 8601; without an offset, the resource's local time."),
    end: str = Query(..., max_length=64),
    customer_group: str | None = Query(
        None, max_length=20, description="resident, association, company or youth; default: your own group."
    ),
) -> dict[str, Any]:
    """The price of booking the resource for [begin, end) with VAT broken out. `priced` is false when the
    resource is free; `payment_required` says whether a booking waits for payment."""
    resource = _visible_resource(request, resource_id)
    tz_name = resource.unit.time_zone
    start, finish = _price_window(begin, end, tz_name)
    if customer_group is not None and customer_group not in CustomerGroup.values:
        raise bad_request("invalid_customer_group", _("Unknown customer group."), "customer_group")
    group = customer_group or customer_group_for(current_user(request))
    quote = price_quote(resource=resource, begin=start, end=finish, customer_group=group)
    base = {"resource": resource.pk, "begin": iso(start, tz_name), "end": iso(finish, tz_name), "customer_group": group}
    if quote is None:
        return {**base, **UNPRICED}
    return {
        **base,
        "priced": True,
        "payment_required": not quote.is_free,
        "price": f"{quote.total:.2f}",
        "currency": quote.currency,
        "pricing": quote.pricing,
        "unit_price": f"{quote.unit_price:.2f}",
        "quantity": f"{quote.quantity.normalize():f}",
        "vat_percentage": f"{quote.vat_percentage:.2f}",
        "vat": f"{quote.vat:.2f}",
        "price_without_vat": f"{quote.net:.2f}",
        "subsidy_available": quote.subsidy_available,
        "subsidised_price": _money(quote.subsidised_total),
    }
