"""Reads over the catalogue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from tila.catalogue.models import Purpose, Resource, ResourceLeaf, Unit
from tila.core.i18n import translated_q


@dataclass(frozen=True)
class Rules:
    """A resource's effective booking rules (resource value, else unit value, else default)."""

    min_period: dt.timedelta
    max_period: dt.timedelta | None
    slot_size: dt.timedelta
    min_days_ahead: int
    max_days_ahead: int | None
    buffer_before: dt.timedelta
    buffer_after: dt.timedelta
    max_reservations_per_user: int | None
    need_manual_confirmation: bool
    authentication: str
    cancel_cutoff: dt.timedelta | None


DEFAULT_RULES: dict[str, Any] = {
    "min_period": None,  # falls back to the slot size
    "max_period": None,  # no limit: overnight and multi-day bookings are allowed
    "slot_size": dt.timedelta(minutes=30),
    "reservable_min_days_in_advance": 0,
    "reservable_max_days_in_advance": 365,
    "buffer_before": dt.timedelta(0),
    "buffer_after": dt.timedelta(0),
    "max_reservations_per_user": None,
    "need_manual_confirmation": False,
    "authentication": "none",
    "cancel_cutoff": None,
}


def _effective(resource: Resource, unit: Unit, name: str) -> Any:
    for source in (resource, unit):
        value = getattr(source, name)
        if value is not None and value != "":
            return value
    return DEFAULT_RULES[name]


def resource_rules(resource: Resource) -> Rules:
    unit = resource.unit
    slot = _effective(resource, unit, "slot_size") or DEFAULT_RULES["slot_size"]
    min_period = _effective(resource, unit, "min_period") or slot
    return Rules(
        min_period=min_period,
        max_period=_effective(resource, unit, "max_period"),
        slot_size=slot,
        min_days_ahead=_effective(resource, unit, "reservable_min_days_in_advance"),
        max_days_ahead=_effective(resource, unit, "reservable_max_days_in_advance"),
        buffer_before=_effective(resource, unit, "buffer_before"),
        buffer_after=_effective(resource, unit, "buffer_after"),
        max_reservations_per_user=_effective(resource, unit, "max_reservations_per_user"),
        need_manual_confirmation=bool(_effective(resource, unit, "need_manual_confirmation")),
        authentication=_effective(resource, unit, "authentication"),
        cancel_cutoff=_effective(resource, unit, "cancel_cutoff"),
    )


def published_q(at: dt.datetime | None = None) -> Q:
    """Resources a resident may see at `at`."""
    at = at or timezone.now()
    return (
        Q(public=True)
        & (Q(publish_begin__isnull=True) | Q(publish_begin__lte=at))
        & (Q(publish_end__isnull=True) | Q(publish_end__gt=at))
    )


def resource_visible_list(*, include_hidden: bool = False) -> QuerySet[Resource]:
    qs = Resource.objects.select_related("unit", "type", "unit__district", "parent")
    return qs if include_hidden else qs.filter(published_q())


def resources_visible_to(user: Any) -> QuerySet[Resource]:
    """Published resources, plus the unpublished ones of the units where `user` is staff."""
    from tila.accounts.permissions import Action, units_where

    qs = Resource.objects.all()
    if user is None or not getattr(user, "is_authenticated", False):
        return qs.filter(published_q())
    return qs.filter(published_q() | Q(unit__in=Unit.objects.filter(units_where(user, Action.VIEW))))


def purpose_with_descendants(ids: list[str]) -> list[str]:
    """The purposes and every purpose below them in the tree (searching "Sports" finds "Floorball")."""
    found, frontier = set(ids), set(ids)
    while frontier:
        frontier = set(Purpose.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        found |= frontier
    return sorted(found)


def resource_filter(
    qs: QuerySet[Resource],
    *,
    purposes: list[str] | None = None,
    types: list[str] | None = None,
    main_type: str | None = None,
    people: int | None = None,
    units: list[str] | None = None,
    districts: list[str] | None = None,
    equipment: list[str] | None = None,
    text: str | None = None,
) -> QuerySet[Resource]:
    """The catalogue search shared by the API, the resident pages and the benchmarks. Filters combine
    with AND; relations are tested with EXISTS so the result needs no DISTINCT."""
    if purposes:
        through = Resource.purposes.through.objects.filter(
            resource_id=OuterRef("pk"), purpose_id__in=purpose_with_descendants(purposes)
        )
        qs = qs.filter(Exists(through))
    if types:
        qs = qs.filter(type_id__in=types)
    if main_type:
        qs = qs.filter(type__main_type=main_type)
    if people is not None:
        qs = qs.filter(people_capacity__gte=people)
    if units:
        qs = qs.filter(unit_id__in=units)
    if districts:
        qs = qs.filter(unit__district_id__in=districts)
    for item in equipment or []:
        qs = qs.filter(Exists(Resource.equipment.through.objects.filter(resource_id=OuterRef("pk"), equipment_id=item)))
    if text and text.strip():
        needle = text.strip()[:100]
        qs = qs.filter(
            translated_q("name", "icontains", needle)
            | translated_q("description", "icontains", needle)
            | translated_q("unit__name", "icontains", needle)
        )
    return qs


def leaf_ids(resource_id: str) -> list[str]:
    return list(ResourceLeaf.objects.filter(resource_id=resource_id).values_list("leaf_id", flat=True))


def related_resource_ids(resource_id: str) -> list[str]:
    """Resources whose spaces share a leaf with `resource_id` (itself, ancestors, descendants)."""
    leaves = ResourceLeaf.objects.filter(resource_id=resource_id).values("leaf_id")
    return list(ResourceLeaf.objects.filter(leaf_id__in=leaves).values_list("resource_id", flat=True).distinct())


def resource_ancestors(resource: Resource) -> list[Resource]:
    out: list[Resource] = []
    seen = {resource.pk}
    node = resource.parent
    while node is not None and node.pk not in seen:
        out.append(node)
        seen.add(node.pk)
        node = node.parent
    return out
