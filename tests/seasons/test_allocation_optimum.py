"""Optima of small rounds computed by hand, the objective's terms, and fairness."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.seasons import HOURS_ONLY, placed, round_json, section, solve, space, window
from tila.seasons.allocation import ObjectiveWeights, allocation_score, round_from_json
from tila.seasons.allocation.model import Allocation

TWO_EVENINGS = {"mon": [["17:00", "19:00"]], "tue": [["17:00", "19:00"]]}


def test_optimum_of_one_section_over_two_days_is_exact():
    # Monday 2 h primary (2.0) + Tuesday 2 h secondary (2 × 0.5 = 1.0) + bonus 4 + 2 = 9.0.
    suitable = (window("mon", "17:00", "19:00"), window("tue", "17:00", "19:00", "secondary"))
    data = round_json([space("hall", hours=TWO_EVENINGS)], [section("s1", times=2, maximum=120, suitable=suitable)])
    _, result = solve(data)
    assert result.status == "optimal"
    assert result.objective == 9.0
    assert result.bound == 9.0
    assert result.gap == 0.0
    assert placed(result) == [("s1", "hall", 0, "17:00", "19:00"), ("s1", "hall", 1, "17:00", "19:00")]


def test_optimum_splits_the_evening_when_two_short_slots_are_worth_more():
    # 2 h of hall. s2 (weight 1.5) alone for 90 min = 2.25; s1 alone for 120 min = 2.0;
    # s1 60 min + s2 60 min = 1.0 + 1.5 = 2.5 — best; each applicant's first-slot bonus (4) on top.
    data = round_json(
        [space("hall", hours={"mon": [["17:00", "19:00"]]})],
        [
            section("s1", maximum=120, suitable=(window("mon", "17:00", "19:00"),)),
            section("s2", maximum=90, weight=1.5, suitable=(window("mon", "17:00", "19:00"),)),
        ],
    )
    _, result = solve(data)
    assert result.status == "optimal"
    assert result.objective == 10.5
    assert sorted(a.end - a.begin for a in result.allocations) == [60, 60]


def test_earlier_preferred_resource_is_chosen_and_later_ones_lose_value():
    data = round_json([space("first"), space("second")], [section("s1", resources=("first", "second"))])
    _, result = solve(data)
    assert placed(result) == [("s1", "first", 0, "17:00", "18:00")]
    assert result.objective == 5.0  # 1 h × 1.0 + first-slot bonus 4
    data["blocked"] = [{"resource": "first", "day": "mon", "from": "17:00", "to": "18:00"}]
    _, result = solve(data)
    assert placed(result) == [("s1", "second", 0, "17:00", "18:00")]
    assert result.objective == 4.85  # 1 h × (1 − 0.15) + 4


def test_primary_time_is_chosen_over_secondary_time():
    suitable = (window("mon", "17:00", "18:00", "secondary"), window("mon", "18:00", "19:00"))
    _, result = solve(round_json([space("hall")], [section("s1", suitable=suitable)]))
    assert placed(result) == [("s1", "hall", 0, "18:00", "19:00")]


def test_section_weight_decides_between_competitors():
    sections = [section("s1"), section("s2", weight=1.3), section("s3")]
    _, result = solve(round_json([space("hall")], sections, objective=HOURS_ONLY))
    assert placed(result) == [("s2", "hall", 0, "17:00", "18:00")]
    assert result.objective == 1.3


THREE_EVENINGS = {day: [["17:00", "18:00"]] for day in ("mon", "tue", "wed")}
EVERY_EVENING = tuple(window(day, "17:00", "18:00") for day in ("mon", "tue", "wed"))


def _competition(times: int, objective: dict | None = None) -> dict:
    return round_json(
        [space("hall", hours=THREE_EVENINGS)],
        [
            section("a1", applicant="A", times=times, weight=1.5, suitable=EVERY_EVENING),
            section("b1", applicant="B", times=times, suitable=EVERY_EVENING),
        ],
        objective=objective,
    )


def _per_applicant(result) -> Counter:
    return Counter({"a1": "A", "b1": "B"}[a.section] for a in result.allocations)


def test_without_fairness_the_heavier_applicant_takes_everything():
    _, result = solve(_competition(3, HOURS_ONLY))
    assert _per_applicant(result) == {"A": 3}


def test_fairness_every_applicant_gets_a_slot_before_anyone_gets_a_third():
    # Three evenings. A3 = 4.5 + 6.5 = 11.0; A2+B1 = 4.0 + 6 + 4 = 14.0; A1+B2 = 3.5 + 4 + 6 = 13.5.
    _, result = solve(_competition(3))
    assert _per_applicant(result) == {"A": 2, "B": 1}
    assert result.objective == 14.0


def test_fairness_two_applicants_competing_each_get_one_before_one_gets_two():
    data = _competition(2)
    data["resources"][0]["open"] = {"mon": [["17:00", "18:00"]], "tue": [["17:00", "18:00"]]}
    _, result = solve(data)
    assert _per_applicant(result) == {"A": 1, "B": 1}


def test_greedy_serves_first_come_first_served():
    _, result = solve(_competition(3), "greedy")
    assert _per_applicant(result) == {"A": 3}
    assert result.bound is None


def test_cpsat_is_never_worse_than_greedy():
    _, greedy = solve(_competition(3), "greedy")
    _, cpsat = solve(_competition(3))
    assert cpsat.objective > greedy.objective
    assert cpsat.stats["greedy_objective"] == greedy.objective


def test_score_counts_the_fairness_bonus_once_per_applicant_slot():
    problem = round_from_json(_competition(3))
    allocations = [Allocation("a1", "hall", day, 17 * 60, 18 * 60) for day in (0, 1, 2)]
    score = allocation_score(problem, allocations)
    assert score.units == 4500 + 4000 + 2000 + 500
    assert score.weighted_hours == 4.5
    assert score.applicants_served_share == 0.5
    assert score.primary_share == 1.0


def test_cpsat_objective_equals_the_shared_score():
    _, result = solve(_competition(3))
    assert result.stats["solver_objective"] == result.objective


@pytest.mark.parametrize(
    ("index", "factor"),
    [(0, 1.0), (1, 0.85), (2, 0.7), (3, 0.55), (4, 0.4), (9, 0.4)],
)
def test_preference_factor_falls_to_the_floor(index, factor):
    assert ObjectiveWeights().preference_factor(index) == pytest.approx(factor)
