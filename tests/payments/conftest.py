"""Fixtures for the shop tests: a priced space, a customer, fast passwords, and tasks run at once
(receipts, refunds) when their transaction commits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests import factories

OPEN_8_TO_22 = [(d, dt.time(8), dt.time(22)) for d in range(7)]


@pytest.fixture(autouse=True)
def _shop_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TILA_HOURS_PAST_DAYS = 7
    settings.TILA_HOURS_AHEAD_DAYS = 60
    settings.SITE_URL = "http://testserver"
    settings.TILA_PAYMENT_HOLD_MINUTES = 10
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _vat_rates(request):
    """The VAT rates come from a data migration, which a transactional test elsewhere may have flushed."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    from tila.payments.services import vat_rates_ensure

    vat_rates_ensure()


@pytest.fixture
def unit(f):
    return f.unit("tprek:7000", hours=OPEN_8_TO_22, name_fi="Liikuntatalo", name_en="Sports centre")


@pytest.fixture
def hall(f, unit):
    """A sports hall: 40 € an hour for residents, 20 € for associations, 60 € for companies, free for
    under-18s, 10 € subsidised; reduced VAT; cancellation free until 48 hours before, 5 € fee."""
    from tila.payments.models import PriceRule, Pricing, RefundPolicy, VatCategory

    res = factories.resource(
        unit,
        rid="hall",
        name_fi="Sali",
        name_en="Hall",
        slot_size=dt.timedelta(minutes=30),
        min_period=dt.timedelta(hours=1),
        cancel_cutoff=dt.timedelta(hours=1),
    )
    PriceRule.objects.create(
        resource=res,
        valid_from=dt.date(2020, 1, 1),
        pricing=Pricing.PER_HOUR,
        price_resident=Decimal("40.00"),
        price_association=Decimal("20.00"),
        price_company=Decimal("60.00"),
        free_for_youth=True,
        subsidised_price=Decimal("10.00"),
        vat_category=VatCategory.REDUCED,
        product_code="SALI",
        account="3210",
        cost_centre="LIIKUNTA",
    )
    RefundPolicy.objects.create(resource=res, full_refund_until=dt.timedelta(hours=48), fee=Decimal("5.00"))
    return res


@pytest.fixture
def customer(f):
    person = f.user(email="asukas@example.org", preferred_language="fi")
    person.name = "Aino Asukas"
    person.save(update_fields=["name"])
    return person


@pytest.fixture
def slot(f, future_day):
    """10–12 local time next week (hall price: 80 € for a resident)."""
    return f.at(future_day, 10), f.at(future_day, 12)


def make_group(user, group):
    from django.utils import timezone

    from tila.payments.models import CustomerProfile

    return CustomerProfile.objects.create(user=user, group=group, verified_at=timezone.now())
