"""The demo city's prices (tila.core.demo_prices): priced by resource type, idempotent."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from tila.booking.models import State
from tila.booking.services import reservation_create
from tila.catalogue.models import ResourceType
from tila.core import demo_prices
from tila.payments.models import CustomerGroup, CustomerProfile, PriceRule, UnitProvider

pytestmark = pytest.mark.django_db


def test_demo_prices_price_sports_halls_and_leave_meeting_rooms_free_for_residents(f, unit, slot):
    sports = ResourceType.objects.create(id="sports-hall", name_fi="Liikuntasali")
    hall = f.resource(unit, rid="demo-hall", type=sports)
    room = f.resource(unit, rid="demo-room")  # a meeting room
    study = f.resource(unit, rid="demo-study", type=ResourceType.objects.create(id="study-room", name_fi="Opiskelu"))
    leena = f.user(email="leena.makinen@tila.example")
    out = io.StringIO()

    assert demo_prices.load(out) == {"price rules": 2, "payment methods of units": 3, "customer groups": 1}
    assert demo_prices.load() == {"price rules": 0, "payment methods of units": 0, "customer groups": 0}

    assert out.getvalue() == ""  # the summary is `tila demo`'s to print
    assert PriceRule.objects.get(resource=hall).price_resident == Decimal("40.00")
    assert not PriceRule.objects.filter(resource=study).exists()
    assert set(UnitProvider.objects.values_list("provider", flat=True)) == {"paytrail", "invoice", "onsite"}
    assert CustomerProfile.objects.get(user=leena).group == CustomerGroup.ASSOCIATION
    resident = f.user()
    assert reservation_create(actor=resident, resource=room, begin=slot[0], end=slot[1]).state == State.CONFIRMED
    assert reservation_create(actor=resident, resource=hall, begin=slot[0], end=slot[1]).state == (
        State.WAITING_FOR_PAYMENT
    )
