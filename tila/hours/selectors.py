"""Reads over opening hours."""

from __future__ import annotations

import datetime as dt

from tila.core.db import Probe, db_datetime, probe_answers
from tila.core.timeutil import Interval, merge
from tila.hours.models import OpeningInterval


def opening_intervals(*, resource_id: str, begin: dt.datetime, end: dt.datetime) -> list[Interval]:
    """The resource's opening intervals that overlap [begin, end), unclipped and merged."""
    rows = OpeningInterval.objects.filter(resource_id=resource_id, begin__lt=end, end__gt=begin).values_list(
        "begin", "end"
    )
    return merge(rows)


def is_open(*, resource_id: str, begin: dt.datetime, end: dt.datetime) -> bool:
    """Whether [begin, end) lies entirely inside one of the resource's opening intervals."""
    return bool(probe_answers(open_probe(resource_id=resource_id, begin=begin, end=end))[0])


def open_probe(*, resource_id: str, begin: dt.datetime, end: dt.datetime) -> Probe:
    """`is_open` as a probe that the booking path asks together with its other lookups (one indexed
    statement on every booking; tila.core.db.Probe). Its answer is true or 1 when open."""
    sql = 'EXISTS (SELECT 1 FROM hours_openinginterval WHERE resource_id = %s AND "begin" <= %s AND "end" >= %s)'
    return Probe(sql, (resource_id, db_datetime(begin), db_datetime(end)))
