"""The CP-SAT allocator (OR-Tools).

Formulation (the reasons are in docs/allocation.md):

* one Boolean per pruned candidate placement (section, resource, day, start, duration) — see
  `model.candidates_build`; nothing the hard rules forbid is ever a variable;
* per section: at most one placement per day, at most `times_per_week` in all;
* per (leaf space, day, grid slot) cell: at most one of the placements covering it. A placement
  on a hall covers the cells of all its leaf parts, so a hall and its halves exclude each other and
  two halves do not. Identical cell constraints are emitted once, and a cell whose placements are a
  subset of its neighbouring cell's on the same leaf and day is dropped (it is implied);
* fairness: per applicant, ordered Booleans y1 ≥ y2 ≥ … ≥ yK with Σy ≤ (applicant's slots), each
  earning the non-increasing bonus of objective.ObjectiveWeights.applicant_bonus — a concave
  utility in the number of slots; the ordering removes the symmetry between the y's;
* before CP-SAT, the LP relaxation of the same model is solved with GLOP: it gives an upper bound
  (often tighter than CP-SAT's own within the time limit) and fractional values that are rounded
  greedily into a feasible allocation; the better of that and the greedy baseline is the complete
  hint, so the search starts from a good timetable;
* the reported bound is the smaller of the LP bound and CP-SAT's, the gap is (bound − objective) /
  bound, and an objective that reaches the bound is reported `optimal`.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from tila.seasons.allocation.control import Progress, ProgressCallback, SolverOptions, StopHandle
from tila.seasons.allocation.greedy import greedy_choose, round_seconds, rounding_choose
from tila.seasons.allocation.model import Allocation, Candidate, Grid, Result, Round, candidates_build
from tila.seasons.allocation.objective import allocation_score


@dataclass
class _Built:
    round: Round
    model: cp_model.CpModel
    placements: list[tuple[Candidate, cp_model.IntVar]] = field(default_factory=list)
    bonus: list[tuple[str, int, cp_model.IntVar]] = field(default_factory=list)
    """(applicant, k, y_k)."""
    terms: list[tuple[cp_model.IntVar, int]] = field(default_factory=list)
    cell_constraints: int = 0

    @property
    def scale(self) -> int:
        return self.round.objective.scale


def _add_sections(built: _Built, round: Round, candidates: list[list[Candidate]]) -> dict[int, list[cp_model.IntVar]]:
    """Placement variables and the per-section rules; returns the variables by cell."""
    model = built.model
    by_cell: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for index, options in enumerate(candidates):
        per_day: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for candidate in options:
            var = model.new_bool_var("")
            built.placements.append((candidate, var))
            built.terms.append((var, candidate.value))
            per_day[candidate.day].append(var)
            for cell in candidate.cells:
                by_cell[cell].append(var)
        for same_day in per_day.values():
            if len(same_day) > 1:
                model.add_at_most_one(same_day)
        if round.sections[index].times_per_week < len(per_day):
            model.add(sum(v for vs in per_day.values() for v in vs) <= round.sections[index].times_per_week)
    return by_cell


def _add_cells(built: _Built, grid: Grid, by_cell: dict[int, list[cp_model.IntVar]]) -> None:
    """At most one placement per (leaf, day, slot), without duplicate or implied constraints."""
    keyed = {cell: tuple(sorted(v.index for v in vs)) for cell, vs in by_cell.items() if len(vs) > 1}
    variables = {v.index: v for vs in by_cell.values() for v in vs}
    emitted: set[tuple[int, ...]] = set()
    for cell, key in sorted(keyed.items()):
        if key in emitted or _implied(grid, keyed, cell, key):
            continue
        emitted.add(key)
        built.model.add_at_most_one([variables[i] for i in key])
    built.cell_constraints = len(emitted)


def _implied(grid: Grid, keyed: dict[int, tuple[int, ...]], cell: int, key: tuple[int, ...]) -> bool:
    """True when the next or previous slot of the same leaf and day holds a strict superset."""
    _leaf, _day, slot = grid.describe(cell)
    for neighbour in (cell - 1, cell + 1):
        other = keyed.get(neighbour)
        in_day = 0 <= slot + (neighbour - cell) < grid.per_day
        if in_day and other is not None and len(other) > len(key) and set(key) <= set(other):
            return True
    return False


def _add_fairness(built: _Built, round: Round, candidates: list[list[Candidate]]) -> None:
    bonus = round.objective.bonus_units()
    slots: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    reachable: dict[str, int] = defaultdict(int)
    for candidate, var in built.placements:
        slots[round.sections[candidate.section].applicant].append(var)
    for index, options in enumerate(candidates):
        section = round.sections[index]
        reachable[section.applicant] += min(section.times_per_week, len({c.day for c in options}))
    for applicant, variables in slots.items():
        ys = [built.model.new_bool_var("") for _ in range(min(len(bonus), reachable[applicant]))]
        built.model.add(sum(ys) <= sum(variables))
        for k, y in enumerate(ys):
            built.bonus.append((applicant, k, y))
            built.terms.append((y, bonus[k]))
            if k:
                built.model.add_implication(y, ys[k - 1])


def _add_hint(built: _Built, round: Round, chosen: list[Candidate]) -> None:
    picked = {id(c) for c in chosen}
    counts: dict[str, int] = defaultdict(int)
    for candidate in chosen:
        counts[round.sections[candidate.section].applicant] += 1
    for candidate, var in built.placements:
        built.model.add_hint(var, id(candidate) in picked)
    for applicant, k, y in built.bonus:
        built.model.add_hint(y, k < counts[applicant])


def _build(round: Round, grid: Grid, candidates: list[list[Candidate]], chosen: list[Candidate] | None) -> _Built:
    built = _Built(round=round, model=cp_model.CpModel())
    by_cell = _add_sections(built, round, candidates)
    _add_cells(built, grid, by_cell)
    _add_fairness(built, round, candidates)
    built.model.maximize(cp_model.LinearExpr.weighted_sum([v for v, _ in built.terms], [c for _, c in built.terms]))
    if chosen is not None:
        _add_hint(built, round, chosen)
    return built


@dataclass
class Relaxation:
    """The LP relaxation of the same model: an upper bound and fractional values per candidate."""

    bound: float | None = None
    """In objective units; None when the LP was not solved to optimality."""
    fractions: list[float] = field(default_factory=list)
    seconds: float = 0.0


def _lp_rows(solver: pywraplp.Solver, groups: list[list[pywraplp.Variable]], limit: float) -> None:
    for group in groups:
        row = solver.Constraint(0, limit)
        for var in group:
            row.SetCoefficient(var, 1)


def lp_relaxation(round: Round, candidates: list[list[Candidate]], *, time_limit: float) -> Relaxation:
    """Solve the LP relaxation with GLOP (x in [0, 1]; same rows as the CP-SAT model)."""
    started = time.perf_counter()
    solver = pywraplp.Solver.CreateSolver("GLOP")
    solver.SetTimeLimit(max(1, int(time_limit * 1000)))
    objective = solver.Objective()
    xs: list[pywraplp.Variable] = []
    by_cell: dict[int, list[pywraplp.Variable]] = defaultdict(list)
    by_applicant: dict[str, list[pywraplp.Variable]] = defaultdict(list)
    for index, options in enumerate(candidates):
        per_day: dict[int, list[pywraplp.Variable]] = defaultdict(list)
        for candidate in options:
            x = solver.NumVar(0, 1, "")
            objective.SetCoefficient(x, candidate.value)
            xs.append(x)
            per_day[candidate.day].append(x)
            by_applicant[round.sections[index].applicant].append(x)
            for cell in candidate.cells:
                by_cell[cell].append(x)
        _lp_rows(solver, [vs for vs in per_day.values() if len(vs) > 1], 1)
        _lp_rows(solver, [[x for vs in per_day.values() for x in vs]], round.sections[index].times_per_week)
    _lp_rows(solver, [vs for vs in by_cell.values() if len(vs) > 1], 1)
    bonus = round.objective.bonus_units()
    for variables in by_applicant.values():
        row = solver.Constraint(-solver.infinity(), 0)
        for units in bonus:
            y = solver.NumVar(0, 1, "")
            objective.SetCoefficient(y, units)
            row.SetCoefficient(y, 1)
        for x in variables:
            row.SetCoefficient(x, -1)
    objective.SetMaximization()
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return Relaxation(seconds=time.perf_counter() - started)
    value = objective.Value()
    return Relaxation(
        bound=value + 1e-6 * abs(value) + 1e-3,  # a hair above, against floating-point tolerance
        fractions=[x.solution_value() for x in xs],
        seconds=time.perf_counter() - started,
    )


class _Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(self, scale: int, callback: ProgressCallback) -> None:
        super().__init__()
        self._scale = scale
        self._callback = callback

    def on_solution_callback(self) -> None:
        progress = Progress(
            seconds=self.wall_time,
            objective=self.objective_value / self._scale,
            bound=self.best_objective_bound / self._scale,
        )
        if not self._callback(progress):
            self.stop_search()


_STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
}


def relative_gap(objective: float, bound: float | None) -> float | None:
    """(bound − objective) / bound, 0 when both are 0."""
    if bound is None:
        return None
    if bound <= 0:
        return 0.0
    return max(0.0, (bound - objective) / bound)


def _solver(options: SolverOptions, seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = options.workers
    solver.parameters.random_seed = options.seed
    solver.parameters.log_search_progress = options.log
    return solver


def _units(round: Round, chosen: list[Candidate]) -> int:
    return allocation_score(round, [c.allocation(round) for c in chosen]).units


@dataclass
class _Start:
    greedy: list[Candidate]
    hint: list[Candidate]
    source: str
    relaxation: Relaxation


def _start(round: Round, candidates: list[list[Candidate]], options: SolverOptions) -> _Start:
    greedy = greedy_choose(round, candidates)
    if not options.lp:
        return _Start(greedy, greedy, "greedy", Relaxation())
    relaxation = lp_relaxation(round, candidates, time_limit=options.time_limit / 3)
    if relaxation.bound is None:
        return _Start(greedy, greedy, "greedy", relaxation)
    rounded = rounding_choose(round, candidates, relaxation.fractions)
    if _units(round, rounded) > _units(round, greedy):
        return _Start(greedy, rounded, "lp_rounding", relaxation)
    return _Start(greedy, greedy, "greedy", relaxation)


def _stats(
    built: _Built, start: _Start, solver: cp_model.CpSolver, code: cp_model.CpSolverStatus, options: SolverOptions
) -> dict:
    scale = built.scale
    lp_bound = start.relaxation.bound
    return {
        "solver": "cpsat",
        "solver_status": solver.status_name(code),
        "candidates": len(built.placements),
        "cell_constraints": built.cell_constraints,
        "variables": len(built.model.proto.variables),
        "constraints": len(built.model.proto.constraints),
        "lp_bound": None if lp_bound is None else lp_bound / scale,
        "lp_seconds": round_seconds(start.relaxation.seconds),
        "greedy_objective": _units(built.round, start.greedy) / scale,
        "hint_source": start.source,
        "hint_objective": _units(built.round, start.hint) / scale,
        "solve_seconds": round_seconds(solver.wall_time),
        "branches": solver.num_branches,
        "conflicts": solver.num_conflicts,
        "workers": options.workers,
        "seed": options.seed,
        "time_limit": options.time_limit,
    }


def cpsat_allocate(
    round: Round,
    *,
    options: SolverOptions | None = None,
    on_progress: ProgressCallback | None = None,
    stop: StopHandle | None = None,
) -> Result:
    """Allocate `round` with CP-SAT within `options.time_limit` seconds in all.

    Falls back to the starting (greedy or LP-rounded) allocation if CP-SAT finds no solution.
    `stop` lets another thread end the search early (the best allocation so far is returned).
    """
    options = options or SolverOptions()
    started = time.perf_counter()
    grid, candidates = candidates_build(round)
    start = _start(round, candidates, options)
    built = _build(round, grid, candidates, start.hint if options.hint else None)
    prepared = time.perf_counter() - started
    reserve = min(0.5, 0.02 * options.time_limit)  # extracting and scoring the solution
    solver = _solver(options, max(0.1, options.time_limit - prepared - reserve))
    callback = _Watcher(round.objective.scale, on_progress) if on_progress else None
    if stop is not None:
        stop.attach(solver)
    try:
        code = solver.solve(built.model, callback)
    finally:
        if stop is not None:
            stop.detach()
    stats = _stats(built, start, solver, code, options)
    stats["build_seconds"] = round_seconds(prepared)
    stats["seconds"] = round_seconds(time.perf_counter() - started)
    status = _STATUS.get(code, "unknown")
    allocations = [c.allocation(round) for c in start.hint]
    bounds = [b for b in (start.relaxation.bound,) if b is not None]
    if status in ("optimal", "feasible"):
        values = solver.response_proto.solution
        allocations = [c.allocation(round) for c, v in built.placements if values[v.index]]
        bounds.append(solver.best_objective_bound)
        stats["solver_objective"] = solver.objective_value / round.objective.scale
    elif status == "unknown":  # no solution in time: the starting one is still feasible
        status = "feasible"
        stats["fallback"] = start.source
    else:
        allocations = []
    return _result(round, status, allocations, min(bounds) if bounds else None, stats)


def _result(round: Round, status: str, allocations: list[Allocation], bound: float | None, stats: dict) -> Result:
    """The result; `bound` in units. Proven optimal also when the objective reaches the LP bound."""
    score = allocation_score(round, allocations)
    stats["score"] = score.to_json()
    if bound is not None and status == "feasible" and score.units >= math.floor(bound):
        status = "optimal"
    scaled = None if bound is None else max(score.objective, math.floor(bound) / round.objective.scale)
    return Result(
        status=status,
        allocations=allocations,
        objective=score.objective,
        bound=scaled,
        gap=relative_gap(score.objective, scaled),
        stats=stats,
    )
