"""Opening hours: resolve periods into intervals, materialise them, and edit periods.

`hours_for_days` is the pure core (periods in, intervals out); `hours_materialise` writes the
result into `OpeningInterval` for a range of days, splicing it onto what is already stored so
that intervals stay merged across midnight. Period writes rematerialise the resources they
affect inside the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tila.accounts.permissions import Action, can
from tila.catalogue.models import Resource, Unit
from tila.core.audit import audit_log, snapshot
from tila.core.errors import DomainError, PermissionDenied
from tila.core.i18n import translated_kwargs
from tila.core.timeutil import Interval, get_zone, local_datetime, merge
from tila.hours.models import OpeningInterval, OpeningPeriod, WeeklyRule

MAX_DATE = dt.date.max


@dataclass(frozen=True)
class PeriodSpec:
    """A period reduced to what resolution needs."""

    id: int
    start: dt.date
    end: dt.date | None
    closed: bool
    rules: tuple[tuple[int, dt.time, dt.time], ...]

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    @property
    def length(self) -> int:
        return (self.end or MAX_DATE).toordinal() - self.start.toordinal()


def _most_specific(periods: Sequence[PeriodSpec], day: dt.date) -> PeriodSpec | None:
    covering = [p for p in periods if p.covers(day)]
    if not covering:
        return None
    # Shortest wins; on a tie the later start, then the newer period.
    return min(covering, key=lambda p: (p.length, -p.start.toordinal(), -p.id))


def _effective_period(own: Sequence[PeriodSpec], inherited: Sequence[PeriodSpec], day: dt.date) -> PeriodSpec | None:
    """The resource's most specific own period, else its unit's; but a unit's *closure* that is more
    specific than the resource's own period still closes the day (the building is shut)."""
    mine = _most_specific(own, day)
    theirs = _most_specific(inherited, day)
    if mine is None:
        return theirs
    if theirs is not None and theirs.closed and theirs.length < mine.length:
        return theirs
    return mine


def hours_for_days(
    *,
    own: Sequence[PeriodSpec],
    inherited: Sequence[PeriodSpec],
    first: dt.date,
    last: dt.date,
    zone: Any,
) -> list[Interval]:
    """Merged opening intervals for the days `first`..`last` (intervals may run past `last`)."""
    intervals: list[Interval] = []
    day = first
    while day <= last:
        period = _effective_period(own, inherited, day)
        if period is not None and not period.closed:
            for weekday, opens, closes in period.rules:
                if weekday != day.weekday():
                    continue
                begin = local_datetime(day, opens, zone)
                end_day = day if closes > opens else day + dt.timedelta(days=1)
                end = local_datetime(end_day, closes, zone)
                if begin < end:
                    intervals.append((begin, end))
        day += dt.timedelta(days=1)
    return merge(intervals)


