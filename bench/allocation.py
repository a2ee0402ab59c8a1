"""Benchmark of the seasonal allocation engine: seeded rounds, CP-SAT against greedy.

    .venv/bin/python bench/allocation.py                       # 100/30, 500/100, 1500/250 sections/resources
    .venv/bin/python bench/allocation.py --quick               # two tiny rounds (CI smoke, a few seconds)
    .venv/bin/python bench/allocation.py --sizes 1500x250 --time-limit 60 --seed 1

The generator builds a city: units (schools, sports centres) with a divisible sports hall (halves,
thirds, or halves split again into quarters), studios and club rooms; open weekday evenings and
weekend days. Clubs (applicants, a few big ones and many small ones) apply with sections that want
1–3 weekly slots of 60–120 minutes, mostly on weekday evenings, in rooms of their home unit, so
prime-time demand exceeds supply. Every result is verified by the independent checker.

Results go to bench/results/<date>-allocation.json and .md (see docs/allocation.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import sys
import time
from pathlib import Path
from typing import Any

from tila.seasons.allocation import (
    SolverOptions,
    allocation_check,
    allocation_score,
    cpsat_allocate,
    greedy_allocate,
    round_from_json,
)
from tila.seasons.allocation.model import Round

DEFAULT_SIZES = ((100, 30), (500, 100), (1500, 250))
QUICK_SIZES = ((30, 10), (60, 20))
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


# -- The generator ---------------------------------------------------------------------------


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _opening(rng: random.Random) -> dict[str, list[list[str]]]:
    begin = rng.choice((15 * 60, 16 * 60, 16 * 60 + 30))
    end = rng.choice((21 * 60, 21 * 60 + 30, 22 * 60))
    hours = {day: [[_hhmm(begin), _hhmm(end)]] for day in WEEKDAYS if rng.random() > 0.05}
    if rng.random() < 0.75:
        hours["sat"] = [["09:00", "18:00"]]
    if rng.random() < 0.5:
        hours["sun"] = [["10:00", "17:00"]]
    return hours


def _unit(rng: random.Random, number: int, budget: int) -> list[dict[str, Any]]:
    """One unit's spaces (at most `budget`), all sharing the unit's opening hours."""
    hours = _opening(rng)
    prefix = f"u{number}"
    spaces: list[dict[str, Any]] = []

    def add(name: str, kind: str, capacity: int, parent: str | None = None) -> str:
        rid = f"{prefix}-{name}"
        spaces.append({"id": rid, "parent": parent, "capacity": capacity, "open": hours, "kind": kind})
        return rid

    layout = rng.choices(("halves", "thirds", "quarters", "none"), (0.35, 0.25, 0.15, 0.25))[0]
    if budget >= 3 and layout != "none":
        hall = add("hall", "hall", rng.choice((50, 60, 80)))
        if layout == "thirds" and budget >= 4:
            for part in "abc":
                add(f"hall-{part}", "hall", 25, hall)
        elif layout == "quarters" and budget >= 7:
            for half in "ab":
                parent = add(f"hall-{half}", "hall", 30, hall)
                for quarter in "12":
                    add(f"hall-{half}{quarter}", "hall", 15, parent)
        else:
            for part in "ab":
                add(f"hall-{part}", "hall", 30, hall)
    while len(spaces) < budget and (len(spaces) < 2 or rng.random() < 0.7):
        kind = rng.choice(("studio", "studio", "room"))
        add(f"{kind}{len(spaces)}", kind, rng.choice((15, 20, 25, 30)) if kind == "studio" else rng.choice((10, 15)))
    return spaces


def _resources(rng: random.Random, count: int) -> list[dict[str, Any]]:
    resources: list[dict[str, Any]] = []
    number = 0
    while len(resources) < count:
        number += 1
        resources.extend(_unit(rng, number, count - len(resources)))
    return resources


def _suitable(rng: random.Random, times: int, youth: bool) -> list[dict[str, str]]:
    extra = rng.choice((1, 1, 2))
    days = rng.sample(WEEKDAYS, min(5, times + extra))
    if rng.random() < 0.2:
        days.append(rng.choice(("sat", "sun")))
    ranges = []
    for day in days:
        if day in ("sat", "sun"):
            begin, length = rng.choice((10 * 60, 11 * 60, 12 * 60)), rng.choice((180, 240))
        else:
            begin = rng.choice((16 * 60 + 30, 17 * 60)) if youth else rng.choice((17 * 60 + 30, 18 * 60, 19 * 60))
            length = rng.choice((120, 150, 180))
        ranges.append({"day": day, "from": _hhmm(begin), "to": _hhmm(begin + length), "priority": "primary"})
        if rng.random() < 0.4:  # a little slack around it, second-best
            ranges.append(
                {"day": day, "from": _hhmm(begin + length), "to": _hhmm(begin + length + 60), "priority": "secondary"}
            )
    return ranges


def _preferred(
    rng: random.Random, home: list[dict[str, Any]], other: list[dict[str, Any]], kind: str, people: int
) -> list[str]:
    fitting = [r for r in home if r["kind"] == kind and r["capacity"] >= people]
    if not fitting or rng.random() < 0.15:
        fitting += [r for r in other if r["kind"] == kind and r["capacity"] >= people]
    if not fitting:
        fitting = [r for r in home + other if r["capacity"] >= people] or home
    rng.shuffle(fitting)
    return [r["id"] for r in fitting[: rng.choice((1, 2, 2, 3, 3, 4))]]


def _section(
    rng: random.Random, number: int, applicant: str, home: list[dict[str, Any]], other: list[dict[str, Any]]
) -> dict[str, Any]:
    kind = rng.choices(("hall", "studio", "room"), (0.55, 0.3, 0.15))[0]
    people = {"hall": rng.randint(10, 40), "studio": rng.randint(6, 25), "room": rng.randint(4, 14)}[kind]
    youth = rng.random() < 0.45
    times = rng.choices((1, 2, 3), (0.45, 0.4, 0.15))[0]
    minimum = rng.choice((60, 60, 90))
    weight = (1.3 if youth else 1.0) * (1.2 if rng.random() < 0.1 else 1.0)
    return {
        "id": f"s{number}",
        "applicant": applicant,
        "weight": round(weight, 2),
        "times_per_week": times,
        "min_minutes": minimum,
        "max_minutes": min(120, minimum + rng.choice((0, 30, 60))),
        "participants": people,
        "resources": _preferred(rng, home, other, kind, people),
        "suitable": _suitable(rng, times, youth),
    }


def generate_round(*, sections: int, resources: int, seed: int) -> dict[str, Any]:
    """A realistic, seeded round in the JSON input form."""
    rng = random.Random(seed)
    spaces = _resources(rng, resources)
    units: dict[str, list[dict[str, Any]]] = {}
    for space in spaces:
        units.setdefault(space["id"].split("-")[0], []).append(space)
    names = sorted(units)
    applicants = [f"club-{i}" for i in range(max(1, sections * 2 // 5))]
    result = []
    for number in range(sections):
        applicant = (
            applicants[min(int(rng.paretovariate(1.2)) - 1, len(applicants) - 1)]
            if rng.random() < 0.3
            else rng.choice(applicants)
        )
        home_name = names[hash_text(applicant) % len(names)]
        other = units[names[(names.index(home_name) + 1) % len(names)]]
        result.append(_section(rng, number, applicant, units[home_name], other))
    blocked = [
        {
            "resource": s["id"],
            "day": rng.choice(WEEKDAYS),
            "from": "18:00",
            "to": _hhmm(18 * 60 + rng.choice((60, 90, 120))),
        }
        for s in spaces
        if rng.random() < 0.08
    ]
    for space in spaces:
        del space["kind"]
    return {"slot_minutes": 30, "resources": spaces, "sections": result, "blocked": blocked}


def hash_text(text: str) -> int:
    """A stable (unsalted) string hash."""
    value = 0
    for char in text:
        value = (value * 131 + ord(char)) % 1_000_003
    return value


# -- The runner ------------------------------------------------------------------------------


def _demand(round: Round) -> dict[str, float]:
    requested = sum(s.times_per_week * s.min_minutes for s in round.sections) / 60
    leaves = {leaf for leaves in round.leaves.values() for leaf in leaves}
    by_id = round.resource_by_id
    prime = 0
    for leaf in leaves:
        for r in by_id[leaf].open:
            if r.day < 5:
                prime += max(0, min(r.end, 21 * 60) - max(r.begin, 17 * 60))
    return {"requested_min_hours": round_2(requested), "prime_leaf_hours": round_2(prime / 60)}


def round_2(value: float) -> float:
    return float(f"{value:.4f}")


def _measure(name: str, round: Round, result: Any, bound: float | None, seconds: float) -> dict[str, Any]:
    violations = allocation_check(round, result.allocations)
    if violations:
        raise SystemExit(f"{name}: {len(violations)} hard-rule violations, first: {violations[0]}")
    score = allocation_score(round, result.allocations)
    gap = None if bound is None or bound <= 0 else max(0.0, (bound - score.objective) / bound)
    return {
        "solver": name,
        "status": result.status,
        "allocations": len(result.allocations),
        "allocated_hours": round_2(score.allocated_hours),
        "weighted_hours": round_2(score.weighted_hours),
        "objective": round_2(score.objective),
        "primary_share": round_2(score.primary_share),
        "applicants_served_share": round_2(score.applicants_served_share),
        "requested_slots_share": round_2(score.requested_slots_share),
        "gap_to_bound": None if gap is None else round_2(gap),
        "seconds": round_2(seconds),
        "stats": {k: v for k, v in result.stats.items() if k != "score"},
    }


def run_size(
    sections: int, resources: int, *, seed: int, time_limit: float, workers: int, lp: bool = True
) -> dict[str, Any]:
    data = generate_round(sections=sections, resources=resources, seed=seed)
    round = round_from_json(json.loads(json.dumps(data)))
    started = time.perf_counter()
    greedy = greedy_allocate(round)
    greedy_seconds = time.perf_counter() - started
    started = time.perf_counter()
    cpsat = cpsat_allocate(round, options=SolverOptions(time_limit=time_limit, seed=seed, workers=workers, lp=lp))
    cpsat_seconds = time.perf_counter() - started
    rows = [
        _measure("cpsat", round, cpsat, cpsat.bound, cpsat_seconds),
        _measure("greedy", round, greedy, cpsat.bound, greedy_seconds),
    ]
    gain = rows[0]["weighted_hours"] / rows[1]["weighted_hours"] - 1 if rows[1]["weighted_hours"] else None
    slack = None if cpsat.bound is None else cpsat.bound - cpsat.objective
    return {
        "sections": sections,
        "resources": resources,
        "applicants": len({s.applicant for s in round.sections}),
        "seed": seed,
        "time_limit": time_limit,
        "demand": _demand(round),
        "cpsat_weighted_hours_over_greedy": None if gain is None else round_2(gain),
        "bound_minus_objective": None if slack is None else round_2(slack),
        "gap_in_weighted_hours": None if slack is None else round_2(slack / (rows[0]["weighted_hours"] + slack)),
        "results": rows,
    }


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"Machine: {report['machine']['cpus']} cores ({report['machine']['cpu']}), Python "
        f"{report['machine']['python']}, OR-Tools {report['machine']['ortools']}; seed {report['seed']}, "
        f"time limit {report['time_limit']} s in all per round, {report['workers']} CP-SAT workers"
        f"{'' if report['lp'] else ', without the LP relaxation'}.",
        "",
        "| sections / resources | solver | status | allocated h | weighted h | objective | primary | "
        "applicants served | slots granted | gap to bound | time s |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in report["sizes"]:
        for row in size["results"]:
            lines.append(
                f"| {size['sections']} / {size['resources']} | {row['solver']} | {row['status']} | "
                f"{row['allocated_hours']:.1f} | {row['weighted_hours']:.1f} | {row['objective']:.1f} | "
                f"{_pct(row['primary_share'])} | {_pct(row['applicants_served_share'])} | "
                f"{_pct(row['requested_slots_share'])} | {_pct(row['gap_to_bound'])} | {row['seconds']:.1f} |"
            )
    lines.append("")
    for size in report["sizes"]:
        stats = size["results"][0]["stats"]
        lines.append(
            f"- {size['sections']} sections: {size['applicants']} applicants, {stats['candidates']} candidates, "
            f"{stats['cell_constraints']} cell constraints, build {stats['build_seconds']} s + solve "
            f"{stats['solve_seconds']} s; CP-SAT weighted hours over greedy: "
            f"{_pct(size['cpsat_weighted_hours_over_greedy'])}; bound − objective "
            f"{size['bound_minus_objective']} weighted h ({_pct(size['gap_in_weighted_hours'])} of the weighted hours)."
        )
    return "\n".join(lines) + "\n"


def _machine() -> dict[str, Any]:
    from importlib.metadata import version

    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [
            line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if line.startswith("model name")
        ]
        cpu = names[0] if names else cpu
    return {"cpus": os.cpu_count(), "cpu": cpu, "python": platform.python_version(), "ortools": version("ortools")}


def _sizes(text: str | None, quick: bool) -> tuple[tuple[int, int], ...]:
    if text:
        return tuple((int(a), int(b)) for a, b in (item.split("x") for item in text.split(",")))
    return QUICK_SIZES if quick else DEFAULT_SIZES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny rounds, short limit (CI smoke)")
    parser.add_argument("--sizes", help="comma-separated SECTIONSxRESOURCES, e.g. 100x30,1500x250")
    parser.add_argument(
        "--time-limit", type=float, default=None, help="CP-SAT seconds per round (default 60; 5 with --quick)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-lp", action="store_true", help="CP-SAT without the LP relaxation (the 'before')")
    parser.add_argument("--json-out", type=Path, default=None, help="default bench/results/<date>-allocation.json")
    args = parser.parse_args(argv)
    time_limit = args.time_limit if args.time_limit is not None else (5.0 if args.quick else 60.0)
    report: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": _machine(),
        "seed": args.seed,
        "time_limit": time_limit,
        "workers": args.workers,
        "lp": not args.no_lp,
        "sizes": [],
    }
    for sections, resources in _sizes(args.sizes, args.quick):
        print(f"-- {sections} sections / {resources} resources", file=sys.stderr, flush=True)
        report["sizes"].append(
            run_size(
                sections, resources, seed=args.seed, time_limit=time_limit, workers=args.workers, lp=not args.no_lp
            )
        )
    out = args.json_out or Path("bench/results") / f"{dt.datetime.now(dt.UTC).date().isoformat()}-allocation.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    table = markdown(report)
    out.with_suffix(".md").write_text(table)
    print(table)
    print(f"wrote {out} and {out.with_suffix('.md')}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
