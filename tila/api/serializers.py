"""Model → JSON. One function per object; list endpoints prefetch so each page costs a few queries."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils import timezone, translation
from django.utils.http import RFC3986_SUBDELIMS

from tila.accounts.permissions import Action, can
from tila.booking.models import Reservation
from tila.booking.selectors import Availability
from tila.catalogue.models import Equipment, Purpose, Resource, ResourceType, Unit
from tila.catalogue.selectors import resource_rules
from tila.core.i18n import pick, translations
from tila.core.timeutil import format_duration, get_zone


def iso(value: dt.datetime, tz_name: str) -> str:
    return value.astimezone(get_zone(tz_name)).isoformat()


def location(unit: Unit) -> dict[str, Any] | None:
    if unit.latitude is None or unit.longitude is None:
        return None
    return {"type": "Point", "coordinates": [float(unit.longitude), float(unit.latitude)]}


def purpose_json(p: Purpose) -> dict[str, Any]:
    return {"id": p.pk, "parent": p.parent_id, "name": translations(p, "name")}


def type_json(t: ResourceType) -> dict[str, Any]:
    return {"id": t.pk, "main_type": t.main_type, "name": translations(t, "name")}


def equipment_json(e: Equipment) -> dict[str, Any]:
    return {"id": e.pk, "name": translations(e, "name"), "category": translations(e, "category")}


def unit_json(unit: Unit, opening_today: list[tuple[dt.datetime, dt.datetime]] | None = None) -> dict[str, Any]:
    zone = get_zone(unit.time_zone)
    description = translations(unit, "description")
    return {
        "id": unit.pk,
        "name": translations(unit, "name"),
        "description": pick(description),
        "description_i18n": description,
        "street_address": translations(unit, "street_address"),
        "address_zip": unit.postal_code,
        "address_postal_full": " ".join(x for x in (unit.postal_code, unit.municipality) if x),
        "municipality": unit.municipality,
        "district": unit.district_id,
        "district_name": translations(unit.district, "name") if unit.district else {},
        "phone": unit.phone,
        "email": unit.email,
        "www_url": translations(unit, "www_url"),
        "time_zone": unit.time_zone,
        "location": location(unit),
        "opening_hours_today": {
            "date": timezone.now().astimezone(zone).date(),
            "opening_hours": [
                {"opens": iso(b, unit.time_zone), "closes": iso(e, unit.time_zone)} for b, e in opening_today or []
            ],
        },
        "picture_url": None,
        "picture_caption": None,
        "created_at": unit.created_at,
        "modified_at": unit.modified_at,
    }


def _duration(value: dt.timedelta | None) -> str | None:
    return format_duration(value) if value is not None else None


_ID = "918273645"  # stands for the object's id while the URL is reversed (an int route accepts it too)


@functools.lru_cache(maxsize=256)
def _around_id(name: str, script_prefix: str, language: str | None) -> tuple[str, str]:
    before, found, after = reverse(name, args=[_ID]).partition(_ID)
    if not found:
        raise ValueError(f"{name} does not take one id")
    return before, after


def object_url(request: HttpRequest, name: str, pk: Any) -> str:
    """`request.build_absolute_uri(reverse(name, args=[pk]))` without resolving the route for every
    object: the path around the id is reversed once per route, script prefix and language (a list of
    resources or a booking's answer would otherwise spend more on `reverse` than on the object). The
    id is quoted as `reverse` quotes it."""
    before, after = _around_id(name, get_script_prefix(), translation.get_language())
    return request.build_absolute_uri(before + quote(str(pk), safe=RFC3986_SUBDELIMS + "/~:@") + after)


def may_see_personal_details(user: Any, reservation: Reservation, unit_id: str) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return reservation.user_id == user.pk or can(user, Action.VIEW, unit_id)


def reservation_json(request: HttpRequest, r: Reservation, rules_manual: bool | None = None) -> dict[str, Any]:
    user = request.user if request.user.is_authenticated else None
    tz_name = r.resource.unit.time_zone
    personal = may_see_personal_details(user, r, r.resource.unit_id)
    manual = rules_manual if rules_manual is not None else resource_rules(r.resource).need_manual_confirmation
    return {
        "id": r.pk,
        "url": object_url(request, "api:reservation", r.pk),
        "resource": r.resource_id,
        "user": str(r.user.uuid) if personal and r.user is not None else None,
        "begin": iso(r.begin, tz_name),
        "end": iso(r.end, tz_name),
        "state": r.state,
        "type": r.type,
        "event_subject": r.event_subject if personal else "",
        "event_description": r.event_description if personal else "",
        "number_of_participants": r.number_of_participants if personal else None,
        "reserver_name": r.reserver_name if personal else None,
        "reserver_email": r.reserver_email if personal else None,
        "reserver_phone": r.reserver_phone if personal else None,
        "is_own": bool(user is not None and r.user_id == user.pk),
        "need_manual_confirmation": manual,
        "created_at": r.created_at,
        "modified_at": r.modified_at,
    }


def _image_url(request: HttpRequest, image: Any) -> str:
    if image.image:
        return request.build_absolute_uri(image.image.url)
    return str(image.url)


def resource_json(request: HttpRequest, r: Resource, availability: Availability | None = None) -> dict[str, Any]:
    rules = resource_rules(r)
    tz_name = r.unit.time_zone
    images = list(r.images.all())
    main = next((img for img in images if img.is_main), images[0] if images else None)
    data: dict[str, Any] = {
        "id": r.pk,
        "url": object_url(request, "api:resource", r.pk),
        "unit": r.unit_id,
        "name": translations(r, "name"),
        "description": translations(r, "description"),
        "type": type_json(r.type),
        "main_type": r.type.main_type,
        "purposes": [purpose_json(p) for p in r.purposes.all()],
        "equipment": [equipment_json(e) for e in r.equipment.all()],
        "people_capacity": r.people_capacity,
        "area": r.area,
        "need_manual_confirmation": rules.need_manual_confirmation,
        "authentication": rules.authentication,
        "min_period": format_duration(rules.min_period),
        "max_period": _duration(rules.max_period),
        "slot_size": format_duration(rules.slot_size),
        "reservable_min_days_in_advance": rules.min_days_ahead,
        "reservable_max_days_in_advance": rules.max_days_ahead,
        "buffer_before": format_duration(rules.buffer_before),
        "buffer_after": format_duration(rules.buffer_after),
        "max_reservations_per_user": rules.max_reservations_per_user,
        "cancel_cutoff": _duration(rules.cancel_cutoff),
        "reservable": r.reservable,
        "public": r.public,
        "parent": r.parent_id,
        "children": [c.pk for c in r.children.all()],
        "photo": _image_url(request, main) if main else None,
        "images": [
            {"url": _image_url(request, i), "caption": translations(i, "caption"), "is_main": i.is_main} for i in images
        ],
        "accessibility": [
            {"group": translations(s, "group"), "sentence": translations(s, "sentence")}
            for s in r.accessibility_sentences.all()
        ],
        "reservation_info": translations(r, "reservation_info"),
        "terms": translations(r, "terms"),
        "location": location(r.unit),
        "district": r.unit.district_id,
        "created_at": r.created_at,
        "modified_at": r.modified_at,
    }
    if availability is not None:
        user = request.user if request.user.is_authenticated else None
        data["opening_hours"] = [{"opens": iso(b, tz_name), "closes": iso(e, tz_name)} for b, e in availability.opening]
        data["available_hours"] = [{"starts": iso(b, tz_name), "ends": iso(e, tz_name)} for b, e in availability.free]
        data["reservations"] = [reservation_brief(user, x, tz_name, r.unit_id) for x in availability.reservations]
    return data


def reservation_brief(user: Any, r: Reservation, tz_name: str, unit_id: str) -> dict[str, Any]:
    """A reservation inside a resource's availability: personal details only to the owner and unit staff."""
    brief: dict[str, Any] = {
        "id": r.pk,
        "begin": iso(r.begin, tz_name),
        "end": iso(r.end, tz_name),
        "state": r.state,
        "is_own": bool(user is not None and r.user_id == user.pk),
    }
    if may_see_personal_details(user, r, unit_id):
        brief["user"] = str(r.user.uuid) if r.user is not None else None
        brief["event_subject"] = r.event_subject
        brief["reserver_name"] = r.reserver_name
    return brief


RESOURCE_PREFETCH = ("purposes", "equipment", "images", "accessibility_sentences", "children")
RESOURCE_SELECT = ("unit", "unit__district", "type")
