"""Recurring series: planned through the engine, partial success reported by code, one message."""

import datetime as dt

import pytest
from django.core import mail

from tila.booking.models import Reservation, ReservationSeries, SeriesState, State
from tila.booking.series import SeriesEmpty, occurrence_dates, series_cancel, series_create, series_move
from tila.booking.services import reservation_create
from tila.core.errors import DomainError, PermissionDenied
from tila.core.models import AuditEntry
from tila.notifications.models import Event, OutboundEmail

pytestmark = pytest.mark.django_db
T = dt.time


def weekly(handler, res, start, **kw):
    kw.setdefault("weekdays", [1])
    kw.setdefault("begin_time", T(17))
    kw.setdefault("end_time", T(18))
    return series_create(actor=handler, resource=res, start_date=start, **kw)


def test_occurrence_dates_every_second_week_on_two_weekdays_for_a_count():
    monday = dt.date(2030, 1, 7)
    days = occurrence_dates(weekdays=[0, 3], interval_weeks=2, start_date=monday, until_date=None, count=5)
    assert days == [
        monday,
        monday + dt.timedelta(days=3),
        monday + dt.timedelta(days=14),
        monday + dt.timedelta(days=17),
        monday + dt.timedelta(days=28),
    ]


def test_occurrence_dates_until_a_date_include_the_last_day_and_skip_days_before_the_start():
    wednesday = dt.date(2030, 1, 9)
    days = occurrence_dates(
        weekdays=[0, 2], interval_weeks=1, start_date=wednesday, until_date=dt.date(2030, 1, 14), count=None
    )
    assert days == [wednesday, dt.date(2030, 1, 14)]


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"weekdays": []}, "weekdays"),
        ({"weekdays": [7]}, "weekdays"),
        ({"interval_weeks": 0}, "interval_weeks"),
        ({"count": None, "until_date": None}, "until_date"),
        ({"count": 3, "until_date": dt.date(2030, 2, 1)}, "until_date"),
        ({"count": 0}, "count"),
        ({"count": None, "until_date": dt.date(2029, 1, 1)}, "until_date"),
    ],
)
def test_bad_recurrences_are_refused_with_a_field(kw, field):
    args = {"weekdays": [0], "interval_weeks": 1, "start_date": dt.date(2030, 1, 7), "until_date": None, "count": 4}
    args.update(kw)
    with pytest.raises(DomainError) as info:
        occurrence_dates(**args)
    assert info.value.code == "invalid_recurrence" and info.value.field == field


def test_series_books_what_it_can_and_reports_the_conflict_by_engine_code(
    f, next_monday, django_capture_on_commit_callbacks
):
    res = f.resource()
    handler = f.staff(res.unit)
    customer = f.user()
    third_tuesday = next_monday + dt.timedelta(days=15)
    reservation_create(actor=f.user(), resource=res, begin=f.at(third_tuesday, 17), end=f.at(third_tuesday, 18))
    OutboundEmail.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=False):
        result = weekly(handler, res, next_monday, user=customer, count=4, event_subject="Choir")
    assert len(result.done) == 3
    assert [(s.day, s.code) for s in result.skipped] == [(third_tuesday, "overlap")]
    series = ReservationSeries.objects.get()
    assert series.skipped[0]["code"] == "overlap"
    occurrences = list(series.occurrences.order_by("begin"))
    assert [o.state for o in occurrences] == [State.CONFIRMED] * 3
    assert all(o.user == customer and o.event_subject == "Choir" for o in occurrences)
    assert occurrences[0].begin == f.at(next_monday + dt.timedelta(days=1), 17)
    # One message for the series, none per occurrence.
    assert list(OutboundEmail.objects.values_list("event", flat=True)) == [Event.SERIES_CREATED]
    assert AuditEntry.objects.filter(action="series.create", object_id=str(series.pk)).count() == 1


def test_series_keeps_wall_clock_time_across_daylight_saving(f):
    res = f.resource()
    handler = f.staff(res.unit)
    start = dt.date(2027, 3, 22)  # the clocks go forward on Sunday 28 March 2027
    result = weekly(handler, res, start, weekdays=[0], count=2, now=f.at(dt.date(2027, 3, 1), 12), staff_override=True)
    assert [r.begin for r in result.done] == [f.at(start, 17), f.at(start + dt.timedelta(days=7), 17)]
    assert (result.done[1].begin - result.done[0].begin) == dt.timedelta(days=7, hours=-1)


def test_series_in_closed_hours_reports_closed(f, next_monday):
    unit = f.unit(hours=[(d, T(8), T(16)) for d in range(7)])
    res = f.resource(unit)
    with pytest.raises(SeriesEmpty) as info:
        weekly(f.staff(unit), res, next_monday, count=2)
    assert [s.code for s in info.value.skipped] == ["closed", "closed"]
    assert not ReservationSeries.objects.exists() and not Reservation.objects.exists()


