"""Random tiny rounds: both allocators are feasible, and CP-SAT matches a brute-force optimum.

The brute force shares nothing with the allocators' indexing: it enumerates raw placements on the
grid, keeps those the checker accepts, and searches every maximal compatible set.
"""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tila.seasons.allocation import (
    SolverOptions,
    allocation_check,
    allocation_score,
    cpsat_allocate,
    greedy_allocate,
    round_from_json,
)
from tila.seasons.allocation.model import Allocation, Round

DAYS = ("mon", "tue")
TIMES = ["16:00", "16:30", "17:00", "17:30", "18:00"]


def _at(text: str, add: int) -> str:
    minutes = int(text[:2]) * 60 + int(text[3:]) + add
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def rounds(draw: st.DrawFn) -> dict:
    count = draw(st.integers(1, 4))
    resources = []
    for i in range(count):
        parent = draw(st.sampled_from([None, *[f"r{j}" for j in range(i)]]))
        days = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=2, unique=True))
        begin = draw(st.sampled_from(TIMES[:3]))
        hours = {day: [[begin, _at(begin, draw(st.sampled_from([60, 90, 120, 150])))]] for day in days}
        capacity = draw(st.sampled_from([None, 10, 20]))
        resources.append({"id": f"r{i}", "parent": parent, "capacity": capacity, "open": hours})
    sections = []
    for i in range(draw(st.integers(1, 4))):
        minimum = draw(st.sampled_from([30, 60]))
        windows = []
        for day in draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=2, unique=True)):
            begin = draw(st.sampled_from(TIMES))
            length = draw(st.sampled_from([60, 90, 120]))
            priority = draw(st.sampled_from(["primary", "secondary"]))
            windows.append({"day": day, "from": begin, "to": _at(begin, length), "priority": priority})
        sections.append(
            {
                "id": f"s{i}",
                "applicant": draw(st.sampled_from("AB")),
                "weight": draw(st.sampled_from([1.0, 1.5, 2.0])),
                "times_per_week": draw(st.integers(1, 2)),
                "min_minutes": minimum,
                "max_minutes": minimum + draw(st.sampled_from([0, 30])),
                "participants": draw(st.sampled_from([5, 15])),
                "resources": draw(
                    st.lists(st.sampled_from([r["id"] for r in resources]), min_size=1, max_size=2, unique=True)
                ),
                "suitable": windows,
            }
        )
    blocked = []
    if draw(st.booleans()):
        begin = draw(st.sampled_from(TIMES))
        blocked.append(
            {
                "resource": draw(st.sampled_from([r["id"] for r in resources])),
                "day": "mon",
                "from": begin,
                "to": _at(begin, 45),
            }
        )
    return {"slot_minutes": 30, "resources": resources, "sections": sections, "blocked": blocked}


def _raw_placements(problem: Round) -> list[Allocation]:
    found = []
    for s in problem.sections:
        for rid, day, begin in itertools.product(s.resources, range(2), range(15 * 60, 20 * 60, 30)):
            for end in range(begin + 30, 21 * 60 + 1, 30):
                candidate = Allocation(s.id, rid, day, begin, end)
                if not allocation_check(problem, [candidate]):
                    found.append(candidate)
    return found


def _brute_force_best(problem: Round, placements: list[Allocation]) -> int:
    n = len(placements)
    fits = [[not allocation_check(problem, [a, b]) for b in placements] for a in placements]
    best = 0

    def search(index: int, chosen: list[int]) -> None:
        nonlocal best
        if index == n:
            maximal = all(any(not fits[i][j] for j in chosen) for i in range(n) if i not in chosen)
            if maximal:  # every value is positive, so an optimum is a maximal compatible set
                best = max(best, allocation_score(problem, [placements[i] for i in chosen]).units)
            return
        if all(fits[index][j] for j in chosen):
            search(index + 1, [*chosen, index])
        search(index + 1, chosen)

    search(0, [])
    return best


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.filter_too_much])
@given(rounds())
def test_allocators_are_feasible_and_cpsat_is_optimal_on_tiny_rounds(data):
    problem = round_from_json(data)
    placements = _raw_placements(problem)
    assume(len(placements) <= 14)
    greedy = greedy_allocate(problem)
    cpsat = cpsat_allocate(problem, options=SolverOptions(time_limit=5, workers=1, seed=0))
    assert allocation_check(problem, greedy.allocations) == []
    assert allocation_check(problem, cpsat.allocations) == []
    assert cpsat.status == "optimal"
    best = _brute_force_best(problem, placements)
    assert allocation_score(problem, cpsat.allocations).units == best
    assert greedy.objective <= cpsat.objective
    assert cpsat.bound is not None
    assert cpsat.bound >= cpsat.objective
