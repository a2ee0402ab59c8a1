"""The change indicators, computed from live data. Each returns a `Table`: the one shape that the
dashboard's charts and data tables, its CSV and JSON downloads and the open-data API all share.

Conventions (see docs/indicators.md):
* A reservation counts when it is a customer's booking (type normal) and confirmed; it belongs to
  the month and year in which it begins, in the city's time zone. Booked hours = end − begin.
* Per 1,000 residents uses the district's population of the year, else its latest earlier figure.
* Utilisation = booked hours / opening hours of the leaf spaces (a booking of a whole hall counts
  once per part it covers; items are left out).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tila.booking.models import Reservation, ReservationType, State
from tila.catalogue.models import District, MainType, Resource, Unit
from tila.feedback.nps import Nps, NpsChange
from tila.feedback.selectors import NpsFilter, nps_by, nps_overall, nps_trend, nps_year_change
from tila.hobbies.models import HobbyGroup
from tila.hours.models import OpeningInterval
from tila.insight.models import AgeGroup, AnnouncedResource, Indicator, IndicatorValue, PopulationFigure, age_group_of
from tila.insight.sql import month_of, seconds

HOUR = dt.timedelta(hours=1)
CHILD_GROUPS = (AgeGroup.AGE_0_6, AgeGroup.AGE_7_12, AgeGroup.AGE_13_17)


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def year_range(year: int) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime(year, 1, 1, tzinfo=zone()), dt.datetime(year + 1, 1, 1, tzinfo=zone())


def months_of(year: int, today: dt.date | None = None) -> list[dt.date]:
    """The months of `year` that have begun by `today` (all twelve of a past year)."""
    today = today or timezone.localdate()
    return [dt.date(year, m, 1) for m in range(1, 13) if dt.date(year, m, 1) <= today]


# --- The shared shape ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a lazy translation
    kind: str = "number"  # number, integer, percent, text, date, flag


@dataclass
class Table:
    id: str
    title: Any
    description: Any
    columns: list[Column]
    rows: list[dict[str, Any]]
    notes: list[Any] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)

    def column_keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def export_keys(self) -> list[str]:
        """Columns of downloads: the row's stable key (an id or a date) first, where rows have one."""
        keys = self.column_keys()
        return ["key", *keys] if self.rows and "key" in self.rows[0] and "key" not in keys else keys

    def as_data(self) -> dict[str, Any]:
        """Plain JSON-ready data (labels in the active language)."""
        return {
            "id": self.id,
            "title": str(self.title),
            "description": str(self.description),
            "parameters": self.params,
            "columns": [{"key": c.key, "label": str(c.label), "type": c.kind} for c in self.columns],
            "rows": [{k: plain_value(row.get(k)) for k in self.export_keys()} for row in self.rows],
            "notes": [str(n) for n in self.notes],
        }


def plain_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 2)
    return value


def _share(part: float, whole: float) -> float | None:
    return None if not whole else round(100.0 * part / whole, 1)


def _per_1000(count: float, population: int | None) -> float | None:
    return None if not population else round(1000.0 * count / population, 2)


def _hours(total_seconds: float | None) -> float:
    return round((total_seconds or 0.0) / 3600.0, 1)


def duration() -> Any:
    """Seconds of end − begin, computed in SQL (see tila.insight.sql)."""
    return Sum(seconds())


def booked_reservations() -> QuerySet[Reservation]:
    return Reservation.objects.filter(type=ReservationType.NORMAL, state=State.CONFIRMED)


def reservations_in(year: int, until: dt.datetime | None = None) -> QuerySet[Reservation]:
    begin, end = year_range(year)
    if until is not None:
        end = min(end, until)
    return booked_reservations().filter(begin__gte=begin, begin__lt=end)


# --- NPS -----------------------------------------------------------------------------------------

NPS_COLUMNS = [
    Column("n", _("Answers"), "integer"),
    Column("nps", _("NPS")),
    Column("ci_low", _("Low (95%)")),
    Column("ci_high", _("High (95%)")),
    Column("too_small", _("Under 30 answers"), "flag"),
]


