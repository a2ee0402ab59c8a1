"""SQL helpers for the indicators that stay inside the database on both PostgreSQL and SQLite.

Django's duration arithmetic and TruncMonth run as Python functions row by row on SQLite; the
indicators aggregate tens of thousands of rows, so they use plain SQL expressions instead:

* `DurationSeconds("end", "begin")` — seconds between two datetimes (a float);
* `month_of(field, year)` — the month number 1–12 of `field` within `year` (city time zone), as a
  CASE over the twelve month boundaries, so grouping needs no per-row function.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Case, F, FloatField, Func, IntegerField, Q, Value, When


class DurationSeconds(Func):
    """`end - begin` in seconds."""

    arity = 2
    output_field = FloatField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra_context,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="EXTRACT(EPOCH FROM (%(expressions)s))::double precision",
            arg_joiner=" - ",
            **extra_context,
        )


def seconds(begin: str = "begin", end: str = "end") -> DurationSeconds:
    return DurationSeconds(F(end), F(begin))


def month_bounds(year: int) -> list[tuple[int, dt.datetime, dt.datetime]]:
    zone = ZoneInfo(settings.TIME_ZONE)
    out = []
    for month in range(1, 13):
        first = dt.datetime(year, month, 1, tzinfo=zone)
        last = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
        out.append((month, first, last))
    return out


def month_of(field: str, year: int) -> Case:
    whens = [
        When(Q(**{f"{field}__gte": first, f"{field}__lt": last}), then=Value(month))
        for month, first, last in month_bounds(year)
    ]
    return Case(*whens, default=Value(0), output_field=IntegerField())
