"""What the booking engine asks the web shop, inside its own transaction.

tila.booking.services imports this module lazily (payments imports booking, not the other way
round). The engine decides reservation states; these functions only price, open orders, refund
and refuse a move that would change a price.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from tila.booking.models import Reservation, ReservationType
from tila.catalogue.models import Resource
from tila.core.db import Probe
from tila.core.errors import DomainError
from tila.payments.models import UNPAID_STATES, Order, OrderState
from tila.payments.selectors import PriceQuote, local_date, price_for, price_quote, price_rule_probe
from tila.payments.services import order_create_for_reservation, order_reservation_cancelled


def payment_due(
    *,
    resource: Resource,
    begin: dt.datetime,
    end: dt.datetime,
    customer: Any,
    kind: str,
    waived: bool,
    priced: bool = True,
) -> PriceQuote | None:
    """The price to pay before the booking is confirmed, or None (free, unpriced, waived, closure).
    `priced=False`: the caller asked `price_probe` and the resource has no price that day."""
    if waived or kind != ReservationType.NORMAL or not priced:
        return None
    quote = price_quote(resource=resource, begin=begin, end=end, customer=customer)
    if quote is None or quote.is_free:
        return None
    return quote


def price_probe(*, resource: Resource, begin: dt.datetime) -> Probe:
    """Whether `resource` has a price on the day `begin` falls on (its rule's id, or NULL), as a probe
    the booking engine asks with its other lookups; its answer is `payment_due`'s `priced`."""
    return price_rule_probe(resource_id=resource.pk, on=local_date(resource, begin))


def order_open(*, reservation: Reservation, quote: PriceQuote, now: dt.datetime) -> Order:
    """Open the order of a reservation that waits for payment (same transaction)."""
    return order_create_for_reservation(reservation=reservation, quote=quote, now=now)


def reservation_cancelled(*, reservation: Reservation, now: dt.datetime, in_full: bool) -> None:
    """The reservation was cancelled or denied: close its order and refund what is due."""
    order_reservation_cancelled(reservation=reservation, now=now, in_full=in_full)


def check_move(*, reservation: Reservation, begin: dt.datetime, end: dt.datetime) -> None:
    """Refuse moving a reservation with an order to a time that costs something else than its own."""
    order = Order.objects.filter(reservation_id=reservation.pk).first()
    if order is None or order.state not in (*UNPAID_STATES, OrderState.PAID):
        return
    if _total(reservation, reservation.begin, reservation.end, order) != _total(reservation, begin, end, order):
        raise DomainError(
            "price_changes",
            _("The new time has a different price. Cancel this booking and make a new one instead."),
            field="begin",
        )


def _total(reservation: Reservation, begin: dt.datetime, end: dt.datetime, order: Order) -> Decimal | None:
    quote = price_for(resource=reservation.resource, begin=begin, end=end, customer_group=order.customer_group)
    return quote.total if quote is not None else None
