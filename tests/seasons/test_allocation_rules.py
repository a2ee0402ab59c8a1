"""Each hard rule on a small hand-made round, for both allocators; the independent checker verifies
every result (see tests.seasons.solve)."""

from __future__ import annotations

import pytest

from tests.seasons import HOURS_ONLY, placed, round_json, section, solve, space, window

SOLVERS = ["cpsat", "greedy"]


@pytest.mark.parametrize("solver", SOLVERS)
def test_allocation_stays_inside_opening_hours(solver):
    data = round_json(
        [space("hall", hours={"mon": [["17:00", "18:00"]]})],
        [section("s1", suitable=(window("mon", "16:00", "20:00"),), minimum=60, maximum=120)],
    )
    _, result = solve(data, solver)
    assert placed(result) == [("s1", "hall", 0, "17:00", "18:00")]


@pytest.mark.parametrize("solver", SOLVERS)
def test_allocation_stays_inside_one_suitable_range(solver):
    data = round_json(
        [space("hall")],
        [section("s1", suitable=(window("mon", "18:30", "20:00"),), minimum=60, maximum=120)],
    )
    _, result = solve(data, solver)
    assert placed(result) == [("s1", "hall", 0, "18:30", "20:00")]


@pytest.mark.parametrize("solver", SOLVERS)
def test_allocation_does_not_straddle_two_suitable_ranges_of_different_priority(solver):
    # 17–18 primary and 18–19 secondary: a 90-minute slot would need both, so it is not possible.
    suitable = (window("mon", "17:00", "18:00"), window("mon", "18:00", "19:00", "secondary"))
    data = round_json([space("hall")], [section("s1", suitable=suitable, minimum=90, maximum=90)])
    _, result = solve(data, solver)
    assert result.allocations == []


@pytest.mark.parametrize("solver", SOLVERS)
def test_allocation_takes_the_longest_duration_that_fits(solver):
    data = round_json(
        [space("hall")],
        [section("s1", suitable=(window("mon", "17:00", "20:00"),), minimum=60, maximum=120)],
    )
    _, result = solve(data, solver)
    assert [a.end - a.begin for a in result.allocations] == [120]


@pytest.mark.parametrize("solver", SOLVERS)
def test_allocation_uses_a_duration_between_minimum_and_maximum(solver):
    # Only 17:30–19:00 is free: 90 minutes, neither the minimum (60) nor the maximum (120).
    data = round_json(
        [space("hall")],
        [section("s1", suitable=(window("mon", "17:00", "20:00"),), minimum=60, maximum=120)],
        blocked=[
            {"resource": "hall", "day": "mon", "from": "17:00", "to": "17:30"},
            {"resource": "hall", "day": "mon", "from": "19:00", "to": "20:00"},
        ],
    )
    _, result = solve(data, solver)
    assert placed(result) == [("s1", "hall", 0, "17:30", "19:00")]


@pytest.mark.parametrize("solver", SOLVERS)
def test_allocation_below_the_minimum_duration_is_never_made(solver):
    data = round_json(
        [space("hall", hours={"mon": [["17:00", "17:30"]]})],
        [section("s1", minimum=60, maximum=90, suitable=(window("mon", "16:00", "20:00"),))],
    )
    _, result = solve(data, solver)
    assert result.allocations == []


@pytest.mark.parametrize("solver", SOLVERS)
def test_allocation_gives_at_most_one_slot_a_day_and_times_per_week_in_all(solver):
    suitable = (
        window("mon", "17:00", "18:00"),
        window("mon", "20:00", "21:00"),
        window("tue", "17:00", "18:00"),
        window("wed", "17:00", "18:00"),
    )
    hours = {day: [["16:00", "22:00"]] for day in ("mon", "tue", "wed")}
    data = round_json([space("hall", hours=hours)], [section("s1", times=2, suitable=suitable)])
    _, result = solve(data, solver)
    days = [a.day for a in result.allocations]
    assert len(days) == 2
    assert len(set(days)) == 2


@pytest.mark.parametrize("solver", SOLVERS)
def test_allocation_respects_capacity(solver):
    data = round_json(
        [space("small", capacity=20), space("big", capacity=30)],
        [section("s1", resources=("small", "big"), participants=25)],
    )
    _, result = solve(data, solver)
    assert [a.resource for a in result.allocations] == ["big"]


