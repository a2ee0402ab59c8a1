"""`make bench`: Tila's benchmark suite.

    python bench/run.py [--quick | --scale NAME] [--db sqlite,postgres] [--only availability,booking,...]

Runs on SQLite and, when DATABASE_URL points at PostgreSQL, on PostgreSQL too. Each database gets a
dedicated benchmark database holding a city from `tila generate-city` with a fixed seed (reused
between runs when the scale matches). Prints a table and writes bench/results/<date>-<db>.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import PYTHON, ROOT, SCALES, BenchScale, database_url, ensure_postgres_database, env_for, tila

SECTIONS = ["availability", "month", "booking", "contention", "stress", "scaleout", "search-page"]


def prepare(kind: str, scale: BenchScale) -> str:
    url = database_url(kind, scale)
    if kind == "postgres":
        ensure_postgres_database(url)
    (ROOT / "var").mkdir(exist_ok=True)
    tila(url, "migrate", "--noinput", "-v", "0")
    marker = ROOT / "var" / f"bench-{kind}-{scale.name}.json"
    wanted = {"scale": scale.__dict__, "day": time.strftime("%Y-%m-%d")}
    if marker.exists() and json.loads(marker.read_text()) == wanted:
        print(f"[{kind}] reusing the generated {scale.name} city")
        return url
    print(f"[{kind}] generating the {scale.name} city …", flush=True)
    started = time.monotonic()
    if scale.name == "demo":
        tila(url, "demo")
    else:
        tila(url, "generate-city", *scale.args())
    print(f"[{kind}] generated in {time.monotonic() - started:.0f} s", flush=True)
    marker.write_text(json.dumps(wanted))
    return url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small city, few runs (CI smoke, < 2 minutes)")
    parser.add_argument("--scale", choices=sorted(SCALES), default=None)
    parser.add_argument(
        "--db", default=None, help="sqlite,postgres (default: sqlite, plus postgres if DATABASE_URL is one)"
    )
    parser.add_argument("--only", default=",".join(SECTIONS))
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--prepare-only", action="store_true", help="generate the cities, run nothing")
    args = parser.parse_args()
    scale = SCALES[args.scale or ("quick" if args.quick else "default")]
    dbs = (
        args.db.split(",")
        if args.db
        else ["sqlite"] + (["postgres"] if os.environ.get("DATABASE_URL", "").startswith("postgres") else [])
    )
    runs = args.runs or (5 if args.quick else 30)
    status = 0
    for kind in dbs:
        url = prepare(kind, scale)
        if args.prepare_only:
            continue
        cmd = [
            PYTHON,
            "-m",
            "bench.worker",
            "--db",
            kind,
            "--scale",
            scale.name,
            "--only",
            args.only,
            "--runs",
            str(runs),
        ] + (["--quick"] if args.quick else [])
        status |= subprocess.run(cmd, env=env_for(url), cwd=ROOT).returncode
    return status


if __name__ == "__main__":
    raise SystemExit(main())
