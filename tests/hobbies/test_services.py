"""Entering hobby groups: rules, who publishes, and groups made from a recurring reservation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError

from tila.booking.series import series_create
from tila.core.errors import DomainError
from tila.core.models import AuditEntry
from tila.hobbies.models import HobbyGroup, HobbyTime
from tila.hobbies.selectors import hobby_sessions
from tila.hobbies.services import hobby_group_create, hobby_group_from_series, hobby_group_publish

pytestmark = pytest.mark.django_db


def code(exc_info):
    return exc_info.value.code


def test_staff_publish_at_once_and_associations_wait(f, place, details):
    staff_group = hobby_group_create(actor=f.staff(place), unit=place, details=details())
    association = hobby_group_create(actor=f.user(), unit=place, details=details())
    assert staff_group.published and not association.published
    assert list(staff_group.times.values_list("weekday", "begins", "ends")) == [(1, dt.time(17), dt.time(18))]
    assert AuditEntry.objects.filter(action="hobby.created").count() == 2


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"season_end": dt.date(2030, 1, 1)}, "invalid_season"),
        ({"min_age": 12, "max_age": 8}, "invalid_ages"),
        ({"max_age": 130}, "invalid_ages"),
        ({"is_free": True, "price": Decimal(5)}, "invalid_price"),
        ({"price": None}, "invalid_price"),
        ({"times": []}, "no_times"),
        ({"times": [(1, dt.time(18), dt.time(17))]}, "invalid_times"),
        ({"times": [(7, dt.time(17), dt.time(18))]}, "invalid_times"),
        ({"name": {"fi": " ", "sv": ""}}, "invalid"),
    ],
)
def test_bad_details_are_refused(place, details, changes, expected):
    with pytest.raises(DomainError) as exc:
        hobby_group_create(actor=None, unit=place, details=details(**changes))
    assert code(exc) == expected
    assert HobbyGroup.objects.count() == 0


def test_database_constraints_back_the_rules(place, group):
    with pytest.raises(IntegrityError):
        HobbyTime.objects.create(group=group, weekday=2, begins=dt.time(18), ends=dt.time(17))


def test_free_groups_have_no_price(place, details):
    free = hobby_group_create(actor=None, unit=place, details=details(is_free=True, price=None))
    assert free.is_free and free.price is None


def test_publishing_is_for_the_units_staff(f, place, details):
    draft = hobby_group_create(actor=f.user(), unit=place, details=details())
    with pytest.raises(DomainError):
        hobby_group_publish(actor=f.user(), group=draft)
    hobby_group_publish(actor=f.staff(place), group=draft)
    draft.refresh_from_db()
    assert draft.published


def test_sessions_follow_the_weekly_times_on_the_local_clock(group):
    sessions = hobby_sessions(group)
    # Tuesdays from 3 September to 10 December 2030: 15 sessions, 17–18 Helsinki time
    assert len(sessions) == 15
    first, last = sessions[0], sessions[-1]
    assert first[0].isoformat() == "2030-09-03T14:00:00+00:00"  # summer time, UTC+3
    assert last[0].isoformat() == "2030-12-10T15:00:00+00:00"  # winter time, UTC+2


def test_a_group_from_a_recurring_reservation(f, details, future_day):
    hall = f.resource(rid="hall")
    handler = f.staff(hall.unit)
    club = f.user()
    result = series_create(
        actor=handler,
        resource=hall,
        user=club,
        weekdays=[future_day.weekday()],
        start_date=future_day,
        begin_time=dt.time(18),
        end_time=dt.time(19, 30),
        count=4,
        event_subject="Floorball practice",
    )
    group = hobby_group_from_series(actor=handler, series=result.series, details=details())
    assert (group.unit_id, group.resource_id, group.series_id) == (hall.unit_id, hall.pk, result.series.pk)
    assert group.season_start == future_day and group.season_end == future_day + dt.timedelta(weeks=3)
    assert list(group.times.values_list("weekday", "begins", "ends")) == [
        (future_day.weekday(), dt.time(18), dt.time(19, 30))
    ]
    assert [b for b, _e in hobby_sessions(group)] == [r.begin for r in result.done]
    with pytest.raises(DomainError):
        hobby_group_from_series(actor=f.user(), series=result.series, details=details())