def horizon(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    return (
        today - dt.timedelta(days=settings.TILA_HOURS_PAST_DAYS),
        today + dt.timedelta(days=settings.TILA_HOURS_AHEAD_DAYS),
    )


def _period_specs(q: Q) -> dict[tuple[str, str], list[PeriodSpec]]:
    """Periods matching `q`, keyed by ("unit"|"resource", id)."""
    rules: dict[int, list[tuple[int, dt.time, dt.time]]] = defaultdict(list)
    periods = list(OpeningPeriod.objects.filter(q).values("id", "unit_id", "resource_id", "start", "end", "closed"))
    for period_id, weekday, opens, closes in WeeklyRule.objects.filter(
        period_id__in=[p["id"] for p in periods]
    ).values_list("period_id", "weekday", "opens", "closes"):
        rules[period_id].append((weekday, opens, closes))
    out: dict[tuple[str, str], list[PeriodSpec]] = defaultdict(list)
    for p in periods:
        key = ("unit", p["unit_id"]) if p["unit_id"] else ("resource", p["resource_id"])
        out[key].append(PeriodSpec(p["id"], p["start"], p["end"], p["closed"], tuple(rules[p["id"]])))
    return out


def hours_materialise(
    *,
    resource_ids: Iterable[str] | None = None,
    first: dt.date | None = None,
    last: dt.date | None = None,
    fresh: bool = False,
) -> int:
    """Recompute stored opening intervals of the resources from day `first` to `last`.

    Stored intervals that begin before `first`'s midnight are kept (truncated there and joined to
    the new ones when they touch). Defaults: all resources, the whole materialisation horizon.
    `fresh=True` (bulk loads) drops the resources' stored intervals first and skips the splice.
    Returns the number of intervals written.
    """
    h_first, h_last = horizon()
    first = first or h_first
    last = last or h_last
    resources = Resource.objects.all() if resource_ids is None else Resource.objects.filter(pk__in=list(resource_ids))
    rows = list(resources.values_list("id", "unit_id", "unit__time_zone"))
    if not rows:
        return 0
    ids = [r[0] for r in rows]
    if fresh:
        stale = (
            OpeningInterval.objects.all()
            if resource_ids is None
            else OpeningInterval.objects.filter(resource_id__in=ids)
        )
        stale.delete()
    specs = _period_specs(Q(resource_id__in=ids) | Q(unit_id__in={r[1] for r in rows}))
    unit_cache: dict[str, list[Interval]] = {}
    written = 0
    for chunk_start in range(0, len(rows), 500):
        chunk = rows[chunk_start : chunk_start + 500]
        new_rows: list[OpeningInterval] = []
        for rid, unit_id, tz_name in chunk:
            zone = get_zone(tz_name)
            cut = local_datetime(first, dt.time(0), zone)
            own = specs.get(("resource", rid), [])
            if own:
                intervals = hours_for_days(
                    own=own,
                    inherited=specs.get(("unit", unit_id), []),
                    first=first - dt.timedelta(days=1),
                    last=last,
                    zone=zone,
                )
            else:
                if unit_id not in unit_cache:
                    unit_cache[unit_id] = hours_for_days(
                        own=[],
                        inherited=specs.get(("unit", unit_id), []),
                        first=first - dt.timedelta(days=1),
                        last=last,
                        zone=zone,
                    )
                intervals = unit_cache[unit_id]
            if fresh:
                new_rows.extend(OpeningInterval(resource_id=rid, begin=b, end=e) for b, e in intervals if e > cut)
            else:
                new_rows.extend(_splice(rid, intervals, cut))
        OpeningInterval.objects.bulk_create(new_rows, batch_size=5000)
        written += len(new_rows)
    return written


def _splice(resource_id: str, intervals: list[Interval], cut: dt.datetime) -> list[OpeningInterval]:
    """Replace stored intervals from `cut` on with `intervals` (clipped at `cut`); return new rows."""
    OpeningInterval.objects.filter(resource_id=resource_id, begin__gte=cut).delete()
    clipped = [(max(b, cut), e) for b, e in intervals if e > cut]
    crossing = OpeningInterval.objects.filter(resource_id=resource_id, begin__lt=cut, end__gt=cut).first()
    if crossing is not None:
        crossing.end = cut
    if crossing is not None and clipped and clipped[0][0] == cut:
        crossing.end = clipped[0][1]
        clipped = clipped[1:]
    if crossing is not None:
        crossing.save(update_fields=["end"])
    elif clipped and clipped[0][0] == cut:
        touching = OpeningInterval.objects.filter(resource_id=resource_id, end=cut).first()
        if touching is not None:
            touching.end = clipped[0][1]
            touching.save(update_fields=["end"])
            clipped = clipped[1:]
    return [OpeningInterval(resource_id=resource_id, begin=b, end=e) for b, e in clipped]


def hours_roll_forward(*, today: dt.date | None = None) -> int:
    """Extend every resource's stored hours to the end of the horizon (a daily task)."""
    _, last = horizon(today)
    return hours_materialise(first=last - dt.timedelta(days=2), last=last)


# --- Periods -------------------------------------------------------------------------------------

RuleInput = tuple[int, dt.time, dt.time]


def _affected_resources(period: OpeningPeriod) -> list[str]:
    if period.resource_id:
        return [period.resource_id]
    return list(Resource.objects.filter(unit_id=period.unit_id).values_list("id", flat=True))


def _period_unit_id(period: OpeningPeriod) -> str:
    if period.unit_id:
        return str(period.unit_id)
    return str(Resource.objects.values_list("unit_id", flat=True).get(pk=period.resource_id))


def _validate_rules(rules: Sequence[RuleInput]) -> None:
    for weekday, opens, closes in rules:
        if not (0 <= int(weekday) <= 6):
            raise DomainError("invalid_rule", _("A weekday must be between 0 (Monday) and 6 (Sunday)."), field="rules")
        if not isinstance(opens, dt.time) or not isinstance(closes, dt.time):
            raise DomainError("invalid_rule", _("Opening and closing times must be times of day."), field="rules")


def opening_period_rematerialise(*, period: OpeningPeriod, first: dt.date | None = None) -> None:
    """Recompute the stored hours of the resources `period` applies to, from `first` (default: its start)."""
    h_first, _ = horizon()
    hours_materialise(resource_ids=_affected_resources(period), first=max(first or period.start, h_first))


def _rematerialise(period: OpeningPeriod, first: dt.date) -> None:
    opening_period_rematerialise(period=period, first=first)


@transaction.atomic
def opening_period_create(
    *,
    actor: Any,
    unit: Unit | None = None,
    resource: Resource | None = None,
    start: dt.date,
    end: dt.date | None = None,
    closed: bool = False,
    name: dict[str, str] | str | None = None,
    description: dict[str, str] | str | None = None,
    rules: Sequence[RuleInput] = (),
) -> OpeningPeriod:
    if (unit is None) == (resource is None):
        raise DomainError("invalid", _("A period belongs to either a unit or a resource."))
    unit_id = unit.pk if unit is not None else resource.unit_id  # type: ignore[union-attr]
    if actor is not None and not can(actor, Action.MANAGE, unit_id):
        raise PermissionDenied()
    if end is not None and end < start:
        raise DomainError("invalid_range", _("The period must end on or after its first day."), field="end")
    _validate_rules(rules)
    period = OpeningPeriod.objects.create(
        unit=unit,
        resource=resource,
        start=start,
        end=end,
        closed=closed,
        **translated_kwargs("name", name),
        **translated_kwargs("description", description),
    )
    WeeklyRule.objects.bulk_create([WeeklyRule(period=period, weekday=int(w), opens=o, closes=c) for w, o, c in rules])
    _rematerialise(period, start)
    if actor is not None:
        audit_log(
            actor=actor,
            action="opening_period.create",
            obj=period,
            unit_id=unit_id,
            after={**snapshot(period), "rules": [list(r) for r in rules]},
        )
    return period


def _apply_period_fields(period: OpeningPeriod, fields: dict[str, Any]) -> None:
    for key in ("name", "description"):
        if key in fields:
            for k, v in translated_kwargs(key, fields.pop(key)).items():
                setattr(period, k, v)
    for key in ("start", "end", "closed"):
        if key in fields:
            setattr(period, key, fields.pop(key))
    if fields:
        raise DomainError("invalid", _("Unknown fields: %(fields)s"), fields=", ".join(sorted(fields)))


@transaction.atomic
def opening_period_update(
    *,
    actor: Any,
    period: OpeningPeriod,
    rules: Sequence[RuleInput] | None = None,
    **fields: Any,
) -> OpeningPeriod:
    unit_id = _period_unit_id(period)
    if actor is not None and not can(actor, Action.MANAGE, unit_id):
        raise PermissionDenied()
    before = {**snapshot(period), "rules": [list(r) for r in period.rules.values_list("weekday", "opens", "closes")]}
    old_start = period.start
    _apply_period_fields(period, fields)
    if period.end is not None and period.end < period.start:
        raise DomainError("invalid_range", _("The period must end on or after its first day."), field="end")
    period.save()
    if rules is not None:
        _validate_rules(rules)
        period.rules.all().delete()
        WeeklyRule.objects.bulk_create(
            [WeeklyRule(period=period, weekday=int(w), opens=o, closes=c) for w, o, c in rules]
        )
    _rematerialise(period, min(old_start, period.start))
    if actor is not None:
        after = {**snapshot(period), "rules": [list(r) for r in period.rules.values_list("weekday", "opens", "closes")]}
        audit_log(actor=actor, action="opening_period.update", obj=period, unit_id=unit_id, before=before, after=after)
    return period


@transaction.atomic
def opening_period_delete(*, actor: Any, period: OpeningPeriod) -> None:
    unit_id = _period_unit_id(period)
    if actor is not None and not can(actor, Action.MANAGE, unit_id):
        raise PermissionDenied()
    affected = _affected_resources(period)
    start = period.start
    if actor is not None:
        audit_log(actor=actor, action="opening_period.delete", obj=period, unit_id=unit_id, before=snapshot(period))
    period.delete()
    h_first, _ = horizon()
    hours_materialise(resource_ids=affected, first=max(start, h_first))
