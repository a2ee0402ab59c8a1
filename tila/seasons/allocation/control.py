"""What callers need to drive the CP-SAT allocator, without importing OR-Tools.

OR-Tools (and the numerical libraries it brings) costs about 100 MB per process, so the web and API
processes import only this module; the solver itself is imported where a run actually happens.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SolverOptions:
    time_limit: float = 60.0
    """Total seconds for the whole allocation (candidates, LP, CP-SAT)."""
    seed: int = 0
    workers: int = 2
    hint: bool = True
    """Start CP-SAT from the better of the greedy and the LP-rounded allocation."""
    lp: bool = True
    """Solve the LP relaxation first (bound + rounding hint)."""
    log: bool = False


@dataclass(frozen=True)
class Progress:
    seconds: float
    objective: float
    bound: float


ProgressCallback = Callable[[Progress], bool]
"""Called on every improving solution; return False to stop the search (cancel)."""


class StopHandle:
    """Lets another thread stop a running allocation at once (e.g. a worker polling a cancel flag).

    `stop()` may be called before, during or after the search: before, the search is skipped;
    during, CP-SAT stops at once (`CpSolver.stop_search` is thread-safe); the allocator then
    returns the best allocation found so far, like at the time limit.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._solver: Any = None
        self._stopped = False

    @property
    def stopped(self) -> bool:
        return self._stopped

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            if self._solver is not None:
                self._solver.stop_search()

    def attach(self, solver: Any) -> None:
        with self._lock:
            self._solver = solver
            if self._stopped:
                solver.parameters.max_time_in_seconds = 0.0

    def detach(self) -> None:
        with self._lock:
            self._solver = None
