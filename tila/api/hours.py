"""/v1/opening_period/ — opening periods with weekly rules; anyone reads, unit administrators write."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status

from tila.api.base import bad_request, not_found, paginate, require_user, route
from tila.api.params import split_ids
from tila.api.schemas import ErrorOut, OpeningPeriodIn, OpeningPeriodList, OpeningPeriodOut
from tila.catalogue.models import Resource, Unit
from tila.core.i18n import translations
from tila.hours.models import OpeningPeriod
from tila.hours.services import opening_period_create, opening_period_delete, opening_period_update

router = Router(tags=["opening hours"])
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def period_json(p: OpeningPeriod) -> dict[str, Any]:
    return {
        "id": p.pk,
        "unit": p.unit_id,
        "resource": p.resource_id,
        "name": translations(p, "name"),
        "description": translations(p, "description"),
        "start": p.start,
        "end": p.end,
        "closed": p.closed,
        "rules": [
            {"weekday": r.weekday, "opens": r.opens.strftime("%H:%M"), "closes": r.closes.strftime("%H:%M")}
            for r in p.rules.all()
        ],
        "created_at": p.created_at,
        "modified_at": p.modified_at,
    }


@route(
    router,
    ["GET"],
    "/opening_period/",
    response=OpeningPeriodList | Any,
    summary="List opening periods",
    url_name="opening_periods",
)
def list_periods(
    request: HttpRequest,
    unit: str | None = None,
    resource: str | None = None,
    page: int | None = None,
    page_size: int | None = None,
) -> dict[str, Any]:
    qs = OpeningPeriod.objects.prefetch_related("rules").order_by("start", "id")
    if unit:
        qs = qs.filter(unit_id__in=split_ids(unit))
    if resource:
        qs = qs.filter(resource_id__in=split_ids(resource))
    return paginate(request, qs, lambda items: [period_json(p) for p in items], page, page_size)


def _get(period_id: int) -> OpeningPeriod:
    period = OpeningPeriod.objects.prefetch_related("rules").filter(pk=period_id).first()
    if period is None:
        raise not_found()
    return period


@route(
    router,
    ["GET"],
    "/opening_period/{int:period_id}/",
    response={200: OpeningPeriodOut, **ERRORS},
    summary="Get an opening period",
    url_name="opening_period",
)
def get_period(request: HttpRequest, period_id: int) -> dict[str, Any]:
    return period_json(_get(period_id))


def _texts(data: dict[str, Any], name: str) -> dict[str, str] | None:
    if name not in data:
        return None
    return {k: v for k, v in (data[name] or {}).items() if v is not None}


def _rules(data: dict[str, Any]) -> list[tuple[int, Any, Any]] | None:
    if data.get("rules") is None:
        return None
    return [(r["weekday"], r["opens"], r["closes"]) for r in data["rules"]]


@route(
    router,
    ["POST"],
    "/opening_period/",
    response={201: OpeningPeriodOut, **ERRORS},
    summary="Create an opening period (unit administrators)",
)
def create_period(request: HttpRequest, payload: OpeningPeriodIn) -> Status[dict[str, Any]]:
    user = require_user(request)
    data = payload.model_dump(exclude_unset=True)
    if payload.start is None:
        raise bad_request("invalid", _("This field is required."), "start")
    unit = Unit.objects.filter(pk=payload.unit).first() if payload.unit else None
    resource = Resource.objects.select_related("unit").filter(pk=payload.resource).first() if payload.resource else None
    if payload.unit and unit is None:
        raise bad_request("invalid", _("Unknown value: %(value)s") % {"value": payload.unit}, "unit")
    if payload.resource and resource is None:
        raise bad_request("invalid", _("Unknown value: %(value)s") % {"value": payload.resource}, "resource")
    period = opening_period_create(
        actor=user,
        unit=unit,
        resource=resource,
        start=payload.start,
        end=payload.end,
        closed=bool(payload.closed),
        name=_texts(data, "name"),
        description=_texts(data, "description"),
        rules=_rules(data) or [],
    )
    return Status(201, period_json(_get(period.pk)))


@route(
    router,
    ["PATCH", "PUT"],
    "/opening_period/{int:period_id}/",
    response={200: OpeningPeriodOut, **ERRORS},
    summary="Edit an opening period",
)
def update_period(request: HttpRequest, period_id: int, payload: OpeningPeriodIn) -> dict[str, Any]:
    user = require_user(request)
    period = _get(period_id)
    data = payload.model_dump(exclude_unset=True)
    if data.get("unit") not in (None, period.unit_id) or data.get("resource") not in (None, period.resource_id):
        raise bad_request("invalid", _("A period cannot be moved to another unit or resource."), "unit")
    fields: dict[str, Any] = {k: data[k] for k in ("start", "end", "closed") if k in data}
    if "start" in fields and fields["start"] is None:
        raise bad_request("invalid", _("This field is required."), "start")
    for name in ("name", "description"):
        texts = _texts(data, name)
        if texts is not None:
            fields[name] = texts
    opening_period_update(actor=user, period=period, rules=_rules(data), **fields)
    return period_json(_get(period_id))


@route(
    router,
    ["DELETE"],
    "/opening_period/{int:period_id}/",
    response={204: None, **ERRORS},
    summary="Delete an opening period",
)
def delete_period(request: HttpRequest, period_id: int) -> HttpResponse:
    user = require_user(request)
    opening_period_delete(actor=user, period=_get(period_id))
    return HttpResponse(status=204)
