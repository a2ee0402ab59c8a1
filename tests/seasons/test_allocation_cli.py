"""`tila allocate`: JSON file in, JSON file out, clear errors."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from tests.seasons import round_json, section, space, window
from tila.seasons.allocation import allocation_check, allocations_from_json, round_from_json


def _round() -> dict:
    hours = {"mon": [["16:00", "22:00"]], "tue": [["16:00", "22:00"]]}
    return round_json(
        [space("hall", capacity=40, hours=hours), space("hall-a", parent="hall", capacity=20, hours=hours)],
        [
            section(
                "s1",
                applicant="club-7",
                resources=("hall-a", "hall"),
                times=2,
                minimum=60,
                maximum=90,
                participants=18,
                suitable=(window("mon", "17:00", "20:00"), window("tue", "17:00", "19:00", "secondary")),
            ),
            section(
                "s2", applicant="club-8", participants=30, maximum=120, suitable=(window("mon", "17:00", "20:00"),)
            ),
        ],
    )


def _run(tmp_path, data, *args):
    source = tmp_path / "round.json"
    target = tmp_path / "result.json"
    source.write_text(json.dumps(data) if isinstance(data, dict) else data)
    call_command("allocate", "--input", str(source), "--output", str(target), "--workers", "1", *args)
    return json.loads(target.read_text())


@pytest.mark.parametrize("solver", ["cpsat", "greedy"])
def test_allocate_writes_a_feasible_result(tmp_path, solver):
    result = _run(tmp_path, _round(), "--time-limit", "5", "--seed", "3", "--solver", solver)
    assert set(result) == {"status", "allocations", "objective", "bound", "gap", "stats"}
    assert result["allocations"]
    assert set(result["allocations"][0]) == {"section", "resource", "day", "begin", "end"}
    problem = round_from_json(_round())
    assert allocation_check(problem, allocations_from_json(result["allocations"])) == []
    if solver == "cpsat":
        assert result["status"] == "optimal"
        assert result["gap"] == 0.0
    else:
        assert (result["status"], result["bound"]) == ("feasible", None)


def test_allocate_takes_objective_weights_from_the_command_line(tmp_path):
    plain = _run(tmp_path, _round(), "--time-limit", "5")
    no_bonus = _run(tmp_path, _round(), "--time-limit", "5", "--objective", '{"applicant_bonus": []}')
    assert plain["objective"] - no_bonus["objective"] == pytest.approx(4 + 2 + 4)


def test_allocate_names_the_code_and_path_of_bad_input(tmp_path):
    data = _round()
    data["sections"][0]["suitable"][0]["from"] = "5 pm"
    with pytest.raises(CommandError, match=r"invalid_time at sections\[0\]\.suitable\[0\]\.from"):
        _run(tmp_path, data)


def test_allocate_rejects_text_that_is_not_json(tmp_path):
    with pytest.raises(CommandError, match="invalid_json"):
        _run(tmp_path, "{oops")


def test_allocate_reports_a_missing_input_file(tmp_path):
    with pytest.raises(CommandError, match="unreadable_input"):
        call_command("allocate", "--input", str(tmp_path / "missing.json"))


def test_allocate_rejects_a_bad_time_limit(tmp_path):
    with pytest.raises(CommandError, match="invalid_value"):
        _run(tmp_path, _round(), "--time-limit", "0")