def _nps_row(key: str, label: str, result: Nps) -> dict[str, Any]:
    return {"key": key, "label": label, **result.as_dict()}


def nps_trend_table(*, first_year: int, last_year: int, period: str = "quarter") -> Table:
    begin, _end = year_range(first_year)
    _begin, end = year_range(last_year)
    rows = [_nps_row(r.key, r.label, r.nps) for r in nps_trend(period, NpsFilter(begin=begin, end=end))]
    return Table(
        id="nps",
        title=_("Net Promoter Score"),
        description=_(
            "Share of answers 9–10 minus share of answers 0–6 to “How likely are you to recommend …”, "
            "with the 95% interval (adjusted Wald)."
        ),
        columns=[Column("label", _("Period"), "text"), *NPS_COLUMNS],
        rows=rows,
        notes=[_("Periods with fewer than 30 answers are too small to read.")],
        params={"from": first_year, "to": last_year, "period": period},
    )


NPS_DIMENSION_TITLES = {
    "district": _("NPS by district"),
    "unit": _("NPS by unit"),
    "customer_group": _("NPS by customer group"),
    "resource": _("NPS by space"),
}


def nps_by_table(dimension: str, year: int) -> Table:
    begin, end = year_range(year)
    rows = [_nps_row(r.key, r.label, r.nps) for r in nps_by(dimension, NpsFilter(begin=begin, end=end))]
    return Table(
        id=f"nps-by-{dimension.replace('_', '-')}",
        title=NPS_DIMENSION_TITLES[dimension],
        description=_("NPS of the year's answers, with the number of answers and the 95% interval."),
        columns=[Column("label", _("Group"), "text"), *NPS_COLUMNS],
        rows=rows,
        notes=[_("Groups with fewer than 30 answers are too small to read.")],
        params={"year": year},
    )


def nps_comparison(year: int, until: dt.date | None = None) -> NpsChange:
    return nps_year_change(year, until=until)


def nps_of_year(year: int) -> Nps:
    begin, end = year_range(year)
    return nps_overall(NpsFilter(begin=begin, end=end))


# --- Bookable resources over time ----------------------------------------------------------------


def _month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first day of every month from `first`'s month to the month after `last` (points in time)."""
    out = []
    year, month = first.year, first.month
    while dt.date(year, month, 1) <= last:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        out.append(dt.date(year, month, 1))
    return out


def _space_resources() -> QuerySet[Resource]:
    return Resource.objects.filter(type__main_type=MainType.SPACE, public=True)


def resource_growth_table(*, since: dt.date | None = None, until: dt.date | None = None, step: int = 3) -> Table:
    """Spaces open for booking and spaces announced as coming, at the start of every `step`-th month.

    Open at t: a public, reservable space whose booking opened (publish_begin, else when it was
    added) by t and has not closed. Announced at t: a space added with a later publish date, or an
    `AnnouncedResource` announced by t that has not opened or been withdrawn by t."""
    today = timezone.localdate()
    until = until or today
    opened = list(
        _space_resources()
        .filter(reservable=True)
        .annotate(opens=Coalesce("publish_begin", "created_at"))
        .values_list("opens", "publish_end", "created_at")
    )
    plans = list(
        AnnouncedResource.objects.annotate(
            opens=Coalesce("resource__publish_begin", "resource__created_at")
        ).values_list("announced_on", "opens", "withdrawn_on")
    )
    firsts = [timezone.localdate(o) for o, _e, _c in opened] + [a for a, _o, _w in plans]
    since = since or (min(firsts) if firsts else today)
    points = [p for p in _month_ends(since, until) if p <= until]
    points = points[::-1][::step][::-1] if step > 1 else points
    if not points or points[-1] != until:
        points.append(until)
    rows = [_growth_row(point, opened, plans) for point in points]
    return Table(
        id="resources",
        title=_("Spaces open for booking and announced as coming"),
        description=_("The number of spaces residents can book, and of spaces announced as coming, over time."),
        columns=[
            Column("date", _("Date"), "date"),
            Column("bookable", _("Open for booking"), "integer"),
            Column("announced", _("Announced as coming"), "integer"),
        ],
        rows=rows,
        notes=[_("Parts of divisible spaces count as spaces of their own; equipment is not counted.")],
        params={"from": since.isoformat(), "to": until.isoformat()},
    )