def test_staff_override_books_outside_hours(f, next_monday):
    unit = f.unit(hours=[(d, T(8), T(16)) for d in range(7)])
    res = f.resource(unit)
    result = weekly(f.staff(unit), res, next_monday, count=2, staff_override=True)
    assert len(result.done) == 2 and not result.skipped


def test_series_of_closures_blocks_the_resource(f, next_monday):
    res = f.resource()
    result = weekly(f.staff(res.unit), res, next_monday, count=2, type="blocked")
    assert {r.type for r in result.done} == {"blocked"} and result.series.user is None
    with pytest.raises(DomainError) as info:
        reservation_create(actor=f.user(), resource=res, begin=result.done[0].begin, end=result.done[0].end)
    assert info.value.code == "overlap"


@pytest.mark.parametrize("role", [None, "viewer"])
def test_only_handlers_create_series(f, next_monday, role):
    res = f.resource()
    actor = f.staff(res.unit, role) if role else f.user()
    with pytest.raises(PermissionDenied):
        weekly(actor, res, next_monday, count=2)


def test_cancel_the_remaining_series_at_once_with_one_message(f, next_monday, django_capture_on_commit_callbacks):
    res = f.resource()
    handler = f.staff(res.unit)
    result = weekly(handler, res, next_monday, user=f.user(), count=4)
    OutboundEmail.objects.all().delete()
    from_day = next_monday + dt.timedelta(days=14)
    cancelled = series_cancel(actor=handler, series=result.series, from_date=from_day, reason="Renovation")
    assert len(cancelled.done) == 2
    states = list(result.series.occurrences.order_by("begin").values_list("state", flat=True))
    assert states == ["confirmed", "confirmed", "cancelled", "cancelled"]
    assert list(OutboundEmail.objects.values_list("event", "context__count")) == [(Event.SERIES_CANCELLED, 2)]
    series_cancel(actor=handler, series=result.series)
    result.series.refresh_from_db()
    assert result.series.state == SeriesState.CANCELLED


def test_cancel_one_occurrence_leaves_the_rest(f, next_monday):
    from tila.booking.services import reservation_cancel

    res = f.resource()
    handler = f.staff(res.unit)
    result = weekly(handler, res, next_monday, count=3)
    reservation_cancel(actor=handler, reservation=result.done[1])
    assert list(result.series.occurrences.order_by("begin").values_list("state", flat=True)) == [
        "confirmed",
        "cancelled",
        "confirmed",
    ]


def test_move_the_remaining_series_reports_what_could_not_move(f, next_monday):
    res = f.resource()
    handler = f.staff(res.unit)
    result = weekly(handler, res, next_monday, user=f.user(), count=3)
    second = next_monday + dt.timedelta(days=8)
    reservation_create(actor=f.user(), resource=res, begin=f.at(second, 19), end=f.at(second, 20))
    OutboundEmail.objects.all().delete()
    moved = series_move(actor=handler, series=result.series, begin_time=T(18), end_time=T(20))
    assert len(moved.done) == 2 and [s.code for s in moved.skipped] == ["overlap"]
    begins = list(result.series.occurrences.order_by("begin").values_list("begin", flat=True))
    assert begins == [
        f.at(next_monday + dt.timedelta(days=1), 18),
        f.at(second, 17),
        f.at(next_monday + dt.timedelta(days=15), 18),
    ]
    result.series.refresh_from_db()
    assert result.series.begin_time == T(18)
    assert list(OutboundEmail.objects.values_list("event", flat=True)) == [Event.SERIES_CHANGED]
    assert AuditEntry.objects.filter(action="series.move").count() == 1


def test_move_by_a_day_changes_the_weekdays(f, next_monday):
    res = f.resource()
    handler = f.staff(res.unit)
    result = weekly(handler, res, next_monday, count=2)
    series_move(actor=handler, series=result.series, begin_time=T(17), end_time=T(18), day_shift=1)
    result.series.refresh_from_db()
    assert result.series.weekdays == [2]
    assert result.series.occurrences.order_by("begin").first().begin == f.at(next_monday + dt.timedelta(days=2), 17)


def test_viewer_cannot_cancel_or_move_a_series(f, next_monday):
    res = f.resource()
    result = weekly(f.staff(res.unit), res, next_monday, count=2)
    viewer = f.staff(res.unit, "viewer")
    with pytest.raises(PermissionDenied):
        series_cancel(actor=viewer, series=result.series)
    with pytest.raises(PermissionDenied):
        series_move(actor=viewer, series=result.series, begin_time=T(9), end_time=T(10))
    assert mail.outbox == []
