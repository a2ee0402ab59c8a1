"""Runs the benchmark sections inside one Django process against one database (see bench/run.py)."""

from __future__ import annotations

import argparse
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tila.settings")
django.setup()

from django.db import connection  # noqa: E402

from bench import availability, booking, pages  # noqa: E402
from bench.common import Report, machine, to_markdown  # noqa: E402
from bench.server import running_server  # noqa: E402
from tila.booking.models import Reservation  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--scale", required=True)
    parser.add_argument("--only", required=True)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    only = set(args.only.split(","))
    report = Report(db=connection.vendor, scale=args.scale, started=time.strftime("%Y-%m-%d %H:%M"), machine=machine())
    url = os.environ["DATABASE_URL"]

    def save() -> None:  # after every section, so a later failure keeps the figures already measured
        report.write()

    # bookings made by earlier runs would take this run's slots
    Reservation.objects.filter(user__email__endswith="@bench.invalid").delete()
    seconds = 5.0 if args.quick else 20.0
    if "search-page" in only:
        report.sections[f"Resident search page ({args.scale} city)"] = pages.run_search_page(args.runs)
        save()
        only -= {"search-page"}
        if not only:
            report.write()
            print(to_markdown(report))
            return 0
    with running_server(url) as (port, proc):
        if "availability" in only:
            report.sections["1. City-wide availability"] = availability.run_city_wide(port, args.runs)
            save()
            report.sections["6a. Memory after 1"] = {"worker_peak_rss_mb": booking.rss_now(proc.pid)}
        if "month" in only:
            report.sections["2. One resource's month"] = availability.run_month(port, args.runs)
            save()
        if "booking" in only:
            clients = 4 if args.quick else 16
            report.sections["3. Booking throughput"] = booking.run_throughput(port, proc.pid, clients, seconds)
            save()
            report.sections["6b. Memory after 3"] = {"worker_peak_rss_mb": booking.rss_now(proc.pid)}
        if "contention" in only:
            report.sections["4. Contention"] = booking.run_contention(port, clients=200, slots=20)
            save()
    if "scaleout" in only:
        report.sections["Scale-out: app server processes"] = availability.run_scaleout(url, seconds)
        save()
    if "stress" in only:
        ops = 2000 if args.quick else 20000
        report.sections["5. Invariant under stress"] = booking.run_stress(ops, processes=4 if args.quick else 8)
        save()
    json_path, md_path = report.write()
    print(to_markdown(report))
    print(f"written: {json_path.relative_to(json_path.parents[2])}, {md_path.relative_to(md_path.parents[2])}")
    exact = all(s.get("exact", True) for s in report.sections.values())
    return 0 if exact else 1


if __name__ == "__main__":
    raise SystemExit(main())
