"""tila.core.db.Probe: several modules' small questions answered by one statement."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tila.catalogue.selectors import leaf_ids, leaf_ids_and
from tila.core.db import probe_answers
from tila.hours.selectors import is_open, open_probe
from tila.payments.models import PriceRule, Pricing
from tila.payments.selectors import price_rule_for, price_rule_probe

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(future_day):
    """A divided hall (two courts) open 8–20 every day, priced from `future_day` on."""
    unit = factories.unit(hours=[(d, dt.time(8), dt.time(20)) for d in range(7)])
    parent = factories.resource(unit, rid="hall")
    factories.resource(unit, parent=parent, rid="hall-b")
    factories.resource(unit, parent=parent, rid="hall-a")
    rule = PriceRule.objects.create(
        resource=parent, valid_from=future_day, pricing=Pricing.PER_HOUR, price_resident=Decimal("40.00")
    )
    return parent, rule


def _probes(day: dt.date, hh: int, hours: int = 1) -> tuple:
    begin = factories.at(day, hh)
    return (
        open_probe(resource_id="hall", begin=begin, end=begin + dt.timedelta(hours=hours)),
        price_rule_probe(resource_id="hall", on=day),
    )


def test_leaf_spaces_and_the_probes_answers_come_from_one_statement(hall, future_day):
    _, rule = hall
    day = future_day
    with CaptureQueriesContext(connection) as queries:
        leaves, (opened, priced) = leaf_ids_and("hall", *_probes(day, 10))
    assert len(queries.captured_queries) == 1
    assert leaves == ["hall-a", "hall-b"] == leaf_ids("hall")
    assert bool(opened) is True
    assert priced == rule.pk


@pytest.mark.parametrize(("days", "hh", "hours"), [(0, 10, 1), (0, 19, 2), (-1, 10, 1), (-1, 7, 1)])
def test_each_answer_is_what_its_module_answers_on_its_own(hall, future_day, days, hh, hours):
    """Open or closed, priced or not yet: the same answers as `is_open` and `price_rule_for`."""
    parent, _ = hall
    day = future_day + dt.timedelta(days=days)
    begin = factories.at(day, hh)
    end = begin + dt.timedelta(hours=hours)
    _, (opened, priced) = leaf_ids_and("hall", *_probes(day, hh, hours))
    assert bool(opened) is is_open(resource_id="hall", begin=begin, end=end)
    rule = price_rule_for(resource=parent, on=day)
    assert priced == (rule.pk if rule else None)
    assert probe_answers(*_probes(day, hh, hours)) == (opened, priced)


def test_a_resource_without_leaf_spaces_still_gets_its_answers(hall, future_day):
    """The one-row join keeps the answers when no leaf row matches (an unknown id here)."""
    begin = factories.at(future_day, 10)
    leaves, (opened, priced) = leaf_ids_and(
        "no-such-resource",
        open_probe(resource_id="no-such-resource", begin=begin, end=begin + dt.timedelta(hours=1)),
        price_rule_probe(resource_id="no-such-resource", on=begin.date()),
    )
    assert leaves == []
    assert not opened
    assert priced is None


def test_without_probes_it_is_the_leaf_lookup(hall):
    assert leaf_ids_and("hall") == (["hall-a", "hall-b"], ())
