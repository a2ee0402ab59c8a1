"""Decisions: manual adjustment checked by the independent checker, acceptance as recurring series that
skip closed days and report conflicts, and decision emails in the applicant's language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from tests import factories as f
from tests.seasons import builders as b
from tila.booking.models import ACTIVE_STATES, Reservation, ReservationSeries
from tila.booking.series import series_create
from tila.booking.services import reservation_create
from tila.core.errors import DomainError
from tila.hours.services import opening_period_create
from tila.notifications.models import OutboundEmail
from tila.notifications.services import outbox_relay
from tila.seasons import decisions, runs, selectors
from tila.seasons.models import Allocation, AllocationRun, DecisionState, RoundState

pytestmark = pytest.mark.django_db

T = dt.time.fromisoformat


def _setup(*, groups: int = 2, participants: int = 12):
    c = b.city()
    round = b.open_round(c)
    sections = []
    for n in range(groups):
        times = [b.suitable(0, "17:00", "20:00"), b.suitable(1, "17:00", "21:00")]
        application = b.apply(
            round,
            [
                b.section_data(
                    [c.half_a, c.half_b, c.hall], times, name=f"Group {n}", per_week=2, participants=participants
                )
            ],
            language=("fi", "sv", "en")[n % 3],
        )
        sections.append(application.sections.get())
    b.to_allocation(c, round)
    return c, round, sections


def _add(c, section, resource, day, begin, end, **kw):
    return decisions.allocation_add(
        actor=c.handler, section=section, resource=resource, weekday=day, begin=T(begin), end=T(end), **kw
    )


def _code(call) -> str:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.code


def test_halves_of_a_hall_take_two_groups_at_once_but_the_hall_does_not():
    c, round, (one, two) = _setup()
    _add(c, one, c.half_a, 0, "17:00", "18:00")
    assert _code(lambda: _add(c, two, c.hall, 0, "17:30", "18:30")) == "overlap"
    assert _code(lambda: _add(c, two, c.half_a, 0, "17:00", "18:00")) == "overlap"
    _add(c, two, c.half_b, 0, "17:00", "18:00")
    assert selectors.decisions_check(selectors.round_problem(round), list(selectors.live_decisions(round))) == []


@pytest.mark.parametrize(
    ("resource", "day", "begin", "end", "code"),
    [
        ("hall-a", 1, "21:30", "22:30", "closed"),  # open until 22 (and suitable until 21)
        ("hall-a", 2, "17:00", "18:00", "unsuitable"),  # Wednesday does not suit the group
        ("hall-a", 0, "17:00", "17:30", "duration_too_short"),
        ("hall-a", 0, "17:00", "19:30", "duration_too_long"),
        ("studio", 0, "17:00", "18:00", "resource_not_requested"),
        ("hall-a", 0, "17:10", "18:10", "not_aligned"),
    ],
)
def test_a_decision_by_hand_that_breaks_a_hard_rule_is_refused_with_the_rule(resource, day, begin, end, code):
    c, _round, (one, _two) = _setup()
    assert _code(lambda: _add(c, one, resource, day, begin, end)) == code
    assert not Allocation.objects.exists()


def test_capacity_one_time_a_day_and_times_a_week_are_checked_by_hand_too():
    c, _round, (one, _two) = _setup(participants=40)
    assert _code(lambda: _add(c, one, c.half_a, 0, "17:00", "18:00")) == "capacity_exceeded"
    _add(c, one, c.hall, 0, "17:00", "18:00")
    assert _code(lambda: _add(c, one, c.hall, 0, "19:00", "20:00")) == "same_day"
    _add(c, one, c.hall, 1, "17:00", "18:00")
    opening_period_create(actor=None, unit=c.unit, start=dt.date(2020, 1, 1), rules=[(2, T("16:00"), T("22:00"))])
    one.suitable_times.create(weekday=2, begin=T("17:00"), end=T("19:00"))
    assert _code(lambda: _add(c, one, c.hall, 2, "17:00", "18:00")) == "too_many_per_week"


def test_existing_bookings_are_checked_by_hand():
    c, round, (one, _two) = _setup()
    series_create(
        actor=c.handler,
        resource=c.hall,
        weekdays=[0],
        start_date=round.season_begin,
        until_date=round.season_end,
        begin_time=T("18:00"),
        end_time=T("19:00"),
        user=f.user(),
    )
    assert _code(lambda: _add(c, one, c.half_a, 0, "17:30", "18:30")) == "blocked"
    _add(c, one, c.half_a, 0, "17:00", "18:00")


def test_changing_a_decision_checks_it_locks_it_and_a_refusal_keeps_the_old_one():
    c, _round, (one, two) = _setup()
    first = _add(c, one, c.half_a, 0, "17:00", "18:00")
    second = _add(c, two, c.half_b, 0, "17:00", "18:00")
    assert (
        _code(
            lambda: decisions.allocation_change(
                actor=c.handler, allocation=second, resource="hall", weekday=0, begin=T("17:00"), end=T("18:00")
            )
        )
        == "overlap"
    )
    second.refresh_from_db()
    assert (second.resource_id, second.state) == ("hall-b", DecisionState.PROPOSED)
    moved = decisions.allocation_change(
        actor=c.handler, allocation=first, resource="hall-a", weekday=1, begin=T("18:00"), end=T("19:00")
    )
    assert (moved.weekday, moved.begin, moved.state) == (1, T("18:00"), DecisionState.LOCKED)


def test_lock_unlock_reject_and_restore_a_decision():
    c, _round, (one, two) = _setup()
    decision = _add(c, one, c.half_a, 0, "17:00", "18:00")
    for state in (DecisionState.LOCKED, DecisionState.PROPOSED, DecisionState.REJECTED):
        assert decisions.allocation_mark(actor=c.handler, allocation=decision, state=state).state == state
    _add(c, two, c.half_a, 0, "17:00", "18:00")  # the rejected one no longer holds the time …
    assert (
        _code(lambda: decisions.allocation_mark(actor=c.handler, allocation=decision, state=DecisionState.PROPOSED))
        == "overlap"
    )
    assert (
        _code(lambda: decisions.allocation_mark(actor=c.handler, allocation=decision, state="accepted"))
        == "invalid_state"
    )


def test_decisions_do_not_change_while_a_run_is_active():
    c, round, (one, _two) = _setup()
    runs.allocation_run_start(actor=c.handler, round=round, parameters=runs.RunParameters(time_limit=5))
    assert _code(lambda: _add(c, one, c.half_a, 0, "17:00", "18:00")) == "run_active"


# -- Accepting -------------------------------------------------------------------------------


def test_accepting_books_a_series_per_decision_skipping_closed_days_and_reporting_conflicts():
    c, round, (one, two) = _setup()
    holiday = round.season_begin + dt.timedelta(weeks=3)  # a Monday
    opening_period_create(actor=None, unit=c.unit, start=holiday, end=holiday, closed=True, name="Holiday")
    taken = round.season_begin + dt.timedelta(weeks=5, days=1)  # a Tuesday
    reservation_create(actor=f.user(), resource=c.half_a, begin=f.at(taken, 18), end=f.at(taken, 19))
    monday = _add(c, one, c.half_a, 0, "17:00", "18:00")
    tuesday = _add(c, two, c.half_a, 1, "18:00", "19:00")
    rejected = _add(c, two, c.half_b, 0, "17:00", "18:00")
    decisions.allocation_mark(actor=c.handler, allocation=rejected, state=DecisionState.REJECTED)

    report = decisions.round_accept(actor=c.handler, round=round)

    round.refresh_from_db()
    assert round.state == RoundState.HANDLED and round.accepted_at is not None
    assert (report.decisions, report.series, report.booked, report.closed) == (2, 2, 14, 1)
    monday.refresh_from_db()
    tuesday.refresh_from_db()
    assert monday.state == tuesday.state == DecisionState.ACCEPTED
    assert [s["code"] for s in monday.skipped] == ["closed"] and monday.skipped[0]["date"] == holiday.isoformat()
    assert [(s["code"], s["date"]) for s in tuesday.skipped] == [("overlap", taken.isoformat())]
    active = Reservation.objects.filter(series=monday.series, state__in=ACTIVE_STATES)
    assert active.count() == 7 and holiday not in {r.begin.astimezone(f.at(holiday, 0).tzinfo).date() for r in active}
    assert all(r.user_id == one.application.user_id for r in active)
    assert Allocation.objects.get(pk=rejected.pk).state == DecisionState.REJECTED
    assert ReservationSeries.objects.count() == 2


def test_accepting_refuses_decisions_that_meanwhile_break_a_rule():
    c, round, (one, _two) = _setup()
    _add(c, one, c.half_a, 0, "17:00", "18:00")
    series_create(
        actor=c.handler,
        resource=c.hall,
        weekdays=[0],
        start_date=round.season_begin,
        until_date=round.season_end,
        begin_time=T("17:00"),
        end_time=T("18:00"),
        user=f.user(),
    )
    assert _code(lambda: decisions.round_accept(actor=c.handler, round=round)) == "blocked"
    round.refresh_from_db()
    assert round.state == RoundState.IN_ALLOCATION


def test_a_run_then_acceptance_then_results_end_to_end(settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    c, round, sections = _setup(groups=3)
    run = runs.allocation_run_start(
        actor=c.handler, round=round, parameters=runs.RunParameters(time_limit=5, workers=1)
    )
    runs.allocation_run_execute(run_id=run.pk, poll=0.05)
    assert AllocationRun.objects.get(pk=run.pk).status == "done"
    decisions.round_accept(actor=c.handler, round=round)
    with pytest.raises(DomainError):
        decisions.round_accept(actor=c.handler, round=round)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = decisions.round_results_send(actor=c.handler, round=round)
    assert sent == 3
    assert mail.outbox == [] and outbox_relay() == 3  # written to the outbox; the relay sends them
    emails = OutboundEmail.objects.filter(event=decisions.DECISION_EVENT).order_by("pk")
    assert [e.language for e in emails] == ["fi", "sv", "en"]
    assert all(e.rendered and e.state == "sent" for e in emails)
    english = emails[2]
    assert "Group 2" in english.body_text and "Kisahalli" in english.body_text
    assert len(mail.outbox) == 3 and mail.outbox[2].extra_headers["Content-Language"] == "en"
    round.refresh_from_db()
    assert round.state == RoundState.RESULTS_SENT
    application = type(sections[0].application).objects.get(pk=sections[0].application_id)
    results = selectors.application_results(application)
    assert results[0][1] and all(d.state == DecisionState.ACCEPTED for d in results[0][1])
    with pytest.raises(DomainError):
        decisions.round_results_send(actor=c.handler, round=round)


def test_the_decision_email_tells_a_group_without_a_time_so():
    c, round, (one, two) = _setup()
    _add(c, one, c.half_a, 0, "17:00", "18:00")
    decisions.round_accept(actor=c.handler, round=round)
    decisions.round_results_send(actor=c.handler, round=round)
    body = OutboundEmail.objects.get(to=two.application.contact_email).body_text
    assert "no suitable time could be granted" in body or "Group 1" in body
    assert OutboundEmail.objects.filter(event=decisions.DECISION_EVENT).count() == 2
