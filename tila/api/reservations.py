"""/v1/reservation/ — book, view, move and cancel; staff also approve and deny."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from tila.accounts.models import User
from tila.accounts.permissions import Action, units_where
from tila.api.base import (
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
from tila.api.params import aware, parse_window, split_ids
from tila.api.schemas import DenyIn, ReservationIn, ReservationList, ReservationOut, ReservationPatch
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
from tila.catalogue.selectors import resource_with_unit

router = Router(tags=["reservation"])


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
    response=list_responses(ReservationList),
    summary="List reservations",
    url_name="reservations",
    **SIGNED_IN,
)
def list_reservations(
    request: HttpRequest,
    resource: str | None = Query(None, max_length=2000, description="Resource ids, comma-separated."),
    unit: str | None = Query(None, max_length=2000, description="Unit ids, comma-separated."),
    state: str | None = Query(None, max_length=200, description="States, comma-separated."),
    start: str | None = Query(None, max_length=64),
    end: str | None = Query(None, max_length=64),
    all: bool = Query(False, description="Include past reservations."),
    is_own: bool | None = Query(None, description="Only your own (true) or only others' (false, staff)."),
    page: int | None = Query(None, ge=1),
    page_size: int | None = Query(None, ge=1, description="Default 20, at most 500."),
) -> dict[str, Any]:
    """Your own reservations; staff also see their units'. Past reservations only with `all=true` or a
    `start`–`end` window (at most 93 days)."""
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
    reservation = (
        visible_reservations(user).select_related("resource__unit", "user").filter(pk=db_int(reservation_id)).first()
    )
    if reservation is None:
        raise not_found()
    return reservation


@route(
    router,
    ["GET"],
    "/reservation/{int:reservation_id}/",
    response=responses({200: ReservationOut}, 404),
    summary="Get a reservation",
    url_name="reservation",
    **SIGNED_IN,
)
def get_reservation(request: HttpRequest, reservation_id: int) -> dict[str, Any]:
    return reservation_json(request, _get(request, reservation_id))


def _resource(resource_id: str) -> Resource | str:
    """The resource with its unit (its time zone reads naive times), or the id for the engine to refuse."""
    return resource_with_unit(resource_id) or resource_id


def _resource_tz(resource_id: str) -> str:
    resource = _resource(resource_id)
    return resource.unit.time_zone if isinstance(resource, Resource) else "Europe/Helsinki"


def _customer(user_uuid: str | None) -> User | None:
    if not user_uuid:
        return None
    customer = User.objects.filter(uuid=user_uuid, is_active=True).first() if _is_uuid(user_uuid) else None
    if customer is None:
        raise bad_request("invalid", _("Unknown user."), "user")
    return customer


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _check_email(value: str | None) -> None:
    if not value:
        return
    try:
        validate_email(value)
    except DjangoValidationError:
        raise bad_request("invalid", _("Enter a valid email address."), "reserver_email") from None


@route(
    router,
    ["POST"],
    "/reservation/",
    response=responses({201: ReservationOut}, 400, 403),
    summary="Make a reservation",
    **SIGNED_IN,
)
def create_reservation(request: HttpRequest, payload: ReservationIn) -> Status[dict[str, Any]]:
    """Returns 201 with the state the engine chose: `confirmed`, or `requested` where the resource needs
    manual confirmation. Rejections carry the engine's code (`overlap`, `closed`, `not_aligned`, …).
    Times without an offset are the resource's local time. Staff of the unit may book for a customer
    (`user`), make closures (`type: blocked`) and override the booking rules (`staff_override`)."""
    user = require_user(request)
    resource = _resource(payload.resource)
    tz_name = resource.unit.time_zone if isinstance(resource, Resource) else "Europe/Helsinki"
    _check_email(payload.reserver_email)
    reservation = reservation_create(
        actor=user,
        resource=resource,
        begin=aware(payload.begin, tz_name, "begin"),
        end=aware(payload.end, tz_name, "end"),
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
    return Status(201, reservation_json(request, reservation))  # the engine's object: resource, unit, user loaded


READ_ONLY_HERE = ("state", "type", "user", "id")
NOT_EDITED = {"resource", "begin", "end", "staff_override", *READ_ONLY_HERE}
NOT_EDITED |= {"url", "state_interaction", "is_own", "need_manual_confirmation", "created_at", "modified_at"}


def _check_unchanged(request: HttpRequest, reservation: Reservation, data: dict[str, Any]) -> None:
    """What GET returned may be sent back, but the id, state, type, customer and resource stay."""
    current = reservation_json(request, reservation)
    for name in READ_ONLY_HERE:
        if data.get(name) is not None and data[name] != current[name]:
            raise bad_request("read_only", _("This field cannot be changed here."), name)
    if data.get("resource") not in (None, reservation.resource_id):
        raise bad_request(
            "resource_change_not_allowed",
            _("A reservation cannot be moved to another resource; cancel it and book the other one."),
            "resource",
        )


def _modify(request: HttpRequest, reservation_id: int, payload: ReservationPatch, full: bool) -> dict[str, Any]:
    reservation = _get(request, reservation_id)
    data = payload.model_dump(exclude_unset=True)
    if full:
        missing = [f for f in ("resource", "begin", "end") if data.get(f) is None]
        if missing:
            raise bad_request("invalid", _("This field is required."), missing[0])
    _check_unchanged(request, reservation, data)
    _check_email(data.get("reserver_email"))
    tz_name = reservation.resource.unit.time_zone
    fields = {k: v for k, v in data.items() if k not in NOT_EDITED and v is not None}
    reservation_modify(
        actor=request.user,
        reservation=reservation,
        begin=aware(data["begin"], tz_name, "begin") if data.get("begin") else None,
        end=aware(data["end"], tz_name, "end") if data.get("end") else None,
        staff_override=bool(data.get("staff_override")),
        **fields,
    )
    return reservation_json(request, _get(request, reservation_id))


@route(
    router,
    ["PUT"],
    "/reservation/{int:reservation_id}/",
    response=responses({200: ReservationOut}, 400, 403, 404),
    summary="Change a reservation (resource, begin and end required)",
    **SIGNED_IN,
)
def put_reservation(request: HttpRequest, reservation_id: int, payload: ReservationPatch) -> dict[str, Any]:
    """Moves or edits the reservation under the same rules as making it. A reservation that needs manual
    confirmation goes back to `requested` when a resident moves it."""
    return _modify(request, reservation_id, payload, full=True)


@route(
    router,
    ["PATCH"],
    "/reservation/{int:reservation_id}/",
    response=responses({200: ReservationOut}, 400, 403, 404),
    summary="Change part of a reservation",
    **SIGNED_IN,
)
def patch_reservation(request: HttpRequest, reservation_id: int, payload: ReservationPatch) -> dict[str, Any]:
    return _modify(request, reservation_id, payload, full=False)


@route(
    router,
    ["DELETE"],
    "/reservation/{int:reservation_id}/",
    response=responses({204: None}, 400, 403, 404),
    summary="Cancel a reservation (kept as history; the slot is free at once)",
    **SIGNED_IN,
)
def cancel_reservation(request: HttpRequest, reservation_id: int) -> HttpResponse:
    reservation_cancel(actor=request.user, reservation=_get(request, reservation_id))
    return HttpResponse(status=204)


@route(
    router,
    ["POST"],
    "/reservation/{int:reservation_id}/approve/",
    response=responses({200: ReservationOut}, 400, 403, 404),
    summary="Staff: approve a requested reservation",
    **SIGNED_IN,
)
def approve_reservation(request: HttpRequest, reservation_id: int) -> dict[str, Any]:
    reservation_approve(actor=request.user, reservation=_get(request, reservation_id))
    return reservation_json(request, _get(request, reservation_id))


@route(
    router,
    ["POST"],
    "/reservation/{int:reservation_id}/deny/",
    response=responses({200: ReservationOut}, 400, 403, 404),
    summary="Staff: deny a requested reservation",
    **SIGNED_IN,
)
def deny_reservation(request: HttpRequest, reservation_id: int, payload: DenyIn | None = None) -> dict[str, Any]:
    """The body `{"reason": …}` is optional; the reason is shown to the customer."""
    reason = payload.reason if payload is not None else ""
    reservation_deny(actor=request.user, reservation=_get(request, reservation_id), reason=reason)
    return reservation_json(request, _get(request, reservation_id))
