"""/v1/resource/ — the catalogue, with availability for a time window."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from tila.api.base import (
    OPTIONAL_AUTH,
    SIGNED_IN,
    bad_request,
    current_user,
    list_responses,
    not_found,
    paginate,
    require_user,
    responses,
    route,
)
from tila.api.params import (
    parse_duration_minutes,
    parse_hms,
    parse_window,
    require_name,
    split_ids,
    translated_input,
)
from tila.api.schemas import ResourceIn, ResourceList, ResourceOut
from tila.api.serializers import RESOURCE_PREFETCH, RESOURCE_SELECT, resource_json
from tila.booking.selectors import free_resources, resources_availability
from tila.catalogue.models import Equipment, Purpose, Resource, ResourceType, Unit
from tila.catalogue.selectors import resource_filter, resources_visible_to
from tila.catalogue.services import resource_create, resource_delete, resource_update

router = Router(tags=["resource"])
MAX_PEOPLE = 100_000


def visible_resources(user: Any) -> QuerySet[Resource]:
    return resources_visible_to(user)


def filter_resources(
    qs: QuerySet[Resource],
    *,
    purpose: str | None = None,
    type: str | None = None,
    search: str | None = None,
    people: int | None = None,
    unit: str | None = None,
    district: str | None = None,
    equipment: str | None = None,
    main_type: str | None = None,
) -> QuerySet[Resource]:
    """The API's comma-separated query parameters onto the shared catalogue search."""
    return resource_filter(
        qs,
        purposes=split_ids(purpose),
        types=split_ids(type),
        main_type=main_type,
        people=people,
        units=split_ids(unit),
        districts=split_ids(district),
        equipment=split_ids(equipment),
        text=search,
    )


def _page_with_availability(
    request: HttpRequest, window: tuple[dt.datetime, dt.datetime] | None, ignore_hours: bool
) -> Any:
    def serialize(ids: list[str]) -> list[dict[str, Any]]:
        loaded = {
            r.pk: r
            for r in Resource.objects.filter(pk__in=ids)
            .select_related(*RESOURCE_SELECT)
            .prefetch_related(*RESOURCE_PREFETCH)
        }
        ordered = [loaded[i] for i in ids]
        avail = (
            resources_availability(resources=ordered, begin=window[0], end=window[1], ignore_hours=ignore_hours)
            if window
            else {}
        )
        return [resource_json(request, r, avail.get(r.pk)) for r in ordered]

    return serialize


@route(
    router,
    ["GET"],
    "/resource/",
    response=list_responses(ResourceList),
    summary="List and find resources",
    url_name="resources",
    **OPTIONAL_AUTH,
)
def list_resources(
    request: HttpRequest,
    purpose: str | None = Query(None, max_length=2000, description="Purpose ids (with their sub-purposes)."),
    type: str | None = Query(None, max_length=2000, description="Resource type ids, comma-separated."),
    search: str | None = Query(None, max_length=2000, description="Text in the name or description."),
    people: float | None = Query(None, ge=0, le=MAX_PEOPLE, description="Capacity at least this many people."),
    unit: str | None = Query(None, max_length=2000, description="Unit ids, comma-separated."),
    district: str | None = Query(None, max_length=2000, description="District ids, comma-separated."),
    equipment: str | None = Query(None, max_length=2000, description="Equipment ids; all must be present."),
    main_type: str | None = Query(None, max_length=20, description="`space` or `item`."),
    start: str | None = Query(None, max_length=64, description="ISO 8601; with `end`, only free resources."),
    end: str | None = Query(None, max_length=64, description="ISO 8601; at most 93 days after `start`."),
    duration: float | None = Query(None, description="Minutes of consecutive free time within the window."),
    during_closing: bool = Query(False, description="Ignore opening hours."),
    page: int | None = Query(None, ge=1),
    page_size: int | None = Query(None, ge=1, description="Default 20, at most 500."),
) -> dict[str, Any]:
    """Filters combine with AND. With `start` and `end`, only resources free in that window are returned
    (for `duration` consecutive minutes when given, else the whole window), inside opening hours unless
    `during_closing=true`; each then carries `opening_hours`, `available_hours` and `reservations`."""
    window = parse_window(start, end)
    length = parse_duration_minutes(duration)
    if length is not None and window is None:
        raise bad_request("invalid", _("Give start and end with duration."), "duration")
    qs = filter_resources(
        visible_resources(current_user(request)),
        purpose=purpose,
        type=type,
        search=search,
        people=math.ceil(people) if people is not None else None,
        unit=unit,
        district=district,
        equipment=equipment,
        main_type=main_type,
    )
    items: QuerySet[Resource, str] | list[str]  # ids; the page's resources are loaded by `serialize`
    if window is None:
        items = qs.order_by("unit__name_fi", "name_fi", "id").values_list("id", flat=True)
    else:
        if length is not None and length > window[1] - window[0]:
            raise bad_request("invalid", _("The duration is longer than the time window."), "duration")
        found = free_resources(
            resources=qs, start=window[0], end=window[1], duration=length, ignore_hours=during_closing
        )
        items = [fr.resource_id for fr in found]
    return paginate(request, items, _page_with_availability(request, window, during_closing), page, page_size)


