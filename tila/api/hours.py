"""/v1/opening_period/ — opening periods with weekly rules; anyone reads, unit administrators write."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from tila.api.base import (
    OPTIONAL_AUTH,
    SIGNED_IN,
    bad_request,
    db_int,
    list_responses,
    not_found,
    paginate,
    require_user,
    responses,
    route,
)
from tila.api.params import split_ids, texts
from tila.api.schemas import OpeningPeriodIn, OpeningPeriodList, OpeningPeriodOut
from tila.catalogue.models import Resource, Unit
from tila.core.i18n import translations
from tila.hours.models import OpeningPeriod
from tila.hours.services import opening_period_create, opening_period_delete, opening_period_update

router = Router(tags=["opening hours"])


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
    response=list_responses(OpeningPeriodList),
    summary="List opening periods",
    url_name="opening_periods",
    **OPTIONAL_AUTH,
)
def list_periods(
    request: HttpRequest,
    unit: str | None = Query(None, max_length=2000, description="Unit ids, comma-separated."),
    resource: str | None = Query(None, max_length=2000, description="Resource ids, comma-separated."),
    page: int | None = Query(None, ge=1),
    page_size: int | None = Query(None, ge=1, description="Default 20, at most 500."),
) -> dict[str, Any]:
    qs = OpeningPeriod.objects.prefetch_related("rules").order_by("start", "id")
    if unit:
        qs = qs.filter(unit_id__in=split_ids(unit))
    if resource:
        qs = qs.filter(resource_id__in=split_ids(resource))
    return paginate(request, qs, lambda items: [period_json(p) for p in items], page, page_size)


def _get(period_id: int) -> OpeningPeriod:
    period = OpeningPeriod.objects.prefetch_related("rules").filter(pk=db_int(period_id)).first()
    if period is None:
        raise not_found()
    return period


@route(
    router,
    ["GET"],
    "/opening_period/{int:period_id}/",
    response=responses({200: OpeningPeriodOut}, 404),
    summary="Get an opening period",
    url_name="opening_period",
    **OPTIONAL_AUTH,
)
def get_period(request: HttpRequest, period_id: int) -> dict[str, Any]:
    return period_json(_get(period_id))


def _rules(data: dict[str, Any]) -> list[tuple[int, Any, Any]] | None:
    if data.get("rules") is None:
        return None
    return [(r["weekday"], r["opens"], r["closes"]) for r in data["rules"]]


def _owner(payload: OpeningPeriodIn) -> tuple[Unit | None, Resource | None]:
    unit = Unit.objects.filter(pk=payload.unit).first() if payload.unit else None
    resource = Resource.objects.select_related("unit").filter(pk=payload.resource).first() if payload.resource else None
    if payload.unit and unit is None:
        raise bad_request("invalid", _("Unknown value: %(value)s") % {"value": payload.unit}, "unit")
    if payload.resource and resource is None:
        raise bad_request("invalid", _("Unknown value: %(value)s") % {"value": payload.resource}, "resource")
    return unit, resource


@route(
    router,
    ["POST"],
    "/opening_period/",
    response=responses({201: OpeningPeriodOut}, 400, 403),
    summary="Create an opening period of a unit or of one resource (unit administrators)",
    **SIGNED_IN,
)
def create_period(request: HttpRequest, payload: OpeningPeriodIn) -> Status[dict[str, Any]]:
    """Give `unit` or `resource` (not both), `start`, optionally `end` (inclusive), `closed` and weekly
    `rules` (`weekday` 0 = Monday; `closes` at or before `opens` runs past midnight). Among the periods
    covering a day, the shortest wins."""
    user = require_user(request)
    data = payload.model_dump(exclude_unset=True)
    if payload.start is None:
        raise bad_request("invalid", _("This field is required."), "start")
    unit, resource = _owner(payload)
    period = opening_period_create(
        actor=user,
        unit=unit,
        resource=resource,
        start=payload.start,
        end=payload.end,
        closed=bool(payload.closed),
        name=texts(data, "name"),
        description=texts(data, "description"),
        rules=_rules(data) or [],
    )
    return Status(201, period_json(_get(period.pk)))


@route(
    router,
    ["PATCH", "PUT"],
    "/opening_period/{int:period_id}/",
    response=responses({200: OpeningPeriodOut}, 400, 403, 404),
    summary="Edit an opening period (unit administrators); `rules`, when given, replace the old ones",
    **SIGNED_IN,
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
    if fields.get("closed") is None:
        fields.pop("closed", None)
    for name in ("name", "description"):
        given = texts(data, name)
        if given is not None:
            fields[name] = {**translations(period, name), **given}
    opening_period_update(actor=user, period=period, rules=_rules(data), **fields)
    return period_json(_get(period_id))


@route(
    router,
    ["DELETE"],
    "/opening_period/{int:period_id}/",
    response=responses({204: None}, 403, 404),
    summary="Delete an opening period (unit administrators)",
    **SIGNED_IN,
)
def delete_period(request: HttpRequest, period_id: int) -> HttpResponse:
    user = require_user(request)
    opening_period_delete(actor=user, period=_get(period_id))
    return HttpResponse(status=204)
