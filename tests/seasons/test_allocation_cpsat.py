"""CP-SAT allocator plumbing: progress and cancel, fallback, with and without the LP relaxation."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from tests.seasons import round_json, section, space, window
from tila.core.errors import DomainError
from tila.seasons.allocation import (
    SolverOptions,
    allocation_check,
    allocation_solve,
    cpsat_allocate,
    round_from_json,
)
from tila.seasons.allocation import cpsat as cpsat_module

THREE_EVENINGS = {day: [["17:00", "19:00"]] for day in ("mon", "tue", "wed")}


def _round():
    suitable = tuple(window(day, "17:00", "19:00") for day in ("mon", "tue", "wed"))
    sections = [
        section(f"s{i}", applicant=f"club-{i % 3}", times=2, maximum=120, suitable=suitable, weight=1 + i / 10)
        for i in range(6)
    ]
    return round_from_json(round_json([space("hall", hours=THREE_EVENINGS)], sections))


@pytest.mark.parametrize("lp", [True, False])
def test_cpsat_finds_the_same_optimum_with_and_without_the_lp_relaxation(lp):
    result = cpsat_allocate(_round(), options=SolverOptions(time_limit=5, workers=1, lp=lp))
    assert result.status == "optimal"
    assert result.stats["hint_source"] in (("lp_rounding", "greedy") if lp else ("greedy",))
    # Six one-hour slots (two an evening) for the heaviest section of each club, s3, s4, s5:
    # 2 × (1.3 + 1.4 + 1.5) = 8.4 weighted hours + 3 clubs × (4 + 2) bonus = 26.4.
    assert result.objective == pytest.approx(26.4)


def test_progress_is_reported_and_returning_false_stops_the_search():
    seen = []
    problem = _round()
    result = cpsat_allocate(
        problem, options=SolverOptions(time_limit=5, workers=1), on_progress=lambda p: seen.append(p) or False
    )
    assert len(seen) == 1
    assert seen[0].objective <= seen[0].bound
    assert result.status in ("feasible", "optimal")
    assert allocation_check(problem, result.allocations) == []


class _SilentSolver:
    """A CP-SAT stand-in that finds nothing in time."""

    wall_time = 0.0
    num_branches = 0
    num_conflicts = 0

    def solve(self, model, callback=None):
        return cp_model.UNKNOWN

    def status_name(self, status):
        return "UNKNOWN"


def test_when_cpsat_finds_nothing_the_starting_allocation_is_returned(monkeypatch):
    monkeypatch.setattr(cpsat_module, "_solver", lambda options, seconds: _SilentSolver())
    problem = _round()
    result = cpsat_allocate(problem, options=SolverOptions(time_limit=1, workers=1, lp=False))
    assert result.status == "feasible"
    assert result.stats["fallback"] == "greedy"
    assert result.allocations
    assert allocation_check(problem, result.allocations) == []


def test_unknown_solver_name_is_a_domain_error():
    with pytest.raises(DomainError) as caught:
        allocation_solve(round=_round(), solver="magic")
    assert caught.value.code == "invalid_value"