def _growth_row(
    point: dt.date, opened: list[tuple[Any, Any, Any]], plans: list[tuple[Any, Any, Any]]
) -> dict[str, Any]:
    moment = dt.datetime.combine(point, dt.time(0), tzinfo=zone())
    bookable = sum(1 for opens, ends, _c in opened if opens <= moment and (ends is None or ends > moment))
    coming = sum(1 for opens, _e, created in opened if created <= moment < opens)
    for announced_on, opens, withdrawn_on in plans:
        if announced_on > point or (withdrawn_on is not None and withdrawn_on <= point):
            continue
        if opens is None or opens > moment:
            coming += 1
    return {"date": point, "bookable": bookable, "announced": coming}


# --- Reservations per district, per age group -----------------------------------------------------


def population_by_district(year: int, groups: Iterable[str] = (AgeGroup.TOTAL,)) -> dict[str, int]:
    """Residents per district: the sum over `groups` of each group's figure for `year`, else the
    latest earlier year, else the earliest later one."""
    best: dict[tuple[str, str], tuple[int, int]] = {}
    for district_id, fig_year, group, population in PopulationFigure.objects.filter(
        age_group__in=list(groups)
    ).values_list("district_id", "year", "age_group", "population"):
        distance = (0 if fig_year <= year else 1000) + abs(year - fig_year)
        key = (district_id, group)
        if key not in best or distance < best[key][0]:
            best[key] = (distance, population)
    out: dict[str, int] = defaultdict(int)
    for (district_id, _group), (_d, population) in best.items():
        out[district_id] += population
    return dict(out)


def _district_counts(year: int, until: dt.datetime | None) -> dict[str, dict[str, Any]]:
    rows = (
        reservations_in(year, until)
        .values("resource__unit__district_id")
        .annotate(count=Count("id"), duration=duration())
    )
    return {str(r["resource__unit__district_id"]): r for r in rows if r["resource__unit__district_id"]}


def reservations_by_district_table(year: int, until: dt.datetime | None = None) -> Table:
    this, last = _district_counts(year, until), _district_counts(year - 1, _same_moment_last_year(until))
    population, previous = population_by_district(year), population_by_district(year - 1)
    rows = []
    for district in District.objects.all():
        now_row, then_row = this.get(district.pk, {}), last.get(district.pk, {})
        people = population.get(district.pk)
        count, hours = int(now_row.get("count", 0)), _hours(now_row.get("duration"))
        rows.append(
            {
                "key": district.pk,
                "label": str(district.name),
                "population": people,
                "reservations": count,
                "hours": hours,
                "reservations_per_1000": _per_1000(count, people),
                "hours_per_1000": _per_1000(hours, people),
                "previous_per_1000": _per_1000(int(then_row.get("count", 0)), previous.get(district.pk)),
            }
        )
    rows.sort(key=lambda r: (r["reservations_per_1000"] is None, -float(r["reservations_per_1000"] or 0), r["label"]))
    return Table(
        id="reservations-by-district",
        title=_("Reservations per 1,000 residents by district"),
        description=_("Confirmed reservations and booked hours of the year, per 1,000 residents of the district."),
        columns=[
            Column("label", _("District"), "text"),
            Column("population", _("Residents"), "integer"),
            Column("reservations", _("Reservations"), "integer"),
            Column("hours", _("Booked hours")),
            Column("reservations_per_1000", _("Reservations per 1,000 residents")),
            Column("hours_per_1000", _("Booked hours per 1,000 residents")),
            Column("previous_per_1000", _("Reservations per 1,000, previous year")),
        ],
        rows=rows,
        notes=[_("The district is the district of the booked space's unit.")],
        params={"year": year},
    )


def _same_moment_last_year(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    try:
        return moment.replace(year=moment.year - 1)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - 1, day=28)


