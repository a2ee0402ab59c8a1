"""Prices for the demo city (`tila demo` calls `load(stdout)` after the city and its bookings).

Sports halls, gyms, dance studios and saunas cost money (reduced VAT: sports and exercise
services), event halls are rented by the half day (general VAT), meeting rooms are free for
residents and cheaper for associations than for companies; study and group rooms stay free.
Under-18s use sports halls and dance studios for free. Units with priced spaces offer online
payment, invoices (organisations) and paying at the place. Three demo residents get a customer
group: Leena an association, Juha a company, Emily is under 18.

Idempotent: a second run changes nothing. Load it after the demo bookings: a booking made after
prices exist waits for payment, as in real life.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from tila.accounts.models import User
from tila.catalogue.models import Resource
from tila.payments.models import (
    CustomerGroup,
    CustomerProfile,
    PriceRule,
    Pricing,
    RefundPolicy,
    UnitProvider,
    VatCategory,
)
from tila.payments.services import vat_rates_ensure

VALID_FROM = dt.date(2024, 1, 1)
D = Decimal


@dataclass(frozen=True)
class Price:
    pricing: str
    resident: str
    association: str | None
    company: str | None
    vat: str
    product: str
    account: str
    youth_free: bool = False
    subsidised: str | None = None
    refund_hours: int = 24
    fee: str = "0.00"
    late_percentage: int = 0


SPORT, CULTURE, ROOMS = "3210", "3220", "3230"
PRICES: dict[str, Price] = {
    "sports-hall": Price(
        Pricing.PER_HOUR, "40.00", "20.00", "60.00", VatCategory.REDUCED, "LIIKUNTASALI", SPORT,
        youth_free=True, subsidised="10.00", refund_hours=48, fee="5.00",
    ),
    "gym": Price(Pricing.PER_HOUR, "15.00", "8.00", "25.00", VatCategory.REDUCED, "KUNTOSALI", SPORT),
    "dance-studio": Price(
        Pricing.PER_HOUR, "25.00", "12.00", "40.00", VatCategory.REDUCED, "TANSSISALI", SPORT, youth_free=True
    ),
    "sauna": Price(Pricing.PER_HOUR, "30.00", "20.00", "45.00", VatCategory.REDUCED, "SAUNA", SPORT, fee="3.00"),
    "event-hall": Price(
        Pricing.PER_HALF_DAY, "150.00", "75.00", "300.00", VatCategory.GENERAL, "TAPAHTUMASALI", CULTURE,
        subsidised="40.00", refund_hours=7 * 24, fee="20.00", late_percentage=50,
    ),
    "meeting-room": Price(Pricing.PER_HOUR, "0.00", "0.00", "25.00", VatCategory.GENERAL, "KOKOUSTILA", ROOMS),
    "kitchen": Price(Pricing.PER_HOUR, "20.00", "10.00", "35.00", VatCategory.GENERAL, "OPETUSKEITTIO", ROOMS),
    "music-studio": Price(Pricing.PER_HOUR, "8.00", "5.00", "20.00", VatCategory.GENERAL, "MUSIIKKIHUONE", CULTURE),
    "recording-studio": Price(
        Pricing.PER_HOUR, "20.00", "10.00", "40.00", VatCategory.GENERAL, "STUDIO", CULTURE
    ),
}  # fmt: skip
PROVIDERS = ("paytrail", "invoice", "onsite")
GROUPS = {
    "leena.makinen@tila.example": (CustomerGroup.ASSOCIATION, "Kallion Kamarikuoro ry", ""),
    "juha.nieminen@tila.example": (CustomerGroup.COMPANY, "Nieminen Consulting Oy", "0112038-9"),
    "emily.carter@tila.example": (CustomerGroup.YOUTH, "", ""),
}


def _money(value: str | None) -> Decimal | None:
    return None if value is None else D(value)


def _price(resource: Resource, price: Price) -> bool:
    _rule, created = PriceRule.objects.get_or_create(
        resource=resource,
        valid_from=VALID_FROM,
        defaults={
            "pricing": price.pricing,
            "price_resident": D(price.resident),
            "price_association": _money(price.association),
            "price_company": _money(price.company),
            "free_for_youth": price.youth_free,
            "subsidised_price": _money(price.subsidised),
            "vat_category": price.vat,
            "product_code": price.product,
            "account": price.account,
            "cost_centre": resource.unit_id.replace("tprek:", "")[:20],
        },
    )
    RefundPolicy.objects.get_or_create(
        resource=resource,
        defaults={
            "full_refund_until": dt.timedelta(hours=price.refund_hours),
            "fee": D(price.fee),
            "late_refund_percentage": price.late_percentage,
        },
    )
    return created


def _customer_groups() -> int:
    count = 0
    for email, (group, organisation, business_id) in GROUPS.items():
        user = User.objects.filter(email=email).first()
        if user is None:
            continue
        _profile, created = CustomerProfile.objects.get_or_create(
            user=user,
            defaults={
                "group": group,
                "organisation_name": organisation,
                "business_id": business_id,
                "verified_at": timezone.now(),
            },
        )
        count += created
    return count


def load(stdout: TextIO | Any = None) -> dict[str, int]:
    """Price the demo city's spaces; returns what was added (label → count) for `tila demo`'s summary.

    ``stdout`` only hears about repairs (VAT rates re-added after a database flush)."""
    with transaction.atomic():
        if vat_rates_ensure() and stdout is not None:
            stdout.write("  (Finland's VAT rates were missing and have been added.)\n")
        resources = Resource.objects.filter(type_id__in=PRICES).select_related("unit").order_by("pk")
        priced = sum(_price(resource, PRICES[resource.type_id]) for resource in resources)
        units = {resource.unit_id for resource in resources}
        providers = 0
        for unit_id in sorted(units):
            for provider in PROVIDERS:
                providers += UnitProvider.objects.get_or_create(unit_id=unit_id, provider=provider)[1]
        groups = _customer_groups()
    return {"price rules": priced, "payment methods of units": providers, "customer groups": groups}
