"""Allocation runs: the allocator on a round in the database, in the background, with progress and cancel.

`allocation_run_start` records a queued run and, after commit, enqueues the task
`tila.seasons.tasks.run_allocation` (django-tasks; the worker is `tila db_worker`). The worker calls
`allocation_run_execute`: it builds the input from the database (`selectors.round_problem`, solve
mode), solves it in a thread of its own, and meanwhile, once a second, writes the progress (share of
the time limit used, the best objective and bound so far) and a heartbeat, and reads the run's
cancel flag — if set, it stops CP-SAT at once (`StopHandle`). When the solver is done, the result is
verified by the independent checker and replaces the round's proposed decisions (locked and
rejected ones stay) in one transaction.

A run whose worker vanished (no heartbeat for `STALE_AFTER`) is marked lost when someone looks or
starts another run. Codes: `invalid_state`, `run_active`, `invalid`, `permission_denied`, `not_found`.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tila.accounts.permissions import Action
from tila.core.audit import audit_log
from tila.core.errors import DomainError, NotFound
from tila.seasons.access import require_round
from tila.seasons.allocation import (
    SOLVERS,
    Progress,
    Result,
    SolverOptions,
    StopHandle,
    allocation_check,
    allocation_solve,
    result_to_json,
)
from tila.seasons.models import (
    ACTIVE_RUN_STATES,
    Allocation,
    AllocationRun,
    ApplicationRound,
    DecisionState,
    RoundState,
    RunStatus,
)
from tila.seasons.selectors import RoundProblem, round_problem

logger = logging.getLogger(__name__)

POLL_SECONDS = 1.0
STALE_AFTER = dt.timedelta(minutes=2)
MAX_TIME_LIMIT = 600.0
MAX_WORKERS = 8


@dataclass(frozen=True)
class RunParameters:
    solver: str = "cpsat"
    time_limit: float = 60.0
    seed: int = 0
    workers: int = 2

    def validate(self) -> None:
        if self.solver not in SOLVERS:
            raise DomainError("invalid", _("Choose CP-SAT or the greedy baseline."), field="solver")
        if not 1 <= self.time_limit <= MAX_TIME_LIMIT:
            raise DomainError(
                "invalid", _("The time limit is 1 to %(max)s seconds."), field="time_limit", max=int(MAX_TIME_LIMIT)
            )
        if not 0 <= self.seed < 2**31:
            raise DomainError("invalid", _("The seed is a whole number from 0."), field="seed")
        if not 1 <= self.workers <= MAX_WORKERS:
            raise DomainError("invalid", _("Use 1 to %(max)s workers."), field="workers", max=MAX_WORKERS)

    def as_json(self) -> dict[str, Any]:
        return {"solver": self.solver, "time_limit": self.time_limit, "seed": self.seed, "workers": self.workers}


def run_is_stale(run: AllocationRun, now: dt.datetime | None = None) -> bool:
    """A running run without a heartbeat lately (its worker died), or queued for very long."""
    now = now or timezone.now()
    if run.status == RunStatus.RUNNING:
        return (run.heartbeat_at or run.started_at or run.created_at) < now - STALE_AFTER
    return False


def _mark_lost(run: AllocationRun, now: dt.datetime) -> None:
    AllocationRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
        status=RunStatus.FAILED, error="lost: the worker stopped reporting", finished_at=now
    )


def _lock_round(round: ApplicationRound | int) -> ApplicationRound:
    pk = round.pk if isinstance(round, ApplicationRound) else round
    found = ApplicationRound.objects.select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def _enqueue(run_id: int) -> None:
    from tila.seasons.tasks import run_allocation

    result = run_allocation.enqueue(run_id)
    AllocationRun.objects.filter(pk=run_id).update(task_id=str(result.id)[:64])


@transaction.atomic
def allocation_run_start(
    *,
    actor: Any,
    round: ApplicationRound | int,
    parameters: RunParameters | None = None,
    now: dt.datetime | None = None,
) -> AllocationRun:
    """Queue a run of the allocator on a round in allocation (one active run per round)."""
    round = _lock_round(round)
    require_round(actor, Action.HANDLE, round)
    parameters = parameters or RunParameters()
    parameters.validate()
    if round.state != RoundState.IN_ALLOCATION:
        raise DomainError("invalid_state", _("Start the allocation of the round first."))
    now = now or timezone.now()
    for active in round.runs.filter(status__in=ACTIVE_RUN_STATES):
        if not run_is_stale(active, now):
            raise DomainError("run_active", _("An allocation is already running for this round."))
        _mark_lost(active, now)
    run = AllocationRun.objects.create(
        round=round, created_by=actor, solver=parameters.solver, parameters=parameters.as_json()
    )
    audit_log(actor=actor, action="season_run.start", obj=run, after={"round": round.pk, **parameters.as_json()})
    pk = run.pk
    transaction.on_commit(lambda: _enqueue(pk))
    return run


@transaction.atomic
def allocation_run_cancel(*, actor: Any, run: AllocationRun | int, now: dt.datetime | None = None) -> AllocationRun:
    """Ask a run to stop; a queued (or lost) run is cancelled at once, a running one within a second."""
    pk = run.pk if isinstance(run, AllocationRun) else run
    found = AllocationRun.objects.select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound()
    require_round(actor, Action.HANDLE, found.round)
    if found.status not in ACTIVE_RUN_STATES:
        raise DomainError("invalid_state", _("This run has already finished."))
    now = now or timezone.now()
    found.cancel_requested = True
    if found.status == RunStatus.QUEUED or run_is_stale(found, now):
        found.status = RunStatus.CANCELLED
        found.finished_at = now
    found.save(update_fields=["cancel_requested", "status", "finished_at"])
    audit_log(actor=actor, action="season_run.cancel", obj=found, after={"status": found.status})
    return found


# -- The worker's side ------------------------------------------------------------------------


@dataclass
class _Live:
    """What the solver thread tells the watching thread (no database access in the solver thread)."""

    objective: float | None = None
    bound: float | None = None
    seconds: float = 0.0
    result: Result | None = None
    error: BaseException | None = None
    cancelled: bool = False
    history: list[dict[str, float]] = field(default_factory=list)

    def on_progress(self, progress: Progress) -> bool:
        self.objective, self.bound, self.seconds = progress.objective, progress.bound, progress.seconds
        if len(self.history) < 200:
            self.history.append({"seconds": round(progress.seconds, 2), "objective": progress.objective})
        return True


def _claim(run_id: int, now: dt.datetime) -> AllocationRun | None:
    claimed = AllocationRun.objects.filter(pk=run_id, status=RunStatus.QUEUED, cancel_requested=False).update(
        status=RunStatus.RUNNING, started_at=now, heartbeat_at=now, progress=0
    )
    return AllocationRun.objects.select_related("round").get(pk=run_id) if claimed else None


def _options(run: AllocationRun) -> SolverOptions:
    p = run.parameters
    return SolverOptions(
        time_limit=float(p.get("time_limit", 60.0)), seed=int(p.get("seed", 0)), workers=int(p.get("workers", 2))
    )


def _report(run: AllocationRun, live: _Live, elapsed: float, limit: float) -> bool:
    """Write progress and a heartbeat; return True when the run was asked to stop."""
    stats = {"live": {"objective": live.objective, "bound": live.bound, "seconds": round(elapsed, 1)}}
    AllocationRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
        progress=min(99, int(100 * elapsed / limit)), heartbeat_at=timezone.now(), stats=stats
    )
    return bool(AllocationRun.objects.filter(pk=run.pk).values_list("cancel_requested", flat=True).first())


def _solve_watching(run: AllocationRun, problem: RoundProblem, poll: float) -> _Live:
    live = _Live()
    stop = StopHandle()
    options = _options(run)

    def target() -> None:
        try:
            live.result = allocation_solve(
                round=problem.round, solver=run.solver, options=options, on_progress=live.on_progress, stop=stop
            )
        except BaseException as exc:  # handed to the watching thread, which records it
            live.error = exc

    thread = threading.Thread(target=target, name=f"allocation-run-{run.pk}", daemon=True)
    started = time.monotonic()
    thread.start()
    while thread.is_alive():
        thread.join(poll)
        if _report(run, live, time.monotonic() - started, options.time_limit) and not live.cancelled:
            live.cancelled = True
            stop.stop()
    return live


def _fail(run: AllocationRun, message: str) -> str:
    AllocationRun.objects.filter(pk=run.pk).update(
        status=RunStatus.FAILED, error=message[:4000], finished_at=timezone.now()
    )
    return RunStatus.FAILED


def _cancelled(run: AllocationRun) -> str:
    AllocationRun.objects.filter(pk=run.pk).update(status=RunStatus.CANCELLED, finished_at=timezone.now())
    return RunStatus.CANCELLED


def allocation_run_execute(*, run_id: int, poll: float = POLL_SECONDS) -> str:
    """Run one queued run to its end (the task's body). Returns the run's final status."""
    run = _claim(run_id, timezone.now())
    if run is None:
        return "not_queued"
    try:
        problem = round_problem(run.round, mode="solve")
        AllocationRun.objects.filter(pk=run.pk).update(input=problem.data)
        live = _solve_watching(run, problem, poll)
    except DomainError as exc:
        return _fail(run, f"{exc.code}: {exc.message}")
    except Exception as exc:
        logger.exception("Allocation run %s failed", run_id)
        return _fail(run, f"{type(exc).__name__}: {exc}")
    if live.cancelled:
        return _cancelled(run)
    if live.error is not None or live.result is None:
        logger.error("Allocation run %s failed in the solver: %r", run_id, live.error)
        return _fail(run, f"{type(live.error).__name__}: {live.error}")
    return _finish(run.pk, problem, live)


@transaction.atomic
def _finish(run_id: int, problem: RoundProblem, live: _Live) -> str:
    run = AllocationRun.objects.select_for_update().select_related("round").get(pk=run_id)
    round = _lock_round(run.round_id)
    result = live.result
    assert result is not None
    if run.status != RunStatus.RUNNING:  # marked lost meanwhile: leave it so
        return str(run.status)
    if run.cancel_requested:
        return _cancelled(run)
    if round.state != RoundState.IN_ALLOCATION:
        return _fail(run, "invalid_state: the round is no longer in allocation")
    violations = allocation_check(problem.round, result.allocations)
    if violations:  # cannot happen unless an allocator is broken; never propose a wrong timetable
        return _fail(run, f"internal_error: the result breaks {violations[0].code} ({violations[0].detail})")
    Allocation.objects.filter(section__application__round=round, state=DecisionState.PROPOSED).delete()
    Allocation.objects.bulk_create(
        Allocation(
            section=problem.sections[a.section],
            resource_id=a.resource,
            weekday=a.day,
            begin=dt.time(a.begin // 60, a.begin % 60),
            end=dt.time(a.end // 60, a.end % 60),
            run=run,
        )
        for a in result.allocations
    )
    run.status = RunStatus.DONE
    run.progress = 100
    run.result = result_to_json(result)
    run.objective, run.bound, run.gap = result.objective, result.bound, result.gap
    run.stats = {**result.stats, "locked": len(problem.locked), "progress": live.history, "notes": problem.notes}
    run.finished_at = timezone.now()
    run.save()
    return RunStatus.DONE


def run_refresh(run: AllocationRun, now: dt.datetime | None = None) -> AllocationRun:
    """The run as it stands; a running run whose worker vanished is marked lost first."""
    if run.status == RunStatus.RUNNING and run_is_stale(run, now):
        _mark_lost(run, now or timezone.now())
        run.refresh_from_db()
    return run
