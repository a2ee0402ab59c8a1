"""The independent checker names every broken hard rule of hand-made allocations."""

from __future__ import annotations

import pytest

from tests.seasons import round_json, section, space, window
from tila.seasons.allocation import allocation_check, round_from_json
from tila.seasons.allocation.model import Allocation

MON = 0
TUE = 1


def _round():
    return round_from_json(
        round_json(
            [
                space("hall", capacity=60, hours={"mon": [["16:00", "22:00"]], "tue": [["16:00", "22:00"]]}),
                space("hall-a", parent="hall", capacity=30, hours={"mon": [["16:00", "22:00"]]}),
                space("hall-b", parent="hall", capacity=30, hours={"mon": [["16:00", "22:00"]]}),
                space("a-1", parent="hall-a", capacity=15, hours={"mon": [["16:00", "22:00"]]}),
                space("studio", capacity=10, hours={"mon": [["16:00", "20:00"]]}),
            ],
            [
                section(
                    "s1",
                    resources=("hall-a", "hall", "hall-b", "a-1", "studio"),
                    participants=12,
                    times=2,
                    minimum=60,
                    maximum=90,
                    suitable=(window("mon", "17:00", "21:00"), window("tue", "17:00", "21:00")),
                ),
                section(
                    "s2", resources=("hall", "hall-a", "hall-b", "a-1"), suitable=(window("mon", "16:00", "22:00"),)
                ),
            ],
            blocked=[{"resource": "hall-b", "day": "mon", "from": "20:00", "to": "21:00"}],
        )
    )


def _codes(allocations):
    return sorted(v.code for v in allocation_check(_round(), allocations))


def at(sid, rid, begin, end, day=MON):
    h, m = map(int, begin.split(":"))
    h2, m2 = map(int, end.split(":"))
    return Allocation(sid, rid, day, h * 60 + m, h2 * 60 + m2)


def test_checker_accepts_a_feasible_allocation():
    allocations = [
        at("s1", "hall-a", "17:00", "18:30"),
        at("s2", "hall-b", "17:00", "18:00"),
        at("s1", "hall", "17:00", "18:00", TUE),
    ]
    assert allocation_check(_round(), allocations) == []


@pytest.mark.parametrize(
    ("allocation", "code"),
    [
        (at("nobody", "hall", "17:00", "18:00"), "unknown_section"),
        (at("s1", "nowhere", "17:00", "18:00"), "unknown_resource"),
        (at("s1", "hall", "18:00", "17:00"), "invalid_range"),
        (at("s1", "hall", "23:30", "24:30"), "invalid_range"),
        (at("s2", "studio", "17:00", "18:00"), "resource_not_requested"),
        (at("s1", "studio", "17:00", "18:00"), "capacity_exceeded"),
        (at("s1", "hall", "17:00", "17:30"), "duration_too_short"),
        (at("s1", "hall", "17:00", "19:00"), "duration_too_long"),
        (at("s1", "hall", "17:15", "18:15"), "not_aligned"),
        (at("s1", "hall-a", "17:00", "18:00", TUE), "closed"),
        (at("s1", "hall", "16:00", "17:00"), "unsuitable"),
        (at("s1", "hall-b", "20:00", "21:00"), "blocked"),
        (at("s1", "hall", "19:30", "20:30"), "blocked"),  # the whole hall contains the blocked half
    ],
)
def test_checker_names_the_broken_rule(allocation, code):
    assert _codes([allocation]) == [code]


def test_checker_finds_too_many_slots_a_week_and_two_on_one_day():
    allocations = [
        at("s2", "hall", "17:00", "18:00"),
        at("s2", "hall", "19:00", "20:00"),
    ]
    assert _codes(allocations) == ["same_day", "too_many_per_week"]


def test_checker_finds_overlap_on_one_space():
    assert _codes([at("s1", "hall", "17:00", "18:00"), at("s2", "hall", "17:30", "18:30")]) == ["overlap"]


def test_checker_finds_overlap_between_a_space_and_its_parts_at_any_depth():
    assert _codes([at("s1", "a-1", "17:00", "18:00"), at("s2", "hall", "17:30", "18:30")]) == ["overlap"]
    assert _codes([at("s1", "a-1", "17:00", "18:00"), at("s2", "hall-a", "17:30", "18:30")]) == ["overlap"]


def test_checker_lets_sibling_parts_and_touching_ranges_coexist():
    assert _codes([at("s1", "a-1", "17:00", "18:00"), at("s2", "hall-b", "17:00", "18:00")]) == []
    assert _codes([at("s1", "hall", "17:00", "18:00"), at("s2", "hall-a", "18:00", "19:00")]) == []
