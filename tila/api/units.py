"""/v1/unit/"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from tila.api.base import ApiError, bad_request, not_found, paginate, require_user, route
from tila.api.schemas import ErrorOut, UnitIn, UnitList, UnitOut
from tila.api.serializers import unit_json
from tila.catalogue.models import District, Unit
from tila.catalogue.services import unit_create, unit_delete, unit_update
from tila.core.i18n import translated_kwargs
from tila.core.timeutil import day_bounds, get_zone
from tila.hours.models import OpeningInterval

router = Router(tags=["unit"])
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _opening_today(units: list[Unit]) -> dict[str, list[tuple[dt.datetime, dt.datetime]]]:
    """Today's opening intervals per unit: the union over its resources' hours."""
    out: dict[str, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    if not units:
        return out
    zone = get_zone(units[0].time_zone)
    begin, end = day_bounds(timezone.now().astimezone(zone).date(), zone)
    rows = (
        OpeningInterval.objects.filter(resource__unit__in=units, begin__lt=end, end__gt=begin)
        .values_list("resource__unit_id", "begin", "end")
        .distinct()
    )
    from tila.core.timeutil import merge

    grouped: dict[str, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for unit_id, b, e in rows:
        grouped[unit_id].append((max(b, begin), min(e, end)))
    for unit_id, intervals in grouped.items():
        out[unit_id] = merge(intervals)
    return out


def _serialize(units: list[Unit]) -> list[dict[str, Any]]:
    today = _opening_today(units)
    return [unit_json(u, today.get(u.pk, [])) for u in units]


@route(router, ["GET"], "/unit/", response=UnitList | Any, summary="List units", url_name="units")
def list_units(
    request: HttpRequest,
    page: int | None = None,
    page_size: int | None = None,
    district: str | None = None,
    municipality: str | None = None,
) -> dict[str, Any]:
    qs = Unit.objects.select_related("district").order_by("name_fi", "id")
    if district:
        qs = qs.filter(district_id__in=district.split(","))
    if municipality:
        qs = qs.filter(municipality__iexact=municipality)
    return paginate(request, qs, _serialize, page, page_size)


def _get_unit(unit_id: str) -> Unit:
    unit = Unit.objects.select_related("district").filter(pk=unit_id).first()
    if unit is None:
        raise not_found()
    return unit


@route(router, ["GET"], "/unit/{unit_id}/", response={200: UnitOut, **ERRORS}, summary="Get a unit", url_name="unit")
def get_unit(request: HttpRequest, unit_id: str) -> dict[str, Any]:
    return _serialize([_get_unit(unit_id)])[0]


def _unit_fields(payload: UnitIn) -> dict[str, Any]:
    data = payload.model_dump(exclude_unset=True)
    fields: dict[str, Any] = {}
    for name in ("name", "description", "street_address", "www_url"):
        if name in data:
            fields.update(translated_kwargs(name, {k: v for k, v in (data[name] or {}).items() if v is not None}))
    simple = {
        "address_zip": "postal_code",
        "municipality": "municipality",
        "phone": "phone",
        "email": "email",
        "time_zone": "time_zone",
    }
    for key, attr in simple.items():
        if key in data:
            fields[attr] = data[key] or ""
    if data.get("time_zone"):
        if get_zone(data["time_zone"]).key != data["time_zone"]:
            raise bad_request("invalid", _("Unknown time zone."), "time_zone")
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
    try:
        lon, lat = (Decimal(str(c)).quantize(Decimal("0.000001")) for c in location["coordinates"])
    except (ValueError, InvalidOperation, TypeError):
        raise bad_request("invalid", _("Give the location as [longitude, latitude]."), "location") from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise bad_request("invalid", _("Give the location as [longitude, latitude]."), "location")
    return {"latitude": lat, "longitude": lon}


@route(router, ["POST"], "/unit/", response={201: UnitOut, **ERRORS}, summary="Create a unit (general administrators)")
def create_unit(request: HttpRequest, payload: UnitIn) -> Status[dict[str, Any]]:
    user = require_user(request)
    if not payload.id:
        raise bad_request("invalid", _("This field is required."), "id")
    unit = unit_create(actor=user, unit_id=payload.id, **_unit_fields(payload))
    return Status(201, _serialize([unit])[0])


@route(router, ["PATCH", "PUT"], "/unit/{unit_id}/", response={200: UnitOut, **ERRORS}, summary="Edit a unit")
def update_unit(request: HttpRequest, unit_id: str, payload: UnitIn) -> dict[str, Any]:
    user = require_user(request)
    unit = _get_unit(unit_id)
    if payload.id is not None and payload.id != unit.pk:
        raise bad_request("invalid", _("The id of a unit cannot be changed."), "id")
    unit = unit_update(actor=user, unit=unit, **_unit_fields(payload))
    return _serialize([unit])[0]


@route(router, ["DELETE"], "/unit/{unit_id}/", response={204: None, **ERRORS}, summary="Delete an empty unit")
def delete_unit(request: HttpRequest, unit_id: str) -> HttpResponse:
    user = require_user(request)
    unit_delete(actor=user, unit=_get_unit(unit_id))
    return HttpResponse(status=204)


__all__ = ["ApiError", "router"]