def reservations_by_age_table(year: int) -> Table:
    rows = (
        reservations_in(year)
        .values("user__booker_profile__birth_year")
        .annotate(count=Count("id"), duration=duration())
    )
    buckets: dict[str, dict[str, float]] = {
        g.value: {"count": 0, "hours": 0.0} for g in AgeGroup if g != AgeGroup.TOTAL
    }
    unknown = {"count": 0, "hours": 0.0}
    for row in rows:
        birth_year = row["user__booker_profile__birth_year"]
        target = unknown if birth_year is None else buckets[age_group_of(year - int(birth_year))]
        target["count"] += row["count"]
        target["hours"] += _hours(row["duration"])
    known = sum(b["count"] for b in buckets.values())
    labels = dict(AgeGroup.choices)
    out = [
        {
            "key": group,
            "label": str(labels[group]),
            "reservations": int(b["count"]),
            "hours": round(b["hours"], 1),
            "share": _share(b["count"], known),
        }
        for group, b in buckets.items()
    ]
    out.append(
        {
            "key": "unknown",
            "label": str(_("Age not known")),
            "reservations": int(unknown["count"]),
            "hours": round(unknown["hours"], 1),
            "share": None,
        }
    )
    return Table(
        id="reservations-by-age",
        title=_("Reservations by the booker's age group"),
        description=_("Confirmed reservations of the year by the age of the booker, where the booker has told it."),
        columns=[
            Column("label", _("Age group"), "text"),
            Column("reservations", _("Reservations"), "integer"),
            Column("hours", _("Booked hours")),
            Column("share", _("Share of reservations with a known age (%)"), "percent"),
        ],
        rows=out,
        notes=[_("Age is the age reached during the year; bookers tell their year of birth in the feedback survey.")],
        params={"year": year},
    )


# --- Utilisation of opening hours ----------------------------------------------------------------


def _leaf_space_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}type__main_type": MainType.SPACE, f"{prefix}children__isnull": True})


def _monthly(qs: QuerySet[Any], *, year: int, group: str) -> dict[tuple[dt.date, Any], float]:
    """Seconds of end − begin per (month of `year`, `group`), bucketed in SQL."""
    rows = qs.annotate(month=month_of("begin", year)).values("month", group).annotate(total=duration())
    return {(dt.date(year, r["month"], 1), r[group]): float(r["total"] or 0.0) for r in rows if r["month"]}


def _utilisation_parts(year: int) -> tuple[dict[Any, float], dict[Any, float]]:
    """Booked and open hours of leaf spaces per (month, unit id), up to now."""
    now = timezone.now()
    begin, end = year_range(year)
    booked = _monthly(
        reservations_in(year, until=now).filter(
            resource__leaf_links__leaf__type__main_type=MainType.SPACE,
            resource__leaf_links__leaf__children__isnull=True,
        ),
        year=year,
        group="resource__unit_id",
    )
    open_ = _monthly(
        OpeningInterval.objects.filter(begin__gte=begin, begin__lt=min(end, now)).filter(_leaf_space_q("resource__")),
        year=year,
        group="resource__unit_id",
    )
    return booked, open_


def _by_month(parts: dict[Any, float]) -> dict[dt.date, float]:
    out: dict[dt.date, float] = defaultdict(float)
    for (month, _unit), value in parts.items():
        out[month] += value
    return out


def utilisation_table(year: int) -> Table:
    booked, open_ = (_by_month(p) for p in _utilisation_parts(year))
    rows = []
    for month in months_of(year):
        b, o = _hours(booked.get(month)), _hours(open_.get(month))
        rows.append(
            {
                "key": month,
                "label": f"{month.month}/{month.year}",
                "open_hours": o,
                "booked_hours": b,
                "utilisation": _share(b, o),
            }
        )
    return Table(
        id="utilisation",
        title=_("Utilisation of opening hours"),
        description=_("Booked hours as a share of the hours the spaces are open for booking, by month."),
        columns=[
            Column("label", _("Month"), "text"),
            Column("open_hours", _("Open hours")),
            Column("booked_hours", _("Booked hours")),
            Column("utilisation", _("Utilisation (%)"), "percent"),
        ],
        rows=rows,
        notes=[_("Counted over the smallest bookable parts of spaces: booking a whole hall uses each of its parts.")],
        params={"year": year},
    )


