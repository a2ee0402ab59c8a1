"""Reads over opening hours."""

from __future__ import annotations

import datetime as dt

from tila.core.db import db_datetime, fetch_rows
from tila.core.timeutil import Interval, merge
from tila.hours.models import OpeningInterval


def opening_intervals(*, resource_id: str, begin: dt.datetime, end: dt.datetime) -> list[Interval]:
    """The resource's opening intervals that overlap [begin, end), unclipped and merged."""
    rows = OpeningInterval.objects.filter(resource_id=resource_id, begin__lt=end, end__gt=begin).values_list(
        "begin", "end"
    )
    return merge(rows)


def is_open(*, resource_id: str, begin: dt.datetime, end: dt.datetime) -> bool:
    """Whether [begin, end) lies entirely inside one of the resource's opening intervals. On every
    booking, so one statement without the ORM."""
    sql = 'SELECT 1 FROM hours_openinginterval WHERE resource_id = %s AND "begin" <= %s AND "end" >= %s LIMIT 1'
    return bool(fetch_rows(sql, [resource_id, db_datetime(begin), db_datetime(end)]))
