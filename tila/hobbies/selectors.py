"""Reads of hobby groups: resident search and the sessions of a group."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from tila.accounts.permissions import Action, units_where
from tila.booking.models import ACTIVE_STATES
from tila.catalogue.models import Unit
from tila.core.i18n import translated_q
from tila.core.timeutil import daterange, get_zone, local_datetime
from tila.hobbies.models import HobbyGroup, HobbyTime

MAX_SESSIONS = 400


@dataclass(frozen=True)
class HobbyCriteria:
    age: int | None = None
    district: str = ""
    category: str = ""
    weekday: int | None = None
    free_only: bool = False
    max_price: Decimal | None = None
    language: str = ""
    text: str = ""
    include_past: bool = False


def _base() -> QuerySet[HobbyGroup]:
    return HobbyGroup.objects.select_related("category", "unit", "unit__district", "resource").prefetch_related(
        Prefetch("times", queryset=HobbyTime.objects.order_by("weekday", "begins"))
    )


def _price_q(criteria: HobbyCriteria) -> Q:
    if criteria.free_only:
        return Q(is_free=True)
    if criteria.max_price is not None:
        return Q(is_free=True) | Q(price__lte=criteria.max_price)
    return Q()


def hobby_search(criteria: HobbyCriteria | None = None, *, today: dt.date | None = None) -> QuerySet[HobbyGroup]:
    """Published groups matching every given criterion; by default only seasons not yet over."""
    c = criteria or HobbyCriteria()
    qs = _base().filter(published=True)
    if not c.include_past:
        qs = qs.filter(season_end__gte=today or timezone.localdate())
    if c.age is not None:
        qs = qs.filter(Q(min_age__isnull=True) | Q(min_age__lte=c.age), Q(max_age__isnull=True) | Q(max_age__gte=c.age))
    if c.district:
        qs = qs.filter(unit__district_id=c.district)
    if c.category:
        qs = qs.filter(category_id=c.category)
    if c.weekday is not None:
        qs = qs.filter(pk__in=HobbyTime.objects.filter(weekday=c.weekday).values("group_id"))
    if c.language:
        qs = qs.filter(language=c.language)
    if c.text:
        qs = qs.filter(translated_q("name", "icontains", c.text) | Q(organiser__icontains=c.text))
    return qs.filter(_price_q(c)).order_by("name_fi", "id")


def hobby_visible(user: Any, pk: int) -> HobbyGroup | None:
    """A published group, or an unpublished one to its creator and to the unit's staff."""
    group = _base().filter(pk=pk).first()
    if group is None or group.published:
        return group
    if user is not None and user.is_authenticated and (group.created_by_id == user.pk or _staff_of(user, group)):
        return group
    return None


def _staff_of(user: Any, group: HobbyGroup) -> bool:
    return Unit.objects.filter(units_where(user, Action.HANDLE), pk=group.unit_id).exists()


def hobby_groups_to_manage(user: Any) -> QuerySet[HobbyGroup]:
    return (
        _base()
        .filter(unit__in=Unit.objects.filter(units_where(user, Action.HANDLE)))
        .order_by("published", "-created_at")
    )


Session = tuple[dt.datetime, dt.datetime]


def hobby_sessions(group: HobbyGroup, *, limit: int = MAX_SESSIONS) -> list[Session]:
    """Every session [begin, end) of the season, in UTC. A group made from a recurring reservation
    has exactly that series' active occurrences; any other has its weekly times between the season's
    first and last day, on the place's wall clock."""
    if group.series_id is not None:
        occurrences = group.series.occurrences.filter(state__in=ACTIVE_STATES).order_by("begin")  # type: ignore[union-attr]
        return [(r.begin, r.end) for r in occurrences[:limit]]
    zone = get_zone(group.unit.time_zone)
    times: dict[int, list[HobbyTime]] = {}
    for t in group.times.all():
        times.setdefault(t.weekday, []).append(t)
    out: list[Session] = []
    for day in daterange(group.season_start, group.season_end):
        for t in times.get(day.weekday(), []):
            out.append((local_datetime(day, t.begins, zone), local_datetime(day, t.ends, zone)))
            if len(out) >= limit:
                return out
    return out
