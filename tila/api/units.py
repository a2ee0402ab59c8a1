"""/v1/unit/ — places that hold resources; general administrators add and remove them, unit
administrators edit their own."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from tila.api.base import (
    OPTIONAL_AUTH,
    SIGNED_IN,
    bad_request,
    list_responses,
    not_found,
    paginate,
    require_user,
    responses,
    route,
)
from tila.api.params import require_name, split_ids, translated_input
from tila.api.schemas import UnitIn, UnitList, UnitOut
from tila.api.serializers import unit_json
from tila.catalogue.models import District, Unit
from tila.catalogue.services import unit_create, unit_delete, unit_update
from tila.core.timeutil import Interval, day_bounds, get_zone, merge
from tila.hours.models import OpeningInterval

router = Router(tags=["unit"])


def _opening_today(units: list[Unit]) -> dict[str, list[Interval]]:
    """Today's opening intervals per unit (today in the unit's zone): the union over its resources' hours."""
    bounds: dict[str, Interval] = {}
    for unit in units:
        zone = get_zone(unit.time_zone)
        bounds[unit.pk] = day_bounds(timezone.now().astimezone(zone).date(), zone)
    if not bounds:
        return {}
    earliest = min(b for b, _e in bounds.values())
    latest = max(e for _b, e in bounds.values())
    rows = (
        OpeningInterval.objects.filter(resource__unit__in=list(bounds), begin__lt=latest, end__gt=earliest)
        .values_list("resource__unit_id", "begin", "end")
        .distinct()
    )
    grouped: dict[str, list[Interval]] = defaultdict(list)
    for unit_id, b, e in rows:
        day_begin, day_end = bounds[unit_id]
        if b < day_end and e > day_begin:
            grouped[unit_id].append((max(b, day_begin), min(e, day_end)))
    return {unit_id: merge(intervals) for unit_id, intervals in grouped.items()}


def _serialize(units: list[Unit]) -> list[dict[str, Any]]:
    today = _opening_today(units)
    return [unit_json(u, today.get(u.pk, [])) for u in units]


@route(
    router,
    ["GET"],
    "/unit/",
    response=list_responses(UnitList),
    summary="List units",
    url_name="units",
    **OPTIONAL_AUTH,
)
def list_units(
    request: HttpRequest,
    page: int | None = Query(None, ge=1, description="Page number, from 1."),
    page_size: int | None = Query(None, ge=1, description="Results per page (default 20, at most 500)."),
    district: str | None = Query(None, max_length=2000, description="District ids, comma-separated."),
    municipality: str | None = Query(None, max_length=100),
) -> dict[str, Any]:
    qs = Unit.objects.select_related("district").order_by("name_fi", "id")
    if district:
        qs = qs.filter(district_id__in=split_ids(district))
    if municipality:
        qs = qs.filter(municipality__iexact=municipality)
    return paginate(request, qs, _serialize, page, page_size)


def _get_unit(unit_id: str) -> Unit:
    unit = Unit.objects.select_related("district").filter(pk=unit_id).first()
    if unit is None:
        raise not_found()
    return unit


@route(
    router,
    ["GET"],
    "/unit/{unit_id}/",
    response=responses({200: UnitOut}, 404),
    summary="Get a unit",
    url_name="unit",
    **OPTIONAL_AUTH,
)
def get_unit(request: HttpRequest, unit_id: str) -> dict[str, Any]:
    return _serialize([_get_unit(unit_id)])[0]


SIMPLE_FIELDS = {
    "address_zip": "postal_code",
    "municipality": "municipality",
    "phone": "phone",
    "email": "email",
    "time_zone": "time_zone",
}


def _unit_fields(payload: UnitIn) -> dict[str, Any]:
    data = payload.model_dump(exclude_unset=True)
    fields: dict[str, Any] = translated_input(data, "name", "description", "street_address", "www_url")
    for key, attr in SIMPLE_FIELDS.items():
        if key in data:
            fields[attr] = data[key] or ""
    if data.get("time_zone") and get_zone(data["time_zone"]).key != data["time_zone"]:
        raise bad_request("invalid", _("Unknown time zone."), "time_zone")
    if "time_zone" in data and not data["time_zone"]:
        raise bad_request("invalid", _("This field is required."), "time_zone")
    if "district" in data:
        district = District.objects.filter(pk=data["district"]).first() if data["district"] else None
        if data["district"] and district is None:
            raise bad_request("invalid", _("Unknown district."), "district")
        fields["district"] = district
    if "location" in data:
        fields.update(_location_fields(data["location"]))
    return fields


def _location_fields(location: dict[str, Any] | None) -> dict[str, Any]:
    if not location:
        return {"latitude": None, "longitude": None}
    lon, lat = (Decimal(str(c)).quantize(Decimal("0.000001")) for c in location["coordinates"])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise bad_request("invalid", _("Give the location as [longitude, latitude]."), "location")
    return {"latitude": lat, "longitude": lon}


@route(
    router,
    ["POST"],
    "/unit/",
    response=responses({201: UnitOut}, 400, 403),
    summary="Create a unit (general administrators)",
    **SIGNED_IN,
)
def create_unit(request: HttpRequest, payload: UnitIn) -> Status[dict[str, Any]]:
    user = require_user(request)
    if not payload.id:
        raise bad_request("invalid", _("This field is required."), "id")
    require_name(payload.model_dump(exclude_unset=True))
    unit = unit_create(actor=user, unit_id=payload.id, **_unit_fields(payload))
    return Status(201, _serialize([_get_unit(unit.pk)])[0])


@route(
    router,
    ["PATCH", "PUT"],
    "/unit/{unit_id}/",
    response=responses({200: UnitOut}, 400, 403, 404),
    summary="Edit a unit (its administrators); PUT and PATCH both change only the fields given",
    **SIGNED_IN,
)
def update_unit(request: HttpRequest, unit_id: str, payload: UnitIn) -> dict[str, Any]:
    user = require_user(request)
    unit = _get_unit(unit_id)
    if payload.id is not None and payload.id != unit.pk:
        raise bad_request("invalid", _("The id of a unit cannot be changed."), "id")
    unit_update(actor=user, unit=unit, **_unit_fields(payload))
    return _serialize([_get_unit(unit.pk)])[0]


@route(
    router,
    ["DELETE"],
    "/unit/{unit_id}/",
    response=responses({204: None}, 400, 403, 404),
    summary="Delete a unit without resources (general administrators)",
    **SIGNED_IN,
)
def delete_unit(request: HttpRequest, unit_id: str) -> HttpResponse:
    user = require_user(request)
    unit_delete(actor=user, unit=_get_unit(unit_id))
    return HttpResponse(status=204)