def utilisation_by_unit_table(year: int) -> Table:
    booked, open_ = _utilisation_parts(year)
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for (_m, unit_id), value in booked.items():
        totals[unit_id][0] += value
    for (_m, unit_id), value in open_.items():
        totals[unit_id][1] += value
    names = {u.pk: str(u.name) for u in Unit.objects.filter(pk__in=list(totals))}
    rows = [
        {
            "key": uid,
            "label": names.get(uid, uid),
            "open_hours": _hours(o),
            "booked_hours": _hours(b),
            "utilisation": _share(_hours(b), _hours(o)),
        }
        for uid, (b, o) in totals.items()
    ]
    rows.sort(key=lambda r: (r["utilisation"] is None, -float(r["utilisation"] or 0)))
    return Table(
        id="utilisation-by-unit",
        title=_("Utilisation of opening hours by unit"),
        description=_("Booked hours as a share of open hours over the year, per unit."),
        columns=[
            Column("label", _("Unit"), "text"),
            Column("open_hours", _("Open hours")),
            Column("booked_hours", _("Booked hours")),
            Column("utilisation", _("Utilisation (%)"), "percent"),
        ],
        rows=rows,
        params={"year": year},
    )


# --- First-time bookers --------------------------------------------------------------------------


def first_time_table(year: int) -> Table:
    begin, end = year_range(year)
    base = booked_reservations().filter(user__isnull=False)
    active = _monthly_distinct_users(base.filter(begin__gte=begin, begin__lt=end), year)
    firsts = (
        base.values("user_id")
        .annotate(first=Min("begin"))
        .filter(first__gte=begin, first__lt=end)
        .values_list("first", flat=True)
    )
    new: dict[dt.date, int] = defaultdict(int)
    for first in firsts:
        local = timezone.localtime(first, zone())
        new[dt.date(local.year, local.month, 1)] += 1
    rows = []
    for month in months_of(year):
        bookers = active.get(month, 0)
        rows.append(
            {
                "key": month,
                "label": f"{month.month}/{month.year}",
                "bookers": bookers,
                "first_time": new.get(month, 0),
                "share": _share(new.get(month, 0), bookers),
            }
        )
    return Table(
        id="first-time-bookers",
        title=_("Share of first-time bookers"),
        description=_("Of the people who had a booking in the month, those whose first booking ever it was."),
        columns=[
            Column("label", _("Month"), "text"),
            Column("bookers", _("Bookers"), "integer"),
            Column("first_time", _("First-time bookers"), "integer"),
            Column("share", _("Share (%)"), "percent"),
        ],
        rows=rows,
        params={"year": year},
    )


def _monthly_distinct_users(qs: QuerySet[Reservation], year: int) -> dict[dt.date, int]:
    rows = qs.annotate(month=month_of("begin", year)).values("month").annotate(n=Count("user_id", distinct=True))
    return {dt.date(year, r["month"], 1): r["n"] for r in rows if r["month"]}


# --- Hobby groups per district -------------------------------------------------------------------


def hobby_groups_table(year: int) -> Table:
    begin, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    groups = HobbyGroup.objects.filter(published=True, season_start__lte=end, season_end__gte=begin)
    counts = {
        r["unit__district_id"]: r
        for r in groups.values("unit__district_id").annotate(
            total=Count("id"), children=Count("id", filter=Q(min_age__lt=18) | Q(min_age__isnull=True))
        )
    }
    children = population_by_district(year, CHILD_GROUPS)
    rows: list[dict[str, Any]] = []
    for district in District.objects.all():
        row = counts.get(district.pk, {})
        kids = int(row.get("children", 0))
        rows.append(
            {
                "key": district.pk,
                "label": str(district.name),
                "groups": int(row.get("total", 0)),
                "children_groups": kids,
                "residents_under_18": children.get(district.pk),
                "per_1000_children": _per_1000(kids, children.get(district.pk)),
            }
        )
    rows.sort(key=lambda r: (-int(r["groups"]), str(r["label"])))
    return Table(
        id="hobby-groups",
        title=_("Hobby groups by district"),
        description=_(
            "Published hobby groups whose season falls in the year, and those for children and young people."
        ),
        columns=[
            Column("label", _("District"), "text"),
            Column("groups", _("Hobby groups"), "integer"),
            Column("children_groups", _("For under-18s"), "integer"),
            Column("residents_under_18", _("Residents under 18"), "integer"),
            Column("per_1000_children", _("Groups for under-18s per 1,000 residents under 18")),
        ],
        rows=rows,
        params={"year": year},
    )


