"""Small builders for hand-made allocation rounds (JSON form) shared by the allocation tests."""

from __future__ import annotations

import copy
from typing import Any

from tila.seasons.allocation import (
    Result,
    Round,
    SolverOptions,
    allocation_check,
    allocation_score,
    allocation_solve,
    round_from_json,
)

EVENING = {"mon": [["16:00", "22:00"]]}


def space(rid: str, *, parent: str | None = None, capacity: int | None = None, hours: Any = None) -> dict[str, Any]:
    return {
        "id": rid,
        "parent": parent,
        "capacity": capacity,
        "open": copy.deepcopy(EVENING if hours is None else hours),
    }


def window(day: str, begin: str, end: str, priority: str = "primary") -> dict[str, str]:
    return {"day": day, "from": begin, "to": end, "priority": priority}


def section(
    sid: str,
    *,
    applicant: str | None = None,
    resources: tuple[str, ...] = ("hall",),
    suitable: tuple[dict[str, str], ...] = (),
    times: int = 1,
    minimum: int = 60,
    maximum: int | None = None,
    participants: int = 10,
    weight: float = 1.0,
) -> dict[str, Any]:
    return {
        "id": sid,
        "applicant": applicant or f"club-{sid}",
        "weight": weight,
        "times_per_week": times,
        "min_minutes": minimum,
        "max_minutes": minimum if maximum is None else maximum,
        "participants": participants,
        "resources": list(resources),
        "suitable": list(suitable) or [window("mon", "17:00", "18:00")],
    }


def round_json(
    resources: list[dict[str, Any]],
    sections: list[dict[str, Any]],
    *,
    blocked: list[dict[str, str]] | None = None,
    objective: dict[str, Any] | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {"slot_minutes": 30, "resources": resources, "sections": sections}
    if blocked:
        data["blocked"] = blocked
    if objective is not None:
        data["objective"] = objective
    return data


HOURS_ONLY = {"applicant_bonus": []}
"""Objective without the fairness bonus: plain weighted hours (easy to compute by hand)."""


def solve(data: dict[str, Any], solver: str = "cpsat", *, time_limit: float = 5.0) -> tuple[Round, Result]:
    """Solve with one worker and a fixed seed; every result must pass the independent checker."""
    problem = round_from_json(data)
    options = SolverOptions(time_limit=time_limit, seed=1, workers=1)
    result = allocation_solve(round=problem, solver=solver, options=options)
    assert allocation_check(problem, result.allocations) == []
    assert allocation_score(problem, result.allocations).objective == result.objective
    return problem, result


def placed(result: Result) -> list[tuple[str, str, int, str, str]]:
    """(section, resource, day, begin, end) tuples, sorted, times as HH:MM."""
    return sorted(
        (a.section, a.resource, a.day, f"{a.begin // 60:02d}:{a.begin % 60:02d}", f"{a.end // 60:02d}:{a.end % 60:02d}")
        for a in result.allocations
    )
