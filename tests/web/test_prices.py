"""Prices are known before booking: on the resource page, in search results and on the booking form."""

import datetime as dt
from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def priced_room(room):
    from tila.payments.models import PriceRule, Pricing
    from tila.payments.services import vat_rates_ensure

    vat_rates_ensure()
    PriceRule.objects.create(
        resource=room,
        valid_from=dt.date(2020, 1, 1),
        pricing=Pricing.PER_HOUR,
        price_resident=Decimal("24.00"),
        price_association=Decimal("12.00"),
    )
    return room


def test_the_resource_page_states_the_price_rule(client, priced_room):
    html = client.get(f"/en/resources/{priced_room.pk}/").content.decode()
    assert 'data-price="24.00"' in html
    assert "per hour" in html
    assert "Prices include VAT." in html


def test_a_free_resource_says_so(client, room):
    html = client.get(f"/en/resources/{room.pk}/").content.decode()
    assert 'class="price-summary" data-price="0"' in html


def test_the_booking_form_quotes_the_customers_price_for_the_chosen_time(signed_in, f, priced_room, future_day):
    begin, end = f.at(future_day, 10), f.at(future_day, 12)
    response = signed_in.get(
        f"/en/resources/{priced_room.pk}/book/",
        {"begin": begin.strftime("%Y-%m-%dT%H:%M"), "end": end.strftime("%Y-%m-%dT%H:%M")},  # local wall clock
    )
    assert response.context["quote"].total == Decimal("48.00")  # two hours at 24 €
    assert 'data-total="48.00"' in response.content.decode()


def test_search_results_show_the_price_of_the_first_slot(client, f, priced_room, future_day):
    response = client.get("/en/", {"date": future_day.isoformat(), "start": "10:00", "end": "14:00", "duration": "60"})
    html = response.content.decode()
    assert "result__price" in html
    assert "Price for the first time shown" in html
