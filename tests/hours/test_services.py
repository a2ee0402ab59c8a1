"""Opening hours: resolution, materialisation and time zones."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tila.core.timeutil import UTC
from tila.hours.models import OpeningInterval
from tila.hours.selectors import is_open, opening_intervals
from tila.hours.services import (
    PeriodSpec,
    hours_for_days,
    hours_roll_forward,
    opening_period_create,
    opening_period_delete,
    opening_period_update,
)

HEL = ZoneInfo("Europe/Helsinki")


def spec(pid, start, end=None, rules=(), closed=False):
    return PeriodSpec(pid, start, end, closed, tuple(rules))


def weekdays(opens, closes, days=range(7)):
    return [(d, dt.time(*opens), dt.time(*closes)) for d in days]


def test_rule_past_midnight_runs_into_the_next_day():
    out = hours_for_days(
        own=[],
        inherited=[spec(1, dt.date(2026, 1, 1), rules=weekdays((18,), (2,)))],
        first=dt.date(2026, 3, 2),
        last=dt.date(2026, 3, 2),
        zone=HEL,
    )
    assert out == [(dt.datetime(2026, 3, 2, 18, tzinfo=HEL), dt.datetime(2026, 3, 3, 2, tzinfo=HEL))]


def test_around_the_clock_days_merge_into_one_interval():
    out = hours_for_days(
        own=[],
        inherited=[spec(1, dt.date(2026, 1, 1), rules=weekdays((0,), (0,)))],
        first=dt.date(2026, 3, 2),
        last=dt.date(2026, 3, 4),
        zone=HEL,
    )
    assert out == [(dt.datetime(2026, 3, 2, tzinfo=HEL), dt.datetime(2026, 3, 5, tzinfo=HEL))]


def test_shorter_period_wins_so_exceptions_are_short_periods():
    normal = spec(1, dt.date(2026, 1, 1), rules=weekdays((8,), (20,)))
    christmas = spec(2, dt.date(2026, 12, 24), dt.date(2026, 12, 26), closed=True)
    short_day = spec(3, dt.date(2026, 12, 23), dt.date(2026, 12, 23), rules=weekdays((8,), (12,)))
    out = hours_for_days(
        own=[],
        inherited=[normal, christmas, short_day],
        first=dt.date(2026, 12, 22),
        last=dt.date(2026, 12, 27),
        zone=HEL,
    )
    assert out == [
        (dt.datetime(2026, 12, 22, 8, tzinfo=HEL), dt.datetime(2026, 12, 22, 20, tzinfo=HEL)),
        (dt.datetime(2026, 12, 23, 8, tzinfo=HEL), dt.datetime(2026, 12, 23, 12, tzinfo=HEL)),
        (dt.datetime(2026, 12, 27, 8, tzinfo=HEL), dt.datetime(2026, 12, 27, 20, tzinfo=HEL)),
    ]


def test_resource_periods_override_the_units_even_when_longer():
    unit_short = spec(1, dt.date(2026, 3, 1), dt.date(2026, 3, 31), rules=weekdays((8,), (20,)))
    own_long = spec(2, dt.date(2026, 1, 1), rules=weekdays((17,), (19,)))
    out = hours_for_days(
        own=[own_long], inherited=[unit_short], first=dt.date(2026, 3, 2), last=dt.date(2026, 3, 2), zone=HEL
    )
    assert out == [(dt.datetime(2026, 3, 2, 17, tzinfo=HEL), dt.datetime(2026, 3, 2, 19, tzinfo=HEL))]


def test_weekday_without_a_rule_is_closed():
    normal = spec(1, dt.date(2026, 1, 1), rules=weekdays((8,), (20,), days=range(5)))
    out = hours_for_days(own=[], inherited=[normal], first=dt.date(2026, 3, 7), last=dt.date(2026, 3, 8), zone=HEL)
    assert out == []


def test_daylight_saving_day_keeps_wall_clock_hours():
    # Finland moves clocks forward on 29 March 2026 at 03:00 → 04:00: that day has 23 hours.
    normal = spec(1, dt.date(2026, 1, 1), rules=weekdays((0,), (0,)))
    (interval,) = hours_for_days(
        own=[], inherited=[normal], first=dt.date(2026, 3, 29), last=dt.date(2026, 3, 29), zone=HEL
    )
    assert interval[1] - interval[0] == dt.timedelta(hours=23)  # computed in UTC
    evening = spec(2, dt.date(2026, 1, 1), rules=weekdays((8,), (20,)))
    (spring,) = hours_for_days(
        own=[], inherited=[evening], first=dt.date(2026, 3, 29), last=dt.date(2026, 3, 29), zone=HEL
    )
    (autumn,) = hours_for_days(
        own=[], inherited=[evening], first=dt.date(2026, 10, 25), last=dt.date(2026, 10, 25), zone=HEL
    )
    assert spring[0].astimezone(UTC).hour == 5  # 08:00 EEST = 05:00 UTC
    assert autumn[0].astimezone(UTC).hour == 6  # 08:00 EET = 06:00 UTC
    assert spring[1] - spring[0] == autumn[1] - autumn[0] == dt.timedelta(hours=12)


@pytest.mark.django_db
def test_period_writes_rematerialise_the_units_resources(f, future_day):
    unit = f.unit(hours=weekdays((8,), (16,)))
    res = f.resource(unit)
    assert is_open(resource_id=res.pk, begin=f.at(future_day, 9), end=f.at(future_day, 15))
    assert not is_open(resource_id=res.pk, begin=f.at(future_day, 15), end=f.at(future_day, 17))
    closure = opening_period_create(
        actor=None, unit=unit, start=future_day, end=future_day, closed=True, name={"fi": "Suljettu", "en": "Closed"}
    )
    assert not is_open(resource_id=res.pk, begin=f.at(future_day, 9), end=f.at(future_day, 10))
    assert is_open(
        resource_id=res.pk,
        begin=f.at(future_day + dt.timedelta(days=1), 9),
        end=f.at(future_day + dt.timedelta(days=1), 10),
    )
    opening_period_update(actor=None, period=closure, closed=False, rules=weekdays((10,), (12,)))
    assert opening_intervals(resource_id=res.pk, begin=f.at(future_day, 0), end=f.at(future_day, 23)) == [
        (f.at(future_day, 10), f.at(future_day, 12))
    ]
    opening_period_delete(actor=None, period=closure)
    assert is_open(resource_id=res.pk, begin=f.at(future_day, 9), end=f.at(future_day, 15))


@pytest.mark.django_db
def test_materialisation_joins_intervals_across_the_splice_point(f, future_day):
    unit = f.unit(hours=weekdays((0,), (0,)))
    res = f.resource(unit)
    # A change starting mid-horizon must leave one continuous interval, not two touching ones.
    opening_period_create(
        actor=None, unit=unit, start=future_day, end=future_day + dt.timedelta(days=2), rules=weekdays((0,), (0,))
    )
    begin, end = f.at(future_day - dt.timedelta(days=2), 12), f.at(future_day + dt.timedelta(days=4), 12)
    assert is_open(resource_id=res.pk, begin=begin, end=end)


@pytest.mark.django_db
def test_only_staff_with_manage_permission_edit_periods(f):
    from tila.core.errors import PermissionDenied

    unit = f.unit()
    with pytest.raises(PermissionDenied):
        opening_period_create(actor=f.staff(unit, role="handler"), unit=unit, start=dt.date(2027, 1, 1))
    period = opening_period_create(
        actor=f.staff(unit, role="admin"), unit=unit, start=dt.date(2027, 1, 1), rules=weekdays((8,), (9,))
    )
    assert period.rules.count() == 7


@pytest.mark.django_db
def test_roll_forward_extends_the_horizon(f, settings):
    unit = f.unit(hours=weekdays((8,), (16,)))
    res = f.resource(unit)
    last = OpeningInterval.objects.filter(resource=res).order_by("-begin").first()
    settings.TILA_HOURS_AHEAD_DAYS += 5
    hours_roll_forward()
    newest = OpeningInterval.objects.filter(resource=res).order_by("-begin").first()
    assert (newest.begin - last.begin).days == 5
    # no duplicates
    assert OpeningInterval.objects.filter(resource=res, begin=last.begin).count() == 1


def test_a_units_short_closure_also_closes_resources_with_their_own_hours():
    own = spec(1, dt.date(2026, 1, 1), rules=weekdays((17,), (21,)))
    unit_normal = spec(2, dt.date(2026, 1, 1), rules=weekdays((8,), (20,)))
    unit_christmas = spec(3, dt.date(2026, 12, 24), dt.date(2026, 12, 26), closed=True)
    out = hours_for_days(
        own=[own],
        inherited=[unit_normal, unit_christmas],
        first=dt.date(2026, 12, 23),
        last=dt.date(2026, 12, 27),
        zone=HEL,
    )
    assert [b.astimezone(HEL).day for b, _e in out] == [23, 27]