def get_visible_resource(request: HttpRequest, resource_id: str) -> Resource:
    resource = (
        visible_resources(current_user(request))
        .filter(pk=resource_id)
        .select_related(*RESOURCE_SELECT)
        .prefetch_related(*RESOURCE_PREFETCH)
        .first()
    )
    if resource is None:
        raise not_found()
    return resource


@route(
    router,
    ["GET"],
    "/resource/{resource_id}/",
    response=responses({200: ResourceOut}, 400, 404),
    summary="Get a resource",
    url_name="resource",
    **OPTIONAL_AUTH,
)
def get_resource(
    request: HttpRequest,
    resource_id: str,
    start: str | None = Query(None, max_length=64),
    end: str | None = Query(None, max_length=64),
    duration: float | None = Query(None, description="Only free intervals at least this many minutes long."),
    during_closing: bool = False,
) -> dict[str, Any]:
    """With `start` and `end`, the resource carries its opening hours, free intervals (at least `duration`
    minutes long when given) and reservations in that window. Times without an offset are the resource's
    local time."""
    resource = get_visible_resource(request, resource_id)
    window = parse_window(start, end, resource.unit.time_zone)
    length = parse_duration_minutes(duration)
    availability = None
    if window is not None:
        availability = resources_availability(
            resources=[resource], begin=window[0], end=window[1], ignore_hours=during_closing
        )[resource.pk]
        if length is not None:
            availability.free = [(b, e) for b, e in availability.free if e - b >= length]
    return resource_json(request, resource, availability)


# --- Staff writes -------------------------------------------------------------------------------

RULE_DURATIONS = ("min_period", "max_period", "slot_size", "buffer_before", "buffer_after", "cancel_cutoff")
POSITIVE_DURATIONS = ("min_period", "max_period", "slot_size")
SIMPLE = (
    "people_capacity",
    "area",
    "reservable",
    "public",
    "need_manual_confirmation",
    "reservable_min_days_in_advance",
    "reservable_max_days_in_advance",
    "max_reservations_per_user",
)
REFERENCES: dict[str, Any] = {"type": ResourceType, "unit": Unit, "parent": Resource}
RELATIONS: dict[str, Any] = {"purposes": Purpose, "equipment": Equipment}


def _lookup(model: Any, value: str | None, field: str) -> Any:
    if value is None:
        return None
    obj = model.objects.filter(pk=value).first()
    if obj is None:
        raise bad_request("invalid", _("Unknown value: %(value)s") % {"value": value[:100]}, field)
    return obj


