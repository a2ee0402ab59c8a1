"""Benchmarks 1 and 2: city-wide availability and one resource's month, against the SQL floor."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.db import connection
from django.utils import timezone

from bench.common import measure
from bench.server import Client
from tila.booking.selectors import free_resources, resources_availability
from tila.catalogue.models import Resource
from tila.catalogue.selectors import resource_filter, resources_visible_to
from tila.core.timeutil import get_zone, local_datetime

ZONE = get_zone("Europe/Helsinki")

PG_GAPS_FLOOR = """
WITH cand AS (
  SELECT r.id AS rid FROM catalogue_resource r JOIN catalogue_unit u ON u.id = r.unit_id
  WHERE r.public AND r.reservable AND {filters}
),
busy AS (
  SELECT rl.resource_id AS rid, o.begin AS b, o."end" AS e
  FROM booking_occupancy o JOIN catalogue_resourceleaf rl ON rl.leaf_id = o.space_id
  JOIN cand ON cand.rid = rl.resource_id
  WHERE o.begin < %(e)s AND o."end" > %(s)s
),
gaps AS (
  SELECT rid, COALESCE(MAX(e) OVER w, '-infinity') AS gs, b AS ge FROM busy
  WINDOW w AS (PARTITION BY rid ORDER BY b ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
  UNION ALL SELECT rid, MAX(e), 'infinity' FROM busy GROUP BY rid
  UNION ALL SELECT rid, '-infinity', 'infinity' FROM cand
            WHERE NOT EXISTS (SELECT 1 FROM busy WHERE busy.rid = cand.rid)
)
SELECT DISTINCT g.rid FROM gaps g JOIN hours_openinginterval oi ON oi.resource_id = g.rid
WHERE oi.begin < %(e)s AND oi."end" > %(s)s
  AND LEAST(oi."end", %(e)s, g.ge) - GREATEST(oi.begin, %(s)s, g.gs) >= %(dur)s
"""

PG_MULTIRANGE_FLOOR = """
SELECT r.id FROM catalogue_resource r
JOIN catalogue_unit u ON u.id = r.unit_id
WHERE r.public AND r.reservable AND {filters}
AND EXISTS (
  SELECT 1 FROM unnest(
    (SELECT range_agg(tstzrange(greatest(oi.begin, %(s)s), least(oi."end", %(e)s)))
       FROM hours_openinginterval oi
      WHERE oi.resource_id = r.id AND oi.begin < %(e)s AND oi."end" > %(s)s)
    - COALESCE((SELECT range_agg(tstzrange(o.begin, o."end"))
       FROM booking_occupancy o JOIN catalogue_resourceleaf rl ON rl.leaf_id = o.space_id
      WHERE rl.resource_id = r.id AND o.begin < %(e)s AND o."end" > %(s)s), '{{}}'::tstzmultirange)
  ) AS f(rng)
  WHERE upper(rng) - lower(rng) >= %(dur)s
)
"""

# The open-ended gaps use real datetimes as sentinels: the CTE's columns take the datetime columns'
# numeric affinity, which would turn a bare '9999' into the integer 9999 (and compare it below text).
SQLITE_FLOOR = """
WITH cand AS (
  SELECT r.id AS rid FROM catalogue_resource r JOIN catalogue_unit u ON u.id = r.unit_id
  WHERE r.public AND r.reservable AND {filters}
),
busy AS (
  SELECT rl.resource_id AS rid, o.begin AS b, o."end" AS e
  FROM booking_occupancy o JOIN catalogue_resourceleaf rl ON rl.leaf_id = o.space_id
  WHERE rl.resource_id IN (SELECT rid FROM cand) AND o.begin < %(e)s AND o."end" > %(s)s
),
ordered AS (
  SELECT rid, b, e, MAX(e) OVER (PARTITION BY rid ORDER BY b ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS pe
  FROM busy
),
gaps AS (
  SELECT rid, COALESCE(pe, '0001-01-01 00:00:00') AS gs, b AS ge FROM ordered WHERE pe IS NULL OR pe < b
  UNION ALL SELECT rid, MAX(e), '9999-12-31 00:00:00' FROM busy GROUP BY rid
  UNION ALL SELECT rid, '0001-01-01 00:00:00', '9999-12-31 00:00:00' FROM cand WHERE rid NOT IN (SELECT rid FROM busy)
)
SELECT DISTINCT g.rid FROM gaps g JOIN hours_openinginterval oi ON oi.resource_id = g.rid
WHERE oi.begin < %(e)s AND oi."end" > %(s)s
  AND (julianday(MIN(MIN(oi."end", %(e)s), g.ge)) - julianday(MAX(MAX(oi.begin, %(s)s), g.gs))) * 86400 >= %(dur_s)s
"""


def scenarios(day: dt.date) -> list[dict[str, Any]]:
    start, end = local_datetime(day, dt.time(16), ZONE), local_datetime(day, dt.time(21), ZONE)
    base = {"start": start, "end": end, "duration": dt.timedelta(minutes=120)}
    return [
        {"name": "purpose + 10 people", **base, "filters": {"purpose": "sports", "people": 10}},
        {"name": "10 people, any purpose", **base, "filters": {"people": 10}},
        {"name": "whole city, no filters", **base, "filters": {}},
        {"name": "one district", **base, "filters": {"district": "d001"}},
    ]


def _floor_sql(filters: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    parts, params = ["1=1"], {}
    if "people" in filters:
        parts.append("r.people_capacity >= %(people)s")
        params["people"] = filters["people"]
    if "purpose" in filters:
        parts.append(
            "EXISTS (SELECT 1 FROM catalogue_resource_purposes rp WHERE rp.resource_id = r.id "
            "AND rp.purpose_id = %(purpose)s)"
        )
        params["purpose"] = filters["purpose"]
    if "district" in filters:
        parts.append("u.district_id = %(district)s")
        params["district"] = filters["district"]
    return " AND ".join(parts), params


def floors() -> dict[str, str]:
    """The hand-written single-statement answers for this database (the fastest is the floor)."""
    if connection.vendor == "postgresql":
        return {"gaps": PG_GAPS_FLOOR, "range_agg": PG_MULTIRANGE_FLOOR}
    return {"gaps": SQLITE_FLOOR}


def floor(scenario: dict[str, Any], template: str | None = None) -> set[str]:
    filters, params = _floor_sql(scenario["filters"])
    sql = (template or floors()["gaps"]).format(filters=filters)
    adapt = connection.ops.adapt_datetimefield_value
    params.update(
        s=adapt(scenario["start"]),
        e=adapt(scenario["end"]),
        dur=scenario["duration"],
        dur_s=scenario["duration"].total_seconds(),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def selector(scenario: dict[str, Any]) -> set[str]:
    f = scenario["filters"]
    qs = resource_filter(
        resources_visible_to(None),
        purposes=[f["purpose"]] if "purpose" in f else None,
        people=f.get("people"),
        districts=[f["district"]] if "district" in f else None,
    )
    qs = qs.filter(reservable=True)
    found = free_resources(resources=qs, start=scenario["start"], end=scenario["end"], duration=scenario["duration"])
    return {fr.resource_id for fr in found}


def http_query(scenario: dict[str, Any]) -> str:
    params = {
        "start": scenario["start"].isoformat(),
        "end": scenario["end"].isoformat(),
        "duration": int(scenario["duration"].total_seconds() // 60),
        **scenario["filters"],
    }
    return "/v1/resource/?" + urlencode(params)


def bench_day() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=14 + (2 - today.weekday()) % 7)  # a Wednesday two weeks ahead


def run_city_wide(port: int | None, runs: int) -> dict[str, Any]:
    rows = []
    for sc in scenarios(bench_day()):
        measured = {name: measure(lambda sc=sc, t=t: floor(sc, t), runs=runs) for name, t in floors().items()}
        sel_stats, sel_ids = measure(lambda sc=sc: selector(sc), runs=runs)
        for name, (_stats, ids) in measured.items():
            if ids != sel_ids:  # a floor that answers another question is no floor
                raise RuntimeError(f"{sc['name']}: floor {name} found {len(ids)}, the selector {len(sel_ids)}")
        best = min(measured, key=lambda name: measured[name][0].median_ms)
        floor_stats, floor_ids = measured[best]
        row: dict[str, Any] = {
            "scenario": sc["name"],
            "found": len(sel_ids),
            "floor_found": len(floor_ids),
            "selector_median_ms": sel_stats.median_ms,
            "selector_p95_ms": sel_stats.p95_ms,
            "floor": best,
            "floor_median_ms": floor_stats.median_ms,
            "floor_p95_ms": floor_stats.p95_ms,
            "selector/floor (median)": round(sel_stats.median_ms / max(floor_stats.median_ms, 0.01), 2),
        }
        for name, (stats, _ids) in measured.items():
            if name != best:
                row[f"{name}_median_ms"] = stats.median_ms
        if port is not None:
            client = Client(port)
            path = http_query(sc)
            http_stats, (status, _body) = measure(lambda c=client, p=path: c.request("GET", p), runs=runs)
            row.update(
                {
                    "http_status": status,
                    "http_median_ms": http_stats.median_ms,
                    "http_p95_ms": http_stats.p95_ms,
                    "http/floor (median)": round(http_stats.median_ms / max(floor_stats.median_ms, 0.01), 2),
                }
            )
        rows.append(row)
    return {
        "rows": rows,
        "note": "found = resources free for 120 min in 16–21 on a Wednesday; floor = the fastest hand-written "
        "single SQL statement (listed beside it when there are several); HTTP = GET /v1/resource/ (first page of 20)",
    }


def run_month(port: int | None, runs: int) -> dict[str, Any]:
    """The busiest divisible space of the coming month (its own and its parts' bookings count)."""
    from django.db.models import Count, Q

    start = local_datetime(timezone.localdate(), dt.time(0), ZONE)
    end = start + dt.timedelta(days=31)
    in_month = Q(reservations__begin__lt=end, reservations__end__gt=start)
    resource = (
        Resource.objects.filter(parent__isnull=True, children__isnull=False)
        .annotate(n=Count("reservations", filter=in_month))
        .order_by("-n", "id")
        .select_related("unit")
        .first()
    ) or Resource.objects.select_related("unit").first()
    assert resource is not None
    stats, avail = measure(
        lambda: resources_availability(resources=[resource], begin=start, end=end)[resource.pk], runs=runs
    )
    row: dict[str, Any] = {
        "resource": resource.pk,
        "opening_intervals": len(avail.opening),
        "free_intervals": len(avail.free),
        "reservations": len(avail.reservations),
        "selector_median_ms": stats.median_ms,
        "selector_p95_ms": stats.p95_ms,
    }
    if port is not None:
        client = Client(port)
        path = f"/v1/resource/{resource.pk}/?" + urlencode({"start": start.isoformat(), "end": end.isoformat()})
        http_stats, _ = measure(lambda: client.request("GET", path), runs=runs)
        row.update({"http_median_ms": http_stats.median_ms, "http_p95_ms": http_stats.p95_ms})
    return {"rows": [row]}


def _hammer(port: int, paths: list[str], seconds: float, out: Any) -> None:
    import time

    client = Client(port)
    done = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, _ = client.request("GET", paths[done % len(paths)])
        done += status == 200
    out.put(done)


def run_scaleout(url: str, seconds: float, clients: int = 8) -> dict[str, Any]:
    """Availability requests per second with one and with two app server processes."""
    import multiprocessing as mp

    from django.db import connections

    from bench.server import running_server

    paths = [http_query(sc) for sc in scenarios(bench_day())]
    rows = []
    for workers in (1, 2):
        with running_server(url, workers=workers, threads=4) as (port, _proc):
            ctx = mp.get_context("fork")
            out = ctx.Queue()
            connections.close_all()
            procs = [ctx.Process(target=_hammer, args=(port, paths, seconds, out)) for _ in range(clients)]
            for p in procs:
                p.start()
            total = sum(out.get(timeout=seconds + 120) for _ in procs)
            for p in procs:
                p.join()
        rows.append(
            {"app_server_processes": workers, "clients": clients, "requests_per_second": round(total / seconds, 1)}
        )
    return {"rows": rows, "note": "the 4 city-wide scenarios round-robin; each process runs 4 threads"}
