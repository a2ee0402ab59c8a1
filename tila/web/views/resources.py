"""A resource's page with its week of free time, and favourites."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from typing import Any, cast
from urllib.parse import quote, urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tila.catalogue.models import Resource
from tila.catalogue.selectors import resource_rules
from tila.core.timeutil import get_zone
from tila.web import formatting
from tila.web.models import Favourite
from tila.web.rules_text import rule_sentences
from tila.web.selectors import FREE, Cell, WeekGrid, bookable_resources, week_grid
from tila.web.services import favourite_add, favourite_remove
from tila.web.views.common import now, resident_required, safe_next, visible_resource

WEEKS_AHEAD = 60


def _first_day(request: HttpRequest, today: dt.date) -> dt.date:
    """The first of the seven days shown: `?week=` (or `?date=`) if given, else today; never in the past."""
    raw = request.GET.get("week") or request.GET.get("date") or ""
    try:
        wanted = dt.date.fromisoformat(raw)
    except ValueError:
        return today
    return min(max(wanted, today), today + dt.timedelta(weeks=WEEKS_AHEAD))


def map_url(resource: Resource) -> str:
    unit = resource.unit
    if unit.latitude is not None and unit.longitude is not None:
        lat, lon = f"{unit.latitude:.5f}", f"{unit.longitude:.5f}"
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
    address = ", ".join(p for p in (str(unit.street_address), unit.postal_code, unit.municipality) if p)
    return f"https://www.openstreetmap.org/search?query={quote(address)}"


def _grouped(pairs: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    groups: OrderedDict[str, list[str]] = OrderedDict()
    for group, text in pairs:
        groups.setdefault(group, []).append(text)
    return list(groups.items())


def _cell_view(cell: Cell, book_url: str, min_period: dt.timedelta, tz_name: str) -> dict[str, Any]:
    local_begin = formatting.local(cell.begin, tz_name).strftime("%Y-%m-%dT%H:%M")
    default_end = cell.begin + min_period
    view: dict[str, Any] = {
        "state": cell.state,
        "begin": local_begin,
        "end": formatting.local(cell.end, tz_name).strftime("%Y-%m-%dT%H:%M"),
        "time": formatting.format_span(cell.begin, cell.end, tz_name),
        "day": formatting.format_day(cell.begin, tz_name),
    }
    if cell.state == FREE:
        default_local_end = formatting.local(default_end, tz_name).strftime("%Y-%m-%dT%H:%M")
        view["default_end"] = default_local_end
        view["from"], _sep, view["to"] = formatting.format_span(cell.begin, cell.end, tz_name).partition("–")
        view["default_to"] = formatting.format_span(cell.begin, default_end, tz_name).partition("–")[2]
        view["href"] = f"{book_url}?{urlencode({'begin': local_begin, 'end': default_local_end})}"
    return view


def _grid_context(grid: WeekGrid, min_period: dt.timedelta) -> dict[str, Any]:
    book_url = reverse("web:book", args=[grid.resource.pk])
    rows = [
        {
            "label": formatting.format_clock(row.minute // 60, row.minute % 60),
            "cells": [_cell_view(cell, book_url, min_period, grid.tz_name) for cell in row.cells],
        }
        for row in grid.rows
    ]
    return {
        "grid": grid,
        "rows": rows,
        "day_headers": [
            {"date": d, "label": formatting.format_day_short(d), "note": grid.day_notes.get(d, "")} for d in grid.days
        ],
        "week_label": f"{formatting.format_day(grid.days[0], weekday=False)}–"
        f"{formatting.format_day(grid.days[-1], weekday=False)}",
        "whole_days": grid.step >= dt.timedelta(days=1),
    }


def resource_detail(request: HttpRequest, resource_id: str) -> HttpResponse:
    resource = visible_resource(resource_id)
    rules = resource_rules(resource)
    moment = now()
    today = moment.astimezone(get_zone(resource.unit.time_zone)).date()
    first_day = _first_day(request, today)
    grid = week_grid(resource, first_day, now=moment) if resource.reservable else None
    is_favourite = (
        request.user.is_authenticated and Favourite.objects.filter(user=request.user, resource=resource).exists()
    )
    context = {
        "resource": resource,
        "unit": resource.unit,
        "rules": rules,
        "rule_sentences": rule_sentences(rules),
        "images": list(resource.images.all()),
        "equipment": _grouped([(str(e.category), str(e.name)) for e in resource.equipment.all()]),
        "accessibility": _grouped([(str(a.group), str(a.sentence)) for a in resource.accessibility_sentences.all()]),
        "purposes": [str(p.name) for p in resource.purposes.all()],
        "parts": list(bookable_resources().filter(parent=resource).order_by("name_fi")),
        "map_url": map_url(resource),
        "is_favourite": is_favourite,
        "prev_week": max(today, first_day - dt.timedelta(weeks=1)) if first_day > today else None,
        "next_week": first_day + dt.timedelta(weeks=1) if first_day < today + dt.timedelta(weeks=WEEKS_AHEAD) else None,
        "now": moment,
        **(_grid_context(grid, rules.min_period) if grid is not None else {}),
    }
    return render(request, "web/resource.html", context)


@require_POST
@resident_required
def favourite_toggle(request: HttpRequest, resource_id: str) -> HttpResponseBase:
    resource = visible_resource(resource_id)
    user: Any = request.user
    if request.POST.get("action") == "remove":
        favourite_remove(user=user, resource_id=resource.pk)
    else:
        favourite_add(user=user, resource_id=resource.pk)
    if getattr(request, "htmx", False):
        is_favourite = Favourite.objects.filter(user=user, resource=resource).exists()
        return render(
            request,
            "web/includes/favourite_button.html",
            {"resource": resource, "is_favourite": is_favourite, "announce": True},
        )
    return redirect(safe_next(request, request.POST.get("next"), reverse("web:resource", args=[resource.pk])))


@resident_required
def favourites(request: HttpRequest) -> HttpResponse:
    items = list(
        Favourite.objects.filter(user=cast(Any, request.user), resource__in=bookable_resources()).select_related(
            "resource__unit", "resource__unit__district", "resource__type"
        )
    )
    return render(request, "web/favourites.html", {"favourites": items, "title": _("Favourites")})
