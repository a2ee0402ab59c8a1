"""Reads of customer feedback: which surveys are open, NPS by dimension and period, the staff inbox.

Counting happens in SQL (one grouped query with conditional counts); the arithmetic is
`tila.feedback.nps`. Periods are in the city's time zone (settings.TIME_ZONE).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear
from django.utils import timezone

from tila.accounts.permissions import Action, units_where
from tila.booking.models import Reservation, ReservationType, State
from tila.catalogue.models import District, Resource, Unit
from tila.feedback.models import CustomerGroup, Response, Source
from tila.feedback.nps import DETRACTOR_MAX, PROMOTER_MIN, Nps, NpsChange, nps, nps_change

SURVEY_OPEN_DAYS = 60
SIGNING_SALT = "tila.feedback.survey"
DIMENSIONS = {
    "resource": "resource_id",
    "unit": "unit_id",
    "district": "unit__district_id",
    "customer_group": "customer_group",
    "source": "source",
}
PERIODS = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


def city_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


# --- Surveys of reservations ---------------------------------------------------------------------


def survey_token(reservation_id: int) -> str:
    """The capability in a survey link: a signed reservation id (no database row needed)."""
    return signing.dumps({"r": reservation_id}, salt=SIGNING_SALT, compress=True)


def reservation_id_from_token(token: str) -> int | None:
    try:
        data = signing.loads(token, salt=SIGNING_SALT, max_age=dt.timedelta(days=SURVEY_OPEN_DAYS + 30))
    except signing.BadSignature:
        return None
    value = data.get("r") if isinstance(data, dict) else None
    return value if isinstance(value, int) else None


def surveyable_q(now: dt.datetime) -> Q:
    """Reservations whose survey is open at `now`: a customer's confirmed booking that ended within
    the last SURVEY_OPEN_DAYS days (closures and cancelled bookings are never surveyed)."""
    return Q(
        type=ReservationType.NORMAL,
        state=State.CONFIRMED,
        end__lte=now,
        end__gt=now - dt.timedelta(days=SURVEY_OPEN_DAYS),
    )


def survey_state(reservation: Reservation, now: dt.datetime | None = None) -> str:
    """ "open", "answered", "not_ended" or "closed" (cancelled, a closure, or too long ago)."""
    now = now or timezone.now()
    if Response.objects.filter(reservation_id=reservation.pk).exists():
        return "answered"
    if reservation.type != ReservationType.NORMAL or reservation.state != State.CONFIRMED:
        return "closed"
    if reservation.end > now:
        return "not_ended"
    if reservation.end <= now - dt.timedelta(days=SURVEY_OPEN_DAYS):
        return "closed"
    return "open"


def open_surveys(user: Any, now: dt.datetime | None = None) -> QuerySet[Reservation]:
    """The signed-in person's reservations that wait for an answer (for My reservations)."""
    now = now or timezone.now()
    if user is None or not user.is_authenticated:
        return Reservation.objects.none()
    return (
        Reservation.objects.filter(surveyable_q(now), user=user, feedback__isnull=True)
        .select_related("resource", "resource__unit")
        .order_by("-end", "-id")
    )


@dataclass(frozen=True)
class SurveyStates:
    """For a list of reservations: which have an open survey and which are answered (two queries)."""

    open_ids: frozenset[int]
    answered_ids: frozenset[int]


def survey_states(reservations: Iterable[Reservation], now: dt.datetime | None = None) -> SurveyStates:
    now = now or timezone.now()
    ids = [r.pk for r in reservations]
    answered = set(Response.objects.filter(reservation_id__in=ids).values_list("reservation_id", flat=True))
    open_ids = set(
        Reservation.objects.filter(surveyable_q(now), pk__in=ids).exclude(pk__in=answered).values_list("pk", flat=True)
    )
    return SurveyStates(frozenset(open_ids), frozenset(a for a in answered if a is not None))


# --- NPS -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NpsFilter:
    begin: dt.datetime | None = None  # answered at or after
    end: dt.datetime | None = None  # answered before
    unit_ids: tuple[str, ...] = ()
    district_ids: tuple[str, ...] = ()
    resource_ids: tuple[str, ...] = ()
    customer_groups: tuple[str, ...] = ()
    sources: tuple[str, ...] = field(default_factory=tuple)

    def queryset(self) -> QuerySet[Response]:
        qs = Response.objects.all()
        if self.begin is not None:
            qs = qs.filter(created_at__gte=self.begin)
        if self.end is not None:
            qs = qs.filter(created_at__lt=self.end)
        for name, values in (
            ("unit_id__in", self.unit_ids),
            ("unit__district_id__in", self.district_ids),
            ("resource_id__in", self.resource_ids),
            ("customer_group__in", self.customer_groups),
            ("source__in", self.sources),
        ):
            if values:
                qs = qs.filter(**{name: list(values)})
        return qs


COUNTS = {
    "total": Count("id"),
    "promoters": Count("id", filter=Q(score__gte=PROMOTER_MIN)),
    "detractors": Count("id", filter=Q(score__lte=DETRACTOR_MAX)),
}


def _nps_of(row: dict[str, Any]) -> Nps:
    promoters, detractors = int(row["promoters"]), int(row["detractors"])
    return nps(promoters, int(row["total"]) - promoters - detractors, detractors)


def nps_overall(filters: NpsFilter | None = None) -> Nps:
    row = (filters or NpsFilter()).queryset().aggregate(**COUNTS)
    return _nps_of(row)


