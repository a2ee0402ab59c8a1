"""/v1/reservation/ — book, view, move and cancel; staff also approve and deny."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from tila.accounts.models import User
from tila.accounts.permissions import Action, units_where
from tila.api.base import bad_request, not_found, paginate, require_user, route
from tila.api.params import aware, parse_window, split_ids
from tila.api.schemas import DenyIn, ErrorOut, ReservationIn, ReservationList, ReservationOut, ReservationPatch
from tila.api.serializers import reservation_json
from tila.booking.models import Reservation
from tila.booking.services import (
    reservation_approve,
    reservation_cancel,
    reservation_create,
    reservation_deny,
    reservation_modify,
)
from tila.catalogue.models import Resource, Unit

router = Router(tags=["reservation"])
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def visible_reservations(user: Any) -> QuerySet[Reservation]:
    """The user's own reservations and, for staff, those of the units they may view."""
    staff_units = Unit.objects.filter(units_where(user, Action.VIEW))
    return Reservation.objects.filter(Q(user=user) | Q(resource__unit__in=staff_units))


def _serialize(request: HttpRequest) -> Any:
    def serialize(items: list[Reservation]) -> list[dict[str, Any]]:
        return [reservation_json(request, r) for r in items]

    return serialize


@route(
    router,
    ["GET"],
    "/reservation/",
    response=ReservationList | Any,
    summary="List reservations",
    url_name="reservations",
)
def list_reservations(
    request: HttpRequest,
    resource: str | None = None,
    unit: str | None = None,
    state: str | None = None,
    start: str | None = None,
    end: str | None = None,
    all: bool = False,
    is_own: bool | None = None,
    page: int | None = None,
    page_size: int | None = None,
) -> dict[str, Any]:
    """Your own reservations; staff also see their units'. Past reservations only with `all=true` or a
    `start`–`end` window."""
    user = require_user(request)
    qs = visible_reservations(user).select_related("resource__unit", "user")
    if resource:
        qs = qs.filter(resource_id__in=split_ids(resource))
    if unit:
        qs = qs.filter(resource__unit_id__in=split_ids(unit))
    if state:
        qs = qs.filter(state__in=split_ids(state))
    if is_own is not None:
        qs = qs.filter(user=user) if is_own else qs.exclude(user=user)
    window = parse_window(start, end)
    if window is not None:
        qs = qs.filter(begin__lt=window[1], end__gt=window[0])
    elif not all:
        qs = qs.filter(end__gt=timezone.now())
    return paginate(request, qs.order_by("begin", "id"), _serialize(request), page, page_size)


def _get(request: HttpRequest, reservation_id: int) -> Reservation:
    user = require_user(request)
    reservation = visible_reservations(user).select_related("resource__unit", "user").filter(pk=reservation_id).first()
    if reservation is None:
        raise not_found()
    return reservation


@route(
    router,
    ["GET"],
    "/reservation/{int:reservation_id}/",
    response={200: ReservationOut, **ERRORS},
    summary="Get a reservation",
    url_name="reservation",
)
def get_reservation(request: HttpRequest, reservation_id: int) -> dict[str, Any]:
    return reservation_json(request, _get(request, reservation_id))


def _resource_tz(resource_id: str) -> str:
    resource = Resource.objects.select_related("unit").filter(pk=resource_id).first()
    return resource.unit.time_zone if resource is not None else "Europe/Helsinki"


