"""/v1/hobby/ — published hobby groups, also in the Linked Events course form (`?format=linkedevents`).

Wired in tila/api/urls.py: `api.add_router("/", hobbies.router)`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from ninja import Query, Router, Schema
from pydantic import Field

from tila.api.base import db_int, not_found, paginate, responses, route
from tila.core.i18n import translations
from tila.hobbies.linkedevents import linked_events_page
from tila.hobbies.models import HobbyGroup
from tila.hobbies.selectors import HobbyCriteria, hobby_search

router = Router(tags=["hobby"])
I18n = dict[str, str]
LINKED_EVENTS_NOTE = (
    " With `format=linkedevents` the answer is Linked Events' list form `{meta, data}`: per group a recurring "
    "super event of type_id “Course” (Linked Events' type 2) followed by one sub event per session."
)


class CategoryOut(Schema):
    id: str
    name: I18n


class PlaceOut(Schema):
    unit: str
    unit_name: I18n
    district: str | None
    resource: str | None


class WeeklyTimeOut(Schema):
    weekday: int = Field(description="0 is Monday, 6 is Sunday.")
    begins: str = Field(description="HH:MM, the place's local time")
    ends: str


class HobbyOut(Schema):
    id: int
    name: I18n
    description: I18n
    category: CategoryOut
    organiser: str
    place: PlaceOut
    audience_min_age: int | None
    audience_max_age: int | None
    language: str
    is_free: bool
    price: Decimal | None = Field(description="Euros for the season; null when free.")
    price_info: I18n
    season_start: dt.date
    season_end: dt.date
    times: list[WeeklyTimeOut]
    registration_url: str
    series: int | None = Field(description="The recurring reservation the group was made from, if any.")
    url: I18n = Field(description="The group's page on Tila, in each language.")


class HobbyList(Schema):
    count: int
    next: str | None
    previous: str | None
    prev: str | None
    results: list[HobbyOut]


class LinkedEventsMeta(Schema):
    count: int
    next: str | None
    previous: str | None


class LinkedEventsPage(Schema):
    meta: LinkedEventsMeta
    data: list[dict[str, Any]]


def _urls(group: HobbyGroup) -> dict[str, str]:
    out = {}
    for lang in ("fi", "sv", "en"):
        with translation.override(lang):
            out[lang] = f"{settings.SITE_URL}{reverse('hobbies:detail', kwargs={'pk': group.pk})}"
    return out


def hobby_json(group: HobbyGroup) -> dict[str, Any]:
    return {
        "id": group.pk,
        "name": translations(group, "name"),
        "description": translations(group, "description"),
        "category": {"id": group.category_id, "name": translations(group.category, "name")},
        "organiser": group.organiser,
        "place": {
            "unit": group.unit_id,
            "unit_name": translations(group.unit, "name"),
            "district": group.unit.district_id,
            "resource": group.resource_id,
        },
        "audience_min_age": group.min_age,
        "audience_max_age": group.max_age,
        "language": group.language,
        "is_free": group.is_free,
        "price": group.price,
        "price_info": translations(group, "price_info"),
        "season_start": group.season_start,
        "season_end": group.season_end,
        "times": [
            {"weekday": t.weekday, "begins": t.begins.strftime("%H:%M"), "ends": t.ends.strftime("%H:%M")}
            for t in group.times.all()
        ],
        "registration_url": group.registration_url,
        "series": group.series_id,
        "url": _urls(group),
    }


def _serialize(groups: list[HobbyGroup]) -> list[dict[str, Any]]:
    return [hobby_json(g) for g in groups]


@route(
    router,
    ["GET"],
    "/hobby/",
    response=responses({200: HobbyList | LinkedEventsPage}, 404),
    summary="List published hobby groups",
    description="Groups whose season has not ended, matching every filter given." + LINKED_EVENTS_NOTE,
    url_name="hobbies",
)
def list_hobbies(
    request: HttpRequest,
    page: int | None = Query(None, ge=1, description="Page number, from 1."),
    page_size: int | None = Query(None, ge=1, description="Results per page (default 20, at most 500)."),
    age: int | None = Query(None, ge=0, le=120, description="Groups open to a participant of this age."),
    district: str | None = Query(None, max_length=100),
    category: str | None = Query(None, max_length=100),
    weekday: int | None = Query(None, ge=0, le=6, description="0 is Monday."),
    free: bool | None = Query(None, description="Only groups free of charge."),
    max_price: float | None = Query(None, ge=0, le=100000, description="Free groups and those costing at most this."),
    language: str | None = Query(None, max_length=8),
    text: str | None = Query(None, max_length=100),
    format: Literal["json", "linkedevents"] = Query("json", description="`linkedevents` for the Linked Events form."),
) -> dict[str, Any]:
    criteria = HobbyCriteria(
        age=age,
        district=district or "",
        category=category or "",
        weekday=weekday,
        free_only=bool(free),
        max_price=None if max_price is None else Decimal(f"{max_price:.2f}"),
        language=language or "",
        text=(text or "").strip(),
    )
    groups = hobby_search(criteria)
    if format == "linkedevents":
        envelope = paginate(request, groups, list, page, page_size)
        return linked_events_page(
            envelope["results"], count=envelope["count"], next_url=envelope["next"], previous_url=envelope["previous"]
        )
    return paginate(request, groups, _serialize, page, page_size)


@route(
    router,
    ["GET"],
    "/hobby/{hobby_id}/",
    response=responses({200: HobbyOut | LinkedEventsPage}, 404),
    summary="One published hobby group",
    description="The group." + LINKED_EVENTS_NOTE,
    url_name="hobby",
)
def get_hobby(
    request: HttpRequest,
    hobby_id: int,
    format: Literal["json", "linkedevents"] = Query("json"),
) -> dict[str, Any]:
    group = hobby_search(HobbyCriteria(include_past=True)).filter(pk=db_int(hobby_id)).first()
    if group is None:
        raise not_found()
    if format == "linkedevents":
        return linked_events_page([group], count=1, next_url=None, previous_url=None)
    return hobby_json(group)
