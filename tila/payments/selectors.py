"""Reads for the web shop: VAT rates, prices, payment methods, refunds due, order lists, accounting."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tila.accounts.permissions import Action, units_where
from tila.catalogue.models import Resource, Unit
from tila.core.db import Probe, db_date, probe_answers
from tila.core.errors import DomainError
from tila.core.timeutil import day_bounds, get_zone
from tila.payments.models import (
    ORGANISATION_GROUPS,
    CustomerGroup,
    CustomerProfile,
    Order,
    OrderLine,
    Payment,
    PaymentState,
    PriceRule,
    Pricing,
    Refund,
    RefundPolicy,
    RefundState,
    UnitProvider,
    VatRate,
)
from tila.payments.money import ZERO, cents, split_gross
from tila.payments.providers import PaymentProvider, enabled_providers

HALF_DAY_MINUTES = 4 * 60
DAY_MINUTES = 24 * 60
# Payment methods a unit offers until it chooses its own (UnitProvider rows).
DEFAULT_PROVIDERS = ("paytrail", "invoice")
# Payment methods only organisations may use.
ORGANISATION_ONLY_PROVIDERS = ("invoice",)


# --- VAT and customer groups -----------------------------------------------------------------


def vat_percentage(*, category: str, on: dt.date) -> Decimal:
    """The VAT percentage of ``category`` on a date (the latest row valid then)."""
    rate = VatRate.objects.filter(category=category, valid_from__lte=on).order_by("-valid_from").first()
    if rate is None:
        raise DomainError("vat_rate_missing", _("No VAT rate is known for this date."))
    return rate.percentage


def customer_group_for(user: Any) -> str:
    """The customer group whose prices ``user`` pays: their verified group, else resident."""
    if user is None or not getattr(user, "is_authenticated", False):
        return CustomerGroup.RESIDENT
    profile = CustomerProfile.objects.filter(user_id=user.pk).first()
    if profile is None or (profile.group != CustomerGroup.RESIDENT and profile.verified_at is None):
        return CustomerGroup.RESIDENT
    return profile.group


# --- Prices ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PriceQuote:
    """The price of booking a resource for [begin, end) as one customer group, VAT broken out."""

    resource_id: str
    rule_id: int
    customer_group: str
    pricing: str
    unit_price: Decimal
    quantity: Decimal
    total: Decimal
    vat_percentage: Decimal
    vat: Decimal
    net: Decimal
    product_code: str
    account: str
    cost_centre: str
    subsidised_total: Decimal | None
    currency: str = "EUR"

    @property
    def is_free(self) -> bool:
        return self.total == ZERO

    @property
    def subsidy_available(self) -> bool:
        return self.subsidised_total is not None and self.subsidised_total < self.total


def local_date(resource: Resource, moment: dt.datetime) -> dt.date:
    return moment.astimezone(get_zone(resource.unit.time_zone)).date()


def price_rule_for(*, resource: Resource, on: dt.date) -> PriceRule | None:
    """The resource's price rule valid on ``on`` (the latest that began on or before it).

    Asked on every booking, and most resources are free: a bare statement finds the rule's id (no
    ORM compilation when there is none), and only a priced resource loads the rule."""
    (found,) = probe_answers(price_rule_probe(resource_id=resource.pk, on=on))
    return None if found is None else PriceRule.objects.get(pk=found)


def price_rule_probe(*, resource_id: str, on: dt.date) -> Probe:
    """The id of the price rule valid on ``on``, or NULL: `price_rule_for` as a probe the booking path
    asks with its other lookups (tila.core.db.Probe)."""
    sql = "(SELECT id FROM payments_pricerule WHERE resource_id = %s AND valid_from <= %s"
    return Probe(sql + " ORDER BY valid_from DESC LIMIT 1)", (resource_id, db_date(on)))


def _minutes(begin: dt.datetime, end: dt.datetime) -> int:
    return max(0, int((end - begin).total_seconds() // 60))


def quantity_for(pricing: str, begin: dt.datetime, end: dt.datetime) -> Decimal:
    """How many charged units [begin, end) is: hours (exact), started half days, started days, or 1."""
    minutes = _minutes(begin, end)
    if pricing == Pricing.PER_HOUR:
        return (Decimal(minutes) / 60).quantize(Decimal("0.0001"))
    if pricing == Pricing.PER_HALF_DAY:
        return Decimal(max(1, math.ceil(minutes / HALF_DAY_MINUTES)))
    if pricing == Pricing.PER_DAY:
        return Decimal(max(1, math.ceil(minutes / DAY_MINUTES)))
    return Decimal(1)


def _total(pricing: str, unit_price: Decimal, begin: dt.datetime, end: dt.datetime) -> Decimal:
    if pricing == Pricing.PER_HOUR:  # exact minutes, rounded once at the end
        return cents(unit_price * _minutes(begin, end) / 60)
    return cents(unit_price * quantity_for(pricing, begin, end))


def price_for(*, resource: Resource, begin: dt.datetime, end: dt.datetime, customer_group: str) -> PriceQuote | None:
    """The price of [begin, end) for ``customer_group``, or None when the resource has no price."""
    day = local_date(resource, begin)
    rule = price_rule_for(resource=resource, on=day)
    return None if rule is None else _quote(rule, resource, day, begin, end, customer_group)


def _quote(
    rule: PriceRule, resource: Resource, day: dt.date, begin: dt.datetime, end: dt.datetime, customer_group: str
) -> PriceQuote:
    unit_price = rule.price_for_group(customer_group)
    total = _total(rule.pricing, unit_price, begin, end)
    vat_pct = vat_percentage(category=rule.vat_category, on=day)
    net, vat = split_gross(total, vat_pct)
    subsidised = None
    if rule.subsidised_price is not None:
        subsidised = min(total, _total(rule.pricing, rule.subsidised_price, begin, end))
    return PriceQuote(
        resource_id=resource.pk,
        rule_id=rule.pk,
        customer_group=customer_group,
        pricing=rule.pricing,
        unit_price=cents(unit_price),
        quantity=quantity_for(rule.pricing, begin, end),
        total=total,
        vat_percentage=vat_pct,
        vat=vat,
        net=net,
        product_code=rule.product_code,
        account=rule.account,
        cost_centre=rule.cost_centre,
        subsidised_total=subsidised,
    )


def price_quote(
    *,
    resource: Resource,
    begin: dt.datetime,
    end: dt.datetime,
    customer: Any = None,
    customer_group: str | None = None,
) -> PriceQuote | None:
    """``price_for`` with the group taken from ``customer`` unless one is given (looked up only when
    the resource has a price: most bookings are free and need no profile)."""
    if customer_group is not None and customer_group not in CustomerGroup.values:
        raise DomainError("invalid_customer_group", _("Unknown customer group."), field="customer_group")
    day = local_date(resource, begin)
    rule = price_rule_for(resource=resource, on=day)
    if rule is None:
        return None
    group = customer_group or customer_group_for(customer)
    return _quote(rule, resource, day, begin, end, group)


def price_rules_summary(*, resource: Resource, on: dt.date | None = None) -> PriceRule | None:
    """The rule in force today (for showing "from 20 € per hour" on resource pages)."""
    return price_rule_for(resource=resource, on=on or local_date(resource, timezone.now()))


# --- Payment methods ---------------------------------------------------------------------------


def providers_for(*, unit_id: str, customer_group: str) -> list[PaymentProvider]:
    """The configured payment methods a unit offers to a customer group, ordered by identifier.

    A unit with UnitProvider rows offers exactly its enabled rows; one without offers
    DEFAULT_PROVIDERS. Invoices are for associations and companies only."""
    rows = dict(UnitProvider.objects.filter(unit_id=unit_id).values_list("provider", "enabled"))
    offered = []
    for provider in enabled_providers(unit_id):  # type: ignore[arg-type]
        wanted = rows.get(provider.identifier, False) if rows else provider.identifier in DEFAULT_PROVIDERS
        if provider.identifier in ORGANISATION_ONLY_PROVIDERS and customer_group not in ORGANISATION_GROUPS:
            wanted = False
        if wanted:
            offered.append(provider)
    return offered


# --- Money on an order -------------------------------------------------------------------------


def paid_amount(order: Order) -> Decimal:
    """What the customer has paid on the order and not had back (or on its way back)."""
    paid = order.payments.filter(state=PaymentState.PAID).aggregate(s=Sum("amount"))["s"] or ZERO
    back = order.refunds.exclude(state=RefundState.FAILED).aggregate(s=Sum("amount"))["s"] or ZERO
    return cents(paid - back)


def refundable_left(payment: Payment) -> Decimal:
    back = payment.refunds.exclude(state=RefundState.FAILED).aggregate(s=Sum("amount"))["s"] or ZERO
    return cents(payment.amount - back)


def _policy_amount(order: Order, begin: dt.datetime, now: dt.datetime, policy: RefundPolicy | None) -> Decimal:
    if policy is None:
        return order.total if now < begin else ZERO
    if now <= begin - policy.full_refund_until:
        return max(ZERO, order.total - policy.fee)
    return cents(order.total * policy.late_refund_percentage / 100)


def refund_due(*, order: Order, now: dt.datetime, in_full: bool = False) -> Decimal:
    """What a cancellation now gives back: by the resource's refund policy, or everything paid
    (``in_full``: staff cancelled or denied). Anything paid beyond the total always goes back."""
    paid = paid_amount(order)
    if paid <= ZERO:
        return ZERO
    if in_full:
        return paid
    reservation = order.reservation
    policy = RefundPolicy.objects.filter(resource_id=reservation.resource_id).first()
    by_policy = _policy_amount(order, reservation.begin, now, policy)
    excess = max(ZERO, paid - order.total)
    return min(paid, cents(by_policy + excess))


# --- Lists -------------------------------------------------------------------------------------


def order_for_reservation(reservation_id: int) -> Order | None:
    return Order.objects.filter(reservation_id=reservation_id).first()


def orders_of(user: Any) -> QuerySet[Order]:
    """A customer's own orders, newest first."""
    pk = getattr(user, "pk", None)
    if pk is None:
        return Order.objects.none()
    return (
        Order.objects.filter(user_id=pk)
        .select_related("reservation__resource__unit")
        .prefetch_related("lines", "payments", "refunds")
        .order_by("-created_at", "-id")
    )