def _customer(user_uuid: str | None) -> User | None:
    if not user_uuid:
        return None
    customer = User.objects.filter(uuid=user_uuid, is_active=True).first() if _is_uuid(user_uuid) else None
    if customer is None:
        raise bad_request("invalid", _("Unknown user."), "user")
    return customer


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@route(router, ["POST"], "/reservation/", response={201: ReservationOut, **ERRORS}, summary="Make a reservation")
def create_reservation(request: HttpRequest, payload: ReservationIn) -> Status[dict[str, Any]]:
    """Returns 201 with the state the engine chose: `confirmed`, or `requested` where the resource needs
    manual confirmation. Rejections carry the engine's code (`overlap`, `closed`, `not_aligned`, …)."""
    user = require_user(request)
    tz_name = _resource_tz(payload.resource)
    reservation = reservation_create(
        actor=user,
        resource=payload.resource,
        begin=aware(payload.begin, tz_name),
        end=aware(payload.end, tz_name),
        user=_customer(payload.user),
        type=payload.type,
        staff_override=payload.staff_override,
        event_subject=payload.event_subject,
        event_description=payload.event_description,
        number_of_participants=payload.number_of_participants,
        reserver_name=payload.reserver_name,
        reserver_email=payload.reserver_email,
        reserver_phone=payload.reserver_phone,
        staff_comment=payload.staff_comment,
    )
    return Status(201, reservation_json(request, _get(request, reservation.pk)))


def _modify(request: HttpRequest, reservation_id: int, payload: ReservationPatch, full: bool) -> dict[str, Any]:
    reservation = _get(request, reservation_id)
    data = payload.model_dump(exclude_unset=True)
    if full:
        missing = [f for f in ("resource", "begin", "end") if data.get(f) is None]
        if missing:
            raise bad_request("invalid", _("This field is required."), missing[0])
    if data.get("resource") not in (None, reservation.resource_id):
        raise bad_request(
            "resource_change_not_allowed",
            _("A reservation cannot be moved to another resource; cancel it and book the other one."),
            "resource",
        )
    tz_name = reservation.resource.unit.time_zone
    fields = {
        k: v for k, v in data.items() if k not in ("resource", "begin", "end", "staff_override") and v is not None
    }
    reservation_modify(
        actor=request.user,
        reservation=reservation,
        begin=aware(data["begin"], tz_name) if data.get("begin") else None,
        end=aware(data["end"], tz_name) if data.get("end") else None,
        staff_override=bool(data.get("staff_override")),
        **fields,
    )
    return reservation_json(request, _get(request, reservation_id))


@route(
    router,
    ["PUT"],
    "/reservation/{int:reservation_id}/",
    response={200: ReservationOut, **ERRORS},
    summary="Change a reservation (resource, begin and end required)",
)
def put_reservation(request: HttpRequest, reservation_id: int, payload: ReservationPatch) -> dict[str, Any]:
    return _modify(request, reservation_id, payload, full=True)


@route(
    router,
    ["PATCH"],
    "/reservation/{int:reservation_id}/",
    response={200: ReservationOut, **ERRORS},
    summary="Change part of a reservation",
)
def patch_reservation(request: HttpRequest, reservation_id: int, payload: ReservationPatch) -> dict[str, Any]:
    return _modify(request, reservation_id, payload, full=False)


@route(
    router,
    ["DELETE"],
    "/reservation/{int:reservation_id}/",
    response={204: None, **ERRORS},
    summary="Cancel a reservation (kept as history; the slot is free at once)",
)
def cancel_reservation(request: HttpRequest, reservation_id: int) -> HttpResponse:
    reservation_cancel(actor=request.user, reservation=_get(request, reservation_id))
    return HttpResponse(status=204)


@route(
    router,
    ["POST"],
    "/reservation/{int:reservation_id}/approve/",
    response={200: ReservationOut, **ERRORS},
    summary="Staff: approve a requested reservation",
)
def approve_reservation(request: HttpRequest, reservation_id: int) -> dict[str, Any]:
    reservation_approve(actor=request.user, reservation=_get(request, reservation_id))
    return reservation_json(request, _get(request, reservation_id))


@route(
    router,
    ["POST"],
    "/reservation/{int:reservation_id}/deny/",
    response={200: ReservationOut, **ERRORS},
    summary="Staff: deny a requested reservation",
)
def deny_reservation(request: HttpRequest, reservation_id: int, payload: DenyIn) -> dict[str, Any]:
    reservation_deny(actor=request.user, reservation=_get(request, reservation_id), reason=payload.reason)
    return reservation_json(request, _get(request, reservation_id))