@pytest.mark.parametrize("solver", SOLVERS)
def test_allocation_leaves_a_section_without_a_fitting_space_empty(solver):
    data = round_json([space("small", capacity=20)], [section("s1", resources=("small",), participants=21)])
    _, result = solve(data, solver)
    assert result.allocations == []


@pytest.mark.parametrize("solver", SOLVERS)
def test_allocation_never_overlaps_on_one_resource(solver):
    data = round_json([space("hall")], [section("s1"), section("s2"), section("s3")])
    _, result = solve(data, solver)
    assert len(result.allocations) == 1


@pytest.mark.parametrize("solver", SOLVERS)
def test_allocation_respects_blocked_ranges(solver):
    data = round_json(
        [space("hall")],
        [section("s1", suitable=(window("mon", "17:00", "19:00"),))],
        blocked=[{"resource": "hall", "day": "mon", "from": "17:00", "to": "18:15"}],
    )
    _, result = solve(data, solver)
    assert result.allocations == []


def _divisible() -> list[dict]:
    return [space("hall", capacity=60), space("hall-a", parent="hall"), space("hall-b", parent="hall")]


@pytest.mark.parametrize("solver", SOLVERS)
def test_blocked_whole_hall_blocks_its_halves(solver):
    data = round_json(
        _divisible(),
        [section("s1", resources=("hall-a",))],
        blocked=[{"resource": "hall", "day": "mon", "from": "17:00", "to": "18:00"}],
    )
    _, result = solve(data, solver)
    assert result.allocations == []


@pytest.mark.parametrize("solver", SOLVERS)
def test_blocked_half_blocks_the_whole_hall_but_not_the_other_half(solver):
    data = round_json(
        _divisible(),
        [section("s1", resources=("hall",)), section("s2", resources=("hall-b",))],
        blocked=[{"resource": "hall-a", "day": "mon", "from": "17:00", "to": "18:00"}],
    )
    _, result = solve(data, solver)
    assert placed(result) == [("s2", "hall-b", 0, "17:00", "18:00")]


@pytest.mark.parametrize("solver", SOLVERS)
def test_two_halves_are_used_at_the_same_time_but_not_with_the_whole_hall(solver):
    sections = [
        section("whole", resources=("hall",), participants=40),
        section("a", resources=("hall-a",)),
        section("b", resources=("hall-b",)),
    ]
    _, result = solve(round_json(_divisible(), sections), solver)
    resources = sorted(a.resource for a in result.allocations)
    assert resources in (["hall"], ["hall-a", "hall-b"])


def test_two_halves_beat_the_whole_hall_when_worth_more():
    sections = [
        section("whole", resources=("hall",), participants=40),
        section("a", resources=("hall-a",)),
        section("b", resources=("hall-b",)),
    ]
    _, result = solve(round_json(_divisible(), sections, objective=HOURS_ONLY))
    assert placed(result) == [("a", "hall-a", 0, "17:00", "18:00"), ("b", "hall-b", 0, "17:00", "18:00")]
    assert result.objective == 2.0


def test_whole_hall_beats_two_halves_when_worth_more():
    sections = [
        section("whole", resources=("hall",), participants=40, weight=3.0),
        section("a", resources=("hall-a",)),
        section("b", resources=("hall-b",)),
    ]
    _, result = solve(round_json(_divisible(), sections, objective=HOURS_ONLY))
    assert placed(result) == [("whole", "hall", 0, "17:00", "18:00")]
    assert result.objective == 3.0


@pytest.mark.parametrize("solver", SOLVERS)
def test_nested_spaces_block_each_other_at_any_depth(solver):
    # hall > half-a > quarter-a1 and quarter-a2; hall > half-b. Quarter a1 and half b can share the
    # hour; the whole hall and half a cannot share it with quarter a1.
    resources = [
        space("hall"),
        space("half-a", parent="hall"),
        space("half-b", parent="hall"),
        space("q-a1", parent="half-a"),
        space("q-a2", parent="half-a"),
    ]
    sections = [
        section("q", resources=("q-a1",), weight=2.0),
        section("b", resources=("half-b",), weight=2.0),
        section("whole", resources=("hall",)),
        section("half", resources=("half-a",)),
    ]
    _, result = solve(round_json(resources, sections, objective=HOURS_ONLY), solver)
    assert placed(result) == [("b", "half-b", 0, "17:00", "18:00"), ("q", "q-a1", 0, "17:00", "18:00")]
