"""Reports: utilisation (booked hours against open hours) and counts by state and purpose, in SQL."""

import datetime as dt

import pytest
from django.utils import translation

from tila.booking.services import reservation_cancel, reservation_create
from tila.catalogue.models import Purpose, Unit
from tila.core.timeutil import day_bounds, get_zone
from tila.staff.selectors import reservations_by_purpose, reservations_by_state, utilisation

pytestmark = pytest.mark.django_db
NINE_TO_FIVE = [(d, dt.time(9), dt.time(17)) for d in range(7)]


def test_utilisation_is_booked_hours_against_open_hours_per_resource_and_unit(f, future_day):
    unit = f.unit(hours=NINE_TO_FIVE)
    a, b = f.resource(unit), f.resource(unit)
    handler = f.staff(unit)
    customer = f.user()
    reservation_create(actor=customer, resource=a, begin=f.at(future_day, 9), end=f.at(future_day, 13))
    reservation_create(actor=customer, resource=b, begin=f.at(future_day, 10), end=f.at(future_day, 11))
    gone = reservation_create(actor=customer, resource=b, begin=f.at(future_day, 12), end=f.at(future_day, 14))
    reservation_cancel(actor=customer, reservation=gone)
    reservation_create(actor=handler, resource=b, begin=f.at(future_day, 15), end=f.at(future_day, 17), type="blocked")
    start, end = day_bounds(future_day, get_zone("Europe/Helsinki"))
    rows = utilisation(units=Unit.objects.filter(pk=unit.pk), start=start, end=end)
    by_resource = {r.resource.pk if r.resource else "total": r for r in rows}
    assert by_resource[a.pk].open_hours == 8 and by_resource[a.pk].booked_hours == 4
    assert by_resource[a.pk].utilisation == 50.0
    assert by_resource[b.pk].booked_hours == 1 and by_resource[b.pk].closed_hours == 2
    assert by_resource["total"].open_hours == 16 and by_resource["total"].booked_hours == 5
    assert by_resource["total"].reservations == 2


def test_utilisation_clips_reservations_to_the_period(f, future_day):
    unit = f.unit(hours=f.ALL_WEEK)
    res = f.resource(unit)
    reservation_create(
        actor=f.user(), resource=res, begin=f.at(future_day, 22), end=f.at(future_day + dt.timedelta(days=1), 2)
    )
    start, end = day_bounds(future_day, get_zone("Europe/Helsinki"))
    row = utilisation(units=Unit.objects.filter(pk=unit.pk), start=start, end=end)[0]
    assert row.booked_hours == 2 and row.open_hours == 24


def test_counts_by_state_and_by_purpose(f, future_day):
    unit = f.unit(hours=f.ALL_WEEK)
    music = Purpose.objects.create(id="music", name_fi="Musiikki", name_en="Music")
    res = f.resource(unit)
    res.purposes.set([music])
    customer = f.user()
    reservation_create(actor=customer, resource=res, begin=f.at(future_day, 9), end=f.at(future_day, 10))
    r = reservation_create(actor=customer, resource=res, begin=f.at(future_day, 11), end=f.at(future_day, 12))
    reservation_cancel(actor=customer, reservation=r)
    start, end = day_bounds(future_day, get_zone("Europe/Helsinki"))
    units = Unit.objects.filter(pk=unit.pk)
    states = {
        (row["state"], row["type"]): row["count"] for row in reservations_by_state(units=units, start=start, end=end)
    }
    assert states == {("confirmed", "normal"): 1, ("cancelled", "normal"): 1}
    with translation.override("fi"):
        by_purpose = reservations_by_purpose(units=units, start=start, end=end)
    assert by_purpose == [{"purpose": "music", "label": "Musiikki", "count": 1}]
