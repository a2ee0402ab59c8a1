"""Availability: what is free, when, and where.

* `resource_availability` — one resource over a window: opening intervals, free intervals and
  reservations.
* `free_resources` — the city-wide question: which resources have `duration` free inside
  [start, end). One SQL statement computes, per candidate resource, the free intervals (gaps
  between occupied ranges, widened by the resource's own buffers, intersected with opening
  hours); Python only checks the slot grid on the few intervals that come back.
* `next_free_slots` — the nearest free slots of a length, for "nearest alternative" offers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import Max, QuerySet

from tila.booking.models import ACTIVE_STATES, Occupancy, Reservation
from tila.booking.services import is_aligned
from tila.catalogue.models import Resource, Unit
from tila.catalogue.selectors import resource_rules, resource_rules_bulk
from tila.core.db import read_alias
from tila.core.timeutil import UTC, Interval, get_zone, intersect, subtract
from tila.hours.models import OpeningInterval


@dataclass
class Availability:
    resource: Resource
    begin: dt.datetime
    end: dt.datetime
    opening: list[Interval]
    free: list[Interval]
    reservations: list[Reservation] = field(default_factory=list)


def resources_availability(
    *, resources: list[Resource], begin: dt.datetime, end: dt.datetime, ignore_hours: bool = False
) -> dict[str, Availability]:
    """Availability of several resources over one window, in three queries whatever their number."""
    ids = [r.pk for r in resources]
    db = read_alias()
    rules = {r.pk: resource_rules(r) for r in resources}
    ext = max((max(x.buffer_before, x.buffer_after) for x in rules.values()), default=dt.timedelta(0))
    opening: dict[str, list[Interval]] = defaultdict(list)
    if not ignore_hours:
        for rid, b, e in (
            OpeningInterval.objects.using(db)
            .filter(resource_id__in=ids, begin__lt=end, end__gt=begin)
            .values_list("resource_id", "begin", "end")
        ):
            opening[rid].append((b, e))
    busy: dict[str, list[Interval]] = defaultdict(list)
    rows = (
        Occupancy.objects.filter(space__covered_by_links__resource_id__in=ids, begin__lt=end + ext, end__gt=begin - ext)
        .values_list("space__covered_by_links__resource_id", "begin", "end")
        .distinct()
    )
    for rid, b, e in rows:
        r = rules[rid]
        busy[rid].append((b - r.buffer_after, e + r.buffer_before))
    reservations: dict[str, list[Reservation]] = defaultdict(list)
    # The state is checked here, not in SQL: given `state IN (…)`, SQLite's planner reads the window
    # through the (state, begin) index — every active reservation before `end`, city-wide (567 ms on
    # a million) — instead of (resource, begin). The few cancelled rows in a window cost nothing.
    for reservation in (
        Reservation.objects.using(db).filter(resource_id__in=ids, begin__lt=end, end__gt=begin).select_related("user")
    ):
        if reservation.state in ACTIVE_STATES:
            reservations[reservation.resource_id].append(reservation)
    window = [(begin, end)]
    out: dict[str, Availability] = {}
    for resource in resources:
        rid = resource.pk
        open_ = window if ignore_hours else intersect(opening[rid], window)
        out[rid] = Availability(
            resource=resource,
            begin=begin,
            end=end,
            opening=open_,
            free=subtract(open_, busy[rid]),
            reservations=reservations[rid],
        )
    return out


def resource_availability(
    *, resource: Resource, begin: dt.datetime, end: dt.datetime, ignore_hours: bool = False
) -> Availability:
    return resources_availability(resources=[resource], begin=begin, end=end, ignore_hours=ignore_hours)[resource.pk]


def aligned_slots_in(
    interval: Interval, duration: dt.timedelta, slot: dt.timedelta, tz_name: str
) -> dt.datetime | None:
    """The first start on the slot grid such that [start, start+duration) fits in `interval`."""
    begin, end = interval
    zone = get_zone(tz_name)
    local = begin.astimezone(zone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    offset = (local - midnight) % slot
    start = begin if offset == dt.timedelta(0) else begin + (slot - offset)
    # DST days: re-check on the wall clock and step forward until aligned (bounded).
    for _ in range(4):
        if is_aligned(start, slot, tz_name):
            break
        start += dt.timedelta(minutes=1) if slot < dt.timedelta(hours=1) else dt.timedelta(minutes=30)
    if start + duration <= end and is_aligned(start, slot, tz_name):
        return start
    return None


# --- City-wide ---------------------------------------------------------------------------------

_DIALECT = {
    "postgresql": {
        "epoch": "CAST(EXTRACT(EPOCH FROM {0}) AS BIGINT)",
        "secs": "CAST(EXTRACT(EPOCH FROM {0}) AS BIGINT)",
        "greatest": "GREATEST",
        "least": "LEAST",
        "join_in_order": "JOIN",
    },
    "sqlite": {
        "epoch": "CAST(strftime('%%s', {0}) AS INTEGER)",
        "secs": "({0} / 1000000)",
        "greatest": "MAX",
        "least": "MIN",
        # SQLite keeps the written order of a CROSS JOIN: from the few candidates to their leaves to
        # their occupancy (index space, begin). With planner statistics (ANALYZE) it would otherwise
        # start from every occupancy row of the evening city-wide: 11 → 105 ms for one district.
        "join_in_order": "CROSS JOIN",
    },
}

FAR_PAST = -(2**40)
FAR_FUTURE = 2**40


def _free_sql(candidate_sql: str, ignore_hours: bool, vendor: str) -> str:
    d = _DIALECT["postgresql" if vendor == "postgresql" else "sqlite"]
    epoch, secs, gr, le, join = d["epoch"].format, d["secs"].format, d["greatest"], d["least"], d["join_in_order"]
    if ignore_hours:
        open_cte = "SELECT rid, %(s)s AS ob, %(e)s AS oe FROM cand"
    else:
        open_cte = f"""
        SELECT oi.resource_id AS rid, {gr}({epoch("oi.begin")}, %(s)s) AS ob, {le}({epoch('oi."end"')}, %(e)s) AS oe
        FROM cand c {join} hours_openinginterval oi ON oi.resource_id = c.rid
        WHERE oi.begin < %(end)s AND oi."end" > %(start)s"""  # noqa: S608
    # Built from constants only; every value travels as a query parameter.
    return f"""
    WITH cand AS (
        SELECT r.id AS rid,
               COALESCE({secs("r.buffer_before")}, {secs("u.buffer_before")}, 0) AS bb,
               COALESCE({secs("r.buffer_after")}, {secs("u.buffer_after")}, 0) AS ba
        FROM catalogue_resource r JOIN catalogue_unit u ON u.id = r.unit_id
        WHERE r.id IN ({candidate_sql})
    ),
    opening AS ({open_cte}),
    busy AS (
        SELECT rl.resource_id AS rid, {epoch("o.begin")} - c.ba AS bb, {epoch('o."end"')} + c.bb AS be
        FROM cand c
        {join} catalogue_resourceleaf rl ON rl.resource_id = c.rid
        {join} booking_occupancy o ON o.space_id = rl.leaf_id
        WHERE o.begin < %(end_ext)s AND o."end" > %(start_ext)s
    ),
    ordered AS (
        SELECT rid, bb, be,
               MAX(be) OVER (PARTITION BY rid ORDER BY bb, be ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                   AS prev_end
        FROM busy
    ),
    gaps AS (
        SELECT rid, COALESCE(prev_end, {FAR_PAST}) AS gs, bb AS ge FROM ordered
            WHERE prev_end IS NULL OR prev_end < bb
        UNION ALL
        SELECT rid, MAX(be) AS gs, {FAR_FUTURE} AS ge FROM busy GROUP BY rid
        UNION ALL
        SELECT rid, {FAR_PAST} AS gs, {FAR_FUTURE} AS ge FROM cand
            WHERE NOT EXISTS (SELECT 1 FROM busy WHERE busy.rid = cand.rid)
    )
    SELECT o.rid, {gr}(o.ob, g.gs) AS fb, {le}(o.oe, g.ge) AS fe
    FROM opening o JOIN gaps g ON g.rid = o.rid
    WHERE {gr}(o.ob, g.gs) + %(dur)s <= {le}(o.oe, g.ge)
    ORDER BY o.rid, fb
    """  # noqa: S608


def _max_buffer(db: str) -> dt.timedelta:
    values = [
        v
        for model in (Resource, Unit)
        for v in model.objects.using(db).aggregate(a=Max("buffer_before"), b=Max("buffer_after")).values()
        if v is not None
    ]
    return max(values, default=dt.timedelta(0))


def free_intervals(
    *,
    resources: QuerySet[Resource],
    start: dt.datetime,
    end: dt.datetime,
    duration: dt.timedelta,
    ignore_hours: bool = False,
) -> dict[str, list[Interval]]:
    """Per resource in `resources`, the free intervals inside [start, end) at least `duration` long
    (not yet aligned to the slot grid). One SQL statement; resources with none are absent."""
    cand_sql, cand_params = resources.order_by().values("id").query.sql_with_params()
    numbers = iter(range(len(cand_params)))
    cand_sql = re.sub(r"%s", lambda _m: f"%(c{next(numbers)})s", cand_sql)
    db = read_alias()
    connection = connections[db]
    adapt = connection.ops.adapt_datetimefield_value
    ext = _max_buffer(db)
    params: dict[str, Any] = {f"c{i}": value for i, value in enumerate(cand_params)}
    params.update(
        s=int(start.timestamp()),
        e=int(end.timestamp()),
        start=adapt(start),
        end=adapt(end),
        start_ext=adapt(start - ext),
        end_ext=adapt(end + ext),
        dur=int(duration.total_seconds()),
    )
    named_sql = _free_sql(cand_sql, ignore_hours, connection.vendor)
    out: dict[str, list[Interval]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(named_sql, params)
        for rid, fb, fe in cursor.fetchall():
            out[rid].append((dt.datetime.fromtimestamp(fb, UTC), dt.datetime.fromtimestamp(fe, UTC)))
    return dict(out)


@dataclass
class FreeResource:
    resource_id: str
    free: list[Interval]
    first_start: dt.datetime
    resource: Resource | None = None  # loaded only when asked for (`load=True`)


def free_resources(
    *,
    resources: QuerySet[Resource],
    start: dt.datetime,
    end: dt.datetime,
    duration: dt.timedelta | None = None,
    ignore_hours: bool = False,
    load: bool = False,
) -> list[FreeResource]:
    """Resources that can be booked for `duration` (default: the whole window) inside [start, end),
    on their slot grid, with their free intervals, ordered by the earliest possible start (then id).

    Thousands of resources may be free across a city, so this works on ids and plain rule rows;
    `load=True` attaches the Resource objects (with unit, type and district) for callers that show
    every result; paginating callers load just their page."""
    duration = duration or (end - start)
    found = free_intervals(resources=resources, start=start, end=end, duration=duration, ignore_hours=ignore_hours)
    if not found:
        return []
    db = read_alias()
    out: list[FreeResource] = []
    for rid, (rules, tz_name) in resource_rules_bulk(found, using=db).items():
        first = next(
            (s for s in (aligned_slots_in(i, duration, rules.slot_size, tz_name) for i in found[rid]) if s is not None),
            None,
        )
        if first is not None:
            out.append(FreeResource(resource_id=rid, free=found[rid], first_start=first))
    out.sort(key=lambda fr: (fr.first_start, fr.resource_id))
    if load:
        loaded = (
            Resource.objects.using(db)
            .select_related("unit", "type", "unit__district")
            .in_bulk([fr.resource_id for fr in out])
        )
        for fr in out:
            fr.resource = loaded[fr.resource_id]
    return out


def next_free_slots(
    *,
    resource: Resource,
    after: dt.datetime,
    duration: dt.timedelta,
    limit: int = 5,
    within: dt.timedelta = dt.timedelta(days=28),
) -> list[Interval]:
    """Up to `limit` bookable [start, end) slots of `duration`, the earliest first, one per free interval."""
    rules = resource_rules(resource)
    availability = resource_availability(resource=resource, begin=after, end=after + within)
    slots: list[Interval] = []
    for interval in availability.free:
        start = aligned_slots_in(interval, duration, rules.slot_size, resource.unit.time_zone)
        if start is not None:
            slots.append((start, start + duration))
            if len(slots) >= limit:
                break
    return slots


# --- Audit ---------------------------------------------------------------------------------------

OVERLAP_AUDIT_SQL = """
WITH active AS (
    SELECT l.leaf_id, r.begin AS b, r."end" AS e
    FROM booking_reservation r JOIN catalogue_resourceleaf l ON l.resource_id = r.resource_id
    WHERE r.state IN ({states})
),
ordered AS (
    SELECT b, MAX(e) OVER (PARTITION BY leaf_id ORDER BY b, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS pe
    FROM active
)
SELECT COUNT(*) FROM ordered WHERE pe > b
"""


def overlapping_active_reservations(*, using: str = "default") -> int:
    """How many active reservations overlap an earlier-starting active one on a shared leaf space
    (the same space, or spaces that contain one another): zero exactly when the invariant holds.

    Checked from the reservations themselves, not the occupancy rows that enforce it, in one pass
    per leaf (a window over the reservations ordered by start): seconds on a million reservations
    on either database, where a self-join took minutes on SQLite. Used by the stress benchmark and
    the load tests."""
    states = list(ACTIVE_STATES)
    with connections[using].cursor() as cursor:
        cursor.execute(OVERLAP_AUDIT_SQL.format(states=", ".join(["%s"] * len(states))), states)
        return int(cursor.fetchone()[0])
