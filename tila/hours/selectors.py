"""Reads over opening hours."""

from __future__ import annotations

import datetime as dt

from tila.core.timeutil import Interval, merge
from tila.hours.models import OpeningInterval


def opening_intervals(*, resource_id: str, begin: dt.datetime, end: dt.datetime) -> list[Interval]:
    """The resource's opening intervals that overlap [begin, end), unclipped and merged."""
    rows = OpeningInterval.objects.filter(resource_id=resource_id, begin__lt=end, end__gt=begin).values_list(
        "begin", "end"
    )
    return merge(rows)


def is_open(*, resource_id: str, begin: dt.datetime, end: dt.datetime) -> bool:
    """Whether [begin, end) lies entirely inside the resource's opening hours."""
    return OpeningInterval.objects.filter(resource_id=resource_id, begin__lte=begin, end__gte=end).exists()
