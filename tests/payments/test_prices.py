"""Prices: rules by date, customer groups, pricing units, VAT from gross prices, cents-exact."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError

from tests.payments.conftest import make_group
from tila.core.errors import DomainError
from tila.payments.models import CustomerGroup, PriceRule, Pricing, VatCategory, VatRate
from tila.payments.money import cents, format_euros, split_gross, vat_of_gross
from tila.payments.selectors import customer_group_for, price_for, price_quote, quantity_for, vat_percentage

pytestmark = pytest.mark.django_db

D = Decimal


def test_the_finnish_vat_rates_are_data_valid_from_their_dates():
    assert vat_percentage(category=VatCategory.GENERAL, on=dt.date(2024, 8, 31)) == D("24.00")
    assert vat_percentage(category=VatCategory.GENERAL, on=dt.date(2024, 9, 1)) == D("25.50")
    assert vat_percentage(category=VatCategory.REDUCED, on=dt.date(2025, 12, 31)) == D("14.00")
    assert vat_percentage(category=VatCategory.REDUCED, on=dt.date(2026, 1, 1)) == D("13.50")
    assert vat_percentage(category=VatCategory.LOWEST, on=dt.date(2026, 6, 1)) == D("10.00")
    assert vat_percentage(category=VatCategory.EXEMPT, on=dt.date(2026, 6, 1)) == D("0.00")


def test_a_new_vat_rate_is_a_row_not_a_code_change():
    VatRate.objects.create(category=VatCategory.GENERAL, valid_from=dt.date(2030, 1, 1), percentage=D("26.00"))
    assert vat_percentage(category=VatCategory.GENERAL, on=dt.date(2030, 1, 2)) == D("26.00")


def test_a_date_before_any_rate_is_a_domain_error():
    with pytest.raises(DomainError) as info:
        vat_percentage(category=VatCategory.LOWEST, on=dt.date(1999, 1, 1))
    assert info.value.code == "vat_rate_missing"


@pytest.mark.parametrize(
    ("gross", "rate", "vat"),
    [
        ("100.00", "25.5", "20.32"),  # 100 × 25.5 / 125.5 = 20.318…
        ("80.00", "13.5", "9.52"),  # 80 × 13.5 / 113.5 = 9.515… → half up
        ("10.00", "10", "0.91"),
        ("0.01", "25.5", "0.00"),
        ("50.00", "0", "0.00"),
        ("12.55", "14", "1.54"),
    ],
)
def test_vat_is_computed_from_the_gross_price_to_the_cent(gross, rate, vat):
    assert vat_of_gross(D(gross), D(rate)) == D(vat)
    net, v = split_gross(D(gross), D(rate))
    assert net + v == D(gross)


def test_rounding_is_half_up_never_bankers():
    assert cents(D("0.125")) == D("0.13")
    assert cents(D("0.135")) == D("0.14")
    assert cents(D("2.5")) == D("2.50")


def test_money_is_shown_the_finnish_and_english_way():
    assert format_euros(D("1234.5"), "fi") == "1\u00a0234,50\u00a0€"
    assert format_euros(D("1234.5"), "en") == "€1,234.50"


@pytest.mark.parametrize(
    ("pricing", "minutes", "quantity"),
    [
        (Pricing.PER_HOUR, 90, "1.5"),
        (Pricing.PER_HOUR, 20, "0.3333"),
        (Pricing.PER_HALF_DAY, 240, "1"),
        (Pricing.PER_HALF_DAY, 241, "2"),
        (Pricing.PER_DAY, 8 * 60, "1"),
        (Pricing.PER_DAY, 32 * 60, "2"),
        (Pricing.FIXED, 600, "1"),
    ],
)
def test_quantity_by_pricing_unit(pricing, minutes, quantity):
    begin = dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC)
    assert quantity_for(pricing, begin, begin + dt.timedelta(minutes=minutes)) == D(quantity)


def test_per_hour_prices_exact_minutes_rounded_once(f, hall, future_day):
    hall_rule = hall.price_rules.get()
    hall_rule.price_resident = D("10.00")
    hall_rule.save()
    quote = price_for(
        resource=hall, begin=f.at(future_day, 10), end=f.at(future_day, 10, 20), customer_group="resident"
    )
    assert quote.total == D("3.33")  # 10 € × 20/60, not 10 € × 0.3333
    assert quote.net + quote.vat == quote.total


def test_the_hall_costs_by_customer_group(f, hall, slot):
    begin, end = slot
    totals = {
        group: price_for(resource=hall, begin=begin, end=end, customer_group=group).total
        for group in CustomerGroup.values
    }
    assert totals == {"resident": D("80.00"), "association": D("40.00"), "company": D("120.00"), "youth": D("0.00")}


def test_a_group_price_left_empty_is_the_residents_price(f, hall, slot):
    PriceRule.objects.filter(resource=hall).update(price_company=None, free_for_youth=False)
    begin, end = slot
    assert price_for(resource=hall, begin=begin, end=end, customer_group="company").total == D("80.00")
    assert price_for(resource=hall, begin=begin, end=end, customer_group="youth").total == D("80.00")


def test_the_quote_breaks_out_vat_at_the_rate_of_the_day(f, hall, slot):
    quote = price_for(resource=hall, begin=slot[0], end=slot[1], customer_group="resident")
    assert quote.vat_percentage == D("13.50")
    assert (quote.net, quote.vat) == (D("70.48"), D("9.52"))
    assert quote.product_code == "SALI" and quote.account == "3210"
    assert quote.subsidised_total == D("20.00") and quote.subsidy_available


def test_the_rule_valid_on_the_local_date_of_the_start_applies(f, hall, future_day):
    PriceRule.objects.create(
        resource=hall, valid_from=future_day, pricing=Pricing.FIXED, price_resident=D("99.90"),
        vat_category=VatCategory.GENERAL,
    )  # fmt: skip
    midnight = f.at(future_day, 0)
    before = price_for(
        resource=hall, begin=midnight - dt.timedelta(hours=2), end=midnight - dt.timedelta(hours=1),
        customer_group="resident",
    )  # fmt: skip
    on = price_for(resource=hall, begin=f.at(future_day, 10), end=f.at(future_day, 12), customer_group="resident")
    assert before.total == D("40.00")
    assert on.total == D("99.90") and on.vat_percentage == D("25.50")


def test_a_resource_without_a_rule_has_no_price(f, slot):
    assert price_for(resource=f.resource(), begin=slot[0], end=slot[1], customer_group="resident") is None


def test_two_rules_from_the_same_day_are_refused(hall):
    with pytest.raises(IntegrityError):
        PriceRule.objects.create(resource=hall, valid_from=dt.date(2020, 1, 1), price_resident=D("1.00"))


def test_only_a_verified_group_gives_its_prices(f, customer):
    assert customer_group_for(customer) == CustomerGroup.RESIDENT
    profile = make_group(customer, CustomerGroup.ASSOCIATION)
    assert customer_group_for(customer) == CustomerGroup.ASSOCIATION
    profile.verified_at = None
    profile.save()
    assert customer_group_for(customer) == CustomerGroup.RESIDENT
    assert customer_group_for(None) == CustomerGroup.RESIDENT


def test_an_unknown_customer_group_is_refused(hall, slot):
    with pytest.raises(DomainError) as info:
        price_quote(resource=hall, begin=slot[0], end=slot[1], customer_group="pirate")
    assert info.value.code == "invalid_customer_group"


def test_a_general_administrator_verifies_a_customers_group(f, customer):
    from tila.core.errors import PermissionDenied
    from tila.payments.services import customer_group_verify

    with pytest.raises(PermissionDenied):
        customer_group_verify(actor=customer, user=customer, group=CustomerGroup.ASSOCIATION)
    admin = f.user(is_superuser=True)
    customer_group_verify(actor=admin, user=customer, group=CustomerGroup.COMPANY, organisation_name="Oy")
    assert customer_group_for(customer) == CustomerGroup.COMPANY
    with pytest.raises(DomainError):
        customer_group_verify(actor=admin, user=customer, group="pirate")
