"""Reading and writing the round's JSON form: validation codes, normalisation, candidates."""

from __future__ import annotations

import copy
import json

import pytest

from tests.seasons import round_json, section, space, window
from tila.core.errors import DomainError
from tila.seasons.allocation import round_from_json, round_from_text, round_to_json
from tila.seasons.allocation.model import candidates_build, duration_choices, durations


def _valid() -> dict:
    return round_json(
        [space("hall", capacity=40), space("hall-a", parent="hall", capacity=20)],
        [section("s1", resources=("hall-a", "hall"), times=2, minimum=60, maximum=90, participants=18)],
        blocked=[{"resource": "hall", "day": "mon", "from": "20:00", "to": "21:00"}],
    )


def test_round_from_json_reads_the_documented_example():
    problem = round_from_json(_valid())
    assert problem.slot_minutes == 30
    assert problem.leaves == {"hall": ("hall-a",), "hall-a": ("hall-a",)}
    assert problem.sections[0].resources == ("hall-a", "hall")
    assert problem.blocked[0].begin == 20 * 60


def test_round_json_round_trip_is_lossless():
    problem = round_from_json(_valid())
    assert round_from_json(json.loads(json.dumps(round_to_json(problem)))) == problem


def test_touching_opening_and_suitable_ranges_are_merged():
    data = _valid()
    data["resources"][0]["open"] = {"mon": [["18:00", "20:00"], ["16:00", "18:00"]]}
    data["sections"][0]["suitable"] = [window("mon", "17:00", "18:00"), window("mon", "18:00", "19:00")]
    problem = round_from_json(data)
    assert [(r.begin, r.end) for r in problem.resources[0].open] == [(16 * 60, 20 * 60)]
    assert [(u.begin, u.end) for u in problem.sections[0].suitable] == [(17 * 60, 19 * 60)]


def _set(path, value):
    def change(data):
        *parents, last = path
        target = data
        for key in parents:
            target = target[key]
        if value is KeyError:
            del target[last]
        else:
            target[last] = value

    return change


MALFORMED = [
    (_set(["resources"], "hall"), "invalid_type", "resources"),
    (_set(["sections"], KeyError), "missing_field", "sections"),
    (_set(["colour"], "blue"), "unknown_field", "colour"),
    (_set(["slot_minutes"], 7), "invalid_value", "slot_minutes"),
    (_set(["resources", 1, "id"], "hall"), "duplicate_id", "resources[1].id"),
    (_set(["resources", 1, "parent"], "attic"), "unknown_resource", "resources[1].parent"),
    (_set(["resources", 0, "parent"], "hall-a"), "resource_cycle", "resources[0].parent"),
    (_set(["resources", 0, "capacity"], 0), "invalid_value", "resources[0].capacity"),
    (_set(["resources", 0, "open", "monday"], []), "invalid_day", "resources[0].open.monday"),
    (_set(["resources", 0, "open", "mon", 0], ["16:00"]), "invalid_type", "resources[0].open.mon[0]"),
    (_set(["resources", 0, "open", "mon", 0, 1], "25:00"), "invalid_time", "resources[0].open.mon[0].1"),
    (_set(["resources", 0, "open", "mon", 0, 1], "15:00"), "invalid_range", "resources[0].open.mon[0].1"),
    (_set(["sections", 0, "times_per_week"], 8), "invalid_value", "sections[0].times_per_week"),
    (_set(["sections", 0, "times_per_week"], "2"), "invalid_type", "sections[0].times_per_week"),
    (_set(["sections", 0, "times_per_week"], True), "invalid_type", "sections[0].times_per_week"),
    (_set(["sections", 0, "max_minutes"], 30), "invalid_range", "sections[0].max_minutes"),
    (_set(["sections", 0, "weight"], -1), "invalid_value", "sections[0].weight"),
    (_set(["sections", 0, "weight"], float("nan")), "invalid_type", "sections[0].weight"),
    (_set(["sections", 0, "resources"], []), "invalid_value", "sections[0].resources"),
    (_set(["sections", 0, "resources"], ["gym"]), "unknown_resource", "sections[0].resources[0]"),
    (_set(["sections", 0, "resources"], ["hall", "hall"]), "duplicate_id", "sections[0].resources[1]"),
    (_set(["sections", 0, "applicant"], ""), "invalid_type", "sections[0].applicant"),
    (_set(["sections", 0, "suitable", 0, "day"], "someday"), "invalid_day", "sections[0].suitable[0].day"),
    (_set(["sections", 0, "suitable", 0, "from"], "5pm"), "invalid_time", "sections[0].suitable[0].from"),
    (_set(["sections", 0, "suitable", 0, "priority"], "urgent"), "invalid_value", "sections[0].suitable[0].priority"),
    (_set(["sections", 0, "suitable", 0, "to"], KeyError), "missing_field", "sections[0].suitable[0].to"),
    (_set(["blocked", 0, "resource"], "gym"), "unknown_resource", "blocked[0].resource"),
    (_set(["blocked", 0, "to"], "19:00"), "invalid_range", "blocked[0].to"),
    (_set(["objective"], {"secondary": "half"}), "invalid_type", "objective.secondary"),
    (_set(["objective"], {"tertiary": 0.1}), "unknown_field", "objective.tertiary"),
    (_set(["objective"], {"applicant_bonus": [1, 2]}), "invalid_value", "objective.applicant_bonus"),
]


