"""Stopping a running search from another thread, and the booking engine's buffers in the allocator."""

from __future__ import annotations

import importlib.util
import threading
import time
from pathlib import Path

import pytest

from tests.seasons import round_json, section, solve, space, window
from tila.seasons.allocation import SolverOptions, StopHandle, allocation_check, cpsat_allocate, round_from_json
from tila.seasons.allocation.model import Allocation

BENCH = Path(__file__).resolve().parents[2] / "bench" / "allocation.py"


def _generated(sections: int, resources: int):
    spec = importlib.util.spec_from_file_location("bench_allocation", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return round_from_json(module.generate_round(sections=sections, resources=resources, seed=3))


@pytest.mark.slow
def test_stop_from_another_thread_ends_the_search_at_once_with_a_feasible_timetable():
    problem = _generated(500, 100)
    stop = StopHandle()
    timer = threading.Timer(2.0, stop.stop)
    started = time.monotonic()
    timer.start()
    result = cpsat_allocate(problem, options=SolverOptions(time_limit=40, workers=2), stop=stop)
    elapsed = time.monotonic() - started
    timer.cancel()
    assert stop.stopped
    assert elapsed < 15
    assert result.status in ("feasible", "optimal")
    assert allocation_check(problem, result.allocations) == []


def test_stop_before_the_search_skips_it_and_returns_the_starting_timetable():
    suitable = (window("mon", "17:00", "19:00"),)
    problem = round_from_json(round_json([space("hall")], [section(f"s{i}", suitable=suitable) for i in range(3)]))
    stop = StopHandle()
    stop.stop()
    result = cpsat_allocate(problem, options=SolverOptions(time_limit=5, workers=1), stop=stop)
    assert len(result.allocations) == 2
    assert allocation_check(problem, result.allocations) == []


HALL_17_19 = {"mon": [["17:00", "19:00"]]}


@pytest.mark.parametrize("solver", ["cpsat", "greedy"])
def test_a_buffer_after_keeps_the_next_allocation_away(solver):
    hall = {**space("hall", hours=HALL_17_19), "buffer_after": 15}
    suitable = (window("mon", "17:00", "19:00"),)
    data = round_json([hall], [section("s1", suitable=suitable), section("s2", suitable=suitable)])
    _, result = solve(data, solver)
    assert len(result.allocations) == 1


@pytest.mark.parametrize("solver", ["cpsat", "greedy"])
def test_without_buffers_both_fit(solver):
    suitable = (window("mon", "17:00", "19:00"),)
    data = round_json(
        [space("hall", hours=HALL_17_19)], [section("s1", suitable=suitable), section("s2", suitable=suitable)]
    )
    _, result = solve(data, solver)
    assert len(result.allocations) == 2


def test_the_checker_compares_ranges_with_their_buffers():
    hall = {**space("hall", hours=HALL_17_19), "buffer_before": 10}
    half = space("half", parent="hall", hours=HALL_17_19)
    suitable = (window("mon", "17:00", "19:00"),)
    sections = [
        section("s1", resources=("hall",), suitable=suitable, minimum=30, maximum=90),
        section("s2", resources=("half",), suitable=suitable),
    ]
    problem = round_from_json(round_json([hall, half], sections))
    touching = [Allocation("s2", "half", 0, 17 * 60, 18 * 60), Allocation("s1", "hall", 0, 18 * 60, 18 * 60 + 30)]
    assert [v.code for v in allocation_check(problem, touching)] == ["overlap"]  # the hall's 10 minutes before
    apart = [Allocation("s2", "half", 0, 17 * 60, 18 * 60), Allocation("s1", "hall", 0, 18 * 60 + 30, 19 * 60)]
    assert allocation_check(problem, apart) == []
    blocked = round_from_json(
        round_json([hall, half], sections, blocked=[{"resource": "half", "day": "mon", "from": "17:00", "to": "17:55"}])
    )
    assert [v.code for v in allocation_check(blocked, [Allocation("s1", "hall", 0, 18 * 60, 19 * 60)])] == ["blocked"]
    assert allocation_check(blocked, [Allocation("s1", "hall", 0, 18 * 60 + 30, 19 * 60)]) == []
