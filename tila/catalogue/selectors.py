"""Reads over the catalogue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from tila.catalogue.models import Purpose, Resource, ResourceLeaf, Unit
from tila.core.db import CompiledQuery, Probe, fetch_rows
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


RULE_FIELDS = (
    "min_period",
    "max_period",
    "slot_size",
    "reservable_min_days_in_advance",
    "reservable_max_days_in_advance",
    "buffer_before",
    "buffer_after",
    "max_reservations_per_user",
    "need_manual_confirmation",
    "authentication",
    "cancel_cutoff",
)


def _rules(own: Mapping[str, Any], unit: Mapping[str, Any]) -> Rules:
    """Effective rules from the resource's and its unit's rule fields (as mappings)."""

    def effective(name: str) -> Any:
        for source in (own, unit):
            value = source.get(name)
            if value is not None and value != "":
                return value
        return DEFAULT_RULES[name]

    slot = effective("slot_size") or DEFAULT_RULES["slot_size"]
    return Rules(
        min_period=effective("min_period") or slot,
        max_period=effective("max_period"),
        slot_size=slot,
        min_days_ahead=effective("reservable_min_days_in_advance"),
        max_days_ahead=effective("reservable_max_days_in_advance"),
        buffer_before=effective("buffer_before"),
        buffer_after=effective("buffer_after"),
        max_reservations_per_user=effective("max_reservations_per_user"),
        need_manual_confirmation=bool(effective("need_manual_confirmation")),
        authentication=effective("authentication"),
        cancel_cutoff=effective("cancel_cutoff"),
    )


def _fields_of(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in RULE_FIELDS}


def resource_rules(resource: Resource) -> Rules:
    return _rules(_fields_of(resource), _fields_of(resource.unit))


def resource_rules_bulk(resource_ids: Iterable[str], *, using: str = "default") -> dict[str, tuple[Rules, str]]:
    """Effective rules and time zone of many resources in two queries, without model instances
    (the city-wide availability search needs them for thousands of resources at once)."""
    rows = list(Resource.objects.using(using).filter(pk__in=list(resource_ids)).values("id", "unit_id", *RULE_FIELDS))
    units = {
        u["id"]: u
        for u in Unit.objects.using(using)
        .filter(pk__in={r["unit_id"] for r in rows})
        .values("id", "time_zone", *RULE_FIELDS)
    }
    return {r["id"]: (_rules(r, units[r["unit_id"]]), units[r["unit_id"]]["time_zone"]) for r in rows}


def published_q(at: dt.datetime | None = None) -> Q:
    """Resources a resident may see at `at`."""
    at = at or timezone.now()
    return (
        Q(public=True)
        & (Q(publish_begin__isnull=True) | Q(publish_begin__lte=at))
        & (Q(publish_end__isnull=True) | Q(publish_end__gt=at))
    )


def is_published(resource: Resource, at: dt.datetime | None = None) -> bool:
    """`published_q` for one loaded resource, without a query (keep the two in step)."""
    at = at or timezone.now()
    return (
        resource.public
        and (resource.publish_begin is None or resource.publish_begin <= at)
        and (resource.publish_end is None or resource.publish_end > at)
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


_RESOURCE_WITH_UNIT = CompiledQuery(lambda rid: Resource.objects.select_related("unit").filter(pk=rid).order_by())


def resource_with_unit(resource_id: str) -> Resource | None:
    """One resource with its unit loaded, or None: what every booking reads first (compiled once,
    tila.core.db.CompiledQuery)."""
    return _RESOURCE_WITH_UNIT.first(resource_id)


def leaf_ids(resource_id: str) -> list[str]:
    """The leaf spaces a resource covers, always in the same (sorted) order."""
    return leaf_ids_and(resource_id)[0]


def leaf_ids_and(resource_id: str, *probes: Probe) -> tuple[list[str], tuple[Any, ...]]:
    """`leaf_ids`, and the answers of other modules' `probes` from the same statement: the booking
    path asks its three lookups in one round trip (tila.core.db.Probe). One indexed statement without
    the ORM; the one-row join keeps the answers when the resource has no leaf space."""
    select = ", ".join(["leaf.leaf_id", *(probe.sql for probe in probes)])
    sql = (
        f"SELECT {select} FROM (SELECT 1 AS one) AS one"  # noqa: S608 - the probes' SQL is our own code
        " LEFT JOIN catalogue_resourceleaf leaf ON leaf.resource_id = %s ORDER BY leaf.leaf_id"
    )
    rows = fetch_rows(sql, [param for probe in probes for param in probe.params] + [resource_id])
    leaves = [row[0] for row in rows if row[0] is not None]
    return leaves, tuple(rows[0][1:])


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
