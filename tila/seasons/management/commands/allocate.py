"""`tila allocate --input round.json --output result.json [--time-limit S] [--seed N] [--solver cpsat|greedy]
[--workers N] [--objective JSON]`: allocate a seasonal round given as JSON (see docs/allocation.md).

Bad input ends with a `CommandError` that names the machine code and the JSON path, e.g.
`invalid_time at sections[3].suitable[0].from: Expected a time of day as HH:MM (00:00–24:00).`
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tila.core.errors import DomainError
from tila.seasons.allocation import (
    SOLVERS,
    SolverOptions,
    allocation_check,
    allocation_solve,
    result_to_json,
    round_from_text,
    weights_from_json,
)
from tila.seasons.allocation.model import Round


class Command(BaseCommand):
    help = "Allocate a seasonal application round (JSON in, JSON out) with CP-SAT or the greedy baseline."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="the round as JSON ('-' reads standard input)")
        parser.add_argument("--output", default="-", help="where to write the result ('-' = standard output)")
        parser.add_argument("--time-limit", type=float, default=60.0, help="seconds in all (default 60)")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--solver", choices=SOLVERS, default="cpsat")
        parser.add_argument("--workers", type=int, default=2, help="CP-SAT search workers (default 2)")
        parser.add_argument("--objective", help="weights overriding the round's, as JSON, e.g. '{\"secondary\": 0.4}'")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["time_limit"] <= 0 or options["workers"] < 1:
            raise CommandError("invalid_value: --time-limit must be positive and --workers at least 1.")
        try:
            problem = self._round(options["input"], options["objective"])
            result = allocation_solve(
                round=problem,
                solver=options["solver"],
                options=SolverOptions(
                    time_limit=options["time_limit"], seed=options["seed"], workers=options["workers"]
                ),
            )
        except DomainError as exc:
            where = f" at {exc.field}" if exc.field else ""
            raise CommandError(f"{exc.code}{where}: {exc.message}") from exc
        violations = allocation_check(problem, result.allocations)
        if violations:  # cannot happen unless an allocator is broken; never write a wrong timetable
            raise CommandError(f"internal_error: the result breaks {violations[0].code} ({violations[0].detail})")
        self._write(options["output"], json.dumps(result_to_json(result), indent=2, ensure_ascii=False) + "\n")
        bound = "–" if result.bound is None else f"{result.bound:.3f}"
        gap = "–" if result.gap is None else f"{100 * result.gap:.2f} %"
        self.stderr.write(
            f"{result.status}: {len(result.allocations)} allocations, objective {result.objective:.3f}, "
            f"bound {bound}, gap {gap}"
        )

    def _round(self, source: str, objective: str | None) -> Round:
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"unreadable_input: {exc}") from exc
        problem = round_from_text(text)
        if objective:
            try:
                overrides = json.loads(objective)
            except ValueError as exc:
                raise CommandError(f"invalid_json at objective: {exc}") from exc
            weights = weights_from_json(overrides, base=problem.objective)
            problem = dataclasses.replace(problem, objective=weights)
        return problem

    def _write(self, target: str, text: str) -> None:
        if target == "-":
            self.stdout.write(text, ending="")
            return
        try:
            Path(target).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"unwritable_output: {exc}") from exc