def staff_orders(
    user: Any, *, unit_id: str = "", state: str = "", provider: str = "", query: str = ""
) -> QuerySet[Order]:
    """Orders of the units ``user`` may view, filtered, newest first."""
    units = Unit.objects.filter(units_where(user, Action.VIEW))
    qs = Order.objects.filter(reservation__resource__unit__in=units)
    if unit_id:
        qs = qs.filter(reservation__resource__unit_id=unit_id)
    if state:
        qs = qs.filter(state=state)
    if provider:
        qs = qs.filter(provider=provider)
    if query:
        qs = qs.filter(
            Q(reference__icontains=query.replace(" ", ""))
            | Q(customer_email__icontains=query)
            | Q(customer_name__icontains=query)
        )
    return qs.select_related("reservation__resource__unit", "user").order_by("-created_at", "-id")


def refunds_to_send(*, older_than: dt.datetime, limit: int = 200) -> list[int]:
    """Refunds still waiting to be sent to their provider (their task was lost or failed)."""
    return list(
        Refund.objects.filter(state=RefundState.CREATED, created_at__lte=older_than)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


# --- Accounting --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountingRow:
    """One line of the daily accounting export."""

    date: dt.date
    kind: str  # "sale" or "refund"
    order: str
    reference: str
    unit_id: str
    resource_id: str
    product_code: str
    account: str
    cost_centre: str
    vat_percentage: Decimal
    net: Decimal
    vat: Decimal
    total: Decimal
    provider: str


def _sales(day: dt.date, zone: Any, units: Iterable[str] | None) -> list[AccountingRow]:
    start, stop = day_bounds(day, zone)
    lines = OrderLine.objects.filter(order__paid_at__gte=start, order__paid_at__lt=stop).select_related(
        "order__reservation__resource"
    )
    if units is not None:
        lines = lines.filter(order__reservation__resource__unit_id__in=list(units))
    return [
        AccountingRow(
            date=day,
            kind="sale",
            order=str(line.order.uuid),
            reference=line.order.reference,
            unit_id=line.order.reservation.resource.unit_id,
            resource_id=line.order.reservation.resource_id,
            product_code=line.product_code,
            account=line.account,
            cost_centre=line.cost_centre,
            vat_percentage=line.vat_percentage,
            net=line.net,
            vat=line.vat,
            total=line.total,
            provider=line.order.provider,
        )
        for line in lines.order_by("order__paid_at", "order_id", "position")
    ]


def _refund_rows(day: dt.date, zone: Any, units: Iterable[str] | None) -> list[AccountingRow]:
    """Refunds done that day, split over the order's lines in proportion, VAT by each line's rate."""
    start, stop = day_bounds(day, zone)
    refunds = Refund.objects.filter(state=RefundState.DONE, done_at__gte=start, done_at__lt=stop).select_related(
        "order__reservation__resource"
    )
    if units is not None:
        refunds = refunds.filter(order__reservation__resource__unit_id__in=list(units))
    rows = []
    for refund in refunds.order_by("done_at", "id"):
        order = refund.order
        lines = list(order.lines.all())
        remaining = refund.amount
        for index, line in enumerate(lines):
            share = remaining if index == len(lines) - 1 else cents(refund.amount * line.total / (order.total or 1))
            remaining -= share
            net, vat = split_gross(share, line.vat_percentage)
            rows.append(
                AccountingRow(
                    date=day,
                    kind="refund",
                    order=str(order.uuid),
                    reference=order.reference,
                    unit_id=order.reservation.resource.unit_id,
                    resource_id=order.reservation.resource_id,
                    product_code=line.product_code,
                    account=line.account,
                    cost_centre=line.cost_centre,
                    vat_percentage=line.vat_percentage,
                    net=-net,
                    vat=-vat,
                    total=-share,
                    provider=refund.payment.provider,
                )
            )
    return rows


def accounting_rows(*, day: dt.date, unit_ids: Iterable[str] | None = None, tz_name: str = "") -> list[AccountingRow]:
    """The day's sales (orders paid that local day, line by line) and refunds (negative)."""
    zone = get_zone(tz_name or None)
    units = list(unit_ids) if unit_ids is not None else None
    return _sales(day, zone, units) + _refund_rows(day, zone, units)


@dataclass(frozen=True)
class VatSummary:
    percentage: Decimal
    net: Decimal
    vat: Decimal
    total: Decimal


def vat_breakdown(lines: Iterable[OrderLine]) -> list[VatSummary]:
    """The lines' totals per VAT rate (as a receipt or invoice shows them), highest rate first."""
    sums: dict[Decimal, tuple[Decimal, Decimal, Decimal]] = {}
    for line in lines:
        net, vat, total = sums.get(line.vat_percentage, (ZERO, ZERO, ZERO))
        sums[line.vat_percentage] = (net + line.net, vat + line.vat, total + line.total)
    return [VatSummary(pct, *sums[pct]) for pct in sorted(sums, reverse=True)]
