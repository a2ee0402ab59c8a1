"""Allocation runs on rounds in the database: background execution, the hard rules (verified by the
independent checker), locked and rejected decisions, progress, cancellation, failures."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests import factories as f
from tests.seasons import builders as b
from tila.accounts.models import Role
from tila.booking.series import series_create
from tila.core.errors import DomainError, PermissionDenied
from tila.seasons import runs
from tila.seasons.allocation import Result
from tila.seasons.models import Allocation, AllocationRun, DecisionState, RunStatus
from tila.seasons.selectors import decisions_check, live_decisions, round_problem

pytestmark = pytest.mark.django_db
FAST = runs.RunParameters(time_limit=5, workers=1)


def _competing_round(c, groups: int = 6):
    round = b.open_round(c)
    for n in range(groups):
        times = [b.suitable(0, "16:00", "20:00"), b.suitable(2, "17:00", "21:00", "secondary")]
        options = [c.half_a, c.half_b, c.hall] if n % 2 else [c.hall, c.half_b]
        b.apply(round, [b.section_data(options, times, name=f"Group {n}", per_week=2, maximum=90, participants=20)])
    return b.to_allocation(c, round)


def _run(c, round, parameters=FAST):
    run = runs.allocation_run_start(actor=c.handler, round=round, parameters=parameters)
    status = runs.allocation_run_execute(run_id=run.pk, poll=0.05)
    run.refresh_from_db()
    return status, run


def _assert_feasible(round):
    problem = round_problem(round, mode="check")
    decisions = list(live_decisions(round))
    assert decisions
    assert decisions_check(problem, decisions) == []


def test_a_run_proposes_a_timetable_that_keeps_every_hard_rule():
    c = b.city()
    round = _competing_round(c)
    status, run = _run(c, round)
    assert status == RunStatus.DONE
    assert (run.status, run.progress) == (RunStatus.DONE, 100)
    assert run.objective is not None and run.bound is not None and run.gap is not None
    assert run.objective <= run.bound + 1e-6
    assert run.input["sections"] and run.result["allocations"]
    assert Allocation.objects.filter(run=run, state=DecisionState.PROPOSED).count() == len(run.result["allocations"])
    _assert_feasible(round)


def test_the_greedy_baseline_runs_the_same_way():
    c = b.city()
    round = _competing_round(c, groups=3)
    status, run = _run(c, round, runs.RunParameters(solver="greedy", time_limit=5))
    assert status == RunStatus.DONE and run.bound is None
    _assert_feasible(round)


def test_existing_weekly_bookings_are_respected():
    c = b.city()
    round = b.open_round(c)
    series_create(
        actor=c.handler,
        resource=c.half_a,
        weekdays=[0],
        start_date=round.season_begin,
        until_date=round.season_end,
        begin_time=dt.time(17),
        end_time=dt.time(19),
        user=f.user(),
    )
    b.apply(round, [b.section_data([c.half_a, c.hall, c.half_b], [b.suitable(0, "17:00", "19:00")], minimum=120)])
    b.to_allocation(c, round)
    _run(c, round)
    (decision,) = live_decisions(round)
    assert decision.resource_id == "hall-b"  # half A is booked, and so the whole hall is too
    _assert_feasible(round)


def test_a_second_run_keeps_locked_decisions_and_replaces_the_proposals():
    c = b.city()
    round = _competing_round(c)
    _, first = _run(c, round)
    kept = Allocation.objects.filter(run=first).order_by("pk").first()
    kept.state = DecisionState.LOCKED
    kept.save()
    _, second = _run(c, round)
    kept.refresh_from_db()
    assert kept.state == DecisionState.LOCKED
    assert not Allocation.objects.filter(run=first, state=DecisionState.PROPOSED).exists()
    assert Allocation.objects.filter(run=second).exists()
    assert second.stats["locked"] == 1
    _assert_feasible(round)


def test_a_rejected_decision_keeps_the_next_run_off_that_space_for_that_group():
    c = b.city()
    round = b.open_round(c)
    section = b.apply(round, [b.section_data([c.half_a, c.half_b], [b.suitable(0, "17:00", "19:00")])]).sections.get()
    b.to_allocation(c, round)
    _run(c, round)
    first = Allocation.objects.get(section=section)
    assert first.resource_id == "hall-a"
    first.state = DecisionState.REJECTED
    first.save()
    _run(c, round)
    assert Allocation.objects.get(section=section, state=DecisionState.PROPOSED).resource_id == "hall-b"


def test_one_active_run_per_round_in_the_service_and_in_the_database():
    c = b.city()
    round = _competing_round(c, groups=1)
    run = runs.allocation_run_start(actor=c.handler, round=round, parameters=FAST)
    with pytest.raises(DomainError) as caught:
        runs.allocation_run_start(actor=c.handler, round=round, parameters=FAST)
    assert caught.value.code == "run_active"
    with pytest.raises(IntegrityError), transaction.atomic():
        AllocationRun.objects.create(round=round, status=RunStatus.RUNNING)
    runs.allocation_run_cancel(actor=c.handler, run=run)
    assert runs.allocation_run_start(actor=c.handler, round=round, parameters=FAST).status == RunStatus.QUEUED


def test_runs_need_the_handle_right_and_a_round_in_allocation():
    c = b.city()
    round = b.open_round(c)
    with pytest.raises(DomainError) as caught:
        runs.allocation_run_start(actor=c.handler, round=round, parameters=FAST)
    assert caught.value.code == "invalid_state"
    b.to_allocation(c, round)
    with pytest.raises(PermissionDenied):
        runs.allocation_run_start(actor=f.staff(c.unit, Role.VIEWER), round=round, parameters=FAST)
    with pytest.raises(DomainError) as caught:
        runs.allocation_run_start(actor=c.handler, round=round, parameters=runs.RunParameters(time_limit=0))
    assert caught.value.field == "time_limit"


def test_cancelling_a_queued_run_cancels_it_at_once_and_the_worker_skips_it():
    c = b.city()
    round = _competing_round(c, groups=1)
    run = runs.allocation_run_start(actor=c.handler, round=round, parameters=FAST)
    run = runs.allocation_run_cancel(actor=c.handler, run=run)
    assert run.status == RunStatus.CANCELLED
    assert runs.allocation_run_execute(run_id=run.pk) == "not_queued"
    with pytest.raises(DomainError):
        runs.allocation_run_cancel(actor=c.handler, run=run)


def test_cancelling_a_running_run_stops_the_solver_and_keeps_the_old_proposal(monkeypatch):
    c = b.city()
    round = _competing_round(c, groups=2)
    _run(c, round)
    before = set(Allocation.objects.values_list("pk", flat=True))
    seen = {}

    def waiting_solver(*, round, solver, options, on_progress, stop):
        seen["started"] = time.monotonic()
        while not stop.stopped and time.monotonic() - seen["started"] < 10:
            time.sleep(0.01)
        return Result(status="feasible", allocations=[], objective=0.0, bound=None, gap=None)

    reports = []
    original = runs._report

    def report(run, live, elapsed, limit):
        reports.append(elapsed)
        if len(reports) == 3:
            AllocationRun.objects.filter(pk=run.pk).update(cancel_requested=True)
        return original(run, live, elapsed, limit)

    monkeypatch.setattr(runs, "allocation_solve", waiting_solver)
    monkeypatch.setattr(runs, "_report", report)
    run = runs.allocation_run_start(actor=c.handler, round=round, parameters=FAST)
    assert runs.allocation_run_execute(run_id=run.pk, poll=0.02) == RunStatus.CANCELLED
    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED and run.finished_at is not None
    assert 0 < run.progress < 100
    assert set(Allocation.objects.values_list("pk", flat=True)) == before


def test_progress_and_a_heartbeat_are_written_while_the_solver_runs(monkeypatch):
    c = b.city()
    round = _competing_round(c, groups=1)
    progress = []

    def slow_solver(*, round, solver, options, on_progress, stop):
        time.sleep(0.3)
        return Result(status="optimal", allocations=[], objective=0.0, bound=0.0, gap=0.0)

    original = runs._report

    def report(run, live, elapsed, limit):
        answer = original(run, live, elapsed, limit)
        progress.append(AllocationRun.objects.values_list("progress", "heartbeat_at").get(pk=run.pk))
        return answer

    monkeypatch.setattr(runs, "allocation_solve", slow_solver)
    monkeypatch.setattr(runs, "_report", report)
    run = runs.allocation_run_start(actor=c.handler, round=round, parameters=runs.RunParameters(time_limit=1))
    runs.allocation_run_execute(run_id=run.pk, poll=0.05)
    assert len(progress) >= 3
    assert progress[-1][0] >= progress[0][0] and all(hb is not None for _, hb in progress)


def test_a_failing_solver_fails_the_run_with_its_error(monkeypatch):
    c = b.city()
    round = _competing_round(c, groups=1)

    def broken(**kwargs):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(runs, "allocation_solve", broken)
    status, run = _run(c, round)
    assert status == RunStatus.FAILED
    assert "solver exploded" in run.error


def test_a_run_whose_worker_vanished_is_marked_lost_and_another_may_start():
    c = b.city()
    round = _competing_round(c, groups=1)
    run = runs.allocation_run_start(actor=c.handler, round=round, parameters=FAST)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    AllocationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=long_ago, heartbeat_at=long_ago)
    run.refresh_from_db()
    assert runs.run_refresh(run).status == RunStatus.FAILED
    assert runs.allocation_run_start(actor=c.handler, round=round, parameters=FAST).status == RunStatus.QUEUED


def test_the_task_runs_the_run_after_commit(settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    c = b.city()
    round = _competing_round(c, groups=2)
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.allocation_run_start(actor=c.handler, round=round, parameters=FAST)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.task_id
    _assert_feasible(round)