# --- City-entered indicators ---------------------------------------------------------------------


def city_indicators(public_only: bool = False) -> QuerySet[Indicator]:
    qs = Indicator.objects.all()
    return qs.filter(public=True) if public_only else qs


def city_indicator_table(indicator: Indicator, *, first_year: int, last_year: int) -> Table:
    values = (
        IndicatorValue.objects.filter(
            indicator=indicator, period__gte=dt.date(first_year, 1, 1), period__lte=dt.date(last_year, 12, 31)
        )
        .select_related("unit", "district")
        .order_by("period", "segment", "unit_id", "district_id")
    )
    rows = []
    for v in values:
        scope = v.unit or v.district
        rows.append(
            {
                "period": v.period,
                "label": _period_text(v.period, indicator.granularity),
                "scope": str(scope.name) if scope else str(_("Whole city")),
                "scope_id": v.unit_id or v.district_id or "",
                "segment": v.segment,
                "value": v.value,
            }
        )
    return Table(
        id=f"city-{indicator.pk}",
        title=str(indicator.name),
        description=str(indicator.description) or str(_("A figure the city enters itself.")),
        columns=[
            Column("label", _("Period"), "text"),
            Column("scope", _("Unit or area"), "text"),
            Column("segment", _("Group"), "text"),
            Column("value", str(indicator.measure) or _("Value")),
        ],
        rows=rows,
        notes=[_("Source: %(source)s") % {"source": indicator.source}] if indicator.source else [],
        params={"from": first_year, "to": last_year, "indicator": indicator.pk},
    )


def _period_text(period: dt.date, granularity: str) -> str:
    return str(period.year) if granularity == "year" else f"{period.month}/{period.year}"


def city_indicator_totals(table: Table) -> tuple[list[str], dict[str, list[float | None]]]:
    """For the chart: periods, and per segment the sum over units and areas."""
    periods: list[str] = []
    sums: dict[str, dict[str, float]] = defaultdict(dict)
    for row in table.rows:
        if row["label"] not in periods:
            periods.append(row["label"])
        seg = row["segment"] or str(_("Total"))
        sums[seg][row["label"]] = sums[seg].get(row["label"], 0.0) + float(row["value"])
    return periods, {seg: [vals.get(p) for p in periods] for seg, vals in sums.items()}


# --- This year against last -----------------------------------------------------------------------


@dataclass(frozen=True)
class Kpi:
    key: str
    label: Any
    this: float | None
    last: float | None
    unit: str = ""
    note: str = ""
    decimals: int = 0

    @property
    def change(self) -> float | None:
        if self.this is None or self.last is None:
            return None
        return round(self.this - self.last, 1)


def year_summary(year: int, *, today: dt.date | None = None) -> tuple[list[Kpi], NpsChange]:
    """Key figures of `year` (to date, if it is the current year) against the same part of last year."""
    today = today or timezone.localdate()
    cut = today if year == today.year else None
    until = dt.datetime.combine(cut, dt.time(0), tzinfo=zone()) if cut else None
    last_until = _same_moment_last_year(until)
    this_res, last_res = reservations_in(year, until), reservations_in(year - 1, last_until)
    this_agg = this_res.aggregate(n=Count("id"), d=duration(), users=Count("user_id", distinct=True))
    last_agg = last_res.aggregate(n=Count("id"), d=duration(), users=Count("user_id", distinct=True))
    change = nps_comparison(year, cut)
    kpis = [
        Kpi("reservations", _("Reservations"), this_agg["n"], last_agg["n"]),
        Kpi("hours", _("Booked hours"), _hours(this_agg["d"]), _hours(last_agg["d"])),
        Kpi("bookers", _("People who booked"), this_agg["users"], last_agg["users"]),
    ]
    return kpis, change
