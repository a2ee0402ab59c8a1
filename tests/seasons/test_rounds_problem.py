"""The allocator's input built from the database (selectors.round_problem): the typical week of
opening hours, closed days, existing bookings as blocked weekly ranges, the space tree, weights."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests import factories as f
from tests.seasons import builders as b
from tila.booking.series import series_create
from tila.booking.services import reservation_create
from tila.hours.services import opening_period_create
from tila.seasons import services
from tila.seasons.allocation.model import Blocked, TimeRange
from tila.seasons.models import AgeGroup, Allocation, DecisionState
from tila.seasons.selectors import round_opening, round_problem

pytestmark = pytest.mark.django_db


def _open(problem, rid):
    return [r for r in problem.round.resource_by_id[rid].open]


def test_the_typical_week_comes_from_opening_hours_and_holidays_are_closed_dates():
    c = b.city()
    round = b.open_round(c)
    holiday = round.season_begin + dt.timedelta(weeks=2)  # a Monday
    opening_period_create(actor=None, unit=c.unit, start=holiday, end=holiday, closed=True, name="Holiday")
    problem = round_problem(round)
    assert _open(problem, "hall-a")[0] == TimeRange(0, 16 * 60, 22 * 60)
    assert {r.day for r in _open(problem, "hall-a")} == {0, 1, 2, 3, 4}
    assert holiday in problem.opening["hall-a"].closed_dates
    assert all(d.weekday() >= 5 for d in problem.opening["hall-a"].closed_dates if d != holiday)


def test_a_time_counts_as_open_when_it_is_open_on_most_of_that_weekdays_dates():
    c = b.city()
    round = b.open_round(c)
    first = round.season_begin
    # One short Tuesday (16–18) does not shorten every Tuesday …
    short = first + dt.timedelta(weeks=3, days=1)
    opening_period_create(actor=None, unit=c.unit, start=short, end=short, rules=[(1, dt.time(16), dt.time(18))])
    # … but Wednesdays that are 18–20 for five of the eight weeks do.
    opening_period_create(
        actor=None,
        resource=c.studio,
        start=first + dt.timedelta(weeks=3),
        end=round.season_end,
        rules=[(d, dt.time(16), dt.time(22)) for d in (0, 1, 3, 4)] + [(2, dt.time(18), dt.time(20))],
    )
    problem = round_problem(round)
    tuesday = [r for r in _open(problem, "hall") if r.day == 1]
    wednesday = [r for r in _open(problem, "studio") if r.day == 2]
    assert tuesday == [TimeRange(1, 16 * 60, 22 * 60)]
    assert wednesday == [TimeRange(2, 18 * 60, 20 * 60)]


def test_a_weekly_booking_blocks_its_time_and_a_one_off_booking_does_not():
    c = b.city()
    round = b.open_round(c)
    first = round.season_begin
    series_create(
        actor=c.handler,
        resource=c.half_a,
        weekdays=[0],
        start_date=first,
        until_date=round.season_end,
        begin_time=dt.time(17),
        end_time=dt.time(18),
        user=f.user(),
    )
    tuesday = first + dt.timedelta(weeks=4, days=1)
    reservation_create(actor=f.user(), resource=c.studio, begin=f.at(tuesday, 18), end=f.at(tuesday, 19))
    problem = round_problem(round)
    assert problem.round.blocked == (Blocked("hall-a", 0, 17 * 60, 18 * 60),)


def test_a_booking_on_a_space_outside_the_round_blocks_its_parts_in_the_round():
    c = b.city()
    round = b.open_round(c, [c.half_b])
    series_create(
        actor=c.handler,
        resource=c.hall,
        weekdays=[3],
        start_date=round.season_begin,
        until_date=round.season_end,
        begin_time=dt.time(19),
        end_time=dt.time(21),
        user=f.user(),
    )
    problem = round_problem(round)
    assert set(problem.round.resource_by_id) == {"hall", "hall-b"}  # the ancestor, for the tree
    assert problem.round.resource_by_id["hall"].open == ()  # not in the round: never allocated
    assert Blocked("hall-b", 3, 19 * 60, 21 * 60) in problem.round.blocked


def test_a_sections_weight_is_its_age_group_times_its_district_times_its_own_factor():
    c = b.city()
    round = b.open_round(c)
    youth = AgeGroup.objects.get(minimum=13)
    kontula = f.district("kontula", "Kontula")
    services.round_weights_set(actor=c.admin, round=round, age_groups={youth.pk: "1.3"}, districts={"kontula": "1.2"})
    times = [b.suitable(0, "17:00", "19:00")]
    application = b.apply(round, [b.section_data([c.hall], times, age_group=youth)], district=kontula)
    plain = b.apply(round, [b.section_data([c.hall], times)])
    section = application.sections.get()
    services.section_weight_set(actor=c.handler, section=section, weight=Decimal("1.5"))
    problem = round_problem(round)
    weights = {s.id: s.weight for s in problem.round.sections}
    assert weights[str(section.pk)] == pytest.approx(1.3 * 1.2 * 1.5)
    assert weights[str(plain.sections.get().pk)] == 1.0


def test_drafts_rejected_sections_and_rejected_options_are_left_out():
    c = b.city()
    round = b.open_round(c)
    times = [b.suitable(0, "17:00", "19:00")]
    kept = b.apply(round, [b.section_data([c.half_a, c.hall], times)]).sections.get()
    rejected = b.apply(round, [b.section_data([c.hall], times)]).sections.get()
    draft_user = f.user()
    draft = services.application_start(user=draft_user, round=round)
    services.section_save(user=draft_user, application=draft, data=b.section_data([c.hall], times))
    services.option_reject(actor=c.handler, option=kept.options.get(resource=c.hall))
    services.section_reject(actor=c.handler, section=rejected)
    problem = round_problem(round)
    assert [(s.id, s.resources) for s in problem.round.sections] == [(str(kept.pk), ("hall-a",))]


def test_in_solve_mode_locked_decisions_are_kept_and_rejected_ones_avoided():
    c = b.city()
    round = b.open_round(c)
    times = [b.suitable(0, "17:00", "20:00"), b.suitable(1, "17:00", "20:00")]
    section = b.apply(round, [b.section_data([c.half_a, c.hall, c.studio], times, per_week=2)]).sections.get()
    Allocation.objects.create(
        section=section, resource=c.half_a, weekday=0, begin=dt.time(17), end=dt.time(18), state=DecisionState.LOCKED
    )
    Allocation.objects.create(
        section=section, resource=c.studio, weekday=1, begin=dt.time(17), end=dt.time(18), state=DecisionState.REJECTED
    )
    solve = round_problem(round, mode="solve")
    (item,) = solve.round.sections
    assert item.times_per_week == 1
    assert {u.day for u in item.suitable} == {1}
    assert item.resources == ("hall-a", "hall")
    assert Blocked("hall-a", 0, 17 * 60, 18 * 60) in solve.round.blocked
    check = round_problem(round, mode="check")
    assert check.round.sections[0].times_per_week == 2
    assert check.round.blocked == ()


def test_the_round_opening_for_the_pages_lists_every_resource():
    c = b.city()
    round = b.open_round(c)
    assert set(round_opening(round)) == {"hall", "hall-a", "hall-b", "studio"}


def test_resource_buffers_reach_the_allocator():
    c = b.city()
    c.studio.buffer_after = dt.timedelta(minutes=15)
    c.studio.save()
    round = b.open_round(c)
    problem = round_problem(round)
    assert problem.round.resource_by_id["studio"].buffer_after == 15
    assert problem.data["resources"][-1]["id"] == "studio"