def _lookup_many(model: Any, values: list[str], field: str) -> list[Any]:
    found = list(model.objects.filter(pk__in=values))
    if len(found) != len(set(values)):
        missing = sorted(set(values) - {o.pk for o in found})
        raise bad_request("invalid", _("Unknown value: %(value)s") % {"value": ", ".join(missing)[:200]}, field)
    return found


def _rule_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Booking-rule durations (`hh:mm:ss`, or null for "as the unit")."""
    fields: dict[str, Any] = {}
    for name in RULE_DURATIONS:
        if name not in data:
            continue
        fields[name] = parse_hms(data[name])
        if name in POSITIVE_DURATIONS and fields[name] is not None and not fields[name]:
            raise bad_request("invalid", _("The duration must be longer than zero."), name)
    return fields


def _resource_fields(payload: ResourceIn) -> tuple[dict[str, Any], dict[str, Any]]:
    """Model fields and many-to-many relations from a payload; unknown references are 400s."""
    data = payload.model_dump(exclude_unset=True)
    fields: dict[str, Any] = translated_input(data, "name", "description", "reservation_info", "terms")
    fields.update({name: data[name] for name in SIMPLE if name in data})
    if "authentication" in data:
        fields["authentication"] = data["authentication"] or ""
    fields.update(_rule_fields(data))
    fields.update({name: _lookup(model, data[name], name) for name, model in REFERENCES.items() if name in data})
    relations = {name: _lookup_many(model, data[name] or [], name) for name, model in RELATIONS.items() if name in data}
    return fields, relations


@route(
    router,
    ["POST"],
    "/resource/",
    response=responses({201: ResourceOut}, 400, 403),
    summary="Create a resource (unit administrators)",
    **SIGNED_IN,
)
def create_resource(request: HttpRequest, payload: ResourceIn) -> Status[dict[str, Any]]:
    user = require_user(request)
    fields, relations = _resource_fields(payload)
    unit = fields.pop("unit", None)
    if unit is None:
        raise bad_request("invalid", _("This field is required."), "unit")
    if fields.get("type") is None:
        raise bad_request("invalid", _("This field is required."), "type")
    require_name(payload.model_dump(exclude_unset=True))
    if payload.id and Resource.objects.filter(pk=payload.id).exists():
        raise bad_request("invalid", _("A resource with this id already exists."), "id")
    resource = resource_create(actor=user, unit=unit, resource_id=payload.id, **relations, **fields)
    return Status(201, resource_json(request, get_visible_resource(request, resource.pk)))


@route(
    router,
    ["PATCH", "PUT"],
    "/resource/{resource_id}/",
    response=responses({200: ResourceOut}, 400, 403, 404),
    summary="Edit a resource (unit administrators); PUT and PATCH both change only the fields given",
    **SIGNED_IN,
)
def update_resource(request: HttpRequest, resource_id: str, payload: ResourceIn) -> dict[str, Any]:
    user = require_user(request)
    resource = get_visible_resource(request, resource_id)
    if payload.id is not None and payload.id != resource.pk:
        raise bad_request("invalid", _("The id of a resource cannot be changed."), "id")
    fields, relations = _resource_fields(payload)
    for name in ("type", "unit"):
        if name in fields and fields[name] is None:
            raise bad_request("invalid", _("This field is required."), name)
    resource_update(actor=user, resource=resource, **relations, **fields)
    return resource_json(request, get_visible_resource(request, resource_id))


@route(
    router,
    ["DELETE"],
    "/resource/{resource_id}/",
    response=responses({204: None}, 400, 403, 404),
    summary="Delete a resource without parts or reservations (unit administrators)",
    **SIGNED_IN,
)
def delete_resource(request: HttpRequest, resource_id: str) -> HttpResponse:
    user = require_user(request)
    resource_delete(actor=user, resource=get_visible_resource(request, resource_id))
    return HttpResponse(status=204)
