"""The first-come-first-served baseline allocator.

Sections are served in the order they appear in the round (the order applications arrived). Each
section takes, one weekly slot at a time, the most valuable placement still free (primary time
before secondary, earlier preferred resource before later, longer before shorter, then earlier day
and time), on a day it does not hold yet, until it has `times_per_week` slots or nothing fits.
This is roughly what a person does with a paper calendar; it is also the CP-SAT solver's hint.
"""

from __future__ import annotations

import time

from tila.seasons.allocation.model import Allocation, Candidate, Grid, Result, Round, candidates_build
from tila.seasons.allocation.objective import allocation_score


def _order(candidate: Candidate) -> tuple[int, int, int]:
    return (-candidate.value, candidate.day, candidate.begin)


class Board:
    """The week being filled: occupied cells and each section's days."""

    def __init__(self, round: Round) -> None:
        self.round = round
        self.taken: set[int] = set()
        self.days: dict[int, set[int]] = {}
        self.chosen: list[Candidate] = []

    def take(self, candidate: Candidate) -> bool:
        """Place `candidate` if the hard rules still allow it."""
        days = self.days.setdefault(candidate.section, set())
        full = len(days) >= self.round.sections[candidate.section].times_per_week
        if full or candidate.day in days or self.taken.intersection(candidate.cells):
            return False
        self.taken.update(candidate.cells)
        days.add(candidate.day)
        self.chosen.append(candidate)
        return True

    def fill(self, candidates: list[list[Candidate]]) -> list[Candidate]:
        """Serve the sections in order, each with its best free placements; return all chosen."""
        for options in candidates:
            for candidate in sorted(options, key=_order):
                self.take(candidate)
        return self.chosen


def greedy_choose(round: Round, candidates: list[list[Candidate]]) -> list[Candidate]:
    """First come, first served: the chosen candidates."""
    return Board(round).fill(candidates)


def rounding_choose(round: Round, candidates: list[list[Candidate]], fractions: list[float]) -> list[Candidate]:
    """Round a fractional (LP) solution: take placements by falling fraction, then fill greedily.

    `fractions` follows the candidates flattened section by section.
    """
    flat = [c for options in candidates for c in options]
    board = Board(round)
    for i in sorted(range(len(flat)), key=lambda i: (-fractions[i], -flat[i].value)):
        if fractions[i] < 1e-6:
            break
        board.take(flat[i])
    return board.fill(candidates)


def greedy_allocate(round: Round, *, prepared: tuple[Grid, list[list[Candidate]]] | None = None) -> Result:
    """Allocate `round` first come, first served. Always feasible; no bound."""
    started = time.perf_counter()
    _grid, candidates = prepared or candidates_build(round)
    allocations: list[Allocation] = [c.allocation(round) for c in greedy_choose(round, candidates)]
    score = allocation_score(round, allocations)
    return Result(
        status="feasible",
        allocations=allocations,
        objective=score.objective,
        bound=None,
        gap=None,
        stats={
            "solver": "greedy",
            "candidates": sum(len(c) for c in candidates),
            "seconds": round_seconds(time.perf_counter() - started),
            "score": score.to_json(),
        },
    )


def round_seconds(value: float) -> float:
    return float(f"{value:.3f}")