@pytest.mark.parametrize(("change", "code", "field"), MALFORMED)
def test_malformed_round_is_answered_with_a_code_and_the_path(change, code, field):
    data = copy.deepcopy(_valid())
    change(data)
    with pytest.raises(DomainError) as caught:
        round_from_json(data)
    assert (caught.value.code, caught.value.field) == (code, field)
    assert caught.value.message


def test_text_that_is_not_json_is_answered_with_invalid_json():
    with pytest.raises(DomainError) as caught:
        round_from_text("{not json")
    assert caught.value.code == "invalid_json"


def test_duplicate_section_id_is_rejected():
    data = _valid()
    data["sections"].append(copy.deepcopy(data["sections"][0]))
    with pytest.raises(DomainError) as caught:
        round_from_json(data)
    assert (caught.value.code, caught.value.field) == ("duplicate_id", "sections[1].id")


def test_objective_weights_come_from_the_round():
    data = _valid()
    data["objective"] = {"secondary": 0.25, "applicant_bonus": [3, 1]}
    weights = round_from_json(data).objective
    assert (weights.secondary, weights.applicant_bonus, weights.primary) == (0.25, (3.0, 1.0), 1.0)


def test_durations_are_every_slot_multiple_between_minimum_and_maximum():
    problem = round_from_json(_valid())
    assert durations(problem.sections[0], 30) == [60, 90]
    odd = round_from_json(round_json([space("hall")], [section("s1", minimum=45, maximum=100)]))
    assert durations(odd.sections[0], 30) == [60, 90]


def test_wide_duration_requests_are_tried_at_four_spread_durations():
    wide = round_from_json(round_json([space("hall")], [section("s1", minimum=60, maximum=240)])).sections[0]
    assert durations(wide, 30) == [60, 90, 120, 150, 180, 210, 240]
    assert duration_choices(wide, 30) == [60, 120, 180, 240]
    usual = round_from_json(round_json([space("hall")], [section("s1", minimum=60, maximum=120)])).sections[0]
    assert duration_choices(usual, 30) == [60, 90, 120]


def test_candidates_are_pruned_to_open_suitable_unblocked_fitting_placements():
    data = round_json(
        [space("hall", capacity=40), space("hall-a", parent="hall", capacity=20), space("tiny", capacity=5)],
        [section("s1", resources=("tiny", "hall-a", "hall"), minimum=60, maximum=90, participants=18)],
        blocked=[{"resource": "hall-a", "day": "mon", "from": "17:30", "to": "18:00"}],
    )
    data["sections"][0]["suitable"] = [window("mon", "17:00", "19:00")]
    _, candidates = candidates_build(round_from_json(data))
    found = sorted((c.resource, c.begin, c.end) for c in candidates[0])
    # tiny is too small; hall-a and (through it) hall are blocked 17:30–18:00.
    assert found == [("hall", 18 * 60, 19 * 60), ("hall-a", 18 * 60, 19 * 60)]
