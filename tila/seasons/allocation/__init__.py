"""The pure allocation engine of seasonal application rounds (issue 9).

Django-independent: a `Round` (plain dataclasses, see `model`) goes in, a `Result` comes out.
`allocation_solve` is the one entry point used by the `tila allocate` command and, later, by the
staff workspace; `allocation_check` is the independent feasibility checker; `allocation_score`
measures any allocation with the documented objective. See docs/allocation.md.
"""

from __future__ import annotations

from typing import Any

from tila.seasons.allocation.checker import Violation, allocation_check
from tila.seasons.allocation.control import Progress, ProgressCallback, SolverOptions, StopHandle
from tila.seasons.allocation.greedy import greedy_allocate
from tila.seasons.allocation.model import (
    Allocation,
    Result,
    Round,
    allocations_from_json,
    result_to_json,
    round_from_json,
    round_from_text,
    round_to_json,
)
from tila.seasons.allocation.objective import ObjectiveWeights, Score, allocation_score, weights_from_json

SOLVERS = ("cpsat", "greedy")


def allocation_solve(
    *,
    round: Round,
    solver: str = "cpsat",
    options: SolverOptions | None = None,
    on_progress: ProgressCallback | None = None,
    stop: StopHandle | None = None,
) -> Result:
    """Allocate `round` with the named solver; the result is feasible by construction.

    `stop` (CP-SAT only; the greedy allocator takes well under a second) ends the search early."""
    if solver == "greedy":
        return greedy_allocate(round)
    if solver != "cpsat":
        from django.utils.translation import gettext_lazy as _

        from tila.core.errors import DomainError

        raise DomainError("invalid_value", _("Unknown solver %(solver)s."), field="solver", solver=solver)
    from tila.seasons.allocation.cpsat import cpsat_allocate  # OR-Tools only where a run happens

    return cpsat_allocate(round, options=options, on_progress=on_progress, stop=stop)


def __getattr__(name: str) -> Any:
    if name == "cpsat_allocate":
        from tila.seasons.allocation.cpsat import cpsat_allocate

        return cpsat_allocate
    raise AttributeError(name)


__all__ = [
    "SOLVERS",
    "Allocation",
    "ObjectiveWeights",
    "Progress",
    "Result",
    "Round",
    "Score",
    "SolverOptions",
    "StopHandle",
    "Violation",
    "allocation_check",
    "allocation_score",
    "allocation_solve",
    "allocations_from_json",
    "cpsat_allocate",
    "greedy_allocate",
    "result_to_json",
    "round_from_json",
    "round_from_text",
    "round_to_json",
    "weights_from_json",
]