@dataclass(frozen=True)
class NpsRow:
    key: str
    label: str
    nps: Nps


def _labels(dimension: str, keys: list[str]) -> dict[str, str]:
    if dimension == "unit":
        return {u.pk: str(u.name) for u in Unit.objects.filter(pk__in=keys)}
    if dimension == "resource":
        return {r.pk: str(r.name) for r in Resource.objects.filter(pk__in=keys)}
    if dimension == "district":
        return {d.pk: str(d.name) for d in District.objects.filter(pk__in=keys)}
    if dimension == "customer_group":
        return {str(k): str(v) for k, v in CustomerGroup.choices}
    if dimension == "source":
        return {str(k): str(v) for k, v in Source.choices}
    return {}


def nps_by(dimension: str, filters: NpsFilter | None = None) -> list[NpsRow]:
    """NPS per resource, unit, district, customer group or source, largest samples first."""
    column = DIMENSIONS[dimension]
    rows = list((filters or NpsFilter()).queryset().values(column).annotate(**COUNTS).order_by("-total", column))
    labels = _labels(dimension, [str(r[column]) for r in rows if r[column] is not None])
    out = []
    for row in rows:
        key = "" if row[column] is None else str(row[column])
        out.append(NpsRow(key=key, label=labels.get(key, key or "–"), nps=_nps_of(row)))
    return out


def nps_trend(period: str, filters: NpsFilter | None = None) -> list[NpsRow]:
    """NPS per month, quarter or year (key: the period's first day, ISO), oldest first."""
    trunc = PERIODS[period]("created_at", tzinfo=city_zone())
    rows = (filters or NpsFilter()).queryset().annotate(period=trunc).values("period").annotate(**COUNTS)
    out = []
    for row in sorted(rows, key=lambda r: r["period"]):
        start = row["period"]
        day = start.date() if isinstance(start, dt.datetime) else start
        out.append(NpsRow(key=day.isoformat(), label=period_label(period, day), nps=_nps_of(row)))
    return out


def period_label(period: str, day: dt.date) -> str:
    if period == "year":
        return str(day.year)
    if period == "quarter":
        return f"{day.year} Q{(day.month - 1) // 3 + 1}"
    return f"{day.month}/{day.year}"


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    zone = city_zone()
    return dt.datetime(year, 1, 1, tzinfo=zone), dt.datetime(year + 1, 1, 1, tzinfo=zone)


def nps_year_change(year: int, filters: NpsFilter | None = None, *, until: dt.date | None = None) -> NpsChange:
    """This year against last, optionally both cut at the same day of the year (`until`, exclusive)
    so that a year in progress is compared with the same months of the previous year."""
    base = filters or NpsFilter()
    this_begin, this_end = year_bounds(year)
    last_begin, last_end = year_bounds(year - 1)
    if until is not None:
        this_end = min(this_end, dt.datetime(year, until.month, until.day, tzinfo=city_zone()))
        last_end = min(last_end, same_day_last_year(this_end))
    before = nps_overall(replace(base, begin=last_begin, end=last_end))
    after = nps_overall(replace(base, begin=this_begin, end=this_end))
    return nps_change(before, after)


def same_day_last_year(moment: dt.datetime) -> dt.datetime:
    """The same wall-clock moment a year earlier (29 February becomes 1 March)."""
    try:
        return moment.replace(year=moment.year - 1)
    except ValueError:
        return moment.replace(year=moment.year - 1, month=3, day=1)


# --- Staff inbox ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxFilter:
    unit_id: str = ""
    theme: str = ""
    handled: str = ""  # "", "yes", "no"
    category: str = ""  # "", "promoter", "passive", "detractor"
    since: dt.date | None = None
    until: dt.date | None = None
    text: str = ""


CATEGORY_Q = {
    "promoter": Q(score__gte=PROMOTER_MIN),
    "passive": Q(score__gt=DETRACTOR_MAX, score__lt=PROMOTER_MIN),
    "detractor": Q(score__lte=DETRACTOR_MAX),
}


def inbox_units(user: Any) -> QuerySet[Unit]:
    return Unit.objects.filter(units_where(user, Action.VIEW))


def _date_q(filters: InboxFilter) -> Q:
    q = Q()
    zone = city_zone()
    if filters.since is not None:
        q &= Q(created_at__gte=dt.datetime.combine(filters.since, dt.time(0), tzinfo=zone))
    if filters.until is not None:
        q &= Q(created_at__lt=dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time(0), tzinfo=zone))
    return q


def inbox(user: Any, filters: InboxFilter | None = None) -> QuerySet[Response]:
    """Answers with a comment, in the units where `user` may view reports, newest first."""
    filters = filters or InboxFilter()
    qs = Response.objects.filter(unit__in=inbox_units(user)).exclude(comment="")
    if filters.unit_id:
        qs = qs.filter(unit_id=filters.unit_id)
    if filters.theme:
        qs = qs.filter(themes__id=filters.theme)
    if filters.handled == "yes":
        qs = qs.filter(handled_at__isnull=False)
    elif filters.handled == "no":
        qs = qs.filter(handled_at__isnull=True)
    if filters.category in CATEGORY_Q:
        qs = qs.filter(CATEGORY_Q[filters.category])
    if filters.text:
        qs = qs.filter(comment__icontains=filters.text)
    qs = qs.filter(_date_q(filters))
    return (
        qs.select_related("unit", "resource", "handled_by")
        .prefetch_related("themes")
        .order_by("-created_at", "-id")
        .distinct()
    )
